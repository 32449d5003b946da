"""``job_id`` read from an SDK item's ``get_details()``, where the SDK has dropped it."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from zlint.analysis.flow import Role, View
from zlint.checks.base import Invalid, Rule
from zlint.findings import Finding


class SdkJobIdFromDetails(Rule):
    """``job_id`` read from an SDK item's ``get_details()``, where the SDK has dropped it."""

    CODE = "ZL110"
    NAME = "sdk-job-id-from-details"
    WHY = ("the SDK's converter copies only modelled keys into get_details(), and no SDK models job_id: "
           "on v2-v6 and v7+ the key is always missing")
    FIX = ('on SDK 7-0/8-0 read response.get_response_json()["data"][i]["details"]["job_id"]; '
           "on 2-1/5-0/6-0 poll get_feature_specific_info by record id")

    def check(self, view: View) -> Iterator[Finding]:
        for node in [*view.body.subscripts, *view.body.calls]:
            base = node.value if isinstance(node, cst.Subscript) else (
                node.func.value if isinstance(node.func, cst.Attribute) else None)
            if base is None:
                continue
            flow = view.role(node)
            base_flow = view.role(base)
            if flow is None or flow.role is not Role.JOB_ID or base_flow is None or base_flow.role is not Role.SDK_DETAILS:
                continue
            yield self.report(view, node,
                              f"job_id read from get_details() of {flow.call.describe()}: the SDK drops that key",
                              flow)

    VALID = [
        '''
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
def assign(request):
    response = RecordOperations("Leads").assign_territories_to_multiple_records(request)
    return [d["details"]["job_id"] for d in response.get_response_json()["data"]]
''',
    ]
    INVALID = [
        Invalid(
            """
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
def assign(request):
    response = RecordOperations("Leads").assign_territories_to_multiple_records(request)
    item = response.get_object().get_data()[0]
    return item.get_details().get("job_id")
""",
            6, 12,
            "job_id read from get_details() of assign_territories (Leads): the SDK drops that key",
        ),
    ]
