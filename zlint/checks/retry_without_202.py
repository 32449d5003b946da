"""A retry decorator on a territory call whose accepted statuses lack 202."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from zlint.analysis.flow import View
from zlint.analysis.resolve import Function
from zlint.analysis.values import FunctionRef
from zlint.checks.base import Invalid, Rule, snippet
from zlint.checks.edits import accepted_twin, append, collection, widen
from zlint.checks.predicates import result_predicates
from zlint.checks.status_200_success import status_200_checks
from zlint.findings import Finding


class RetryWithout202(Rule):
    """A retry decorator on a territory call whose accepted statuses lack 202."""

    CODE = "ZL103"
    NAME = "retry-without-202"
    WHY = ("on v7+ every successful call answers 202: the policy takes it for a failure and posts again, "
           "meeting 400 ALREADY_SCHEDULED; on v2-v6 it passes but 200 only means scheduled")
    FIX = "add 202 to the accepted statuses, and never retry a 400 ALREADY_SCHEDULED"

    def check(self, view: View) -> Iterator[Finding]:
        function = view.body.node
        if not isinstance(function, cst.FunctionDef) or not function.decorators:
            return  # (also seen with a call site's arguments: a shared helper gets its URL there)
        if not view.territory_flows():  # (a call made here: not a response passed in and handed back)
            return
        wrapped = Function(view.ctx, function)
        for decorator in function.decorators:
            inner, checks = self._predicate_checks(view, decorator.decorator)
            if not checks:
                inner = self._wrapper_view(view, decorator.decorator, wrapped)
                checks = list(status_200_checks(inner, with_parts=True)) if inner is not None else []
            if not checks:
                continue
            comparison, flow, subject, operator, other = checks[0]
            place = inner.ctx.position(comparison).start
            yield self.report(
                view, decorator.decorator,
                f"retry policy `{snippet(view, decorator.decorator, 40)}` takes only "
                f"`{snippet(inner, comparison, 40)}` as success ({inner.ctx.path}:{place.line}); "
                f"{flow.call.describe()} answers 202 on v7+",
                flow,
                edits=widen(inner, comparison, subject, operator, other, cst.Integer("202"))
                or _factory_argument_edits(view, decorator.decorator, inner, other),
            )

    @staticmethod
    def _predicate_checks(view: View, expr: cst.BaseExpression) -> tuple[View, list]:
        """200-only tests in the result predicates of a retry decorator (checks.predicates), with
        the view the tests were found in."""
        for bound, predicate, _ in result_predicates(view, expr):  # (inverted or not, 200 alone passes)
            found = [check for check in status_200_checks(bound, with_parts=True)
                     if bound.ctx.is_within(check[0], predicate)]
            if found:
                return bound, found
        return view, []

    @staticmethod
    def _wrapper_view(view: View, expr: cst.BaseExpression, wrapped: Function) -> View | None:
        """The view of the function a decorator puts around ``wrapped``, with ``wrapped`` bound."""
        analyzer = view.analyzer
        env: dict = {}
        if isinstance(expr, cst.Call):
            factories = analyzer.resolver.functions(view.ctx, expr.func)
            if factories:
                env.update(view.bind(factories[0], expr))
                decorator = _returned_function(factories[0])
            else:  # a class whose instances decorate: ``@Retry(3)`` runs ``Retry.__call__(fn)``
                decorator = None
                for klass in analyzer.resolver.classes_of(view.ctx, expr.func)[:1]:
                    init = analyzer.resolver.method(klass.ctx, klass.node, "__init__")
                    if init is not None:
                        env.update(view.bind(init, expr, constructor=True))
                    decorator = analyzer.resolver.method(klass.ctx, klass.node, "__call__")
        else:
            functions = analyzer.resolver.functions(view.ctx, expr)
            decorator = functions[0] if functions else None
        if decorator is None:
            return None
        params = decorator.positional(bound=True)  # (__call__'s self is the decorating object)
        if not params:
            return None
        env[id(params[0])] = FunctionRef(wrapped.key, frozenset(view.env.items()))
        inner = _returned_function(decorator) or decorator
        return analyzer.view(inner.ctx, inner.node, env)

    VALID = [
        # an instance of a class decorates (``__call__``), and its statuses, passed in, hold 202
        '''
import functools, requests
class Retry:
    def __init__(self, times, ok=(200,)):
        self.times = times
        self.ok = ok
    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for _ in range(self.times):
                resp = fn(*args, **kwargs)
                if resp.status_code in self.ok:
                    return resp
            raise RuntimeError("gave up")
        return wrapper

@Retry(3, ok=(200, 202))
def assign(payload):
    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
''',
        # a decorated function that hands back the response it was given sends nothing again
        '''
import functools, requests
def retry(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        for _ in range(3):
            resp = fn(*args, **kwargs)
            if resp.status_code == 200:
                return resp
        raise RuntimeError("gave up")
    return wrapper

@retry
def check(resp):
    return resp

def assign(payload):
    return check(requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload))
''',
        # the predicate's name bound to a 200-only lambda and then to another one: the later one holds
        '''
import requests
from tenacity import retry, retry_if_result

failed = lambda r: r.status_code != 200
failed = lambda r: r.status_code >= 500

@retry(retry=retry_if_result(failed))
def remove(payload):
    return requests.post("https://www.zohoapis.com/crm/v8/Leads/actions/remove_territories", json=payload)
''',
        # the predicate's function called by functools.partial with 202 accepted; a before_sleep hook
        '''
import functools
import requests
from tenacity import retry, retry_if_result

def not_in(r, accepted=(200,)):
    return r.status_code not in accepted

def log(r):
    return r.status_code == 200

@retry(retry=retry_if_result(functools.partial(not_in, accepted=(200, 202))), before_sleep=log)
def assign(payload):
    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
''',
        '''
import functools, requests
def retry(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        for _ in range(3):
            resp = fn(*args, **kwargs)
            if resp.status_code in (200, 201, 202):
                return resp
        raise RuntimeError("gave up")
    return wrapper

@retry
def assign(payload):
    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
''',
    ]
    INVALID = [
        Invalid(  # an instance of a class decorates: its __call__ wraps the call, with the statuses passed in
            '''
import functools, requests
class Retry:
    def __init__(self, times, ok=(200,)):
        self.times = times
        self.ok = ok
    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for _ in range(self.times):
                resp = fn(*args, **kwargs)
                if resp.status_code in self.ok:
                    return resp
            raise RuntimeError("gave up")
        return wrapper

@Retry(3, ok=(200, 201))
def assign(payload):
    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
''',
            17, 2,
            "retry policy `Retry(3, ok=(200, 201))` takes only `resp.status_code in self.ok` as success "
            "(rule_case.py:12); assign_territories (v7, Leads) answers 202 on v7+",
        ),
        Invalid(  # the factory's default is a constant: 202 goes into the constant
            """
import functools, requests
OK = (200, 201)
def retry(ok=OK):
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            resp = fn(*args, **kwargs)
            if resp.status_code in ok:
                return resp
            raise RuntimeError("gave up")
        return wrapper
    return decorate

@retry()
def assign(payload):
    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
""",
            15, 2,
            "retry policy `retry()` takes only `resp.status_code in ok` as success (rule_case.py:9); "
            "assign_territories (v7, Leads) answers 202 on v7+",
            fixed="""
import functools, requests
OK = (200, 201, 202)
def retry(ok=OK):
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            resp = fn(*args, **kwargs)
            if resp.status_code in ok:
                return resp
            raise RuntimeError("gave up")
        return wrapper
    return decorate

@retry()
def assign(payload):
    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
""",
        ),
        Invalid(  # a shared request helper: the territory URL comes from a caller's argument
            """
import functools, time, requests
SUCCESS = frozenset({200, 201, 204})
def with_retries(attempts=3):
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*a, **kw):
            for i in range(attempts):
                last = fn(*a, **kw)
                if last.status_code in SUCCESS:
                    return last
                time.sleep(2 ** i)
            raise RuntimeError(last.text)
        return wrapper
    return deco

@with_retries()
def zoho_post(path, payload):
    return requests.post(f"https://www.zohoapis.com/crm/v7/{path}", json=payload)

def unassign(body):
    return zoho_post("Contacts/actions/remove_territories", body)
""",
            17, 2,
            "retry policy `with_retries()` takes only `last.status_code in SUCCESS` as success (rule_case.py:10); "
            "remove_territories (v7, Contacts) answers 202 on v7+",
            fixed="""
import functools, time, requests
SUCCESS = frozenset({200, 201, 204, 202})
def with_retries(attempts=3):
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*a, **kw):
            for i in range(attempts):
                last = fn(*a, **kw)
                if last.status_code in SUCCESS:
                    return last
                time.sleep(2 ** i)
            raise RuntimeError(last.text)
        return wrapper
    return deco

@with_retries()
def zoho_post(path, payload):
    return requests.post(f"https://www.zohoapis.com/crm/v7/{path}", json=payload)

def unassign(body):
    return zoho_post("Contacts/actions/remove_territories", body)
""",
        ),
        Invalid(
            """
import functools, requests
def retry(ok=(200, 201)):
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for _ in range(3):
                resp = fn(*args, **kwargs)
                if resp.status_code in ok:
                    return resp
            raise RuntimeError("gave up")
        return wrapper
    return decorate

@retry(ok=(200, 204))
def assign(payload):
    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
""",
            15, 2,
            "retry policy `retry(ok=(200, 204))` takes only `resp.status_code in ok` as success (rule_case.py:9); "
            "assign_territories (v7, Leads) answers 202 on v7+",
            fixed="""
import functools, requests
def retry(ok=(200, 201)):
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for _ in range(3):
                resp = fn(*args, **kwargs)
                if resp.status_code in ok:
                    return resp
            raise RuntimeError("gave up")
        return wrapper
    return decorate

@retry(ok=(200, 204, 202))
def assign(payload):
    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
""",
        ),
        Invalid(
            """
import requests
from tenacity import retry, retry_if_result, stop_after_attempt

@retry(retry=retry_if_result(lambda r: r.status_code != 200), stop=stop_after_attempt(5))
def remove(payload):
    return requests.post("https://www.zohoapis.com/crm/v8/Leads/actions/remove_territories", json=payload)
""",
            5, 2,
            "retry policy `retry(retry=retry_if_result(lambda r:...` takes only `r.status_code != 200` "
            "as success (rule_case.py:5); remove_territories (v8, Leads) answers 202 on v7+",
            fixed="""
import requests
from tenacity import retry, retry_if_result, stop_after_attempt

@retry(retry=retry_if_result(lambda r: r.status_code not in (200, 202)), stop=stop_after_attempt(5))
def remove(payload):
    return requests.post("https://www.zohoapis.com/crm/v8/Leads/actions/remove_territories", json=payload)
""",
        ),
        Invalid(  # a lambda by name
            """
import requests
from tenacity import retry, retry_if_result

failed = lambda r: r.status_code != 200

@retry(retry=retry_if_result(failed))
def remove(payload):
    return requests.post("https://www.zohoapis.com/crm/v8/Leads/actions/remove_territories", json=payload)
""",
            7, 2,
            "retry policy `retry(retry=retry_if_result(failed))` takes only `r.status_code != 200` as success "
            "(rule_case.py:5); remove_territories (v8, Leads) answers 202 on v7+",
            fixed="""
import requests
from tenacity import retry, retry_if_result

failed = lambda r: r.status_code not in (200, 202)

@retry(retry=retry_if_result(failed))
def remove(payload):
    return requests.post("https://www.zohoapis.com/crm/v8/Leads/actions/remove_territories", json=payload)
""",
        ),
        Invalid(  # the predicate by name
            """
import requests
from tenacity import retry, retry_if_result, stop_after_attempt

def failed(response):
    return response.status_code != 200

@retry(retry=retry_if_result(failed), stop=stop_after_attempt(5))
def remove(payload):
    return requests.post("https://www.zohoapis.com/crm/v8/Leads/actions/remove_territories", json=payload)
""",
            8, 2,
            "retry policy `retry(retry=retry_if_result(failed), ...` takes only "
            "`response.status_code != 200` as success (rule_case.py:6); remove_territories (v8, Leads) answers "
            "202 on v7+",
            fixed="""
import requests
from tenacity import retry, retry_if_result, stop_after_attempt

def failed(response):
    return response.status_code not in (200, 202)

@retry(retry=retry_if_result(failed), stop=stop_after_attempt(5))
def remove(payload):
    return requests.post("https://www.zohoapis.com/crm/v8/Leads/actions/remove_territories", json=payload)
""",
        ),
    ]


def _returned_function(function: Function) -> Function | None:
    """The nested function a decorator (or decorator factory) returns."""
    ctx = function.ctx
    body = ctx.bodies[id(function.node)]
    for node in body.returns:
        if isinstance(node, cst.Return) and isinstance(node.value, cst.Name):
            for assignment in ctx.referents(node.value):
                definition = ctx.definition(assignment)
                if definition.kind == "def":
                    return Function(ctx, definition.value)
    return None



def _factory_argument_edits(view: View, decorator: cst.BaseExpression, inner: View, other: cst.BaseExpression):
    """202 added where a decorator factory's status list comes from: what is passed in
    ``@retry(ok=(200, 204))``, else the parameter's default: a literal, or a constant holding one
    (``ok=OK_STATUSES``, also of another module)."""
    if not isinstance(other, cst.Name) or not isinstance(decorator, cst.Call):
        return None
    bounds = inner.analyzer.resolver.bindings(inner.ctx, other)
    if len(bounds) != 1 or bounds[0].definition.kind != "param":
        return None
    param, factory = bounds[0].definition.value, bounds[0].definition.owner
    if not isinstance(param, cst.Param) or not isinstance(factory, cst.FunctionDef):
        return None
    positional = list(factory.params.posonly_params) + list(factory.params.params)
    seen_from, literal = inner.analyzer.view(bounds[0].ctx, factory), param.default
    for index, arg in enumerate(decorator.args):
        if arg.star:
            break
        if (arg.keyword is not None and arg.keyword.value == param.name.value) or (
                arg.keyword is None and index < len(positional) and positional[index] is param):
            seen_from, literal = view, arg.value
    if literal is None:
        return None
    literal, where = collection(seen_from, literal)
    if literal is None or not literal.elements:
        return None
    return [(where, literal, append(literal, accepted_twin(view, literal.elements[0].value, cst.Integer("202"))))]
