"""Recognises HTTP requests (requests, httpx, aiohttp, urllib, urllib3, any ``.post``) and the
official Zoho SDK's RecordOperations calls, and says which of them reach a territory endpoint."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from zlint.analysis.endpoints import Endpoint, match_territory, version_in, without_version
from zlint.analysis.folding import Env, Folder
from zlint.analysis.module import ModuleContext, attribute_name, decorated
from zlint.analysis.resolve import MAX_GUESSED_CLASSES, Function, Resolver, UserClass, names_zoho
from zlint.analysis.values import HOLE, Mapping, Text, as_text
from zlint.catalogue import load_catalogue

HTTP_CLIENT = "http.client"  # conn.request(...) sends; conn.getresponse() gives its answer
_HTTP_LIBRARIES = {
    "requests": "requests",
    "httpx": "httpx",
    "aiohttp": "aiohttp",
    "urllib3": "urllib3",
    "urllib": "urllib.request",
}
_VERBS = {"post": "POST", "get": "GET", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "head": "HEAD"}
_METHOD_FIRST = {"request", "urlopen"}  # .request(method, url)
# Libraries and pytest fixtures that register fake answers: their ``.post(url)`` is not a request.
_MOCK_ROOTS = {"responses", "respx", "requests_mock", "httpretty", "aioresponses", "pytest_httpx"}
_MOCK_PARAMS = {"requests_mock", "respx_mock", "httpx_mock", "mocked_responses", "aioresponses", "mock_router"}
# Test clients of web frameworks call the app under test, not Zoho.
_TEST_CLIENT_ROOTS = {"django", "flask", "starlette", "fastapi", "rest_framework", "werkzeug"}
_TEST_CASE_CLIENTS = {"client", "async_client"}  # made by django/DRF/flask-testing TestCase classes
_PYTEST_CLIENT_FIXTURES = {"client", "admin_client", "async_client", "api_client", "test_client"}


@dataclass(frozen=True)
class TerritoryCall:
    """A call that reaches a territory endpoint, as the inventory and the messages name it."""

    operation: str  # assign | remove
    scope: str  # bulk | record
    version: str | None
    module: str | None
    client: str
    path: str
    line: int
    column: int

    def describe(self) -> str:
        where = ", ".join(x for x in (self.version, self.module) if x)
        return f"{self.operation}_territories" + (f" ({where})" if where else "")


@dataclass(frozen=True)
class HttpRequest:
    method: str | None
    url: Text
    client: str


@dataclass(frozen=True)
class Origin:
    """Where an object came from: a constructor's qualified name, a user class, or a parameter."""

    name: str | None = None
    user_class: UserClass | None = None
    ctor: cst.Call | None = None
    ctx: ModuleContext | None = None
    param: str | None = None


_MOCKERS = {"requests_mock.Mocker", "requests_mock.mock", "requests_mock.mocker.Mocker"}


def _passed_by_mocker(ctx: ModuleContext, function, param: cst.Param) -> bool:
    """Whether ``param`` receives the mocker of a ``@requests_mock.Mocker()`` decorating its
    function, or its class (whose ``test*`` methods it decorates): the one named by ``kw=``, else
    the positional parameter it appends, after self and the mocks of the ``@patch`` decorators
    outside it (a class's decorators are outside the method's own)."""
    if not isinstance(function, cst.FunctionDef):
        return False
    klass = ctx.enclosing_class(function)
    own = list(function.decorators)
    inherited = list(klass.decorators) if klass is not None and function.name.value.startswith("test") else []
    for outside, decorator in [*((own[:at] + inherited, d) for at, d in enumerate(own)),
                               *((inherited[:at], d) for at, d in enumerate(inherited))]:
        mocker = decorator.decorator
        if not isinstance(mocker, cst.Call) or not ctx.qualified_names(mocker.func) & _MOCKERS:
            continue
        keyword = next((a.value for a in mocker.args if a.keyword is not None and a.keyword.value == "kw"), None)
        if isinstance(keyword, cst.SimpleString):
            return keyword.evaluated_value == param.name.value
        params = [p for p in function.params.params if p.name.value not in ("self", "cls")]
        before = sum(1 for d in outside if is_patch(d.decorator) and passes_its_mock(d.decorator))
        return len(params) > before and params[before] is param
    return False


def is_patch(expr: cst.BaseExpression) -> bool:
    """Whether ``expr`` is a call of ``patch(...)`` or ``patch.object(...)`` (unittest.mock's, or
    pytest-mock's ``mocker.patch``)."""
    if not isinstance(expr, cst.Call):
        return False
    func = expr.func
    if isinstance(func, cst.Attribute) and func.attr.value == "object":
        func = func.value
    return attribute_name(func) == "patch"


def passes_its_mock(patch: cst.Call) -> bool:
    """A patch decorator passes the mock it makes, not one it is given (``new``, by place or name)."""
    positional = [a for a in patch.args if a.keyword is None and not a.star]
    targets = 2 if attribute_name(patch.func) == "object" else 1
    return len(positional) <= targets and all(a.keyword is None or a.keyword.value != "new" for a in patch.args)


def _is_ids(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.SimpleString) and node.evaluated_value == "ids"


def _ids_added(ctx: ModuleContext, call: cst.Call, name: str) -> bool:
    """Whether the body of ``call`` puts ``ids`` into the dict named ``name``:
    ``name["ids"] = ...``, ``name.update(ids=...)`` or ``name.update({"ids": ...})``."""
    body = ctx.body_of(call)
    for assign in body.assigns:
        for target in assign.targets:
            item = target.target
            if (isinstance(item, cst.Subscript) and isinstance(item.value, cst.Name) and item.value.value == name
                    and len(item.slice) == 1 and isinstance(item.slice[0].slice, cst.Index)
                    and _is_ids(item.slice[0].slice.value)):
                return True
    for other in body.calls:
        func = other.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "update"
                and isinstance(func.value, cst.Name) and func.value.value == name):
            continue
        for arg in other.args:
            if arg.keyword is not None and arg.keyword.value == "ids":
                return True
            if arg.keyword is None and isinstance(arg.value, cst.Dict) and any(
                    isinstance(element, cst.DictElement) and _is_ids(element.key) for element in arg.value.elements):
                return True
    return False


def _with_query(url: Text, key: str, value: str) -> Text:
    """``url`` with ``key=value`` added to its query, as requests joins ``params``."""
    return Text(f"{url.value}{'&' if '?' in url.value else '?'}{key}={value}")


def _names_ids(folded, params: cst.BaseExpression) -> bool:
    """Query parameters that hold ``ids``: a dict (literal or named), ``dict(ids=...)``, pairs."""
    if isinstance(folded, Mapping) and any(name == "ids" for name, _ in folded.entries):
        return True
    if isinstance(params, cst.Call) and isinstance(params.func, cst.Name) and params.func.value == "dict":
        return any(arg.keyword is not None and arg.keyword.value == "ids" for arg in params.args)
    if isinstance(params, (cst.List, cst.Tuple)):
        return any(isinstance(element.value, cst.Tuple) and element.value.elements
                   and isinstance(element.value.elements[0].value, cst.SimpleString)
                   and element.value.elements[0].value.evaluated_value == "ids" for element in params.elements)
    return False


_DEPENDS = {"fastapi.Depends", "fastapi.params.Depends", "fastapi.param_functions.Depends"}


def _spelling(receiver: cst.BaseExpression) -> str | None:
    """``client`` or ``self.client``: a receiver two calls can be told to share by its text."""
    if isinstance(receiver, cst.Name):
        return receiver.value
    if isinstance(receiver, cst.Attribute) and isinstance(receiver.value, cst.Name):
        return f"{receiver.value.value}.{receiver.attr.value}"
    return None


def _takes(method: Function | None, call: cst.Call) -> bool:
    """Whether the arguments of ``call``, made on an instance, fit the method's parameters."""
    if method is None:
        return False
    params = method.node.params
    positional = method.positional(bound=True)  # (self or cls, whatever its name)
    given = [a for a in call.args if a.keyword is None and not a.star]
    keywords = {a.keyword.value for a in call.args if a.keyword is not None}
    if any(a.star for a in call.args):
        return True  # *args or **kwargs: cannot tell
    if len(given) > len(positional) and not isinstance(params.star_arg, cst.Param):
        return False
    names = {p.name.value for p in (*positional, *params.kwonly_params)}
    if params.star_kwarg is None and not keywords <= names:
        return False
    unfilled = [p for p in positional[len(given):] if p.default is None and p.name.value not in keywords]
    unfilled += [p for p in params.kwonly_params if p.default is None and p.name.value not in keywords]
    return not unfilled


class CallClassifier:
    def __init__(self, resolver: Resolver, folder: Folder) -> None:
        self.resolver = resolver
        self.folder = folder
        self.catalogue = load_catalogue()
        self.sdk_version: str | None = None  # the API version of the SDK the project declares, if any
        self._origins: dict[tuple[int, int, int], tuple] = {}
        self._territorial_receivers: dict[int, tuple] = {}  # id(body) -> (body, spelling -> calls): _classes_by_sibling

    # -- origins of receivers ----------------------------------------------------------

    def origins(self, ctx: ModuleContext, expr: cst.BaseExpression, depth: int = 0) -> list[Origin]:
        """Where ``expr`` came from (worked out once per expression and depth: callers must not
        change the list)."""
        key = (id(ctx), id(expr), depth)
        known = self._origins.get(key)
        if known is not None:
            return known[2]
        found = self._origins_of(ctx, expr, depth)
        self._origins[key] = (ctx, expr, found)  # holding both keeps their ids their own
        return found

    def _origins_of(self, ctx: ModuleContext, expr: cst.BaseExpression, depth: int) -> list[Origin]:
        if depth > 8:
            return []
        if isinstance(expr, cst.Await):
            return self.origins(ctx, expr.expression, depth + 1)
        if isinstance(expr, cst.Call):
            names = ctx.qualified_names(expr.func) or self._star_imported(ctx, expr.func)
            if any(self.catalogue.sdk_root_for(n) for n in names):  # the SDK, even when a copy of it is scanned
                return [Origin(name=q, ctor=expr, ctx=ctx) for q in names]
            classes = self.resolver.classes_of(ctx, expr.func)
            if classes:
                return [Origin(user_class=c, ctor=expr, ctx=ctx) for c in classes]
            made = self._made_by_factory(ctx, expr, depth)
            if made:
                return made
            return [Origin(name=q, ctor=expr, ctx=ctx) for q in names]
        if isinstance(expr, cst.BooleanOperation) and isinstance(expr.operator, cst.Or):  # ``crm or ZohoClient()``
            return self.origins(ctx, expr.left, depth + 1) + self.origins(ctx, expr.right, depth + 1)
        if isinstance(expr, cst.IfExp):
            return self.origins(ctx, expr.body, depth + 1) + self.origins(ctx, expr.orelse, depth + 1)
        bounds = []
        found: list[Origin] = []
        if isinstance(expr, cst.Name):
            if not ctx.referents(expr):
                return []
            names = ctx.qualified_names(expr)
            bounds = self.resolver.bindings(ctx, expr)
            if not bounds and names:
                return [Origin(name=n) for n in names]
        elif isinstance(expr, cst.Attribute):
            bounds = self.resolver.attribute(ctx, expr)
            found = self._declared(ctx, expr, depth)
            if not bounds and not found:
                return [Origin(name=n) for n in ctx.qualified_names(expr)]
        for bound in bounds:
            definition = bound.definition
            if definition.kind in {"assign", "with"} and definition.index is None:
                found.extend(self.origins(bound.ctx, definition.value, depth + 1))
            elif definition.kind == "param":
                param: cst.Param = definition.value
                found.append(Origin(param=param.name.value))
                if _passed_by_mocker(bound.ctx, definition.owner, param):
                    found.append(Origin(name="requests_mock.Mocker"))
                if param.annotation is not None:
                    found.extend(self._typed(bound.ctx, param.annotation.annotation))
                providers = self._dependencies(bound.ctx, param)
                for provider in providers:
                    found.extend(self.returned(provider, depth, yielded=True))
                if param.default is not None and not providers:  # ``territory=Territory()``
                    found.extend(self.origins(bound.ctx, param.default, depth + 1))
            elif definition.kind == "class":
                found.append(Origin(user_class=UserClass(bound.ctx, definition.value)))
        return found

    def _made_by_factory(self, ctx: ModuleContext, call: cst.Call, depth: int) -> list[Origin]:
        """Where the object a scanned function hands back comes from: its one ``return``'s value
        (``def make_client(): return httpx.AsyncClient(base_url=...)``), else (no single return, or
        one whose value is not told) its return annotation; nothing when the callee is not one
        scanned function."""
        functions = self.resolver.functions(ctx, call.func)
        return self.returned(functions[0], depth) if len(functions) == 1 else []

    def returned(self, function: Function, depth: int = 0, yielded: bool = False) -> list[Origin]:
        """Where what ``function`` returns comes from (see _made_by_factory); ``cls(...)`` in a
        classmethod makes its class (``ZohoClient.from_env()``). With ``yielded`` (a FastAPI
        dependency), or for a ``@contextmanager``, its one ``yield``'s value stands for it."""
        ctx, node = function.ctx, function.node
        returned = self.folder.single_return(ctx, node)
        if returned is None and (yielded or decorated(node, "contextmanager", "asynccontextmanager")):
            yields = [y for y in ctx.bodies[id(node)].returns if isinstance(y, cst.Yield)]
            if len(yields) == 1 and isinstance(yields[0].value, cst.BaseExpression):
                returned = yields[0].value
        made: list[Origin] = []
        if returned is not None:
            klass = ctx.enclosing_class(node)
            if (klass is not None and isinstance(returned, cst.Call) and isinstance(returned.func, cst.Name)
                    and returned.func.value == "cls" and decorated(node, "classmethod")):
                return [Origin(user_class=UserClass(ctx, klass), ctor=returned, ctx=ctx)]
            made = self.origins(ctx, returned, depth + 1)
        if made or node.returns is None:
            return made
        return self._typed(ctx, node.returns.annotation)

    def _dependencies(self, ctx: ModuleContext, param: cst.Param) -> list[Function]:
        """The scanned functions FastAPI calls to fill a parameter: ``Depends(get_client)`` as its
        default or in its ``Annotated[...]`` (also one a type alias names)."""
        marks = [(ctx, param.default)] if param.default is not None else []
        where, annotation = ctx, param.annotation.annotation if param.annotation is not None else None
        alias = self.resolver.type_alias(ctx, annotation) if annotation is not None else None
        if alias is not None:  # ``CrmDep = Annotated[ZohoClient, Depends(get_client)]``
            where, annotation = alias
        if isinstance(annotation, cst.Subscript):
            marks += [(where, e.slice.value) for e in annotation.slice[1:] if isinstance(e.slice, cst.Index)]
        found = []
        for module, mark in marks:
            if (isinstance(mark, cst.Call) and mark.args and mark.args[0].keyword is None
                    and any(q in _DEPENDS for q in module.qualified_names(mark.func))):
                found += self.resolver.functions(module, mark.args[0].value)
        return found

    def _typed(self, ctx: ModuleContext, annotation: cst.BaseExpression) -> list[Origin]:
        """What an object annotated with ``annotation`` may be: each class or type it allows."""
        classes, names = self.resolver.annotation_types(ctx, annotation)
        return [Origin(user_class=c) for c in classes] + [Origin(name=q) for q in names]

    def _declared(self, ctx: ModuleContext, attribute: cst.Attribute, depth: int) -> list[Origin]:
        """``self.x`` (or ``obj.x`` of an object of a scanned class) as its class declares it: the
        annotation of ``x`` in the class body (a dataclass field), or a property ``x`` (what it
        returns)."""
        if isinstance(attribute.value, cst.Name) and attribute.value.value == "self":
            klass = self.resolver.enclosing_class(ctx, attribute)
            owners = [UserClass(ctx, klass)] if klass is not None else []
        else:
            owners = [o.user_class for o in self.origins(ctx, attribute.value, depth + 1) if o.user_class is not None]
        found: list[Origin] = []
        name = attribute.attr.value
        for owner in owners:
            declared = self.resolver.declared_attribute(owner.ctx, owner.node, name)
            getter = self.resolver.method(owner.ctx, owner.node, name) if declared is None else None
            if declared is not None:
                found += self._typed(*declared)
            elif getter is not None and decorated(getter.node, "property", "cached_property"):
                found += self.returned(getter, depth)
        return found

    def instance_classes(self, ctx: ModuleContext, expr: cst.BaseExpression) -> list[UserClass]:
        return [o.user_class for o in self.origins(ctx, expr) if o.user_class is not None]

    def untyped_receiver(self, ctx: ModuleContext, receiver: cst.BaseExpression, method: str) -> list[UserClass]:
        """The scanned classes a receiver of unknown type (a parameter without an annotation, also
        kept as ``self.client``) is taken for when ``method`` is called on it:
        - the classes whose ``method`` does territory work, when the call is named for territory
          work (Resolver.named_for_territory_work: ``def move(client, lead): client.assign_territory(lead)``);
        - else, for another method, the class of such a call on the same receiver in the same
          function, or on the same ``self.x`` in the same class (``zoho.assign_territory(...)``,
          then ``zoho.wait_for_job(...)``), or, for a receiver named for Zoho, the classes doing
          territory work that have that method (``def wait(zoho, r): zoho.wait_for_job(r)``).
        A type test of the receiver in the function (``isinstance``, ``type(x) is``, a ``match``
        class pattern) decides instead. Not guessed: in a
        test module, for a method's first parameter, when the call's arguments do not fit the
        method, when more than MAX_GUESSED_CLASSES classes fit, or when the caller's module defines
        or imports another class with a method of that name (its own ``Lead.assign_territory``)."""
        territorial = method in self.resolver.methods
        classes = [] if territorial else self._classes_by_sibling(ctx, receiver, method)
        if not territorial and not classes and names_zoho([attribute_name(receiver) or ""]):
            classes = [c for c in self.resolver.territory_classes()  # ``def wait(zoho, r): zoho.wait_for_job(r)``
                       if self.resolver.method(c.ctx, c.node, method) is not None]
        if not territorial and not classes:
            return []  # (most calls on receivers of unknown type end here, before their origins are asked)
        origins = self.origins(ctx, receiver)
        if not origins or any(o.param is None or o.param in _MOCK_PARAMS or o.name or o.user_class
                              for o in origins) or self._not_to_guess(ctx, receiver):
            return []
        call = ctx.parents.get(ctx.parents.get(receiver))
        narrowed = self._isinstance_classes(ctx, receiver, call)
        if narrowed is not None:
            return [c for c in narrowed if self.resolver.method(c.ctx, c.node, method) is not None]
        if territorial:
            names = [attribute_name(receiver) or "", *(o.param for o in origins)]
            if not self.resolver.named_for_territory_work(method, names):
                return []
            classes = self.resolver.classes_with_method(method)
        if (not isinstance(call, cst.Call) or not classes or len(classes) > MAX_GUESSED_CLASSES
                or self._other_classes_with(ctx, method, classes)):
            return []
        return [c for c in classes if _takes(self.resolver.method(c.ctx, c.node, method), call)]

    def _not_to_guess(self, ctx: ModuleContext, receiver: cst.BaseExpression) -> bool:
        """Whether the receiver is in a test module (pytest hands tests and their helpers fixtures,
        often fakes), or is the first parameter of a method, whatever its name (``def
        promote(this, user)``)."""
        if ctx.in_tests:
            return True
        if not isinstance(receiver, cst.Name):
            return False
        return any(bound.definition.kind == "param" and isinstance(bound.definition.owner, cst.FunctionDef)
                   and Function(ctx, bound.definition.owner).receiver_parameter() is bound.definition.value
                   for bound in self.resolver.bindings(ctx, receiver))

    def _isinstance_classes(self, ctx: ModuleContext, receiver: cst.BaseExpression,
                            call: cst.CSTNode | None) -> list[UserClass] | None:
        """The scanned classes a type test of the receiver in the same function names (none when
        it names only others): ``isinstance(x, C)``, ``type(x) is C``, ``match x: case C():``.
        None without such a test."""
        spelled = _spelling(receiver)
        if spelled is None or not isinstance(call, cst.Call):
            return None
        body = ctx.body_of(call)
        kinds: list[cst.BaseExpression] = []
        for test in body.calls:
            if (isinstance(test.func, cst.Name) and test.func.value == "isinstance" and len(test.args) == 2
                    and _spelling(test.args[0].value) == spelled):
                named = test.args[1].value
                kinds += [e.value for e in named.elements] if isinstance(named, cst.Tuple) else [named]
        for comparison in body.comparisons:
            left = comparison.left
            if (isinstance(left, cst.Call) and isinstance(left.func, cst.Name) and left.func.value == "type"
                    and len(left.args) == 1 and _spelling(left.args[0].value) == spelled):
                kinds += [target.comparator for target in comparison.comparisons
                          if isinstance(target.operator, (cst.Is, cst.Equal))]
        for match in body.matches:
            if _spelling(match.subject) == spelled:
                kinds += [case.pattern.cls for case in match.cases if isinstance(case.pattern, cst.MatchClass)]
        if not kinds:
            return None
        return [klass for kind in kinds for klass in self.resolver.classes_of(ctx, kind)]

    def _classes_by_sibling(self, ctx: ModuleContext, receiver: cst.BaseExpression, method: str) -> list[UserClass]:
        spelled = _spelling(receiver)
        own = ctx.parents.get(ctx.parents.get(receiver))
        if spelled is None or not isinstance(own, cst.Call):
            return []
        body = ctx.body_of(own)
        if spelled.startswith("self.") and body.klass is not None:  # kept on the object: its class's methods
            scope = body.klass
            bodies = [ctx.bodies[id(m)] for m in ctx.class_info(body.klass).methods.values()]
        else:
            scope, bodies = body.node, [body]
        held = self._territorial_receivers.get(id(scope))
        known = held[1] if held is not None else None
        if known is None:  # receiver spelling -> the territory methods called on it there
            known = {}
            self._territorial_receivers[id(scope)] = (scope, known)  # holding the node keeps its id its own
            for each in bodies:
                for call in each.calls:
                    func = call.func
                    if isinstance(func, cst.Attribute) and func.attr.value in self.resolver.methods:
                        known.setdefault(_spelling(func.value), []).append(func)
        for func in known.get(spelled, ()):
            if func.value is not receiver:
                found = self.resolver.functions(ctx, func, self.instance_classes)
                classes = [UserClass(f.ctx, f.ctx.enclosing_class(f.node)) for f in found
                           if f.ctx.enclosing_class(f.node) is not None]
                classes = [c for c in classes if self.resolver.method(c.ctx, c.node, method) is not None]
                if classes:
                    return classes
        return []

    def _other_classes_with(self, ctx: ModuleContext, method: str, classes: list[UserClass]) -> bool:
        """Whether the module defines, or imports by name, a scanned class other than ``classes``
        with a method ``method``."""
        known = {(c.ctx.path, id(c.node)) for c in classes}
        candidates = [UserClass(ctx, info.node) for info in ctx.classes.values()]
        candidates += [klass for _, klass in self.resolver.imported_classes(ctx)]
        return any((c.ctx.path, id(c.node)) not in known and self.resolver.method(c.ctx, c.node, method) is not None
                   for c in candidates)

    # -- HTTP --------------------------------------------------------------------------

    def http_request(self, ctx: ModuleContext, call: cst.Call, env: Env) -> HttpRequest | None:
        """The method, folded URL and client of an HTTP request, or None if ``call`` is none. When
        the URL depends on the path taken (``url = A if remove else B``) and a path's URL is a
        territory endpoint, the call reaches it: its request is that path's (the first such path's in
        source order, with the version left unknown when the paths' versions differ)."""
        request, on_each_path = self.folder.each_path(lambda: self._http_request(ctx, call, env))
        if request is None or match_territory(request.url) is not None:
            return request
        territorial = [taken for taken in on_each_path()
                       if taken is not None and self.territory_endpoint(taken) is not None]
        if not territorial:
            return request
        first = territorial[0]
        if any(version_in(taken.url) != version_in(first.url) for taken in territorial):
            return HttpRequest(first.method, without_version(first.url), first.client)
        return first

    def _http_request(self, ctx: ModuleContext, call: cst.Call, env: Env) -> HttpRequest | None:
        if isinstance(ctx.parents.get(call), cst.Decorator):
            return None  # @app.post("/...") registers a route
        func = call.func
        qualified = ctx.qualified_names(func)
        for name in qualified:
            root = name.split(".")[0]
            if root in _MOCK_ROOTS or root in _TEST_CLIENT_ROOTS:
                return None
        if not isinstance(func, (cst.Attribute, cst.Name)):
            return None
        verb = func.attr.value if isinstance(func, cst.Attribute) else func.value
        module_function = any(n.split(".")[0] in _HTTP_LIBRARIES for n in qualified)
        if isinstance(func, cst.Name) and not module_function:
            return None
        if isinstance(func, cst.Name):  # ``from requests import post as send``: the verb is the function's own name
            verb = next(n.rsplit(".", 1)[-1] for n in sorted(qualified) if n.split(".")[0] in _HTTP_LIBRARIES)
        client = "http client"
        if module_function:
            client = next(_HTTP_LIBRARIES[n.split(".")[0]] for n in qualified if n.split(".")[0] in _HTTP_LIBRARIES)
        elif isinstance(func, cst.Attribute):
            label = self._receiver_client(ctx, func.value)
            if label is None:
                return None
            client = label
        if verb == "urlopen" and (module_function or client == "urllib.request") and client != "urllib3":
            return self._urlopen(ctx, call, env)
        return self._verb_request(ctx, call, verb, client, env)

    def _framework_test_client(self, ctx: ModuleContext, receiver: cst.BaseExpression) -> bool:
        """``self.client`` of a framework TestCase, ``app.test_client()`` (also bound to a name first,
        or by ``with ... as c``), or a pytest client fixture."""
        if isinstance(receiver, cst.Call) and isinstance(receiver.func, cst.Attribute):
            return receiver.func.attr.value == "test_client"
        if isinstance(receiver, cst.Name) and any(
                bound.definition.kind in {"assign", "with"} and bound.definition.index is None
                and isinstance(bound.definition.value, cst.Call)
                and isinstance(bound.definition.value.func, cst.Attribute)
                and bound.definition.value.func.attr.value == "test_client"
                for bound in self.resolver.bindings(ctx, receiver)):
            return True
        if (isinstance(receiver, cst.Attribute) and isinstance(receiver.value, cst.Name)
                and receiver.value.value == "self" and receiver.attr.value in _TEST_CASE_CLIENTS
                and not self.resolver.attribute(ctx, receiver)):
            klass = self.resolver.enclosing_class(ctx, receiver)
            return klass is not None and any(
                q.split(".")[0] in _TEST_CLIENT_ROOTS | {"flask_testing"}
                for base in klass.bases for q in ctx.qualified_names(base.value))
        if isinstance(receiver, cst.Name) and receiver.value in _PYTEST_CLIENT_FIXTURES:
            body = ctx.body_of(receiver).node
            return isinstance(body, cst.FunctionDef) and body.name.value.startswith("test") and any(
                o.param == receiver.value for o in self.origins(ctx, receiver))
        return False

    def _receiver_client(self, ctx: ModuleContext, receiver: cst.BaseExpression) -> str | None:
        """The client library of a receiver; None when it is a mock or a framework test client."""
        if self._framework_test_client(ctx, receiver):
            return None
        label = "http client"
        for origin in self.origins(ctx, receiver):
            if origin.param in _MOCK_PARAMS:
                return None
            if origin.name:
                root = origin.name.split(".")[0]
                if root in _MOCK_ROOTS or root in _TEST_CLIENT_ROOTS:
                    return None
                if root in _HTTP_LIBRARIES:
                    label = _HTTP_LIBRARIES[root]
                    if origin.name.endswith("AsyncClient"):
                        label = "httpx (async)"
                elif origin.name.startswith("http.client."):  # HTTPConnection, HTTPSConnection
                    label = HTTP_CLIENT
        return label

    def _verb_request(self, ctx: ModuleContext, call: cst.Call, verb: str, client: str, env: Env) -> HttpRequest | None:
        positional = [a.value for a in call.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        if verb in _VERBS:
            method: str | None = _VERBS[verb]
            url_expr = positional[0] if positional else keywords.get("url")
        elif verb in _METHOD_FIRST:
            method_expr = positional[0] if positional else keywords.get("method")
            url_expr = positional[1] if len(positional) > 1 else keywords.get("url")
            folded = self.folder.fold(ctx, method_expr, env)
            method = folded.value.upper() if isinstance(folded, Text) and folded.exact else None
        else:
            return None
        if url_expr is None:
            return None
        url = as_text(self.folder.fold(ctx, url_expr, env))
        base = self._base_url(ctx, call)
        if base is not None and not url.value.startswith(("http://", "https://")):
            url = Text(base.value.rstrip("/") + "/" + url.value.lstrip("/"))
        params = keywords.get("params")
        if method == "GET" and params is not None:  # the query parameters join the URL as requests joins them
            folded = self.folder.fold(ctx, params, env)
            if "ids=" not in url.value and (_names_ids(folded, params) or isinstance(params, cst.Name) and _ids_added(
                    ctx, call, params.value)):  # records read by id
                url = _with_query(url, "ids", HOLE)
            for key in ("criteria", "features"):  # a search (by id, say); which feature-specific info
                value = folded.get(key) if isinstance(folded, Mapping) else None
                if isinstance(value, Text) and f"{key}=" not in url.value:
                    url = _with_query(url, key, value.value)
        return HttpRequest(method, url, client)

    def _base_url(self, ctx: ModuleContext, call: cst.Call) -> Text | None:
        if not isinstance(call.func, cst.Attribute):
            return None
        for origin in self.origins(ctx, call.func.value):
            if origin.ctor is not None and origin.ctx is not None:
                for arg in origin.ctor.args:
                    if arg.keyword is not None and arg.keyword.value == "base_url":
                        return as_text(self.folder.fold(origin.ctx, arg.value))
        return None

    def _urlopen(self, ctx: ModuleContext, call: cst.Call, env: Env) -> HttpRequest | None:
        positional = [a.value for a in call.args if a.keyword is None and not a.star]
        if not positional:
            return None
        target = positional[0]
        request_call = self._request_object(ctx, target)
        if request_call is None:
            has_data = len(positional) > 1 or any(a.keyword and a.keyword.value == "data" for a in call.args)
            url = as_text(self.folder.fold(ctx, target, env))
            return HttpRequest("POST" if has_data else "GET", url, "urllib.request")
        req_ctx, req = request_call
        args = [a.value for a in req.args if a.keyword is None]
        keywords = {a.keyword.value: a.value for a in req.args if a.keyword is not None}
        url_expr = args[0] if args else keywords.get("url")
        method_value = self.folder.fold(req_ctx, keywords.get("method"), env)
        if isinstance(method_value, Text) and method_value.exact:
            method = method_value.value.upper()
        else:
            method = "POST" if (len(args) > 1 or "data" in keywords) else "GET"
        return HttpRequest(method, as_text(self.folder.fold(req_ctx, url_expr, env)), "urllib.request")

    def _request_object(self, ctx: ModuleContext, expr: cst.BaseExpression) -> tuple[ModuleContext, cst.Call] | None:
        for origin in self.origins(ctx, expr):
            if origin.name and origin.name.startswith("urllib.request.Request") and origin.ctor is not None:
                return origin.ctx, origin.ctor
        return None

    def territory_endpoint(self, request: HttpRequest) -> Endpoint | None:
        if request.method not in (None, "POST"):
            return None
        return match_territory(request.url)

    # -- the Zoho SDK ------------------------------------------------------------------

    def sdk_receiver(self, ctx: ModuleContext, receiver: cst.BaseExpression) -> tuple[bool, cst.Call | None, ModuleContext | None, str | None]:
        """(is an SDK RecordOperations, its constructor call, that call's module, the SDK root)."""
        cls = self.catalogue.sdk_class
        origins = self.origins(ctx, receiver)
        for origin in origins:
            if origin.name and origin.name.rsplit(".", 1)[-1] == cls:
                root = self.catalogue.sdk_root_for(origin.name)
                if root is not None:
                    return True, origin.ctor, origin.ctx, root.root
        if any(o.name or o.user_class for o in origins if o.param is None):
            return False, None, None, None
        # A parameter or unknown receiver: accepted when this module imports the SDK's record package.
        for root in self.catalogue.sdk_roots:
            if root.root.encode() in ctx.source:
                return True, None, None, root.root
        return False, None, None, None

    def sdk_call(self, ctx: ModuleContext, call: cst.Call, env: Env, path: str) -> TerritoryCall | None:
        func = call.func
        if not isinstance(func, cst.Attribute):
            return None
        method = self.catalogue.sdk_methods.get(func.attr.value)
        if method is None:
            return None
        is_sdk, ctor, ctor_ctx, root_name = self.sdk_receiver(ctx, func.value)
        if not is_sdk:
            return None
        root = next(r for r in self.catalogue.sdk_roots if r.root == root_name)
        args = [a.value for a in call.args if not a.star]
        module_argument = len(args) == (2 if method.scope == "bulk" else 3)
        if ctor is not None:
            module_argument = module_argument or not ctor.args
        module_expr = None
        if module_argument:
            module_expr = args[0] if args else None
        elif ctor is not None and ctor.args:
            module_expr = ctor.args[0].value
        module_value = self.folder.fold(ctor_ctx if (not module_argument and ctor_ctx) else ctx, module_expr, env)
        module = module_value.value if isinstance(module_value, Text) and module_value.exact else None
        if root.version is not None:
            version, client = root.version, "zohocrmsdk2-1"
        elif module_argument:
            version, client = "v5", "zohocrmsdk5-0"
        else:
            version, client = self.sdk_version, "zohocrmsdk6-0/7-0/8-0"
        position = ctx.position(call).start
        return TerritoryCall(method.operation, method.scope, version, module, client, path, position.line,
                             position.column + 1)

    def is_sdk_record_read(self, ctx: ModuleContext, call: cst.Call) -> bool:
        func = call.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in self.catalogue.sdk_record_readers:
            return False
        return self.sdk_receiver(ctx, func.value)[0]

    def sdk_class(self, ctx: ModuleContext, expr: cst.BaseExpression, name: str) -> bool:
        """Whether ``expr`` names the SDK class ``name`` (e.g. SuccessResponse), known by import."""
        for qualified in ctx.qualified_names(expr) or self._star_imported(ctx, expr):
            if qualified.rsplit(".", 1)[-1] == name and self.catalogue.sdk_root_for(qualified):
                return True
        return False

    def _star_imported(self, ctx: ModuleContext, expr: cst.BaseExpression) -> set[str]:
        """The qualified name of a name bound nowhere in a module that imports ``*`` from the SDK
        (as Zoho's samples do): taken to come from there."""
        if not isinstance(expr, cst.Name) or self.resolver.bindings(ctx, expr):
            return set()
        for statement in ctx.module.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if (isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar)
                        and small.module is not None and not small.relative):
                    module = ctx.code(small.module)
                    if self.catalogue.sdk_root_for(module):
                        return {f"{module}.{expr.value}"}
        return set()
