"""``isinstance(item, SuccessResponse)`` on a territory SDK answer taken as completion."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from zlint.analysis.flow import Role, View
from zlint.catalogue import load_catalogue
from zlint.checks.base import Invalid, Rule
from zlint.findings import Finding


class SdkSuccessResponseAsDone(Rule):
    """``isinstance(item, SuccessResponse)`` on a territory SDK answer taken as completion."""

    CODE = "ZL109"
    NAME = "sdk-success-response-as-done"
    WHY = ("no Zoho SDK models SCHEDULED: on v2-v6 and v7+ a scheduled item still converts to a "
           "SuccessResponse, so this test passes while the job is pending")
    FIX = ("after the SuccessResponse test, wait for the record's job: on SDK 7-0/8-0 take job_id from "
           "response.get_response_json(); on older SDKs poll get_feature_specific_info by record id")

    def check(self, view: View) -> Iterator[Finding]:
        success = load_catalogue().sdk_success_class
        for call in view.body.calls:
            if not (isinstance(call.func, cst.Name) and call.func.value == "isinstance" and len(call.args) == 2):
                continue
            flow = view.role(call.args[0].value)
            if flow is None or flow.role is not Role.ITEM or not flow.sdk:
                continue
            classes = call.args[1].value
            candidates = [e.value for e in classes.elements] if isinstance(classes, cst.Tuple) else [classes]
            if not any(view.analyzer.calls.sdk_class(view.ctx, c, success) for c in candidates):
                continue
            if view.job_handled():
                continue
            yield self.report(view, call,
                              f"{success} from {flow.call.describe()} taken as done; the job is never awaited", flow)

    VALID = [
        # a SuccessResponse of some other SDK call
        '''
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations, SuccessResponse
def create(request):
    response = RecordOperations("Leads").create_records(request)
    for item in response.get_object().get_data():
        if isinstance(item, SuccessResponse):
            print("created")
''',
    ]
    INVALID = [
        Invalid(
            """
from zcrmsdk.src.com.zoho.crm.api.record import RecordOperations, SuccessResponse
def assign(request):
    response = RecordOperations().assign_territories_to_multiple_records("Leads", request)
    return [isinstance(item, SuccessResponse) for item in response.get_object().get_data()]
""",
            5, 13,
            "SuccessResponse from assign_territories (v2.1, Leads) taken as done; the job is never awaited",
        ),
        Invalid(  # the names imported with * from the SDK, as Zoho's samples do
            """
from zohocrmsdk.src.com.zoho.crm.api.record import *
def assign(request):
    response = RecordOperations("Leads").assign_territories_to_multiple_records(request)
    for item in response.get_object().get_data():
        if isinstance(item, SuccessResponse):
            print(item.get_status().get_value())
""",
            6, 12,
            "SuccessResponse from assign_territories (Leads) taken as done; the job is never awaited",
        ),
    ]
