"""HTTP 400 from a territory call retried, or taken for an expired token, without reading the code."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from zlint.analysis.flow import Role, View
from zlint.checks.base import EQUALITY, MEMBERSHIP, Invalid, Rule, comparison_pairs, snippet, status_numbers
from zlint.findings import Finding


def _tests_400(view: View, test: cst.BaseExpression):
    """The territory flow whose status the test compares with 400 (or a 4xx range), if any."""
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
                if isinstance(operator, EQUALITY + MEMBERSHIP) and 400 in numbers and not isinstance(
                        operator, (cst.NotEqual, cst.IsNot, cst.NotIn)):
                    return flow
                if isinstance(operator, (cst.GreaterThanEqual, cst.GreaterThan)) and side is left and any(
                        399 <= n <= 400 for n in numbers):
                    return flow
    return None


class RetryOn400(Rule):
    """HTTP 400 from a territory call retried, or taken for an expired token, without reading the code."""

    CODE = "ZL107"
    NAME = "retry-on-400"
    WHY = ("a 400 with code ALREADY_SCHEDULED means a job for the record is still pending; on v2-v6 and "
           "v7+ alike, sending the call again meets the same answer and loops")
    FIX = ("read data[i].code first: refresh the token only on AUTHORIZATION_FAILED/INVALID_TOKEN, "
           "and on ALREADY_SCHEDULED wait for the pending job instead of resending")

    def check(self, view: View) -> Iterator[Finding]:
        flows = view.territory_flows()
        if not flows:
            return
        function = view.body.node
        for branch in view.body.ifs:
            flow = _tests_400(view, branch.test)
            if flow is None or self._reads_code(view, branch):
                continue
            if self._retries(view, branch, function, flows):
                yield self.report(view, branch.test,
                                  f"HTTP 400 from {flow.call.describe()} is retried without reading the code "
                                  f"(`{snippet(view, branch.test)}`)", flow)

    @staticmethod
    def _reads_code(view: View, branch: cst.If) -> bool:
        for node in [*view.body.subscripts, *view.body.calls]:
            if view.ctx.is_within(node, branch.test) or view.ctx.is_within(node, branch.body):
                flow = view.role(node)
                if flow is not None and flow.role is Role.CODE:
                    return True
        return False

    @staticmethod
    def _retries(view: View, branch: cst.If, function, flows) -> bool:
        for call in view.body.calls:
            if not view.ctx.is_within(call, branch.body):
                continue
            if any(call is c for c, _ in flows):
                return True
            if any(f.node is function for f in view.callees(call)):
                return True
        for node in view.body.continues:
            if view.ctx.is_within(node, branch.body):
                loops = [loop for loop in view.body.loops if view.ctx.is_within(branch, loop)]
                whiles = [n for n in _ancestors(view, branch) if isinstance(n, cst.While)]
                for loop in [*loops, *whiles]:
                    if any(view.ctx.is_within(c, loop) for c, _ in flows):
                        return True
        return False

    VALID = [
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
        ),
    ]


def _ancestors(view: View, node: cst.CSTNode):
    current = view.ctx.parents.get(node)
    while current is not None:
        yield current
        current = view.ctx.parents.get(current)
