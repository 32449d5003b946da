# ruff: noqa: F401  (package re-exports, as in the real SDK)
from .territory import Territory
from .record import Record
from .body_wrapper import BodyWrapper
from .success_response import SuccessResponse
from .api_exception import APIException
from .action_wrapper import ActionWrapper
from .response_wrapper import ResponseWrapper
from .record_operations import RecordOperations
