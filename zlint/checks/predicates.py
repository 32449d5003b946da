"""The result predicates of retry decorators (tenacity's ``retry_if_result``, backoff's
``on_predicate``, retrying's ``retry_on_result``): each is called with the decorated function's
response, so its tests of that response are tests of the territory answer (ZL103, ZL107)."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from zlint.analysis.flow import View
from zlint.analysis.module import ModuleContext, attribute_name, descendants

_RESULT_PREDICATES = {"retry_if_result", "retry_if_not_result", "on_predicate"}  # tenacity's, backoff's


def result_predicates(view: View, decorator: cst.BaseExpression) -> Iterator[tuple[View, cst.CSTNode, bool]]:
    """Each predicate of ``decorator`` (a lambda, a name bound to a lambda, or a function, also of
    another module, given where the library takes its result predicate: not ``giveup=``) as the
    view that sees the decorated function's response in its first parameter, with the predicate's
    node (the tests inside it are the predicate's) and whether it is inverted (tenacity's
    ``retry_if_not_result``: a true answer stops the retries). Each predicate is noted in
    ``analyzer.retry_predicates``: its tests are the retry policy's, which ZL103 and ZL107 judge."""
    for predicate_view, predicate, inverted in _result_predicates(view, decorator):
        view.analyzer.retry_predicates[id(predicate)] = predicate
        yield predicate_view, predicate, inverted


def in_retry_predicate(view: View, node: cst.CSTNode) -> bool:
    """Whether ``node`` sits in a retry decorator's result predicate (one ``result_predicates``
    made a view for: its views are the only ones that see the response there)."""
    noted = view.analyzer.retry_predicates
    current = node
    while noted and current is not None:
        if noted.get(id(current)) is current:
            return True
        current = view.ctx.parents.get(current)
    return False


def _result_predicates(view: View, decorator: cst.BaseExpression) -> Iterator[tuple[View, cst.CSTNode, bool]]:
    returned = view.returned_flow()
    if returned is None or not isinstance(decorator, cst.Call):
        return
    for call in descendants(decorator, cst.Call):
        inverted = attribute_name(call.func) == "retry_if_not_result"
        for arg in call.args:
            if not _takes_the_result(call, arg):
                continue
            if isinstance(arg.value, cst.Lambda):
                if arg.value.params.params:
                    yield _lambda_view(view, view.ctx, arg.value, returned), arg.value, inverted
                continue
            if not isinstance(arg.value, (cst.Name, cst.Attribute)):
                continue
            named = _named_lambda(view, arg.value)  # failed = lambda r: ...
            if named is not None:
                yield _lambda_view(view, *named, returned), named[1], inverted
                continue
            functions = view.analyzer.resolver.functions(view.ctx, arg.value)
            params = functions[0].node.params.params if len(functions) == 1 else ()
            if params:
                function = functions[0]
                yield (view.analyzer.view(function.ctx, function.node, {id(params[0]): returned}), function.node,
                       inverted)


def _takes_the_result(call: cst.Call, arg: cst.Arg) -> bool:
    """Whether ``arg`` is a predicate a retry library calls with the decorated function's result:
    ``retry_if_result(failed)``, ``backoff.on_predicate(wait, failed)``, retrying's
    ``retry(retry_on_result=failed)`` (not ``before_sleep=`` or a ``functools.partial``'s function)."""
    name = attribute_name(call.func)
    if arg.keyword is not None:
        return arg.keyword.value in {"retry_on_result", "predicate"}
    return name in _RESULT_PREDICATES


def _lambda_view(view: View, ctx: ModuleContext, predicate: cst.Lambda, returned) -> View:
    """The view of the body a predicate lambda is written in (a decorator's lambda: the decorated
    function's), with the response in the lambda's parameter."""
    return view.analyzer.view(ctx, ctx.body_of(predicate).node, {id(predicate.params.params[0]): returned})


def _named_lambda(view: View, expr: cst.BaseExpression) -> tuple[ModuleContext, cst.Lambda] | None:
    """The lambda (with a parameter) a name is bound to, when that is its one binding here."""
    bindings = view.analyzer.resolver.reaching(view.ctx, expr) if isinstance(expr, cst.Name) else []
    if len(bindings) != 1 or bindings[0].definition.kind != "assign":
        return None
    value = bindings[0].definition.value
    return (bindings[0].ctx, value) if isinstance(value, cst.Lambda) and value.params.params else None
