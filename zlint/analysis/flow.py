"""Response flow: which expressions hold a territory response or a part of it, per function body.

A ``View`` is one function body analysed with given argument values (``env``). Roles follow a
response through assignments, loops, ``with`` blocks, subscripts, ``.json()`` and the SDK's
getters; calls into functions of the scanned tree are followed with the caller's arguments,
which is how wrappers, shared request helpers and decorators become visible.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from zlint.analysis import fastcst
from zlint.analysis.calls import HTTP_CLIENT, CallClassifier, HttpRequest, TerritoryCall
from zlint.analysis.endpoints import is_job_status, is_record_read
from zlint.analysis.folding import Folder
from zlint.analysis.module import Body, ModuleContext, Owner
from zlint.analysis.project import Project, territory_methods
from zlint.analysis.resolve import Function, Resolver
from zlint.analysis.values import FunctionRef, Number, Text, Unknown
from zlint.catalogue import BUILT_ACTION

MAX_VIEWS = 20_000  # call-site specialisations followed before the analysis stops widening
MAX_CALL_DEPTH = 12  # nested calls followed from one body
MAX_RELEVANCE_DEPTH = 3  # calls looked through for one that can matter (worth_following)
_FOLLOW_WORDS = re.compile(rb"job_id|get_feature_specific_info|territory_scheduled_jobs|get_records?\b|/crm/|"
                           + BUILT_ACTION.pattern)  # (and an endpoint's name the code builds)


class Role(enum.Enum):
    RESPONSE = "response"
    RAW = "raw body"
    BODY = "json body"
    DATA = "data list"
    ITEM = "data item"
    DETAILS = "details"
    SDK_DETAILS = "SDK details"
    STATUS = "status code"
    CODE = "code"
    MESSAGE = "message"
    STATUS_FIELD = "status field"
    JOB_ID = "job_id"
    ERROR = "http error"  # an exception raised for a territory response (``e.response``)
    PARTS = "tuple"  # a tuple holding parts of a territory response (``return resp.status, body``)


CARRYING = {Role.RESPONSE, Role.RAW, Role.BODY, Role.DATA, Role.ITEM, Role.DETAILS}
_KEYS = {"code": Role.CODE, "message": Role.MESSAGE, "details": Role.DETAILS, "status": Role.STATUS_FIELD}
_REDUCING_BUILTINS = {"builtins.len", "builtins.bool", "builtins.any", "builtins.all", "builtins.sum",
                      "builtins.isinstance"}  # a number or a truth of what they are given, no job_id
_SAME_ROLE_BUILTINS = {"builtins.list", "builtins.tuple", "builtins.reversed", "builtins.sorted", "builtins.iter",
                       "builtins.dict", "builtins.int", "builtins.str", "copy.copy", "copy.deepcopy"}


@dataclass(frozen=True)
class Flow:
    role: Role
    call: TerritoryCall
    sdk: bool = False
    parts: tuple = ()  # Role.PARTS: the flow (or None) of each element of the tuple

    def to(self, role: Role) -> Flow:
        return Flow(role, self.call, self.sdk)

    @property
    def carrying(self) -> bool:
        """Whether this holds the response or a part that still holds the job_id."""
        if self.role is Role.PARTS:
            return any(part is not None and part.carrying for part in self.parts)
        return self.role in CARRYING

    def part(self, index: int) -> Flow | None:
        """Element ``index`` of a PARTS flow (``status, body = call(...)``)."""
        return self.parts[index] if self.role is Role.PARTS and -len(self.parts) <= index < len(self.parts) else None


@dataclass(frozen=True)
class Facts:
    """What a function does, seen from a call with particular arguments."""

    returns: Flow | None = None
    waits: bool = False  # waits for the job (job-status call, directly or through callees)
    reads_job_id: bool = False
    reads_record: bool = False
    reads_code: bool = False  # reads data[i].code (or the code of a URL-level error)


class Analyzer:
    """Shared state of one run: resolver, folder, classifier, and the views made so far."""

    def __init__(self, project: Project, relevant: re.Pattern[bytes] | None = None, words=()) -> None:
        self.project = project
        self._relevant = relevant  # names and endpoint words a function must mention to be followed
        self._relevance: dict[tuple, bool] = {}
        self._constants: dict[str, re.Pattern[bytes] | None] = {}  # module -> names of text worth following
        self._depth = 0
        self.target_version: str | None = None  # the project's API version, for calls that do not say
        self.target_declared = False  # the target version comes from the project, not from its URLs
        # display path -> whether the rules whose fixes make code ready for the answers of v7+ are
        # all on for that file (ZL111 moves a URL only then)
        self.version_fixes_on: Callable[[str], bool] = lambda display: True
        self.memo: dict = {}  # what a rule works out once per analysis (keys start with its code)
        self.retry_predicates: dict[int, cst.CSTNode] = {}  # id -> a retry decorator's result predicate
        self.job_helper: str | None = None  # the module `zlint fix` imports job-waiting functions from (None: inline)
        # words: the index's, which list the methods doing territory work (project.method_word)
        self.resolver = Resolver(project, territory_methods(words), territory_methods(words, territorial=False))
        self.folder = Folder(self.resolver)
        self.calls = CallClassifier(self.resolver, self.folder)
        self.folder.instance_of = self.calls.instance_classes  # Api().url(path): the URL builder's class
        self.resolver.untyped_receiver = self.calls.untyped_receiver
        self._views: dict[tuple, View] = {}
        self._facts: dict[tuple, Facts] = {}
        self._facts_active: set[tuple] = set()
        self.specialised: list[View] = []  # views made for a call site's arguments
        self._callees: dict[tuple[int, int], tuple] = {}  # (id(ctx), id(call)) -> (ctx, call, functions)

    def view(self, ctx: ModuleContext, owner: Owner, env: dict | None = None) -> View:
        env = env or {}
        key = (ctx.path, id(owner), frozenset(env.items()))
        view = self._views.get(key)
        if view is None:
            view = View(self, ctx, ctx.bodies[id(owner)], env)
            self._views[key] = view
            if env and len(self.specialised) < MAX_VIEWS:
                self.specialised.append(view)
        return view

    def facts(self, function: Function, env: dict) -> Facts:
        key = (function.key, frozenset(env.items()))
        if key in self._facts:
            return self._facts[key]
        if key in self._facts_active or len(self._views) > MAX_VIEWS or self._depth >= MAX_CALL_DEPTH:
            return Facts()
        if not self.worth_following(function, env):
            self._facts[key] = Facts()
            return self._facts[key]
        self._facts_active.add(key)
        self._depth += 1
        try:
            view = self.view(function.ctx, function.node, env)
            facts = Facts(
                returns=view.returned_flow(),
                waits=view.waits_for_job(),
                reads_job_id=view.reads_job_id(),
                reads_record=any(view.is_record_read(call) for call in view.body.calls),
                reads_code=view.reads_code(),
            )
        finally:
            self._facts_active.discard(key)
            self._depth -= 1
        self._facts[key] = facts
        return facts

    def worth_following(self, function: Function, env: dict) -> bool:
        """Whether a call into ``function`` can matter: it gets a response, a callable or URL text,
        or its code mentions an endpoint, an SDK method, job_id, or a known wrapper (its own code
        or that of a function it calls, a few calls deep)."""
        if self._relevant is None:
            return True
        for value in env.values():
            if isinstance(value, (Flow, FunctionRef)):
                return True
            if isinstance(value, Text) and ("/" in value.value or self._relevant.search(value.value.encode(
                    "utf-8", "surrogatepass"))):
                return True
        return self._relevant_code(function, MAX_RELEVANCE_DEPTH)

    def _relevant_code(self, function: Function, depth: int) -> bool:
        """Whether ``function`` mentions an endpoint, an SDK method, job_id or a known wrapper, or
        calls a scanned function that does, ``depth`` calls deep at most (``wait_until_done``
        calling ``pending_jobs``, which asks for the territory jobs)."""
        key = function.key
        known = self._relevance.get(key)
        if known is not None:
            return known
        code = function.ctx.code(function.node).encode("utf-8", "surrogatepass")
        constants = self._follow_constants(function.ctx)
        if self._relevant.search(code) or _FOLLOW_WORDS.search(code) or constants is not None and constants.search(code):
            self._relevance[key] = True
            return True
        if depth == 0:
            return False  # not kept: a shallower question may look deeper
        self._relevance[key] = False  # (a recursive function: not by itself)
        relevant = any(self._relevant_code(callee, depth - 1)
                       for call in function.ctx.bodies[id(function.node)].calls
                       for callee in self.resolver.functions(function.ctx, call.func, self.calls.instance_classes))
        if relevant:
            self._relevance[key] = True
        else:
            del self._relevance[key]  # a cut below may have hidden a relevant callee
            if depth == MAX_RELEVANCE_DEPTH:
                self._relevance[key] = False
        return relevant

    def _follow_constants(self, ctx: ModuleContext) -> re.Pattern[bytes] | None:
        """The module's top-level names bound to text with a word worth following in it
        (``STATUS_PATH = "actions/get_feature_specific_info"``), as a pattern; None without any."""
        known = self._constants.get(ctx.path, False)
        if known is not False:
            return known
        names = set()
        for statement in ctx.module.body:
            for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
                if (isinstance(small, (cst.Assign, cst.AnnAssign))
                        and isinstance(small.value, (cst.BaseString, cst.BinaryOperation))
                        and _FOLLOW_WORDS.search(ctx.code(small.value).encode("utf-8", "surrogatepass"))):
                    targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                    names |= {target.value for target in targets if isinstance(target, cst.Name)}
        found = self._constants[ctx.path] = re.compile(
            rb"\b(?:" + b"|".join(re.escape(n.encode()) for n in sorted(names)) + rb")\b") if names else None
        return found


class View:
    """One function body (or module top level) analysed with given argument values."""

    def __init__(self, analyzer: Analyzer, ctx: ModuleContext, body: Body, env: dict) -> None:
        self.analyzer = analyzer
        self.ctx = ctx
        self.body = body
        self.env = env
        self._roles: dict[int, Flow | None] = {}
        self._call_flows: dict[int, Flow | None] = {}
        self._callee_facts: dict[int, list[Facts]] = {}
        self._requests: dict[int, HttpRequest | None] = {}
        self._job_handled: bool | None = None
        self._collecting: set[str] = set()  # names _collects_carrying is looking into

    # -- roles -------------------------------------------------------------------------

    def role(self, expr: cst.CSTNode | None) -> Flow | None:
        if expr is None:
            return None
        key = id(expr)
        if key in self._roles:
            return self._roles[key]
        self._roles[key] = None  # a cycle through assignments yields "no role"
        flow = self._role(expr)
        self._roles[key] = flow
        return flow

    def _role(self, expr: cst.CSTNode) -> Flow | None:
        if isinstance(expr, cst.Await):
            return self.role(expr.expression)
        if isinstance(expr, cst.Name):
            return self._name_role(expr)
        if isinstance(expr, cst.Attribute):
            base = self.role(expr.value)
            if base is not None and base.role is Role.ERROR and expr.attr.value == "response":
                return base.to(Role.RESPONSE)
            if base is None or base.role is not Role.RESPONSE:
                return None
            if expr.attr.value in {"status_code", "status", "code"} and not base.sdk:
                return base.to(Role.STATUS)  # requests/httpx, aiohttp, urllib
            if expr.attr.value in {"text", "content", "body", "data"}:  # (urllib3's body is .data)
                return base.to(Role.RAW)
            return None
        if isinstance(expr, cst.Subscript):
            return self._subscript_role(expr)
        if isinstance(expr, cst.Call):
            return self.call_flow(expr)
        if isinstance(expr, cst.IfExp):
            return self.role(expr.body) or self.role(expr.orelse)
        if isinstance(expr, cst.BooleanOperation):
            return self.role(expr.left) or self.role(expr.right)
        if isinstance(expr, cst.NamedExpr):
            return self.role(expr.value)
        if isinstance(expr, (cst.ListComp, cst.GeneratorExp)):  # [i for i in r.json()["data"] if ...]:
            element = self.role(expr.elt)  # the items still, a data list; [i["details"]["job_id"] for ...]:
            if element is not None and element.role is Role.ITEM:  # the job_ids
                return element.to(Role.DATA)
            return element if element is not None and _handed_job_id(element) else None
        if isinstance(expr, cst.Tuple) and not any(isinstance(e, cst.StarredElement) for e in expr.elements):
            parts = tuple(self.role(element.value) for element in expr.elements)
            first = next((part for part in parts if part is not None), None)
            return Flow(Role.PARTS, first.call, first.sdk, parts) if first is not None else None
        return None

    def _name_role(self, name: cst.Name) -> Flow | None:
        for bound in self.analyzer.resolver.reaching(self.ctx, name):
            definition = bound.definition
            if bound.ctx is not self.ctx:
                continue
            if definition.kind == "param":
                value = self.env.get(id(definition.value))
                if isinstance(value, Flow):
                    return value
                continue
            owner_view = self if definition.owner is self.body.node else self.analyzer.view(
                self.ctx, definition.owner or self.ctx.module, self.env)
            if definition.kind == "assign":
                value = definition.value
                if definition.index is not None:
                    if isinstance(value, (cst.Tuple, cst.List)):
                        flow = owner_view.role(value.elements[definition.index].value) if definition.index < len(
                            value.elements) else None
                    else:  # first, = data  /  [first] = data: an item of the data list; status, body = call()
                        flow = owner_view.role(value)
                        if flow is not None:
                            flow = flow.to(Role.ITEM) if flow.role is Role.DATA else flow.part(
                                definition.index) if _flat_unpacking(definition.statement) else None
                else:
                    flow = owner_view.role(value)
            elif definition.kind == "with":
                flow = owner_view.role(definition.value) if definition.index is None else None
            elif definition.kind == "for":
                flow = owner_view._loop_role(definition.value, definition.index)
            elif definition.kind == "except":
                flow = owner_view._error_role(definition.value)
            else:
                flow = None
            if flow is not None:
                return flow
        return None

    def _loop_role(self, loop: cst.For | cst.CompFor, index: int | None) -> Flow | None:
        iterable = loop.iter
        if (
            index == 1
            and isinstance(iterable, cst.Call)
            and isinstance(iterable.func, cst.Name)
            and iterable.func.value == "enumerate"
            and iterable.args
        ):
            iterable, index = iterable.args[0].value, None
        if index is not None:
            return None
        flow = self.role(iterable)
        if flow is not None and flow.role is Role.DATA:
            return flow.to(Role.ITEM)
        return self._element_role(iterable)

    def _element_role(self, iterable: cst.BaseExpression) -> Flow | None:
        """``for r in (first, second)``: the role of the first element that has one. Also for a
        comprehension of such calls (``[requests.post(...) for rid in ids]``), their
        ``asyncio.gather(...)`` (awaited), and a name bound once to any of these."""
        if isinstance(iterable, cst.Name):
            bounds = self.analyzer.resolver.reaching(self.ctx, iterable)
            if len(bounds) != 1 or bounds[0].ctx is not self.ctx or bounds[0].definition.kind != "assign" \
                    or bounds[0].definition.index is not None:
                return None
            iterable = bounds[0].definition.value
        if isinstance(iterable, cst.Await):
            iterable = iterable.expression
        if isinstance(iterable, (cst.ListComp, cst.GeneratorExp, cst.SetComp)):
            return self.role(iterable.elt)
        if isinstance(iterable, cst.Call) and self.ctx.qualified_names(iterable.func) & {"asyncio.gather"}:
            for arg in iterable.args:
                flow = self._element_role(arg.value) if arg.star == "*" else self.role(arg.value)
                if flow is not None:
                    return flow
            return None
        if not isinstance(iterable, (cst.Tuple, cst.List, cst.Set)):
            return None
        for element in iterable.elements:
            if isinstance(element, cst.Element):
                flow = self.role(element.value)
                if flow is not None:
                    return flow
        return None

    def _error_role(self, handler: cst.ExceptHandler) -> Flow | None:
        """``except HTTPError as e`` around a territory call: ``e.response`` is its response."""
        guarded = self.ctx.parents.get(handler)
        if not isinstance(guarded, (cst.Try, cst.TryStar)):
            return None
        for call in self.body.calls:
            if self.ctx.is_within(call, guarded.body):
                flow = self.call_flow(call)
                if flow is not None and flow.role is Role.RESPONSE:
                    return flow.to(Role.ERROR)
        return None

    def _subscript_role(self, expr: cst.Subscript) -> Flow | None:
        base = self.role(expr.value)
        if base is None or len(expr.slice) != 1:
            return None
        element = expr.slice[0].slice
        if isinstance(element, cst.Slice):
            return base if base.role is Role.DATA else None
        key = self.analyzer.folder.fold(self.ctx, element.value, self.env)
        if base.role is Role.PARTS:
            return base.part(key.value) if isinstance(key, Number) and isinstance(key.value, int) else None
        return _keyed(base, key.value if isinstance(key, Text) and key.exact else None, by_index=not isinstance(key, Text))

    # -- calls -------------------------------------------------------------------------

    def call_flow(self, call: cst.Call) -> Flow | None:
        key = id(call)
        if key not in self._call_flows:
            self._call_flows[key] = None
            self._call_flows[key] = self._call_flow(call)
        return self._call_flows[key]

    def request(self, call: cst.Call) -> HttpRequest | None:
        """The HTTP request a call makes (method, folded URL, client), worked out once per call."""
        key = id(call)
        if key not in self._requests:
            self._requests[key] = self.analyzer.calls.http_request(self.ctx, call, self.env)
        return self._requests[key]

    def territory_call(self, call: cst.Call) -> TerritoryCall | None:
        """The territory endpoint this very call reaches (HTTP or SDK), not through a wrapper. For
        http.client that is ``conn.getresponse()``, which answers the last ``conn.request(...)``."""
        classifier = self.analyzer.calls
        request = self.request(call)
        if request is not None and request.client == HTTP_CLIENT:
            return None  # conn.request(...) returns nothing: the answer is conn.getresponse()'s
        if request is None and isinstance(call.func, cst.Attribute) and call.func.attr.value == "getresponse":
            request = self._answered_by(call)
        if request is not None:
            endpoint = classifier.territory_endpoint(request)
            if endpoint is None:
                return None
            position = self.ctx.position(call).start
            return TerritoryCall(endpoint.operation, endpoint.scope, endpoint.version, endpoint.module,
                                 request.client, self.ctx.path, position.line, position.column + 1)
        return classifier.sdk_call(self.ctx, call, self.env, self.ctx.path)

    def _answered_by(self, getresponse: cst.Call):
        """The request of the last ``conn.request(...)`` in this body before ``conn.getresponse()``,
        on the same http.client connection."""
        receiver = self.ctx.code(getresponse.func.value)
        sent = None
        for call in self.body.calls:
            if call is getresponse:
                break
            if (isinstance(call.func, cst.Attribute) and call.func.attr.value == "request"
                    and self.ctx.code(call.func.value) == receiver):
                sent = call
        request = self.request(sent) if sent is not None else None
        return request if request is not None and request.client == HTTP_CLIENT else None

    def _call_flow(self, call: cst.Call) -> Flow | None:
        direct = self.territory_call(call)
        if direct is not None:
            return Flow(Role.RESPONSE, direct, sdk=direct.client.startswith("zohocrmsdk"))
        func = call.func
        if isinstance(func, cst.Attribute):
            receiver = self.role(func.value)
            if receiver is not None:
                return _method_role(receiver, func.attr.value, self._first_arg_text(call))
        if isinstance(func, cst.Name):
            qualified = self.ctx.qualified_names(func)
            if qualified & {"builtins.next"} and call.args:
                inner = self.role(call.args[0].value)
                return inner.to(Role.ITEM) if inner is not None and inner.role is Role.DATA else None
            if qualified & _SAME_ROLE_BUILTINS and call.args:
                return self.role(call.args[0].value)
            bound = self._env_value(func)
            if isinstance(bound, FunctionRef):
                function = self._function_by_key(bound.key)
                if function is not None:
                    env = self.bind(function, call)
                    if any(arg.star for arg in call.args):  # fn(*args, **kwargs): what it was called with
                        env = {**dict(bound.env), **env}
                    return self.analyzer.facts(function, env).returns
        if self.ctx.qualified_names(func) & {"json.loads", "json.load"} and call.args:
            inner = self.role(call.args[0].value)  # the body's bytes, or (json.load) urllib's response itself
            return inner.to(Role.BODY) if inner is not None and inner.role in {Role.RAW, Role.RESPONSE} else None
        for facts in self.callee_facts(call):
            if facts.returns is not None:
                return facts.returns
        return None

    def _first_arg_text(self, call: cst.Call) -> str | None:
        if not call.args:
            return None
        value = self.analyzer.folder.fold(self.ctx, call.args[0].value, self.env)
        return value.value if isinstance(value, Text) and value.exact else None

    def _env_value(self, name: cst.Name):
        for bound in self.analyzer.resolver.bindings(self.ctx, name):
            if bound.definition.kind == "param":
                return self.env.get(id(bound.definition.value))
        return None

    def _function_by_key(self, key: tuple) -> Function | None:
        path, node_id = key
        ctx = self.analyzer.project.context_for_display(path)
        if ctx is not None and node_id in ctx.bodies and isinstance(ctx.bodies[node_id].node, cst.FunctionDef):
            return Function(ctx, ctx.bodies[node_id].node)
        return None

    def callees(self, call: cst.Call) -> list[Function]:
        """The scanned functions a call reaches (they do not depend on the arguments: kept per call)."""
        key = (id(self.ctx), id(call))
        known = self.analyzer._callees.get(key)
        if known is None:
            found = self.analyzer.resolver.functions(self.ctx, call.func, self.analyzer.calls.instance_classes)
            known = self.analyzer._callees[key] = (self.ctx, call, found)
        return known[2]

    def callee_facts(self, call: cst.Call) -> list[Facts]:
        """Facts of the scanned functions a call reaches, given this call's arguments."""
        key = id(call)
        if key in self._callee_facts:
            return self._callee_facts[key]
        self._callee_facts[key] = []
        found = [self.analyzer.facts(f, self.bind(f, call)) for f in self.callees(call)]
        self._callee_facts[key] = found
        return found

    def bind(self, function: Function, call: cst.Call, constructor: bool = False) -> dict:
        """Argument values of ``call`` for the parameters of ``function`` (id(param) -> value);
        ``constructor``: ``function`` is the ``__init__`` that ``Class(...)`` runs."""
        positional = function.positional(bound=constructor or isinstance(call.func, cst.Attribute))
        by_name = {p.name.value: p for p in [*positional, *function.node.params.kwonly_params]}
        env: dict = {}
        index = 0
        for arg in call.args:
            if arg.star:
                break
            if arg.keyword is not None:
                param = by_name.get(arg.keyword.value)
            else:
                param = positional[index] if index < len(positional) else None
                index += 1
            if param is None:
                continue
            env[id(param)] = self._argument_value(arg.value)
        return env

    def _argument_value(self, expr: cst.BaseExpression):
        flow = self.role(expr)
        if flow is not None:
            return flow
        value = self.analyzer.folder.fold(self.ctx, expr, self.env)
        if value is not None:
            return value
        if isinstance(expr, (cst.Name, cst.Attribute)):
            functions = self.analyzer.resolver.functions(self.ctx, expr)
            if len(functions) == 1:
                return FunctionRef(functions[0].key)
        return Unknown()

    # -- facts of this body ------------------------------------------------------------

    def territory_flows(self) -> list[tuple[cst.Call, Flow]]:
        """Calls in this body that return a territory response (directly or via a wrapper)."""
        found = []
        for call in self.body.calls:
            flow = self.call_flow(call)
            if flow is not None and flow.role is Role.RESPONSE:
                found.append((call, flow))
            elif flow is not None and self.callees(call) and (flow.carrying or _handed_job_id(flow) and not any(
                    f.waits for f in self.callee_facts(call))):
                found.append((call, flow))  # (a wrapper's call: what it hands back, a job_id it did not wait for too)
        return found

    def returned_flow(self) -> Flow | None:
        for node in self.body.returns:
            flow = self.role(node.value) if node.value is not None else None
            if flow is not None:
                return flow
        return None

    def forwards(self) -> bool:
        """Whether a territory response (or a part that still holds job_id) leaves by return/yield."""
        for node in self.body.returns:
            if node.value is not None and self._mentions_carrying(node.value):
                return True
        return False

    def _mentions_carrying(self, expr: cst.CSTNode) -> bool:
        flow = self.role(expr)
        if flow is not None:
            if flow.role is Role.PARTS and isinstance(expr, cst.Tuple):  # (r.status_code, {"response": r})
                return any(part.carrying if part is not None else self._mentions_carrying(element.value)
                           for part, element in zip(flow.parts, expr.elements))
            return flow.carrying or _handed_job_id(flow) and not self.waits_for_job()
        if isinstance(expr, cst.Name) and self._collects_carrying(expr.value):
            return True  # ``results.append(r.json())`` ... ``return results``
        if isinstance(expr, (cst.Attribute, cst.Subscript, cst.Comparison)) or (
                isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not)):
            return False  # ``r.ok``, ``item["details"]["id"]``, ``r is not None``, ``not r``: not the response, nor its job_id
        if isinstance(expr, cst.Call) and self.ctx.qualified_names(expr.func) & _REDUCING_BUILTINS:
            return False  # ``len(body["data"])``
        return any(self._mentions_carrying(child) for child in fastcst.children(expr)
                   if isinstance(child, cst.BaseExpression)
                   or isinstance(child, (cst.Element, cst.DictElement, cst.Arg, cst.StarredElement,
                                         cst.StarredDictElement)))

    def _collects_carrying(self, name: str) -> bool:
        """Whether this body puts a territory answer (or a part holding its job_id) into the list,
        set or dict named ``name``: ``name.append(r)``, ``name.extend(...)``, ``name[key] = r``."""
        if name in self._collecting:
            return False  # (``a.append(b)``, ``b.append(a)``: asked already)
        self._collecting.add(name)
        try:
            return self._puts_carrying_into(name)
        finally:
            self._collecting.discard(name)

    def _puts_carrying_into(self, name: str) -> bool:
        for call in self.body.calls:
            func = call.func
            if (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == name
                    and func.attr.value in _COLLECTING and any(self._mentions_carrying(a.value) for a in call.args)):
                return True
        for assign in self.body.assigns:
            if any(isinstance(t.target, cst.Subscript) and isinstance(t.target.value, cst.Name)
                   and t.target.value.value == name for t in assign.targets) and self._mentions_carrying(assign.value):
                return True
        return False

    def reads_job_id(self) -> bool:
        """Whether this body reads a job_id (not from the SDK's get_details(), where it is never set),
        also by a ``match`` case that captures it."""
        for node in [*self.body.subscripts, *self.body.calls]:
            flow = self.role(node)
            if flow is not None and flow.role is Role.JOB_ID and not flow.sdk and not (
                    isinstance(node, cst.Call) and value_dropped(self.ctx, node)):
                return True  # (``assign(...)`` of a wrapper that returns the job_id, its value dropped: not read)
        for match in self.body.matches:
            flow = self.role(match.subject)
            if flow is not None and any(_captures_job_id(flow, case.pattern) for case in match.cases):
                return True
        return False

    def reads_code(self, within: cst.CSTNode | None = None) -> bool:
        """Whether this body (or the part ``within``) reads a territory answer's code, itself or
        through a scanned function it hands the answer to."""
        for node in [*self.body.subscripts, *self.body.calls]:
            if within is not None and not self.ctx.is_within(node, within):
                continue
            flow = self.role(node)
            if flow is not None and flow.role is Role.CODE:
                return True
            if isinstance(node, cst.Call) and any(f.reads_code for f in self.callee_facts(node)):
                return True
        return False

    def waits_for_job(self) -> bool:
        return any(self.is_job_wait(call) for call in self.body.calls)

    def is_job_wait(self, call: cst.Call) -> bool:
        request = self.request(call)
        if request is not None and request.method in (None, "GET") and is_job_status(request.url):
            return True
        return any(f.waits for f in self.callee_facts(call)) or self._queues_waiting_task(call)

    def _queues_waiting_task(self, call: cst.Call) -> bool:
        """``confirm.delay(...)`` or ``confirm.apply_async(...)`` of a Celery task that waits for the
        job: the wait is handed to a worker (what must follow it is the task's to do)."""
        func = call.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _TASK_QUEUEING:
            return False
        tasks = self.analyzer.resolver.functions(self.ctx, func.value)
        return any(self.analyzer.facts(task, {}).waits for task in tasks)

    def is_record_read(self, call: cst.Call) -> bool:
        request = self.request(call)
        if request is not None:
            return request.method == "GET" and is_record_read(request.url)
        if self.analyzer.calls.is_sdk_record_read(self.ctx, call):
            return True
        return any(f.reads_record for f in self.callee_facts(call))

    def hands_job_to_callee(self) -> bool:
        """A territory response is passed to a scanned function that reads its job_id or waits."""
        for call in self.body.calls:
            if any(self.role(arg.value) is not None for arg in call.args):
                if any(f.reads_job_id or f.waits for f in self.callee_facts(call)):
                    return True
        return False

    def job_handled(self) -> bool:
        if self._job_handled is None:
            self._job_handled = self.reads_job_id() or self.waits_for_job() or self.hands_job_to_callee()
        return self._job_handled


_TASK_QUEUEING = frozenset({"delay", "apply_async"})  # Celery's ways to run a task in a worker
_COLLECTING = frozenset({"append", "extend", "insert", "add", "update", "setdefault"})  # list, set, dict


def _handed_job_id(flow: Flow) -> bool:
    """A job_id (or the job_ids of a comprehension) handed on: whoever gets it is to wait for the job."""
    return flow.role is Role.JOB_ID and not flow.sdk


def value_dropped(ctx: ModuleContext, call: cst.Call) -> bool:
    """``call(...)`` (or ``await call(...)``) as a statement of its own: its value is thrown away."""
    parent = ctx.parents.get(call)
    if isinstance(parent, cst.Await):
        parent = ctx.parents.get(parent)
    return isinstance(parent, cst.Expr)


def _flat_unpacking(statement: cst.CSTNode | None) -> bool:
    """``a, b = value``: one target, a tuple or list of plain names (a starred or nested target
    does not take the element of its index)."""
    if not isinstance(statement, cst.Assign) or len(statement.targets) != 1:
        return False
    target = statement.targets[0].target
    return isinstance(target, (cst.Tuple, cst.List)) and all(
        isinstance(element, cst.Element) and isinstance(element.value, cst.Name) for element in target.elements)


def _captures_job_id(flow: Flow, pattern: cst.MatchPattern) -> bool:
    """Whether a case pattern on a value of ``flow`` binds a job_id in it to a name
    (``case {"data": [{"details": {"job_id": job_id}}]}:``)."""
    if flow.role is Role.JOB_ID:
        bound = isinstance(pattern, cst.MatchAs) and pattern.name is not None
        return not flow.sdk and (bound or isinstance(pattern, cst.MatchAs) and pattern.pattern is not None
                                 and _captures_job_id(flow, pattern.pattern))
    if isinstance(pattern, cst.MatchAs) and pattern.pattern is not None:
        return _captures_job_id(flow, pattern.pattern)
    if isinstance(pattern, cst.MatchOr):
        return any(_captures_job_id(flow, element.pattern) for element in pattern.patterns)
    if isinstance(pattern, cst.MatchMapping):
        for element in pattern.elements:
            key = element.key
            inner = _keyed(flow, key.raw_value, False) if isinstance(key, cst.SimpleString) else None
            if inner is not None and _captures_job_id(inner, element.pattern):
                return True
    if isinstance(pattern, (cst.MatchList, cst.MatchTuple)):
        inner = _keyed(flow, None, True)
        return inner is not None and any(_captures_job_id(inner, element.value) for element in pattern.patterns
                                         if isinstance(element, cst.MatchSequenceElement))
    return False


def _keyed(base: Flow, key: str | None, by_index: bool) -> Flow | None:
    """The role of ``base[key]``."""
    role = base.role
    if role is Role.BODY:
        if key == "data":
            return base.to(Role.DATA)
        if key in _KEYS and key != "details":
            return base.to(_KEYS[key])
        return None
    if role is Role.DATA and by_index:
        return base.to(Role.ITEM)
    if role is Role.ITEM and key in _KEYS:
        return base.to(_KEYS[key])
    if role in {Role.DETAILS, Role.SDK_DETAILS} and key == "job_id":
        return Flow(Role.JOB_ID, base.call, sdk=role is Role.SDK_DETAILS)
    return None


def _method_role(base: Flow, method: str, first_arg: str | None) -> Flow | None:
    """The role of ``base.method(...)``: ``.json()``, ``.get("data")``, the SDK's getters."""
    role = base.role
    if method == "json" and role is Role.RESPONSE:
        return base.to(Role.BODY)
    if method == "get_response_json" and role is Role.RESPONSE:
        return Flow(Role.BODY, base.call, sdk=False)
    if method == "get_object" and role is Role.RESPONSE:
        return base.to(Role.BODY)
    if method in {"get_status_code", "getcode"} and role is Role.RESPONSE:
        return base.to(Role.STATUS)
    if method in {"read", "text"} and role is Role.RESPONSE:
        return base.to(Role.RAW)
    if method == "get_data" and role is Role.BODY:
        return base.to(Role.DATA)
    if method == "get_code" and role in {Role.ITEM, Role.BODY}:
        return base.to(Role.CODE)
    if method == "get_value" and role in {Role.CODE, Role.MESSAGE, Role.STATUS_FIELD}:  # the SDK's Choice
        return base
    if method == "get_message" and role in {Role.ITEM, Role.BODY}:
        return base.to(Role.MESSAGE)
    if method == "get_details" and role is Role.ITEM:
        return base.to(Role.SDK_DETAILS)
    if method == "get_status" and role is Role.ITEM:
        return base.to(Role.STATUS_FIELD)
    if method in {"get", "pop"}:
        return _keyed(base, first_arg, by_index=False)
    if method in {"lower", "upper", "strip", "casefold"} and role in {Role.CODE, Role.MESSAGE}:
        return base
    return None
