"""The Python rules, one per module. ``ALL_RULES`` lists them in code order."""

from zlint.checks.base import Rule
from zlint.checks.below_target_version import BelowTargetVersion
from zlint.checks.legacy_message_check import LegacyMessageCheck
from zlint.checks.read_after_write import ReadAfterWrite
from zlint.checks.repeated_call_in_loop import RepeatedCallInLoop
from zlint.checks.retry_on_400 import RetryOn400
from zlint.checks.retry_without_202 import RetryWithout202
from zlint.checks.sdk_job_id_from_details import SdkJobIdFromDetails
from zlint.checks.sdk_success_response_as_done import SdkSuccessResponseAsDone
from zlint.checks.status_200_success import Status200Success
from zlint.checks.success_code_check import SuccessCodeCheck
from zlint.checks.unhandled_territory_job import UnhandledTerritoryJob

ALL_RULES: tuple[type[Rule], ...] = (
    UnhandledTerritoryJob,
    Status200Success,
    RetryWithout202,
    SuccessCodeCheck,
    LegacyMessageCheck,
    ReadAfterWrite,
    RetryOn400,
    RepeatedCallInLoop,
    SdkSuccessResponseAsDone,
    SdkJobIdFromDetails,
    BelowTargetVersion,
)
