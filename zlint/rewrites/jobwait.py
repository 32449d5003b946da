"""The unsafe rewrite that waits for a territory job right after the call that scheduled it.

``r = session.post(url, ...)`` gains a next line ``_wait_for_territory_jobs(r, session)``; a call whose
answer was dropped is wrapped instead. The wait reuses the caller's session or client when the call
names one (its auth, proxies and TLS settings then apply), else it sends the status call with urllib
and the Authorization header the territory call carried. Awaited httpx calls get the async helper.
"""

from __future__ import annotations

import libcst as cst

from zlint.analysis.flow import Flow, Role, View
from zlint.rewrites.helpers import local_name

Edit = tuple[str, object, object]
WAIT = "wait_for_territory_jobs"
AWAIT = "await_territory_jobs"
ALREADY_SCHEDULED = "territory_already_scheduled"
# clients whose responses have .json(), .content, .url and .request.headers, and whose .get takes params=
_RESPONSE_LIKE_REQUESTS = {"requests", "httpx", "httpx (async)", "http client"}


def helper_call(view: View, name: str, args: list[cst.BaseExpression]) -> cst.Call:
    return cst.Call(cst.Name(local_name(name, view.analyzer.job_helper)), [
        cst.Arg(value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if i < len(args) - 1
                else cst.MaybeSentinel.DEFAULT) for i, value in enumerate(args)])


def _plain_reference(expr: cst.BaseExpression) -> bool:
    """A name or dotted attribute chain: safe to evaluate once more after the call."""
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return isinstance(expr, cst.Name)


def _http_object(view: View, call: cst.Call, flow: Flow) -> cst.BaseExpression | None | bool:
    """The session/client/module whose ``.get`` the wait may use; None for urllib; False: no rewrite."""
    request = view.request(call)
    if request is None:  # the request sits in a scanned wrapper: its client is not in reach here
        return None if flow.call.client in _RESPONSE_LIKE_REQUESTS else False
    if request.client not in _RESPONSE_LIKE_REQUESTS:
        return False
    func = call.func
    if isinstance(func, cst.Attribute) and _plain_reference(func.value):
        return func.value
    return None


def wait_edits(view: View, call: cst.Call, flow: Flow) -> list[Edit] | None:
    """Edits that wait for the job of ``call`` right after it, or None where no plain edit can.

    When the call hands back less than the response (a wrapper returns ``response.json()``), the
    wait goes where the wrapper holds the response, right after its request."""
    if flow.sdk:
        return None
    if flow.role is Role.RESPONSE:
        return _edits_at(view, call, flow, returned=False)
    site = _request_site(view, flow)
    return _edits_at(*site, flow, returned=True) if site is not None else None


def _request_site(view: View, flow: Flow) -> tuple[View, cst.Call] | None:
    """The view of the function that makes the territory request of ``flow``, and that call."""
    ctx = view.analyzer.project.context_for_display(flow.call.path)
    if ctx is None:
        return None
    for body in ctx.bodies.values():
        for call in body.calls:
            start = ctx.position(call).start
            if (start.line, start.column + 1) == (flow.call.line, flow.call.column):
                return view.analyzer.view(ctx, body.node), call
    return None


def _edits_at(view: View, call: cst.Call, flow: Flow, returned: bool) -> list[Edit] | None:
    http = _http_object(view, call, flow)
    if http is False:
        return None
    parents = view.ctx.parents
    awaited = isinstance(parents.get(call), cst.Await)
    expression = parents.get(call) if awaited else call
    holder = parents.get(expression)
    line = parents.get(holder)
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    name = AWAIT if awaited else WAIT
    extra = [http] if http is not None else []
    path = view.ctx.path
    if isinstance(holder, cst.Expr) and not returned or isinstance(holder, cst.Return) and returned:
        wrapped = helper_call(view, name, [expression, *extra])
        value = cst.Await(wrapped) if awaited else wrapped
        return [(path, holder, holder.with_changes(value=value)), (path, None, name)]
    if isinstance(holder, (cst.Assign, cst.AnnAssign)):
        targets = [t.target for t in holder.targets] if isinstance(holder, cst.Assign) else [holder.target]
        if len(targets) != 1 or not isinstance(targets[0], cst.Name):
            return None
        wait = helper_call(view, name, [cst.Name(targets[0].value), *extra])
        statement = cst.SimpleStatementLine([cst.Expr(cst.Await(wait) if awaited else wait)])
        return [(path, line, cst.FlattenSentinel([line, statement])), (path, None, name)]
    return None
