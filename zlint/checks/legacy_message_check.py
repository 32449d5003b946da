"""A territory response's message compared with text."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from zlint.analysis.flow import Role, View
from zlint.analysis.mocks import mocked_test
from zlint.checks.base import Invalid, Rule, role_sides, snippet, texts
from zlint.findings import Finding


class LegacyMessageCheck(Rule):
    """A territory response's message compared with text."""

    CODE = "ZL105"
    NAME = "legacy-message-check"
    SEVERITY = "warning"  # wrong on every version, but a message test rarely gates the flow alone
    WHY = ('v2-v6 now say "Territory assignment process scheduled successfully" (or removal), '
           "and v7+ differ again: the message is prose, not a contract")
    FIX = 'test data[i].code ("SUCCESS" or "SCHEDULED") and read details.job_id instead of the message'

    def check(self, view: View) -> Iterator[Finding]:
        if mocked_test(view):
            return  # (a test's assertion about its own mocked answer: ZL201/ZL202 judge the mock)
        for comparison, flow, operator, other, is_left in role_sides(view, Role.MESSAGE):
            if texts(view, other) is None:
                continue
            message = comparison.left if is_left else comparison.comparisons[-1].comparator
            yield self.report(view, comparison,
                              f"{flow.call.describe()} judged by its message (`{snippet(view, comparison)}`)", flow,
                              edits=_code_test(view, comparison, message, operator))
        for call in view.body.calls:
            func = call.func
            if isinstance(func, cst.Attribute) and func.attr.value in {"startswith", "endswith", "find", "__contains__"}:
                flow = view.role(func.value)
                if flow is not None and flow.role is Role.MESSAGE:
                    yield self.report(view, call,
                                      f"{flow.call.describe()} judged by its message (`{snippet(view, call)}`)", flow)

    VALID = [
        '''
import requests
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    item = r.json()["data"][0]
    print(item["message"])
    return item["details"]["job_id"]
''',
    ]
    INVALID = [
        Invalid(  # the SDK's message is a Choice: its value is compared (Zoho's own sample code)
            """
from zcrmsdk.src.com.zoho.crm.api.record import RecordOperations
def remove(module, record_id, request):
    response = RecordOperations().remove_territories_from_record(module, record_id, request)
    for item in response.get_object().get_data():
        if item.get_message().get_value() == "the territories are removed successfully":
            return True
""",
            6, 12,
            'remove_territories (v2.1) judged by its message (`item.get_message().get_value() == '
            '"the territories are re...`)',
        ),
        Invalid(
            """
import requests
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v2/Leads/actions/assign_territories", json={})
    msg = r.json()["data"][0]["message"]
    if msg == "the territories data updated successfully":
        return r.json()["data"][0]["details"]["job_id"]
""",
            6, 8,
            'assign_territories (v2, Leads) judged by its message '
            '(`msg == "the territories data updated successfully"`)',
        ),
        Invalid(
            """
import requests
def remove():
    r = requests.post("https://www.zohoapis.com/crm/v2/Leads/actions/remove_territories", json={})
    item = r.json()["data"][0]
    return "removed successfully" in item["message"], item["details"]["job_id"]
""",
            6, 12,
            'remove_territories (v2, Leads) judged by its message (`"removed successfully" in item["message"]`)',
            fixed="""
import requests
def remove():
    r = requests.post("https://www.zohoapis.com/crm/v2/Leads/actions/remove_territories", json={})
    item = r.json()["data"][0]
    return item["code"] in ("SUCCESS", "SCHEDULED"), item["details"]["job_id"]
""",
        ),
    ]


def _code_test(view: View, comparison: cst.Comparison, message: cst.BaseExpression, operator):
    """``item["message"] == "..."`` becomes ``item["code"] in ("SUCCESS", "SCHEDULED")``: the same
    item, keyed on its code. Only for a message read straight off the item."""
    if len(comparison.comparisons) != 1:
        return None
    if isinstance(message, cst.Subscript) and len(message.slice) == 1:
        code = f'{view.ctx.code(message.value)}["code"]'
    elif (isinstance(message, cst.Call) and isinstance(message.func, cst.Attribute)
          and message.func.attr.value == "get"):
        code = f'{view.ctx.code(message.func.value)}.get("code")'
    else:
        return None
    negative = isinstance(operator, (cst.NotEqual, cst.IsNot, cst.NotIn))
    test = f'{code} {"not in" if negative else "in"} ("SUCCESS", "SCHEDULED")'
    new = cst.parse_expression(test).with_changes(lpar=comparison.lpar, rpar=comparison.rpar)
    return [(view.ctx.path, comparison, new)]
