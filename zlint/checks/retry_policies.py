"""How retry policies send a territory call again: a retry decorator that retries the HTTP error
``raise_for_status()`` raises (tenacity, backoff, retrying, Celery's ``autoretry_for``), a bound
Celery task's ``self.retry()``, urllib3's ``Retry`` mounted on a session, and loops that go round
after a 400 (ZL107)."""

from __future__ import annotations

import libcst as cst

from zlint.analysis.flow import Flow, Role, View
from zlint.analysis.module import attribute_name, descendants
from zlint.analysis.values import HOLE, Text
from zlint.checks.base import status_numbers

_TASK_DECORATORS = {"task", "shared_task"}  # Celery's: @app.task, @shared_task, @celery.task
_NOT_THE_RECORD = {"headers", "auth", "timeout", "cookies", "verify", "proxies", "cert"}  # a request's options
_RETRY_LIBRARIES = {"tenacity", "retrying", "backoff"}  # whose decorators named retry/on_exception are taken
# exceptions a 4xx answer raises in raise_for_status(), and their bases (requests', httpx')
_HTTP_ERRORS = {"HTTPError", "RequestException", "HTTPStatusError", "Exception", "BaseException", "IOError",
                "OSError"}


def celery_retry(call: cst.Call, function) -> bool:
    """``self.retry(...)`` in a bound Celery task (``@shared_task(bind=True)``): the task runs again."""
    if not isinstance(function, cst.FunctionDef) or not function.params.params:
        return False
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "retry" and isinstance(func.value, cst.Name)
            and func.value.value == function.params.params[0].name.value):
        return False
    return any(attribute_name(d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator)
               in _TASK_DECORATORS for d in function.decorators)



def status_raised(view: View, call: cst.Call) -> Flow | None:
    """The territory answer of ``response.raise_for_status()``, when ``call`` is that; else None."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "raise_for_status"):
        return None
    flow = view.role(func.value)
    return flow if flow is not None and flow.role is Role.RESPONSE else None


def raises_for_status(view: View, call: cst.Call) -> bool:
    """``response.raise_for_status()`` on a territory answer, outside any ``try`` that may catch it."""
    return status_raised(view, call) is not None and not any(isinstance(node, cst.Try) for node in ancestors(view, call))


def retries_http_errors(view: View, decorator: cst.BaseExpression) -> bool:
    """Whether a retry decorator sends the call again when it raises an HTTP error."""
    named = decorator.func if isinstance(decorator, cst.Call) else decorator
    name = attribute_name(named)
    args = decorator.args if isinstance(decorator, cst.Call) else ()
    keywords = {a.keyword.value: a.value for a in args if a.keyword is not None}
    if name in ("retry", "on_exception") and not any(
            qualified.split(".")[0] in _RETRY_LIBRARIES for qualified in view.ctx.qualified_names(named)):
        return False  # a decorator of the project's own
    if _one_attempt(keywords):
        return False
    if name == "retry" and "retry_on_result" not in keywords and "retry_on_exception" not in keywords:
        policy = keywords.get("retry")  # tenacity: without retry=, every exception is retried
        return policy is None or _retries_exceptions(policy)
    if name == "on_exception" and ("giveup" not in keywords or _gives_up_but_on_400(view, keywords["giveup"])):
        positional = [a.value for a in args if a.keyword is None]  # backoff.on_exception(wait, exceptions, ...)
        return len(positional) > 1 and names_http_error(positional[1])
    if name in _TASK_DECORATORS and "autoretry_for" in keywords and "dont_autoretry_for" not in keywords:
        return names_http_error(keywords["autoretry_for"])
    return False


def _one_attempt(keywords: dict) -> bool:
    """A policy that never sends again: tenacity's ``stop=stop_after_attempt(1)``, backoff's
    ``max_tries=1``, Celery's ``max_retries=0``."""
    def number(expr) -> int | None:
        return int(expr.value) if isinstance(expr, cst.Integer) else None

    stop = keywords.get("stop")
    if isinstance(stop, cst.Call) and attribute_name(stop.func) == "stop_after_attempt" and stop.args and number(
            stop.args[0].value) == 1:
        return True
    return number(keywords.get("max_tries")) == 1 or number(keywords.get("max_retries")) == 0


def _retries_exceptions(policy: cst.BaseExpression) -> bool:
    """Whether a tenacity ``retry=`` policy retries HTTP errors whatever their status:
    ``retry_if_exception_type(requests.HTTPError)``, or such a policy ``|`` another (a ``&`` narrows
    it: ``... & retry_if_exception(lambda e: e.response.status_code >= 500)``)."""
    if isinstance(policy, cst.BinaryOperation):
        return isinstance(policy.operator, cst.BitOr) and (
            _retries_exceptions(policy.left) or _retries_exceptions(policy.right))
    return isinstance(policy, cst.Call) and attribute_name(policy.func) == "retry_if_exception_type" and (
        not policy.args or any(names_http_error(a.value) for a in policy.args))


def _gives_up_but_on_400(view: View, giveup: cst.BaseExpression) -> bool:
    """backoff's ``giveup=lambda e: e.response.status_code not in (400, 429)`` (or ``!= 400``): it
    gives up on every answer but a 400, so a 400 is retried."""
    if not isinstance(giveup, cst.Lambda) or not isinstance(giveup.body, cst.Comparison):
        return False
    test = giveup.body
    if len(test.comparisons) != 1 or not isinstance(test.comparisons[0].operator, (cst.NotIn, cst.NotEqual)):
        return False
    if not (isinstance(test.left, cst.Attribute) and test.left.attr.value in {"status_code", "status"}):
        return False
    return 400 in (status_numbers(view, test.comparisons[0].comparator) or ())


def names_http_error(expr: cst.BaseExpression) -> bool:
    """``requests.HTTPError``, ``(HTTPError, Timeout)``, ``Exception``..."""
    if isinstance(expr, (cst.Tuple, cst.List)):
        return any(names_http_error(element.value) for element in expr.elements)
    return attribute_name(expr) in _HTTP_ERRORS


def uses_target(loop: cst.For, calls: list[cst.Call]) -> bool:
    """Whether any of the calls names a variable of the loop's target in its arguments, or one the
    loop's body makes of it (``batch = items[i:i + 100]``)."""
    targets = {name.value for name in descendants(loop.target, cst.Name)}
    for assign in descendants(loop.body, cst.Assign):
        if any(name.value in targets for name in descendants(assign.value, cst.Name)):
            targets |= {name.value for target in assign.targets for name in descendants(target.target, cst.Name)}
    return any(name.value in targets for call in calls for arg in call.args for name in descendants(arg, cst.Name))


def reassigns_arguments(body: cst.CSTNode, calls: list[cst.Call]) -> bool:
    """Whether ``body`` binds again a name the calls send (in the URL or the body: ``lead_id =
    queue.pop(0)``): the next call is for something else, not the same one sent again. A new token
    in ``headers=`` or ``auth=`` is the same call sent again."""
    taken = {name.value for call in calls for arg in call.args
             if arg.keyword is None or arg.keyword.value not in _NOT_THE_RECORD
             for name in descendants(arg.value, cst.Name)}
    return any(name.value in taken for assign in descendants(body, cst.Assign)
               for target in assign.targets for name in descendants(target.target, cst.Name))


def only_leaves(branch: cst.If) -> bool:
    """Whether an ``if`` without ``else`` does nothing but leave the loop (``break``, ``return``)."""
    body = branch.body
    return (branch.orelse is None and isinstance(body, cst.IndentedBlock) and len(body.body) == 1
            and isinstance(body.body[0], cst.SimpleStatementLine) and len(body.body[0].body) == 1
            and isinstance(body.body[0].body[0], (cst.Break, cst.Return)))


def mounted_retry(view: View, calls: list[cst.Call], session: str, url: Text) -> cst.Call | None:
    """The urllib3 ``Retry(...)`` that requests uses for ``url`` on ``session``, when it retries a 400
    answer to a POST: of the ``session.mount(prefix, HTTPAdapter(max_retries=...))`` among ``calls``
    whose prefix the URL starts with, the longest prefix's (the one requests picks); the Retry given
    there, or by a name bound to it once."""
    chosen, longest = None, -1
    for mount in calls:
        func = mount.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "mount" and isinstance(func.value, cst.Name)
                and func.value.value == session and len(mount.args) > 1):
            continue
        prefix = view.analyzer.folder.fold(view.ctx, mount.args[0].value, view.env)
        if not isinstance(prefix, Text) or HOLE in prefix.value:
            continue  # (an unknown prefix: no telling which URLs it serves)
        if url.value.startswith(prefix.value) and len(prefix.value) >= longest:
            chosen, longest = mount, len(prefix.value)
    return _retry_of_400(view, chosen) if chosen is not None else None


def _retry_of_400(view: View, mount: cst.Call) -> cst.Call | None:
    """The ``Retry`` of a mount's ``HTTPAdapter(max_retries=...)``, when it sends a POST again on 400."""
    adapter = _bound_value(view, mount.args[1].value)
    if not isinstance(adapter, cst.Call) or attribute_name(adapter.func) != "HTTPAdapter":
        return None
    given = next((a.value for a in adapter.args if a.keyword is not None and a.keyword.value == "max_retries"), None)
    retry = _bound_value(view, given) if given is not None else None
    if not isinstance(retry, cst.Call) or attribute_name(retry.func) != "Retry":
        return None
    keywords = {a.keyword.value: a.value for a in retry.args if a.keyword is not None}
    statuses = keywords.get("status_forcelist")
    if statuses is None or 400 not in (status_numbers(view, statuses) or ()):
        return None
    methods = keywords.get("allowed_methods", keywords.get("method_whitelist"))
    if methods is None:  # urllib3's default leaves POST out
        return None
    if isinstance(methods, cst.Name) and methods.value in {"None", "False"}:
        return retry  # every method
    posted = [s for s in descendants(methods, cst.SimpleString) if s.evaluated_value.upper() == "POST"]
    return retry if posted else None


def _bound_value(view: View, expr: cst.BaseExpression) -> cst.BaseExpression:
    """The value a plain name is bound to once, in this module; else the expression itself."""
    if isinstance(expr, cst.Name):
        bounds = view.analyzer.resolver.reaching(view.ctx, expr)
        if len(bounds) == 1 and bounds[0].ctx is view.ctx and bounds[0].definition.kind == "assign" \
                and bounds[0].definition.index is None and bounds[0].definition.value is not None:
            return bounds[0].definition.value
    return expr


def enclosing_loop(view: View, node: cst.CSTNode) -> cst.For | cst.While | None:
    """The nearest ``for`` or ``while`` around ``node``."""
    return next((above for above in ancestors(view, node) if isinstance(above, (cst.For, cst.While))), None)


def resends(view: View, loop: cst.For | cst.While | None, flows) -> bool:
    """Whether the next pass of ``loop`` sends a territory call of ``flows`` again: the loop holds
    one, and is not a loop over records (a call naming the loop's variable goes to the next one)."""
    sent = [call for call, _ in flows if loop is not None and view.ctx.is_within(call, loop)]
    return bool(sent) and not (isinstance(loop, cst.For) and uses_target(loop, sent))


def ancestors(view: View, node: cst.CSTNode):
    """The nodes above ``node``, nearest first."""
    current = view.ctx.parents.get(node)
    while current is not None:
        yield current
        current = view.ctx.parents.get(current)
