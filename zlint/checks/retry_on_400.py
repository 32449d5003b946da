"""HTTP 400 from a territory call retried, or taken for an expired token, without reading the code."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from zlint.analysis.flow import Role, View
from zlint.analysis.module import descendants
from zlint.checks.base import (EQUALITY, MEMBERSHIP, Invalid, Rule, case_values, comparison_pairs, role_matches,
                               role_sides, snippet, status_numbers)
from zlint.checks.predicates import result_predicates
from zlint.checks.retry_policies import (ancestors, celery_retry, enclosing_loop, mounted_retry, names_http_error,
                                         only_leaves, raises_for_status, reassigns_arguments, resends,
                                         retries_http_errors, status_raised)
from zlint.findings import Finding
from zlint.rewrites.jobwait import ALREADY_SCHEDULED, helper_call, helper_free


def _tests_400(view: View, test: cst.BaseExpression, negated: bool = False):
    """The territory flow whose status the test compares with 400 (or a 4xx range), with that
    comparison and its status side; None if there is none. ``negated``: a test that a 400 fails
    instead (``!= 400``, ``not in (400, ...)``)."""
    for comparison in view.body.comparisons:
        if not view.ctx.is_within(comparison, test):
            continue
        for left, operator, right in comparison_pairs(comparison):
            for side, other in ((left, right), (right, left)):
                flow = view.role(side)
                if flow is None or flow.role is not Role.STATUS:
                    continue
                numbers = status_numbers(view, other)
                if numbers is None:
                    continue
                if isinstance(operator, EQUALITY + MEMBERSHIP) and 400 in numbers and isinstance(
                        operator, (cst.NotEqual, cst.IsNot, cst.NotIn)) is negated:
                    return flow, comparison, side
                if not negated and isinstance(operator, (cst.GreaterThanEqual, cst.GreaterThan)) and side is left and any(
                        399 <= n <= 400 for n in numbers):
                    return flow, comparison, side
    return None


def _not_when_scheduled(view: View, comparison: cst.Comparison, status: cst.BaseExpression):
    """Edits that add ``and not territory_already_scheduled(response)`` to the 400 test, where the
    status is read as ``<response>.status_code``."""
    if not isinstance(status, cst.Attribute) or status.attr.value != "status_code" or len(
            comparison.comparisons) != 1 or not helper_free(view, ALREADY_SCHEDULED):
        return None
    if any(True for _ in descendants(status.value, cst.Call)) or not isinstance(status.value, (cst.Name, cst.Attribute)):
        return None  # ``(r := post(...)).status_code``: naming the response again would send it again
    check = cst.UnaryOperation(cst.Not(), helper_call(view, ALREADY_SCHEDULED, [status.value]))
    parent = view.ctx.parents.get(comparison)
    if isinstance(parent, cst.BooleanOperation) and isinstance(parent.operator, cst.And) and parent.right is comparison:
        # ``x and <400 test>`` gains ``and not ...`` as Python groups it, ``(x and <test>) and not ...``
        # (the tree a parse of the fixed code gives; fixwork.check_fixed relies on that)
        new = cst.BooleanOperation(parent.with_changes(lpar=[], rpar=[]), cst.And(), check,
                                   lpar=parent.lpar, rpar=parent.rpar)
        return [(view.ctx.path, parent, new), (view.ctx.path, None, ALREADY_SCHEDULED)]
    new = cst.BooleanOperation(comparison, cst.And(), check)
    if not isinstance(parent, (cst.If, cst.While, cst.BooleanOperation, cst.Return, cst.Lambda, cst.Arg)) or (
            isinstance(parent, cst.BooleanOperation) and isinstance(parent.operator, cst.Or)):
        new = new.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])  # (A and not B) or C: as read
    return [(view.ctx.path, comparison, new), (view.ctx.path, None, ALREADY_SCHEDULED)]


class RetryOn400(Rule):
    """HTTP 400 from a territory call retried, or taken for an expired token, without reading the code."""

    CODE = "ZL107"
    NAME = "retry-on-400"
    WHY = ("a 400 with code ALREADY_SCHEDULED means a job for the record is still pending; on v2-v6 and "
           "v7+ alike, sending the call again meets the same answer and loops")
    FIX = ("read data[i].code first: refresh the token only on AUTHORIZATION_FAILED/INVALID_TOKEN, "
           "and on ALREADY_SCHEDULED wait for the pending job instead of resending")

    def check(self, view: View) -> Iterator[Finding]:
        yield from self._retrying_predicates(view)
        flows = view.territory_flows()
        if not flows:
            return
        yield from self._retried_raises(view)
        yield from self._loops_left_unless_400(view, flows)
        yield from self._errors_caught_in_loops(view, flows)
        yield from self._mounted_retries(view, flows)
        yield from self._retrying_cases(view, flows)
        function = view.body.node
        for branch in [*view.body.ifs, *view.body.whiles]:  # (a while on 400 that sends again is a retry)
            found = _tests_400(view, branch.test)
            if found is None or self._reads_code(view, branch):
                continue
            flow, comparison, status = found
            if self._retries(view, branch, function, flows):
                yield self.report(view, branch.test,
                                  f"HTTP 400 from {flow.call.describe()} is retried without reading the code "
                                  f"(`{snippet(view, branch.test)}`)", flow,
                                  edits=_not_when_scheduled(view, comparison, status), safety="unsafe")

    def _retrying_cases(self, view: View, flows) -> Iterator[Finding]:
        """``match resp.status_code:`` ``case 400:`` that sends the call again (``return await
        assign(...)``) without reading the code. The fix guards the case: ``case 400 if not
        territory_already_scheduled(resp):``."""
        for match in role_matches(view, Role.STATUS):
            flow = view.role(match.subject)
            for case in match.cases:
                numbers = case_values(view, case.pattern, status_numbers)
                if not numbers or 400 not in numbers or view.reads_code(case) or not self._retries(
                        view, case, view.body.node, flows):
                    continue
                edits = None
                subject = match.subject
                if case.guard is None and isinstance(subject, cst.Attribute) and subject.attr.value == "status_code" \
                        and helper_free(view, ALREADY_SCHEDULED):
                    guard = cst.UnaryOperation(cst.Not(), helper_call(view, ALREADY_SCHEDULED, [subject.value]))
                    edits = [(view.ctx.path, case, case.with_changes(
                        guard=guard, whitespace_before_if=cst.SimpleWhitespace(" "),
                        whitespace_after_if=cst.SimpleWhitespace(" "))), (view.ctx.path, None, ALREADY_SCHEDULED)]
                yield self.report(view, case.pattern,
                                  f"HTTP 400 from {flow.call.describe()} is retried without reading the code "
                                  f"(`match {snippet(view, subject)}: case {snippet(view, case.pattern)}`)", flow,
                                  edits=edits, safety="unsafe")

    def _retrying_predicates(self, view: View) -> Iterator[Finding]:
        """A retry decorator whose result predicate takes a 400 for a reason to send again
        (``@backoff.on_predicate(backoff.expo, lambda r: r.status_code in (400, 429))``)."""
        function = view.body.node
        if not isinstance(function, cst.FunctionDef) or not function.decorators:
            return
        for decorator in function.decorators:
            for bound, predicate, inverted in result_predicates(view, decorator.decorator):
                if inverted:  # retry_if_not_result(lambda r: r.status_code == 400 or r.ok): a 400 stops
                    continue
                found = _tests_400(bound, predicate)
                if found is None or bound.reads_code(predicate):
                    continue
                flow, comparison, status = found
                yield self.report(view, decorator.decorator,
                                  f"HTTP 400 from {flow.call.describe()} is retried by "
                                  f"`{snippet(view, decorator.decorator, 40)}` without reading the code "
                                  f"(`{snippet(bound, comparison)}`)", flow,
                                  edits=_not_when_scheduled(bound, comparison, status), safety="unsafe")
                break

    def _retried_raises(self, view: View) -> Iterator[Finding]:
        """``response.raise_for_status()`` in a function whose decorator retries the exception it
        raises (tenacity's ``retry`` without a ``retry=`` or with ``retry_if_exception_type`` of an
        HTTP error, backoff's ``on_exception``, Celery's ``autoretry_for``): a 400 sends the call again."""
        function = view.body.node
        if not isinstance(function, cst.FunctionDef) or not function.decorators or view.reads_code() or any(
                True for _ in role_sides(view, Role.STATUS)):
            return  # (a function that tests the status itself may keep a 400 from raising)
        raising = next((call for call in view.body.calls if raises_for_status(view, call)), None)
        if raising is None:
            return
        for decorator in function.decorators:
            if retries_http_errors(view, decorator.decorator):
                flow = view.role(raising.func.value)
                yield self.report(view, decorator.decorator,
                                  f"HTTP 400 from {flow.call.describe()} raises in raise_for_status(), and "
                                  f"`{snippet(view, decorator.decorator, 40)}` sends the call again without "
                                  "reading the code", flow)
                return

    def _loops_left_unless_400(self, view: View, flows) -> Iterator[Finding]:
        """``while True: r = post(...)`` ``if r.status_code != 400: break``: a loop that the answer
        leaves on anything but a 400, so a 400 sends the call again."""
        for branch in view.body.ifs:
            found = _tests_400(view, branch.test, negated=True)
            if found is None or not only_leaves(branch):
                continue
            flow, _, _ = found
            loop = enclosing_loop(view, branch)
            if not resends(view, loop, flows) or view.reads_code(loop):
                continue  # (a loop that reads the code may stop on ALREADY_SCHEDULED)
            yield self.report(view, branch.test,
                              f"HTTP 400 from {flow.call.describe()} is retried without reading the code: the "
                              f"loop goes on unless `{snippet(view, branch.test)}`", flow)

    def _errors_caught_in_loops(self, view: View, flows) -> Iterator[Finding]:
        """``for attempt in range(3):`` ``try: ... r.raise_for_status()`` ``except requests.HTTPError:
        time.sleep(2)``: the handler goes round the loop, which sends the call again after a 400."""
        for call in view.body.calls:
            flow = status_raised(view, call)
            guarded = next((node for node in ancestors(view, call) if isinstance(node, cst.Try)), None)
            if flow is None or guarded is None or not resends(view, enclosing_loop(view, guarded), flows):
                continue
            for handler in guarded.handlers:
                if (handler.type is None or names_http_error(handler.type)) and not any(
                        True for kind in (cst.Return, cst.Raise, cst.Break) for _ in descendants(handler.body, kind)
                ) and not view.reads_code(handler):
                    yield self.report(view, handler.type or handler,
                                      f"HTTP 400 from {flow.call.describe()} raises in raise_for_status(), and "
                                      f"`except {snippet(view, handler.type) if handler.type else ''}` goes round "
                                      "the loop to send the call again without reading the code", flow)
                    return

    def _mounted_retries(self, view: View, flows) -> Iterator[Finding]:
        """A session whose mounted adapter retries a 400 POST (``s.mount("https://",
        HTTPAdapter(max_retries=Retry(status_forcelist=[400, ...], allowed_methods=[..., "POST"])))``)
        and then makes a territory call: urllib3 sends it again before the code sees the answer."""
        for call, flow in flows:
            receiver = call.func.value if isinstance(call.func, cst.Attribute) else None
            if not isinstance(receiver, cst.Name) or view.request(call) is None:
                continue
            line = view.ctx.position(call).start.line
            mounts = [mount for mount in view.body.calls if view.ctx.position(mount).start.line < line]
            local = any(bound.definition.owner is view.body.node
                        for bound in view.analyzer.resolver.reaching(view.ctx, receiver))
            if view.body is not view.ctx.top and not local:  # a session of the module's, mounted where it is made
                mounts = view.ctx.top.calls + mounts
            retry = mounted_retry(view, mounts, receiver.value, view.request(call).url)
            if retry is not None:
                yield self.report(view, retry,
                                  f"HTTP 400 from {flow.call.describe()} is retried by "
                                  f"`{snippet(view, retry, 40)}`, mounted on `{receiver.value}`, before the "
                                  "code can read the answer's code", flow)
                return

    @staticmethod
    def _reads_code(view: View, branch: cst.If | cst.While) -> bool:
        return view.reads_code(branch.test) or view.reads_code(branch.body)

    @staticmethod
    def _retries(view: View, branch: cst.If | cst.While | cst.MatchCase, function, flows) -> bool:
        if isinstance(branch, cst.While) and reassigns_arguments(branch.body, [c for c, _ in flows]):
            return False  # ``while r.status_code == 400 and queue: lead_id = queue.pop(0)``: the next record
        for call in view.body.calls:
            if not (view.ctx.is_within(call, branch.body) or isinstance(branch, cst.While)
                    and view.ctx.is_within(call, branch.test)):  # (a while's test runs each pass: the walrus)
                continue
            if any(call is c for c, _ in flows):
                return True
            if any(f.node is function for f in view.callees(call)) or celery_retry(call, function):
                return True
        for node in view.body.continues:
            if view.ctx.is_within(node, branch.body):
                loops = [loop for loop in view.body.loops if view.ctx.is_within(branch, loop)]
                whiles = [n for n in ancestors(view, branch) if isinstance(n, cst.While)]
                if any(resends(view, loop, flows) for loop in [*loops, *whiles]):
                    return True  # (``continue`` in a loop over records goes to the next one)
        return False

    VALID = [
        # policies that make one attempt; a loop over chunks; a while that moves on to the next record
        '''
import backoff, requests
from celery import shared_task
from tenacity import retry, stop_after_attempt
API = "https://www.zohoapis.com/crm/v7"
URL = API + "/Leads/actions/assign_territories"
@retry(stop=stop_after_attempt(1), reraise=True)
def a(p):
    r = requests.post(URL, json=p)
    r.raise_for_status()
    return r.json()
@backoff.on_exception(backoff.expo, requests.HTTPError, max_tries=1)
def b(p):
    r = requests.post(URL, json=p)
    r.raise_for_status()
    return r.json()
@shared_task(autoretry_for=(requests.HTTPError,), max_retries=0)
def c(p):
    requests.post(URL, json=p).raise_for_status()
def chunks(items):
    out = []
    for i in range(0, len(items), 100):
        batch = items[i:i + 100]
        r = requests.post(URL, json={"data": batch})
        if r.status_code == 400:
            continue
        out.append(r.json())
    return out
def candidates(queue, t):
    lead_id = queue.pop(0)
    r = requests.post(f"{API}/Leads/{lead_id}/actions/assign_territories", json=t)
    while r.status_code == 400 and queue:
        lead_id = queue.pop(0)
        r = requests.post(f"{API}/Leads/{lead_id}/actions/assign_territories", json=t)
    return r.json()
''',
        # raise_for_status() that a 4xx never reaches, a policy narrowed to 5xx, a task that does not
        # retry HTTP errors
        '''
import requests
from celery import shared_task
from tenacity import retry, retry_if_exception, retry_if_exception_type, stop_after_attempt
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
@retry(stop=stop_after_attempt(3))
def guarded(p):
    r = requests.post(URL, json=p)
    if 400 <= r.status_code < 500:
        return None
    r.raise_for_status()
    return r.json()
@retry(retry=retry_if_exception_type(requests.HTTPError) & retry_if_exception(lambda e: e.response.status_code >= 500))
def narrowed(p):
    r = requests.post(URL, json=p)
    r.raise_for_status()
    return r.json()
@shared_task(autoretry_for=(Exception,), dont_autoretry_for=(requests.HTTPError,))
def task(p):
    requests.post(URL, json=p).raise_for_status()
''',
        # a loop over records: a 400 (caught, or skipped with continue) goes on to the next record
        '''
import requests
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
def each(items):
    for item in items:
        try:
            requests.post(URL, json={"data": [item]}).raise_for_status()
        except requests.HTTPError:
            print("failed", item)
def skip_failed(items):
    done = []
    for item in items:
        r = requests.post(URL, json={"data": [item]})
        if r.status_code == 400:
            continue
        done.append(r.json()["data"][0]["details"]["job_id"])
    return done
''',
        # a loop left on anything but a 400 that then reads the code; a while on 400 that only waits
        '''
import time, requests
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
def assign(payload, refresh):
    while True:
        r = requests.post(URL, json=payload)
        if r.status_code != 400:
            return r
        if r.json()["data"][0]["code"] != "INVALID_TOKEN":
            raise RuntimeError(r.text)
        refresh()
def sync(payload):
    r = requests.post(URL, json=payload)
    while r.status_code == 400:
        time.sleep(1)
    return r
''',
        # urllib3's Retry with 400 in its status list, but its default methods (no POST is sent again),
        # mounted for another host, or under a longer prefix that retries no 400 (requests takes that one)
        '''
import requests
from requests.adapters import HTTPAdapter
from urllib3 import Retry
def assign(items):
    s = requests.Session()
    s.mount("https://", HTTPAdapter(max_retries=Retry(total=3, status_forcelist=[400, 500])))
    s.mount("https://api.example.com/", HTTPAdapter(max_retries=Retry(status_forcelist=[400], allowed_methods=None)))
    r = s.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={"data": items})
    return r.json()["data"][0]["details"]["job_id"]
SESSION = requests.Session()
SESSION.mount("https://", HTTPAdapter(max_retries=Retry(status_forcelist=[400], allowed_methods=None)))
SESSION.mount("https://www.zohoapis.com/", HTTPAdapter(max_retries=Retry(status_forcelist=[500, 502])))
def remove(items):
    r = SESSION.post("https://www.zohoapis.com/crm/v7/Leads/actions/remove_territories", json={"data": items})
    return r.json()["data"][0]["details"]["job_id"]
''',
        # raise_for_status() retried only on a timeout, by a decorator of the project's own, under a
        # giveup= that may stop a 400, or caught where it is raised
        '''
import backoff, requests
from tenacity import retry, retry_if_exception_type
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
def retry_twice(fn):
    return fn
@retry(retry=retry_if_exception_type(requests.Timeout))
def a(payload):
    r = requests.post(URL, json=payload, timeout=5)
    r.raise_for_status()
    return r.json()
@retry_twice
def b(payload):
    r = requests.post(URL, json=payload)
    r.raise_for_status()
    return r.json()
@backoff.on_exception(backoff.expo, requests.HTTPError, giveup=lambda e: e.response.status_code == 400)
def c(payload):
    r = requests.post(URL, json=payload)
    r.raise_for_status()
    return r.json()
@retry
def d(payload):
    r = requests.post(URL, json=payload)
    try:
        r.raise_for_status()
    except requests.HTTPError:
        return None
    return r.json()
''',
        # a 400 gives up (backoff's giveup=), or stops an inverted predicate (tenacity's retry_if_not_result)
        '''
import backoff, requests
from tenacity import retry, retry_if_not_result
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/remove_territories"
@backoff.on_predicate(backoff.expo, lambda r: r.status_code >= 500, giveup=lambda r: r.status_code == 400)
def remove(payload):
    return requests.post(URL, json=payload)
@retry(retry=retry_if_not_result(lambda r: r.status_code == 400 or r.ok))
def remove_again(payload):
    return requests.post(URL, json=payload)
''',
        # the predicate retries a 400 only for an expired token
        '''
import requests
from tenacity import retry, retry_if_result
@retry(retry=retry_if_result(lambda r: r.status_code == 400 and r.json()["data"][0]["code"] == "INVALID_TOKEN"))
def remove(payload):
    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/remove_territories", json=payload)
''',
        '''
import requests
def assign(session, url, payload, refresh):
    r = session.post(url + "/Leads/actions/assign_territories", json=payload)
    if r.status_code == 400 and r.json()["data"][0]["code"] == "INVALID_TOKEN":
        refresh()
        return assign(session, url, payload, refresh)
    return r
''',
    ]
    INVALID = [
        Invalid(  # a match on the status whose 400 case sends the call again
            """
import asyncio, httpx
async def bulk_assign(client: httpx.AsyncClient, body):
    resp = await client.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=body)
    match resp.status_code:
        case 202:
            return resp.json()
        case 400 | 429:
            await asyncio.sleep(1)
            return await bulk_assign(client, body)
""",
            8, 14,
            "HTTP 400 from assign_territories (v7, Leads) is retried without reading the code "
            "(`match resp.status_code: case 400 | 429`)",
            fixed="""
import asyncio, httpx
from territory_jobs import territory_already_scheduled
async def bulk_assign(client: httpx.AsyncClient, body):
    resp = await client.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=body)
    match resp.status_code:
        case 202:
            return resp.json()
        case 400 | 429 if not territory_already_scheduled(resp):
            await asyncio.sleep(1)
            return await bulk_assign(client, body)
""",
        ),
        Invalid(  # the 400 test one side of an or: the fix keeps it readable with parentheses
            """
import requests
def assign(payload, refresh):
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
    if r.status_code == 400 or r.status_code == 401:
        refresh()
        return assign(payload, refresh)
    return r
""",
            5, 8,
            "HTTP 400 from assign_territories (v7, Leads) is retried without reading the code "
            "(`r.status_code == 400 or r.status_code == 401`)",
            fixed="""
import requests
from territory_jobs import territory_already_scheduled
def assign(payload, refresh):
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
    if (r.status_code == 400 and not territory_already_scheduled(r)) or r.status_code == 401:
        refresh()
        return assign(payload, refresh)
    return r
""",
        ),
        Invalid(  # raise_for_status() in a retry loop whose handler goes round again
            """
import time, requests
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
def assign(payload):
    for attempt in range(3):
        try:
            r = requests.post(URL, json=payload)
            r.raise_for_status()
            return r.json()["data"][0]["details"]["job_id"]
        except requests.HTTPError:
            time.sleep(2)
""",
            10, 16,
            "HTTP 400 from assign_territories (v7, Leads) raises in raise_for_status(), and `except requests.HTTPError` "
            "goes round the loop to send the call again without reading the code",
        ),
        Invalid(  # a while on the 400 that sends the call again
            """
import requests
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
def assign(payload, refresh):
    r = requests.post(URL, json=payload)
    while r.status_code == 400:
        refresh()
        r = requests.post(URL, json=payload)
    return r
""",
            6, 11,
            "HTTP 400 from assign_territories (v7, Leads) is retried without reading the code (`r.status_code == 400`)",
            fixed="""
import requests
from territory_jobs import territory_already_scheduled
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
def assign(payload, refresh):
    r = requests.post(URL, json=payload)
    while r.status_code == 400 and not territory_already_scheduled(r):
        refresh()
        r = requests.post(URL, json=payload)
    return r
""",
        ),
        Invalid(  # a while whose test sends the call (the walrus)
            """
import requests
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
def assign(payload, headers, refresh):
    while (r := requests.post(URL, json=payload, headers=headers)).status_code == 400:
        headers = refresh()
    return r
""",
            5, 11,
            "HTTP 400 from assign_territories (v7, Leads) is retried without reading the code "
            "(`(r := requests.post(URL, json=payload, headers=headers))....`)",
            # (no fix: the response is named by the call itself, which a second mention would send again)
        ),
        Invalid(  # a loop left on anything but a 400
            """
import requests
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
def assign(payload, refresh):
    while True:
        r = requests.post(URL, json=payload)
        if r.status_code != 400:
            return r
        refresh()
""",
            7, 12,
            "HTTP 400 from assign_territories (v7, Leads) is retried without reading the code: the loop goes on "
            "unless `r.status_code != 400`",
        ),
        Invalid(  # ... on a session of the module's
            """
import requests
from requests.adapters import HTTPAdapter
from urllib3 import Retry
session = requests.Session()
session.mount("https://", HTTPAdapter(max_retries=Retry(total=5, status_forcelist=[400, 500], allowed_methods=None)))
def assign(items):
    r = session.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={"data": items})
    return r.json()["data"][0]["details"]["job_id"]
""",
            6, 51,
            "HTTP 400 from assign_territories (v7, Leads) is retried by `Retry(total=5, status_forcelist=[400,...`, "
            "mounted on `session`, before the code can read the answer's code",
        ),
        Invalid(  # urllib3's Retry, mounted on the session, resends a 400 POST
            """
import requests
from requests.adapters import HTTPAdapter
from urllib3 import Retry
RETRY = Retry(total=3, status_forcelist=(400, 429, 500), allowed_methods=None)
def assign(items):
    session = requests.Session()
    session.mount("https://", HTTPAdapter(max_retries=RETRY))
    r = session.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={"data": items})
    return r.json()["data"][0]["details"]["job_id"]
""",
            5, 9,
            "HTTP 400 from assign_territories (v7, Leads) is retried by `Retry(total=3, status_forcelist=(400,...`, "
            "mounted on `session`, before the code can read the answer's code",
        ),
        Invalid(  # raise_for_status() under a decorator that retries the HTTP error it raises
            """
import requests
from tenacity import retry, retry_if_exception_type, stop_after_attempt
@retry(retry=retry_if_exception_type(requests.HTTPError), stop=stop_after_attempt(3))
def assign(rid, headers):
    r = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{rid}/actions/assign_territories", headers=headers)
    r.raise_for_status()
    return r.json()["data"][0]["details"]["job_id"]
""",
            4, 2,
            "HTTP 400 from assign_territories (v7, Leads) raises in raise_for_status(), and "
            "`retry(retry=retry_if_exception_type(r...` sends the call again without reading the code",
        ),
        Invalid(  # ... backoff's on_exception whose giveup= lets only a 400 through
            """
import backoff, requests
@backoff.on_exception(backoff.expo, requests.HTTPError, giveup=lambda e: e.response.status_code not in (400, 429))
def remove(payload):
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/remove_territories", json=payload)
    r.raise_for_status()
    return r.json()
""",
            3, 2,
            "HTTP 400 from remove_territories (v7, Leads) raises in raise_for_status(), and "
            "`backoff.on_exception(backoff.expo, re...` sends the call again without reading the code",
        ),
        Invalid(  # ... backoff's on_exception
            """
import backoff, requests
URL = "https://www.zohoapis.com/crm/v2.1/Leads/actions/remove_territories"
@backoff.on_exception(backoff.expo, requests.exceptions.RequestException, max_tries=4)
def remove(payload):
    resp = requests.post(URL, json=payload)
    resp.raise_for_status()
    return resp.json()
""",
            4, 2,
            "HTTP 400 from remove_territories (v2.1, Leads) raises in raise_for_status(), and "
            "`backoff.on_exception(backoff.expo, re...` sends the call again without reading the code",
        ),
        Invalid(  # ... Celery's autoretry_for
            """
import requests
from celery import shared_task
@shared_task(autoretry_for=(requests.HTTPError,), retry_backoff=True)
def remove_later(payload):
    requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/remove_territories", json=payload).raise_for_status()
""",
            4, 2,
            "HTTP 400 from remove_territories (v7, Leads) raises in raise_for_status(), "
            "and `shared_task(autoretry_for=(requests.H...` sends the call again without reading the code",
        ),
        Invalid(  # a bound Celery task that runs itself again on a 400
            """
import requests
from celery import shared_task
@shared_task(bind=True, max_retries=5)
def assign_task(self, rid, headers):
    r = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{rid}/actions/assign_territories", headers=headers)
    if r.status_code >= 400:
        raise self.retry(countdown=30)
    return r.json()["data"][0]["details"]["job_id"]
""",
            7, 8,
            "HTTP 400 from assign_territories (v7, Leads) is retried without reading the code (`r.status_code >= 400`)",
            fixed="""
import requests
from celery import shared_task
from territory_jobs import territory_already_scheduled
@shared_task(bind=True, max_retries=5)
def assign_task(self, rid, headers):
    r = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{rid}/actions/assign_territories", headers=headers)
    if r.status_code >= 400 and not territory_already_scheduled(r):
        raise self.retry(countdown=30)
    return r.json()["data"][0]["details"]["job_id"]
""",
        ),
        Invalid(  # a retry decorator's result predicate sends the call again on a 400
            """
import backoff, requests
@backoff.on_predicate(backoff.expo, lambda r: r.status_code in (400, 429), max_tries=3)
def remove(payload):
    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/remove_territories", json=payload)
""",
            3, 2,
            "HTTP 400 from remove_territories (v7, Leads) is retried by `backoff.on_predicate(backoff.expo, la...` "
            "without reading the code (`r.status_code in (400, 429)`)",
            fixed="""
import backoff, requests
from territory_jobs import territory_already_scheduled
@backoff.on_predicate(backoff.expo, lambda r: r.status_code in (400, 429) and not territory_already_scheduled(r), max_tries=3)
def remove(payload):
    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/remove_territories", json=payload)
""",
        ),
        Invalid(  # ... a predicate function, by name
            """
import requests
from tenacity import retry, retry_if_result
def again(response):
    return response.status_code >= 400
@retry(retry=retry_if_result(again))
def remove(payload):
    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/remove_territories", json=payload)
""",
            6, 2,
            "HTTP 400 from remove_territories (v7, Leads) is retried by `retry(retry=retry_if_result(again))` "
            "without reading the code (`response.status_code >= 400`)",
            fixed="""
import requests
from tenacity import retry, retry_if_result
from territory_jobs import territory_already_scheduled
def again(response):
    return response.status_code >= 400 and not territory_already_scheduled(response)
@retry(retry=retry_if_result(again))
def remove(payload):
    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/remove_territories", json=payload)
""",
        ),
        Invalid(  # statuses named by HTTPStatus in a tuple
            """
from http import HTTPStatus
import requests
def assign(token, body):
    resp = requests.post("https://www.zohoapis.com/crm/v2.1/Leads/actions/assign_territories", json=body)
    if resp.status_code in (HTTPStatus.UNAUTHORIZED, HTTPStatus.BAD_REQUEST):
        token.refresh()
        return assign(token, body)
    return resp
""",
            6, 8,
            "HTTP 400 from assign_territories (v2.1, Leads) is retried without reading the code "
            "(`resp.status_code in (HTTPStatus.UNAUTHORIZED, HTTPStatus....`)",
            fixed="""
from http import HTTPStatus
import requests
from territory_jobs import territory_already_scheduled
def assign(token, body):
    resp = requests.post("https://www.zohoapis.com/crm/v2.1/Leads/actions/assign_territories", json=body)
    if resp.status_code in (HTTPStatus.UNAUTHORIZED, HTTPStatus.BAD_REQUEST) and not territory_already_scheduled(resp):
        token.refresh()
        return assign(token, body)
    return resp
""",
        ),
        Invalid(
            """
import requests
class Client:
    def assign(self, payload):
        r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
        if r.status_code == 400:
            self.refresh_token()
            return self.assign(payload)
        return r
""",
            6, 12,
            "HTTP 400 from assign_territories (v7, Leads) is retried without reading the code "
            "(`r.status_code == 400`)",
            fixed="""
import requests
from territory_jobs import territory_already_scheduled
class Client:
    def assign(self, payload):
        r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
        if r.status_code == 400 and not territory_already_scheduled(r):
            self.refresh_token()
            return self.assign(payload)
        return r
""",
        ),
        Invalid(
            """
import requests
def assign(payload, refresh):
    while True:
        r = requests.post("https://www.zohoapis.com/crm/v2.1/Leads/actions/assign_territories", json=payload)
        if r.status_code in (400, 401):
            refresh()
            continue
        return r
""",
            6, 12,
            "HTTP 400 from assign_territories (v2.1, Leads) is retried without reading the code "
            "(`r.status_code in (400, 401)`)",
            fixed="""
import requests
from territory_jobs import territory_already_scheduled
def assign(payload, refresh):
    while True:
        r = requests.post("https://www.zohoapis.com/crm/v2.1/Leads/actions/assign_territories", json=payload)
        if r.status_code in (400, 401) and not territory_already_scheduled(r):
            refresh()
            continue
        return r
""",
        ),
        Invalid(
            """
import requests
def assign(session, payload, tokens):
    try:
        r = session.post("https://www.zohoapis.com/crm/v7/Deals/actions/assign_territories", json=payload)
        r.raise_for_status()
        return r
    except requests.HTTPError as error:
        if error.response.status_code == 400:
            tokens.refresh()
            return assign(session, payload, tokens)
        raise
""",
            9, 12,
            "HTTP 400 from assign_territories (v7, Deals) is retried without reading the code "
            "(`error.response.status_code == 400`)",
            fixed="""
import requests
from territory_jobs import territory_already_scheduled
def assign(session, payload, tokens):
    try:
        r = session.post("https://www.zohoapis.com/crm/v7/Deals/actions/assign_territories", json=payload)
        r.raise_for_status()
        return r
    except requests.HTTPError as error:
        if error.response.status_code == 400 and not territory_already_scheduled(error.response):
            tokens.refresh()
            return assign(session, payload, tokens)
        raise
""",
        ),
    ]
