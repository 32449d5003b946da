"""Inline mocks in Python tests, checked like recordings: ``responses``, ``requests_mock``,
``respx``, ``httpretty``, pytest-httpx, aioresponses, and ``Mock().json.return_value = {...}`` next to a territory call.

Each registration whose URL is a territory endpoint (or the job-status call) gives the literal
status and body it would answer with; these go through the same contracts as recorded files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from zlint.analysis.calls import attribute_name, is_patch, passes_its_mock
from zlint.analysis.endpoints import is_job_status, match_territory, version_in
from zlint.analysis.flow import View
from zlint.analysis.values import HOLE, Number, NotJson, Text, to_json
from zlint.findings import Finding
from zlint.recordings.contracts import classify, held_to_contracts
from zlint.recordings.check import verdict_findings

_VERBS = {"post": "POST", "get": "GET"}
_OTHER_METHODS = {"get", "put", "patch", "delete", "head", "options"}  # of calls that cannot be territory calls
_LIBRARIES = {"responses": "responses", "requests_mock": "requests_mock", "respx": "respx",
              "httpretty": "httpretty", "aioresponses": "aioresponses"}
_FIXTURES = {"requests_mock": "requests_mock", "respx_mock": "respx", "httpx_mock": "pytest_httpx"}
_MOCK_CLASSES = {"unittest.mock.Mock", "unittest.mock.MagicMock", "mock.Mock", "mock.MagicMock"}


@dataclass(frozen=True)
class MockedAnswer:
    library: str
    method: str | None
    url: Text | None  # None for Mock().json.return_value: the territory call next to it tells
    status: cst.BaseExpression | None
    body: cst.BaseExpression | None
    body_is_text: bool  # a JSON string (httpretty body=, requests_mock text=), not a literal
    node: cst.CSTNode  # the registration, for findings about it as a whole


def check(view: View) -> list[Finding]:
    findings: list[Finding] = []
    flows = None
    for answer in _answers(view):
        if answer.body is None:
            continue  # no body to check: the registration stands for something else (an error, a callback)
        if answer.url is not None:
            found = _endpoint(answer)
            if found is None:
                continue
            operation, version, module, job_status = found
        elif answer.library != "unittest.mock":
            continue  # a registration whose URL is not known here: it may be anything's (a token call)
        else:
            method = _mocked_method(view, answer.node)
            if method in _OTHER_METHODS or method is None and _patches_another_method(view):
                continue  # the mock of a GET or PUT beside the territory call, or maybe one
            flows = view.territory_flows() if flows is None else flows
            if not flows:
                continue
            call = flows[0][1].call
            # an answer in the job status call's shape is the wait's (a Mock per call, in side_effect order)
            operation, version, module, job_status = call.operation, call.version, call.module, _job_status_shaped(
                view, answer)
        version = version or view.analyzer.target_version  # a URL without its version: the project's, as for recordings
        findings += _check_answer(view, answer, operation, version, module, job_status)
    return findings


_MOCKING = ("responses.", "respx.", "requests_mock.", "httpretty.", "pytest_httpx.", "vcr.", "aioresponses.",
            "pytest.mark.vcr", "pytest.mark.respx", "pytest.mark.httpx_mock", "pytest.mark.default_cassette",
            "httpx.MockTransport")  # what stands in for HTTP answers
_MOCKING_FIXTURES = {"requests_mock", "respx_mock", "httpx_mock", "aioresponses", "vcr", "vcr_cassette"}
_HTTP_WORDS = {"requests", "httpx", "aiohttp", "urllib", "urllib3", "http", "session", "sessions", "client",
               "adapters", "post", "request", "send", "urlopen", "zoho", "crm"}  # in a patch target: HTTP's
_SETUPS = ("setUp", "setUpClass", "asyncSetUp", "setup_method", "setup_class")
MAX_SETUPS = 5  # setUp methods followed up a class hierarchy by super() calls


def mocked_test(view: View) -> bool:
    """Whether this body is a test (``test*``) whose HTTP answers are stand-ins: a mocking
    library's decorator, fixture, registration or cassette, or a patch of an HTTP library, client
    or method, or of a function the test calls (on it, its class, in its body or its class's
    setUp). Its territory calls then schedule no real job. A patch of ``time.sleep`` or a bare
    ``Mock()`` does not make a test against the real API a mocked one."""
    function = view.body.node
    if not isinstance(function, cst.FunctionDef) or not function.name.value.startswith("test"):
        return False
    if any(p.name.value in _MOCKING_FIXTURES for p in function.params.params):
        return True
    klass = view.ctx.enclosing_class(function)
    decorators = [d.decorator for d in [*function.decorators, *(klass.decorators if klass is not None else ())]]
    called = {attribute_name(call.func) for call in view.body.calls}
    if any(_mocking(view, node, called) for node in [*decorators, *view.body.calls]):
        return True
    for name in _SETUPS if klass is not None else ():
        for setup_view in _setups(view, klass, name):
            if any(_mocking(setup_view, call, called) for call in setup_view.body.calls):
                return True
    return False


def _setups(view: View, klass: cst.ClassDef, name: str) -> Iterator[View]:
    """The ``name`` method (setUp, ...) the test class runs: its own or a base class's (in any
    scanned module), then the base classes' ones it calls by ``super().setUp()``."""
    resolver = view.analyzer.resolver
    setup = resolver.method(view.ctx, klass, name)
    for _ in range(MAX_SETUPS):
        if setup is None:
            return
        setup_view = view.analyzer.view(setup.ctx, setup.node)
        yield setup_view
        if not any(_calls_super(call, name) for call in setup_view.body.calls):
            return
        owner = setup.ctx.enclosing_class(setup.node)
        setup = next((found for base in (resolver.bases(setup.ctx, owner) if owner is not None else ())
                      if (found := resolver.method(base.ctx, base.node, name)) is not None), None)


def _calls_super(call: cst.Call, name: str) -> bool:
    """``super().name(...)`` or ``super(Class, self).name(...)``."""
    func = call.func
    return (isinstance(func, cst.Attribute) and func.attr.value == name and isinstance(func.value, cst.Call)
            and isinstance(func.value.func, cst.Name) and func.value.func.value == "super")


def _mocking(view: View, node: cst.BaseExpression, called: set) -> bool:
    """A mocking library's decorator or call (``@responses.activate``, ``respx.post``,
    ``@pytest.mark.vcr``), also through what it made (``my_vcr.use_cassette`` of ``my_vcr =
    vcr.VCR()``, ``httpx.Client(transport=transport)`` of ``transport = httpx.MockTransport(...)``),
    or a patch (``patch``, ``patch.object``, ``mocker.patch``, ``monkeypatch.setattr``) of
    something HTTP or of a function named in ``called``."""
    func = node.func if isinstance(node, cst.Call) else node
    if any(name.startswith(_MOCKING) for name in view.ctx.qualified_names(func)):
        return True
    if _made_by_mocking(view, func) or isinstance(node, cst.Call) and any(
            arg.keyword is not None and arg.keyword.value == "transport" and _made_by_mocking(view, arg.value)
            for arg in node.args):
        return True
    target = _patch_target(view, node) if isinstance(node, cst.Call) else None
    if target is None:
        return False
    owner, method = target
    parts = [*owner.split("."), method or ""]
    if method in _OTHER_METHODS and method not in called:
        return False  # ``@patch("requests.get")``: the status poll stubbed, the territory POST is real
    words = {part.strip("_").lower() for part in parts}
    return bool(words & _HTTP_WORDS) or parts[-1] in called


def _made_by_mocking(view: View, expr: cst.BaseExpression) -> bool:
    """Whether the name ``expr`` starts with (``my_vcr`` of ``my_vcr.use_cassette(...)``) holds what
    a mocking library made, whichever of its bindings holds: ``my_vcr = vcr.VCR(...)``."""
    root = expr
    while isinstance(root, (cst.Attribute, cst.Call)):
        root = root.value if isinstance(root, cst.Attribute) else root.func
    if not isinstance(root, cst.Name):
        return False
    bindings = view.analyzer.resolver.reaching(view.ctx, root)
    return bool(bindings) and all(
        bound.definition.kind == "assign" and isinstance(bound.definition.value, cst.Call) and any(
            name.startswith(_MOCKING) for name in bound.ctx.qualified_names(bound.definition.value.func))
        for bound in bindings)


def _mocked_method(view: View, node: cst.CSTNode) -> str | None:
    """The method whose answer a ``unittest.mock`` answer stands for, when the test says: the name
    in its chain (``session.get.return_value.json.return_value = ...``), or the last name of what
    the mock holding it replaces (``@patch("app.requests.put")``, ``with patch(...) as m``,
    ``m = mocker.patch(...)``, a patcher started in ``setUp``, ``patch(..., return_value=Mock(...))``);
    None when it cannot be told."""
    if isinstance(node, cst.Assign):
        return _chain_method(view, node.targets[0].target)
    holder = view.ctx.parents.get(node)
    while isinstance(holder, (cst.Element, cst.List, cst.Tuple, cst.Lambda)):  # side_effect=[...], lambda: Mock()
        holder = view.ctx.parents.get(holder)
    if isinstance(holder, cst.Arg):
        owner = view.ctx.parents.get(holder)
        if not isinstance(owner, cst.Call):
            return None
        if holder.keyword is None or holder.keyword.value in ("return_value", "side_effect", "new"):
            method = _patched_method(view, owner)  # patch(target, Mock(...)), monkeypatch.setattr(obj, "post", ...)
            if method is not None or holder.keyword is None:
                return method
            return _mocked_method(view, owner)  # Mock(return_value=Mock(json=...))
        return None
    if isinstance(holder, cst.Assign):
        return _chain_method(view, holder.targets[0].target)
    return None


def _chain_method(view: View, target: cst.BaseExpression) -> str | None:
    """``_mocked_method`` of the mock at the root of ``X.return_value.json.return_value`` (or
    ``resp.json.return_value`` for a ``resp`` handed over as ``X.return_value = resp``)."""
    chain, root = [], target
    while isinstance(root, cst.Attribute) and not _is_self_attribute(root):
        chain.append(root.attr.value)
        root = root.value
    named = [name for name in chain if name in _OTHER_METHODS | {"post", "request"}]
    if named:
        return named[-1]  # the one nearest the root: session.get.return_value...
    if isinstance(root, cst.Call):  # mocker.patch("...get").return_value.json.return_value = ...
        return _patched_method(view, root)
    bounds = (view.analyzer.resolver.attribute(view.ctx, root) if isinstance(root, cst.Attribute)
              else view.analyzer.resolver.bindings(view.ctx, root) if isinstance(root, cst.Name) else [])
    for bound in bounds:
        definition = bound.definition
        if bound.ctx is not view.ctx or definition.index is not None:
            continue
        if definition.kind == "param":
            if _given_by_patch_multiple(view.ctx, definition.owner, definition.value):
                return definition.value.name.value  # @patch.multiple(..., get=DEFAULT): the mock named get
            patcher = _patch_of_parameter(view.ctx, definition.owner, definition.value)
        else:
            patcher = _started(view, definition.value)
        method = _patched_method(view, patcher) if isinstance(patcher, cst.Call) else None
        if method is None and isinstance(root, cst.Name) and _is_mock_object(view, definition.value):
            method = _handed_over(view, root.value)  # resp = Mock(); ...; mock_get.return_value = resp
        if method is not None:
            return method
    return None


def _is_self_attribute(expr: cst.Attribute) -> bool:
    return isinstance(expr.value, cst.Name) and expr.value.value == "self"


def _is_mock_object(view: View, value: cst.CSTNode | None) -> bool:
    return isinstance(value, cst.Call) and bool(view.ctx.qualified_names(value.func) & _MOCK_CLASSES)


def _handed_over(view: View, name: str) -> str | None:
    """The mocked method of ``X`` in ``X.return_value = name`` in the same body."""
    for assign in view.body.assigns:
        value = assign.value
        values = [e.value for e in value.elements] if isinstance(value, (cst.List, cst.Tuple)) else [value]
        if any(isinstance(v, cst.Name) and v.value == name for v in values):  # X.side_effect = [resp] too
            target = assign.targets[0].target
            if isinstance(target, cst.Attribute) and target.attr.value in ("return_value", "side_effect"):
                return _chain_method(view, target.value)
    return None


def _started(view: View, value: cst.CSTNode | None) -> cst.CSTNode | None:
    """The patch behind ``patch(...).start()`` or ``patcher.start()`` (``patcher = patch(...)``), or ``value``."""
    if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "start"):
        return value
    patcher = value.func.value
    if isinstance(patcher, (cst.Name, cst.Attribute)):
        bounds = (view.analyzer.resolver.bindings(view.ctx, patcher) if isinstance(patcher, cst.Name)
                  else view.analyzer.resolver.attribute(view.ctx, patcher))
        found = [b.definition.value for b in bounds if b.definition.kind == "assign" and b.ctx is view.ctx]
        return found[0] if len(found) == 1 else None
    return patcher


def _given_by_patch_multiple(ctx, function, param: cst.Param) -> bool:
    """Whether ``param`` is one of the mocks ``@patch.multiple(target, name=DEFAULT, ...)`` passes by name."""
    if not isinstance(function, cst.FunctionDef):
        return False
    return any(isinstance(d.decorator, cst.Call) and isinstance(d.decorator.func, cst.Attribute)
               and d.decorator.func.attr.value == "multiple" and attribute_name(d.decorator.func.value) == "patch"
               and any(a.keyword is not None and a.keyword.value == param.name.value for a in d.decorator.args)
               for d in function.decorators)


def _patches_another_method(view: View) -> bool:
    """Whether the test replaces a GET, PUT or other method besides (so an answer whose mock
    cannot be told may be theirs)."""
    function = view.body.node
    decorators = function.decorators if isinstance(function, cst.FunctionDef) else ()
    klass = view.ctx.enclosing_class(function) if isinstance(function, cst.FunctionDef) else None
    calls = [*view.body.calls, *(d.decorator for d in [*decorators, *(klass.decorators if klass else ())])]
    return any(isinstance(call, cst.Call) and _patched_method(view, call) in _OTHER_METHODS
               and _of_an_http_client(view, call) for call in calls)


_HTTP_OWNERS = {"requests", "session", "sessions", "httpx", "client", "asyncclient", "http", "urllib3",
                "poolmanager", "clientsession", "aiohttp"}


def _of_an_http_client(view: View, call: cst.Call) -> bool:
    """Whether the method a patch replaces belongs to an HTTP library or client (``requests.get``,
    ``Session.put``, ``self.client.get``), not to a cache or a settings object (``cache.get``)."""
    target = _patch_target(view, call)
    return target is not None and target[0].rsplit(".", 1)[-1].lower() in _HTTP_OWNERS


def _patch_of_parameter(ctx, function, param: cst.Param) -> cst.Call | None:
    """The ``@patch(...)`` decorator that passes its mock as ``param``: the lowest decorator of the
    method gives the first parameter after self, then the class's (a test class's patches apply to
    each test method, outside its own); a patch given its replacement (``new``) passes none."""
    if not isinstance(function, cst.FunctionDef):
        return None
    klass = ctx.enclosing_class(function)
    decorators = [*reversed(function.decorators), *(reversed(klass.decorators) if klass is not None else ())]
    patches = [d.decorator for d in decorators if is_patch(d.decorator) and passes_its_mock(d.decorator)]
    params = [p for p in function.params.params if p.name.value not in ("self", "cls")]
    position = next((i for i, p in enumerate(params) if p is param), None)
    return patches[position] if position is not None and position < len(patches) else None


def _patched_method(view: View, call: cst.Call) -> str | None:
    """The last name of what ``patch("pkg.requests.put")``, ``patch.object(requests, "put")`` or
    pytest's ``monkeypatch.setattr(requests, "put", ...)`` replaces."""
    target = _patch_target(view, call)
    return target[1] if target is not None and target[1] is not None and HOLE not in target[1] else None


def _patch_target(view: View, call: cst.Call) -> tuple[str, str | None] | None:
    """(owner, name) of what a patch (``patch``, ``patch.object``, ``mocker.patch``) or pytest's
    ``monkeypatch.setattr`` replaces: ``("pkg.requests", "put")`` for ``patch("pkg.requests.put")``,
    the object's code and the name for ``patch.object(requests, "put")`` or ``setattr(obj, "put",
    value)``; the name None when it is not known (it may hold unknown parts), the owner "" when a
    path is not known at all. None for any other call."""
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    if is_patch(call):
        by_object = attribute_name(call.func) == "object"
    elif attribute_name(call.func) == "setattr" and isinstance(call.func, cst.Attribute) and attribute_name(
            call.func.value) == "monkeypatch":
        by_object = len(positional) != 2  # setattr("pkg.requests.put", value) or setattr(obj, "put", value)
    else:
        return None
    if not positional:
        return None
    if by_object:
        name = _url(view, positional[1]) if len(positional) > 1 else None
        return view.ctx.code(positional[0]), name.value if name is not None else None
    path = _url(view, positional[0])
    if path is None:
        return "", None
    return path.value.rsplit(".", 1)[0], path.value.rsplit(".", 1)[-1]


def _endpoint(answer: MockedAnswer):
    endpoint = match_territory(answer.url)
    if endpoint is not None and answer.method in (None, "POST"):
        return endpoint.operation, endpoint.version, endpoint.module, False
    if is_job_status(answer.url) and answer.method in (None, "GET"):
        return "job-status", version_in(answer.url), None, True
    return None


def _job_status_shaped(view: View, answer: MockedAnswer) -> bool:
    """Whether a ``unittest.mock`` answer's body is a job status answer: the job-status contract
    takes it and no territory contract does."""
    try:
        body = to_json(view.analyzer.folder.fold(view.ctx, answer.body, view.env))
    except (NotJson, RecursionError):
        return False
    return not classify(None, None, body, job_status=True).errors and classify(None, None, body).errors != ()


def _check_answer(view: View, answer: MockedAnswer, operation, version, module, job_status) -> list[Finding]:
    folder = view.analyzer.folder
    if answer.status is not None:
        status = folder.fold(view.ctx, answer.status, view.env)
    else:  # the mocking libraries answer 200 unless told otherwise; a Mock() has no status until given one
        status = Number(200) if answer.library != "unittest.mock" else None
    if not isinstance(status, Number):
        status = None
    if not held_to_contracts(status.value if status else None, job_status):
        return []
    try:
        body = to_json(folder.fold(view.ctx, answer.body, view.env)) if answer.body is not None else None
        if answer.body_is_text and isinstance(body, str):
            body = json.loads(body)
    except (NotJson, ValueError, RecursionError):
        return []  # a body built at run time cannot be checked statically
    what = "get_feature_specific_info" if job_status else f"{operation}_territories"
    what += f" ({', '.join(x for x in (version, module) if x)})" if (version or module) else ""
    verdict = classify(version, status.value if status else None, body, job_status, operation)
    info = (None if job_status else operation, version, module, f"{answer.library} mock")
    return verdict_findings(view.ctx.path, what, verdict, _locator(view, answer), info, version, "mocked",
                            status.value if status else None)


def _locator(view: View, answer: MockedAnswer):
    def place(node: cst.CSTNode) -> tuple[int, int]:
        start = view.ctx.position(node).start
        return start.line, start.column + 1

    def locate(path: tuple) -> tuple[int, int]:
        if path[:1] == ("status",):
            return place(answer.status if answer.status is not None else answer.node)
        node = answer.body if answer.body is not None else answer.node
        if not answer.body_is_text:  # into an inline literal; a named body is reported where it is used
            for step in path[1:]:
                inner = _step(node, step)
                if inner is None:
                    break
                node = inner
        return place(node)

    return locate


def _step(node: cst.BaseExpression, step) -> cst.BaseExpression | None:
    if isinstance(node, cst.Dict) and isinstance(step, str):
        for element in node.elements:
            if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString) and (
                    element.key.evaluated_value == step):
                return element.value
    if isinstance(node, (cst.List, cst.Tuple)) and isinstance(step, int) and step < len(node.elements):
        return node.elements[step].value
    return None


# -- finding the registrations ---------------------------------------------------------


def _answers(view: View) -> Iterator[MockedAnswer]:
    for call in view.body.calls:
        answer = _registration(view, call)
        if answer is not None:
            yield answer
    yield from _mock_json_answers(view)


def _library(view: View, expr: cst.BaseExpression) -> str | None:
    """The mocking library an expression (module, fixture or mocker object) belongs to."""
    for name in view.ctx.qualified_names(expr):
        root = name.split(".")[0]
        if root in _LIBRARIES:
            return _LIBRARIES[root]
    for origin in view.analyzer.calls.origins(view.ctx, expr):
        if origin.param in _FIXTURES:
            return _FIXTURES[origin.param]
        if origin.name and origin.name.split(".")[0] in _LIBRARIES:
            return _LIBRARIES[origin.name.split(".")[0]]
    return None


def _method(view: View, expr: cst.BaseExpression | None) -> str | None:
    if expr is None:
        return None
    if isinstance(expr, cst.Attribute) and expr.attr.value.upper() in {"POST", "GET", "PUT", "DELETE", "PATCH"}:
        return expr.attr.value.upper()
    value = view.analyzer.folder.fold(view.ctx, expr, view.env)
    return value.value.upper() if isinstance(value, Text) and value.exact else None


def _arguments(call: cst.Call) -> tuple[list[cst.BaseExpression], dict[str, cst.BaseExpression]]:
    return ([a.value for a in call.args if a.keyword is None and not a.star],
            {a.keyword.value: a.value for a in call.args if a.keyword is not None})


def _url(view: View, expr: cst.BaseExpression | None) -> Text | None:
    """The URL a registration matches: folded text, or the URL a ``re.compile(...)`` pattern stands
    for (wildcards as unknown parts)."""
    if isinstance(expr, cst.Call) and view.ctx.qualified_names(expr.func) & {"re.compile"} and expr.args:
        pattern = _url(view, expr.args[0].value)
        return _pattern_url(pattern) if pattern is not None else None
    value = view.analyzer.folder.fold(view.ctx, expr, view.env) if expr is not None else None
    return value if isinstance(value, Text) else None


_WILDCARD = re.compile(r"\.[*+?]\??|\[[^\]]*\][*+?]?\??|\\[dDwWsS][*+?]?\??")
_OPTIONAL_GROUP = re.compile(r"\((?:[^()\\]|\\.)*\)[?*]")  # (\?.*)? after the path: a query string or not


def _pattern_url(pattern: Text) -> Text:
    """A regular expression of a URL as the URL it matches: ``.*``, classes and ``\\d+`` become
    unknown parts, escapes and anchors go; a pattern naming only the action matches its endpoint
    under any path."""
    text = _WILDCARD.sub(HOLE, _OPTIONAL_GROUP.sub("", pattern.value.strip("^$")))
    text = re.sub(r"\\(.)", r"\1", text)
    if "actions/" not in text:
        text = f"{HOLE}/actions/{text.lstrip('/')}"
    return Text(text)


def _registration(view: View, call: cst.Call) -> MockedAnswer | None:
    func = call.func
    if not isinstance(func, cst.Attribute):
        return None
    name = func.attr.value
    if name in {"mock", "respond"} and isinstance(func.value, cst.Call):
        return _respx(view, call, func.value)
    library = _library(view, func.value)
    if library is None:
        return None
    positional, keywords = _arguments(call)
    if library == "responses" and name in {"add", "upsert", "replace"} and positional and isinstance(
            positional[0], cst.Call):
        return _registration_from(view, "responses", positional[0], None)
    if library == "httpretty" and name == "register_uri":
        method = _method(view, positional[0] if positional else keywords.get("method"))
        url = positional[1] if len(positional) > 1 else keywords.get("uri")
        return MockedAnswer("httpretty", method, _url(view, url), keywords.get("status"), keywords.get("body"),
                            True, call)
    if library == "pytest_httpx":
        return _httpx_mock(view, call) if name == "add_response" else None
    if library != "respx" and (name in _VERBS or name in {"add", "upsert", "replace", "register_uri"}):
        return _registration_from(view, library, call, _VERBS.get(name))
    return None


def _httpx_mock(view: View, call: cst.Call) -> MockedAnswer:
    """pytest-httpx's ``httpx_mock.add_response(status_code=200, json=..., url=..., method=...)``: a
    response registered without ``url`` answers any request, so nothing says which call it is for."""
    positional, keywords = _arguments(call)
    status = positional[0] if positional else keywords.get("status_code")
    body, is_text = keywords.get("json"), False
    if body is None and keywords.get("text") is not None:
        body, is_text = keywords["text"], True
    return MockedAnswer("pytest_httpx", _method(view, keywords.get("method")), _url(view, keywords.get("url")),
                        status, body, is_text, call)


def _registration_from(view: View, library: str, call: cst.Call, verb: str | None) -> MockedAnswer | None:
    """``responses.add(METHOD, url, json=, status=)``, ``m.post(url, json=, status_code=)`` and the like."""
    positional, keywords = _arguments(call)
    if verb is None:
        method = _method(view, positional[0] if positional else keywords.get("method"))
        url = positional[1] if len(positional) > 1 else keywords.get("url")
    else:
        method, url = verb, positional[0] if positional else keywords.get("url")
    status = keywords.get("status", keywords.get("status_code"))
    body, is_text = keywords.get("json", keywords.get("payload")), False  # (aioresponses: payload=)
    if body is None:
        body = keywords.get("body", keywords.get("text"))
        is_text = body is not None
    return MockedAnswer(library, method, _url(view, url), status, body, is_text, call)


def _respx(view: View, call: cst.Call, route: cst.Call) -> MockedAnswer | None:
    """``respx.post(url).mock(return_value=httpx.Response(202, json=...))`` or ``.respond(202, json=...)``."""
    if not isinstance(route.func, cst.Attribute) or _library(view, route.func.value) not in {"respx"}:
        return None
    positional, keywords = _arguments(route)
    verb = route.func.attr.value
    method = _VERBS.get(verb) or _method(view, keywords.get("method"))
    url = _url(view, positional[0] if positional else keywords.get("url"))
    base = _respx_base_url(view, route.func.value)
    if url is not None and base is not None and not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*://", url.value):
        url = Text(base.value.rstrip("/") + "/" + url.value.lstrip("/"))  # a route under the router's base_url
    answer = call
    if isinstance(call.func, cst.Attribute) and call.func.attr.value == "mock":
        _, mock_keywords = _arguments(call)
        answer = mock_keywords.get("return_value")
        if not isinstance(answer, cst.Call):
            return None
    args, kwargs = _arguments(answer)
    status = args[0] if args else kwargs.get("status_code")
    body, is_text = kwargs.get("json"), False
    if body is None and kwargs.get("text") is not None:
        body, is_text = kwargs["text"], True
    return MockedAnswer("respx", method, url, status, body, is_text, call)


def _respx_base_url(view: View, router: cst.BaseExpression) -> Text | None:
    """The ``base_url`` of the respx router a route is added to: ``@respx.mock(base_url=...)``
    or ``@pytest.mark.respx(base_url=...)`` passing ``respx_mock``, ``with respx.mock(base_url=...)
    as router``, ``respx.Router(base_url=...)``."""
    if not isinstance(router, cst.Name):
        return None
    for bound in view.analyzer.resolver.bindings(view.ctx, router):
        definition = bound.definition
        made = [definition.value] if definition.kind in ("assign", "with") else []
        if definition.kind == "param" and isinstance(definition.owner, cst.FunctionDef):
            made = [d.decorator for d in definition.owner.decorators]
        for maker in made:
            if isinstance(maker, cst.Call) and view.ctx.qualified_names(maker.func) & {
                    "respx.mock", "respx.Router", "respx.MockRouter", "pytest.mark.respx"}:
                base = next((a.value for a in maker.args if a.keyword is not None and a.keyword.value == "base_url"),
                            None)
                return _url(view, base) if base is not None else None
    return None


def _mock_json_answers(view: View) -> Iterator[MockedAnswer]:
    """``X.json.return_value = {...}`` (with ``X.status_code = N`` beside it) and
    ``Mock(status_code=N, json=Mock(return_value={...}))``."""
    statuses: dict[str, cst.BaseExpression] = {}
    bodies: list[tuple[str, cst.Assign]] = []
    for assign in view.body.assigns:
        for target in assign.targets:
            code = view.ctx.code(target.target)
            if code.endswith(".json.return_value"):
                bodies.append((code[: -len(".json.return_value")], assign))
            elif code.endswith(".status_code"):
                statuses[code[: -len(".status_code")]] = assign.value
    for prefix, assign in bodies:
        yield MockedAnswer("unittest.mock", None, None, statuses.get(prefix), assign.value, False, assign)
    for call in view.body.calls:
        if not view.ctx.qualified_names(call.func) & _MOCK_CLASSES:
            continue
        _, keywords = _arguments(call)
        json_mock = keywords.get("json")
        if isinstance(json_mock, cst.Call):
            _, inner = _arguments(json_mock)
            if "return_value" in inner:
                yield MockedAnswer("unittest.mock", None, None, keywords.get("status_code"), inner["return_value"],
                                   False, call)
        elif isinstance(json_mock, cst.Lambda):
            yield MockedAnswer("unittest.mock", None, None, keywords.get("status_code"), json_mock.body, False, call)
