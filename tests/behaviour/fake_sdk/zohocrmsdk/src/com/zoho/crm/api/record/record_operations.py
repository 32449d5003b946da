from ..exception import SDKException
from ..util import Choice, CommonAPIHandler
from .action_wrapper import ActionWrapper
from .api_exception import APIException
from .body_wrapper import BodyWrapper
from .record import Record
from .response_wrapper import ResponseWrapper
from .success_response import SuccessResponse

API_VERSION = "v8"  # zohocrmsdk8-0 always calls /crm/v8/

# The keys of "details" the real SDK models (its json_details.json); it drops every other key,
# such as "job_id" on a scheduled answer.
SUCCESS_DETAIL_KEYS = ("Modified_Time", "Modified_By", "Created_Time", "id", "Created_By", "External_Contact_ID",
                       "$approval_state", "Contacts", "Deals", "Accounts")
ERROR_DETAIL_KEYS = ("permissions", "duplicate_record", "param_name", "api_name", "id", "module", "expected_data_type",
                     "index", "maximum_length", "mapped_field", "reason", "operator", "allowed_count", "limit",
                     "json_path", "parent_api_name", "param", "resource_path_index", "External")


def _item(answer):
    """One data[] item (or a whole error body) as SuccessResponse or APIException."""
    success = answer.get("status") == "success"
    item, keys = (SuccessResponse(), SUCCESS_DETAIL_KEYS) if success else (APIException(), ERROR_DETAIL_KEYS)
    item.set_status(Choice(answer.get("status")))
    item.set_code(Choice(answer.get("code")))
    item.set_message(Choice(answer.get("message")))
    item.set_details({k: v for k, v in (answer.get("details") or {}).items() if k in keys})
    return item


def _action_answer(payload):
    if not isinstance(payload.get("data"), list):
        return _item(payload)
    wrapper = ActionWrapper()
    wrapper.set_data([_item(answer) for answer in payload["data"]])
    return wrapper


def _record_answer(payload):
    if not isinstance(payload.get("data"), list):
        return _item(payload)
    records = []
    for fields in payload["data"]:
        record = Record()
        for name, value in fields.items():  # fields without metadata stay plain JSON (dicts, lists)
            record.add_key_value(name, int(value) if name == "id" and str(value).isdigit() else value)
        records.append(record)
    wrapper = ResponseWrapper()
    wrapper.set_data(records)
    return wrapper


class RecordOperations(object):
    """The record calls of one module; the four territory calls and get_record, as in 6-0/7-0/8-0."""

    def __init__(self, module_api_name):
        self.__module_api_name = module_api_name

    def __call(self, method, path, request=None, convert=_action_answer):
        if request is not None and not isinstance(request, BodyWrapper):
            raise SDKException("DATA TYPE ERROR", "KEY: request EXPECTED TYPE: BodyWrapper")
        api_path = f"/crm/{API_VERSION}/{self.__module_api_name}{path}"
        return CommonAPIHandler().api_call(method, api_path, request, convert)

    @staticmethod
    def __check_id(id):
        if not isinstance(id, int):
            raise SDKException("DATA TYPE ERROR", "KEY: id EXPECTED TYPE: int")

    def get_record(self, id, param_instance=None, header_instance=None):
        self.__check_id(id)
        return self.__call("GET", f"/{id}", convert=_record_answer)

    def assign_territories_to_multiple_records(self, request):
        return self.__call("POST", "/actions/assign_territories", request)

    def assign_territory_to_record(self, id, request):
        self.__check_id(id)
        return self.__call("POST", f"/{id}/actions/assign_territories", request)

    def remove_territories_from_multiple_records(self, request):
        return self.__call("POST", "/actions/remove_territories", request)

    def remove_territories_from_record(self, id, request):
        self.__check_id(id)
        return self.__call("POST", f"/{id}/actions/remove_territories", request)
