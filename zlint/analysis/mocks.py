"""Inline mocks in Python tests, checked like recordings: ``responses``, ``requests_mock``,
``respx``, ``httpretty``, and ``Mock().json.return_value = {...}`` next to a territory call.

Each registration whose URL is a territory endpoint (or the job-status call) gives the literal
status and body it would answer with; these go through the same contracts as recorded files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from zlint.analysis.endpoints import is_job_status, match_territory, version_in
from zlint.analysis.flow import View
from zlint.analysis.values import Number, NotJson, Text, to_json
from zlint.findings import Finding
from zlint.recordings.contracts import classify, held_to_contracts
from zlint.recordings.check import verdict_findings

_VERBS = {"post": "POST", "get": "GET"}
_OTHER_METHODS = {"get", "put", "patch", "delete", "head", "options"}  # of calls that cannot be territory calls
_LIBRARIES = {"responses": "responses", "requests_mock": "requests_mock", "respx": "respx",
              "httpretty": "httpretty"}
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
        elif answer.library != "unittest.mock" or _stands_for_another_call(view, answer.node):
            continue  # a registration whose URL is not known here, or the mock of a GET or PUT
        else:
            flows = view.territory_flows() if flows is None else flows
            if not flows:
                continue
            call = flows[0][1].call
            operation, version, module, job_status = call.operation, call.version, call.module, False
        version = version or view.analyzer.target_version  # a URL without its version: the project's, as for recordings
        findings += _check_answer(view, answer, operation, version, module, job_status)
    return findings


def _stands_for_another_call(view: View, node: cst.CSTNode) -> bool:
    """Whether ``X.json.return_value = ...`` sets the answer of a call that is no territory call:
    the chain names another method (``session.get.return_value...``), or ``X`` is the mock that
    ``patch`` put in place of one (``@patch("app.requests.put")``, ``with patch(...) as m``,
    ``m = mocker.patch(...)``). Territory calls are POSTs."""
    if not isinstance(node, cst.Assign):
        return False
    chain, root = [], node.targets[0].target
    while isinstance(root, cst.Attribute):
        chain.append(root.attr.value)
        root = root.value
    if set(chain) & _OTHER_METHODS:
        return True
    if set(chain) & {"post", "request"} or not isinstance(root, cst.Name):
        return False
    for bound in view.analyzer.resolver.bindings(view.ctx, root):
        definition = bound.definition
        if bound.ctx is not view.ctx or definition.index is not None:
            continue
        patcher = definition.value
        if definition.kind == "param":
            patcher = _patch_of_parameter(definition.owner, definition.value)
        elif (isinstance(patcher, cst.Call) and isinstance(patcher.func, cst.Attribute)
              and patcher.func.attr.value == "start" and isinstance(patcher.func.value, cst.Call)):
            patcher = patcher.func.value  # patcher = patch(...); m = patcher.start()
        if isinstance(patcher, cst.Call) and _patched_method(view, patcher) in _OTHER_METHODS:
            return True
    return False


def _patch_of_parameter(function, param: cst.Param) -> cst.Call | None:
    """The ``@patch(...)`` decorator that passes its mock as ``param`` (the lowest decorator gives
    the first parameter after self; a patch given its replacement passes none)."""
    if not isinstance(function, cst.FunctionDef):
        return None
    params = [p for p in function.params.params if p.name.value not in ("self", "cls")]
    patches = [d.decorator for d in reversed(function.decorators) if _is_patch(d.decorator)
               and len(d.decorator.args) == (2 if _attribute_name(d.decorator.func) == "object" else 1)
               and all(a.keyword is None or a.keyword.value not in ("new", "new_callable") for a in d.decorator.args)]
    position = next((i for i, p in enumerate(params) if p is param), None)
    return patches[position] if position is not None and position < len(patches) else None


def _attribute_name(expr: cst.BaseExpression) -> str | None:
    return expr.attr.value if isinstance(expr, cst.Attribute) else expr.value if isinstance(expr, cst.Name) else None


def _is_patch(expr: cst.BaseExpression) -> bool:
    if not isinstance(expr, cst.Call):
        return False
    func = expr.func
    if isinstance(func, cst.Attribute) and func.attr.value == "object":
        func = func.value
    return _attribute_name(func) == "patch"


def _patched_method(view: View, call: cst.Call) -> str | None:
    """The last name of what ``patch("pkg.requests.put")`` or ``patch.object(requests, "put")`` replaces."""
    if not _is_patch(call):
        return None
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    at = 1 if _attribute_name(call.func) == "object" else 0
    target = _url(view, positional[at]) if len(positional) > at else None
    return target.value.rsplit(".", 1)[-1] if target is not None and target.exact else None


def _endpoint(answer: MockedAnswer):
    endpoint = match_territory(answer.url)
    if endpoint is not None and answer.method in (None, "POST"):
        return endpoint.operation, endpoint.version, endpoint.module, False
    if is_job_status(answer.url) and answer.method in (None, "GET"):
        return "job-status", version_in(answer.url), None, True
    return None


def _check_answer(view: View, answer: MockedAnswer, operation, version, module, job_status) -> list[Finding]:
    folder = view.analyzer.folder
    status = folder.fold(view.ctx, answer.status, view.env) if answer.status is not None else Number(200)
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
    verdict = classify(version, status.value if status else None, body, job_status)
    info = (None if job_status else operation, version, module, f"{answer.library} mock")
    return verdict_findings(view.ctx.path, what, verdict, _locator(view, answer), info, version, "mocked")


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
    value = view.analyzer.folder.fold(view.ctx, expr, view.env) if expr is not None else None
    return value if isinstance(value, Text) else None


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
    if library != "respx" and (name in _VERBS or name in {"add", "upsert", "replace", "register_uri"}):
        return _registration_from(view, library, call, _VERBS.get(name))
    return None


def _registration_from(view: View, library: str, call: cst.Call, verb: str | None) -> MockedAnswer | None:
    """``responses.add(METHOD, url, json=, status=)``, ``m.post(url, json=, status_code=)`` and the like."""
    positional, keywords = _arguments(call)
    if verb is None:
        method = _method(view, positional[0] if positional else keywords.get("method"))
        url = positional[1] if len(positional) > 1 else keywords.get("url")
    else:
        method, url = verb, positional[0] if positional else keywords.get("url")
    status = keywords.get("status", keywords.get("status_code"))
    body, is_text = keywords.get("json"), False
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
