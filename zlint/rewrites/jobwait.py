"""The unsafe rewrite that waits for a territory job right after the call that scheduled it.

``r = session.post(url, ...)`` gains a next line ``_wait_for_territory_jobs(r, session)``; a call whose
answer was dropped is wrapped instead. The wait reuses the caller's session or client when the call
names one (its auth, proxies and TLS settings then apply), else it sends the status call with urllib
and the Authorization header the territory call carried. Awaited httpx calls get the async helper.
"""

from __future__ import annotations

import libcst as cst

from zlint.analysis.flow import Flow, Role, View
from zlint.analysis.module import descendants
from zlint.rewrites.helpers import local_name, taken_by_others

Edit = tuple[str, object, object]
WAIT = "wait_for_territory_jobs"
AWAIT = "await_territory_jobs"
SDK_WAIT = "wait_for_sdk_territory_jobs"
ALREADY_SCHEDULED = "territory_already_scheduled"
# clients whose responses have .json(), .content, .url and .request.headers, and whose .get takes params=
_RESPONSE_LIKE_REQUESTS = {"requests", "httpx", "httpx (async)"}
UNKNOWN_CLIENT = "http client"  # a session or client whose library the analysis could not tell


def helper_free(view: View, name: str) -> bool:
    """Whether a fix here may call the template function ``name`` (and the ones it calls): neither
    the fixed file nor the job-helper module binds those names to something of the user's."""
    return helper_clash(view, name) is None


def helper_clash(view: View, name: str) -> str | None:
    """What keeps a fix here from calling the template function ``name``: "`clash` in file", or None."""
    module = view.analyzer.job_helper
    private = module is None
    # (the fixed file imports only ``name`` from the module: the functions it calls matter there)
    taken = taken_by_others(view.ctx.module, {name}, private, importable_from=module, dependencies=private)
    if taken is not None:
        return f"`{taken}` in {view.ctx.path}"
    if module is not None:
        holder = view.analyzer.project.module(module)
        taken = taken_by_others(holder.module, {name}, False) if holder is not None else None
        if taken is not None:
            return f"`{taken}` in {holder.path}"
    return None


def wait_blocked_by(view: View, call: cst.Call, flow: Flow) -> str | None:
    """Why no wait is written for ``call``'s job: a name the wait needs that the user's code holds
    where the wait would go."""
    site = _wait_site(view, call, flow)
    return helper_clash(site[0], site[2]) if site is not None else None


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
        if flow.call.client in _RESPONSE_LIKE_REQUESTS:
            return None
        site = _request_site(view, flow) if flow.call.client == UNKNOWN_CLIENT else None
        return None if site is not None and _requests_like(*site, UNKNOWN_CLIENT) else False
    if request.client not in _RESPONSE_LIKE_REQUESTS and not _requests_like(view, call, request.client):
        return False
    func = call.func
    if isinstance(func, cst.Attribute) and _plain_reference(func.value) and not _sends_its_own_way(view, func.value):
        return func.value
    return None


# methods through which a session class of the project's own may change the URL it is given
_SENDING_METHODS = ("request", "get", "prepare_request", "send")


def _sends_its_own_way(view: View, receiver: cst.BaseExpression) -> bool:
    """Whether ``receiver`` is an instance of a class the project defines that overrides how it
    sends (a ``request`` that prefixes a base URL, say): its ``.get`` may not take the absolute
    URL of the status call, so the wait sends that call itself (with the Authorization header the
    territory call carried)."""
    resolver = view.analyzer.resolver
    return any(resolver.method(found.ctx, found.node, name) is not None
               for found in view.analyzer.calls.instance_classes(view.ctx, receiver) for name in _SENDING_METHODS)


def _requests_like(view: View, call: cst.Call, client: str) -> bool:
    """Whether a call on a client of unknown library surely gets a requests/httpx response: the
    code reads its ``.status_code``, or it is a plain ``.post(...)`` (or another verb method) not
    awaited. Otherwise it may be aiohttp's (whose ``.json()`` must be awaited) or, for
    ``.request("POST", ...)``, urllib3's (no ``.content``): the wait would fail there."""
    if client != UNKNOWN_CLIENT or not isinstance(call.func, cst.Attribute):
        return False
    awaited = isinstance(view.ctx.parents.get(call), cst.Await)
    if not awaited and call.func.attr.value != "request":
        return True
    holder = view.ctx.parents.get(view.ctx.parents.get(call) if awaited else call)
    targets = holder.targets if isinstance(holder, cst.Assign) else ()
    if len(targets) != 1 or not isinstance(targets[0].target, cst.Name):
        return False
    return "status_code" in _attributes_read(view.body.node, targets[0].target.value)


def _attributes_read(node: cst.CSTNode, name: str) -> set[str]:
    """The attributes read on the variable ``name`` anywhere in ``node``."""
    return {found.attr.value for found in descendants(node, cst.Attribute)
            if isinstance(found.value, cst.Name) and found.value.value == name}


def wait_edits(view: View, call: cst.Call, flow: Flow) -> list[Edit] | None:
    """Edits that wait for the job of ``call`` right after it, or None where no plain edit can.

    When the call hands back less than the response (a wrapper returns ``response.json()``), the
    wait goes where the wrapper holds the response, right after its request."""
    if flow.sdk:
        return _sdk_edits(view, call, flow) if flow.role is Role.RESPONSE else None
    if flow.role is Role.JOB_ID:
        return None  # a wrapper that hands back the job_id: a wait in it would hold up every caller
    site = _wait_site(view, call, flow)
    return _edits_at(*site, flow, returned=flow.role is not Role.RESPONSE) if site is not None else None


def _wait_site(view: View, call: cst.Call, flow: Flow) -> tuple[View, cst.Call, str] | None:
    """Where the wait for ``call``'s job goes (the view and the call it follows: the call itself, or
    the wrapper's request when the call hands back less than the response), and the template
    function it calls there."""
    if flow.sdk:
        return view, call, SDK_WAIT
    if flow.role is not Role.RESPONSE:
        site = _request_site(view, flow)
        if site is None:
            return None
        view, call = site
    return view, call, AWAIT if isinstance(view.ctx.parents.get(call), cst.Await) else WAIT


def _request_site(view: View, flow: Flow) -> tuple[View, cst.Call] | None:
    """The view of the function that makes the territory request of ``flow``, and that call."""
    ctx = view.analyzer.project.context_for_display(flow.call.path)
    if ctx is None:
        return None
    for body in ctx.bodies.values():
        there = [call for call in body.calls
                 if (ctx.position(call).start.line, ctx.position(call).start.column + 1) == (flow.call.line, flow.call.column)]
        if there:
            # ``requests.post(...).json()`` starts where its request does: the request is the site
            site = view.analyzer.view(ctx, body.node)
            return site, next((call for call in there if site.request(call) is not None), there[0])
    return None


def _sdk_edits(view: View, call: cst.Call, flow: Flow) -> list[Edit] | None:
    """``wait_for_sdk_territory_jobs(response, module[, version])`` after an SDK call made here."""
    if not isinstance(call.func, cst.Attribute):
        return None
    module = _sdk_module(view, call, flow)
    if module is None:
        return None
    extra = [module]
    version = flow.call.version
    if version and version.startswith("v") and version[1:].split(".")[0].isdigit() and int(
            version[1:].split(".")[0]) > 6:
        extra.append(cst.SimpleString(f'"{version}"'))
    return _place(view, call, SDK_WAIT, extra, returned=False)


def _sdk_module(view: View, call: cst.Call, flow: Flow) -> cst.BaseExpression | None:
    """The module name of an SDK call, as an expression valid right after the call: the literal
    when the argument it comes from always has that value, else that argument when it is a plain
    name here (a parameter's default is not the module: a caller may pass another)."""
    args = [a.value for a in call.args if not a.star]
    bulk = flow.call.scope == "bulk"
    if len(args) == (2 if bulk else 3):  # zohocrmsdk2-1/5-0: the module is the first argument
        candidate, where = args[0], view.ctx
    else:
        _, ctor, where, _ = view.analyzer.calls.sdk_receiver(view.ctx, call.func.value)
        if ctor is None or not ctor.args:
            return None
        candidate = ctor.args[0].value
    sure = view.analyzer.folder.sure_text(where, candidate)
    if sure is not None and flow.call.module == sure:
        return cst.SimpleString(f'"{sure}"')
    here = where is view.ctx and view.ctx.body_of(candidate) is view.body
    return candidate if here and _plain_reference(candidate) else None


def _edits_at(view: View, call: cst.Call, name: str, flow: Flow, returned: bool) -> list[Edit] | None:
    http = _http_object(view, call, flow)
    if http is False:
        return None
    return _place(view, call, name, [http] if http is not None else [], returned)


def _place(view: View, call: cst.Call, name: str, extra: list[cst.BaseExpression],
           returned: bool) -> list[Edit] | None:
    """The call to ``name`` with the response and ``extra``: wrapped around a dropped (or, in a
    wrapper, returned) call, or as the next statement after ``target = call``."""
    if not helper_free(view, name):
        return None  # it would call the user's function of that name: no wait
    parents = view.ctx.parents
    awaited = isinstance(parents.get(call), cst.Await)
    expression = parents.get(call) if awaited else call
    holder = parents.get(expression)
    path = view.ctx.path
    if isinstance(holder, cst.Attribute) and holder.value is expression and isinstance(parents.get(holder), cst.Call):
        # ``requests.post(...).json()``: the wait goes around the call (it returns the response)
        wrapped = helper_call(view, name, [expression.with_changes(lpar=[], rpar=[]), *extra])
        value = cst.Await(wrapped) if awaited else wrapped
        return [(path, expression, value.with_changes(lpar=expression.lpar, rpar=expression.rpar)), (path, None, name)]
    line = parents.get(holder)
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
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
        guarded = _try_ended_by(view, line, targets[0].value)
        if guarded is not None and guarded.orelse is None and not any(
                other is not call and view.ctx.is_within(other, guarded.body) for other, _ in view.territory_flows()):
            # ``try: r = post(...)`` ``except ...:``: the wait goes into a new ``else``, where the handlers
            # do not take its errors for the call's (not beside another call's wait in that ``try``: an
            # edit of the whole ``try`` would crowd that one out)
            new_else = cst.Else(cst.IndentedBlock([statement], indent=line_indent(guarded.body)))
            return [(path, guarded, guarded.with_changes(orelse=new_else)), (path, None, name)]
        if guarded is not None and guarded.orelse is not None:  # ... ``else:``: the wait opens the else
            block = guarded.orelse.body
            if isinstance(block, cst.IndentedBlock):
                new_else = guarded.orelse.with_changes(body=block.with_changes(body=[statement, *block.body]))
                return [(path, guarded.orelse, new_else), (path, None, name)]
        return [(path, line, cst.FlattenSentinel([line, statement])), (path, None, name)]
    return None


def _try_ended_by(view: View, line: cst.SimpleStatementLine, response: str) -> cst.Try | None:
    """The ``try`` whose body ends with ``line``, or with ``line`` and checks of its ``response``
    (``r.raise_for_status()``), when it has handlers (that would take the wait's errors for the call's)."""
    block = view.ctx.parents.get(line)
    guarded = view.ctx.parents.get(block)
    if not (isinstance(guarded, cst.Try) and guarded.body is block and guarded.handlers
            and isinstance(block, cst.IndentedBlock) and any(statement is line for statement in block.body)):
        return None
    after = block.body[[id(statement) for statement in block.body].index(id(line)) + 1:]
    return guarded if all(_checks(statement, response) for statement in after) else None


def _checks(statement: cst.BaseStatement, response: str) -> bool:
    """``response.raise_for_status()`` and the like: a method of the response called for its effect."""
    return (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
            and isinstance(statement.body[0], cst.Expr) and isinstance(statement.body[0].value, cst.Call)
            and isinstance(statement.body[0].value.func, cst.Attribute)
            and isinstance(statement.body[0].value.func.value, cst.Name)
            and statement.body[0].value.func.value.value == response)


def line_indent(block: cst.BaseSuite) -> str | None:
    """The indentation of ``block``'s statements, for a new block beside it (None: the module's)."""
    return block.indent if isinstance(block, cst.IndentedBlock) else None
