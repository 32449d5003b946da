"""The documented answer shapes of the territory endpoints, as (status, body) pairs."""

from __future__ import annotations

RECORD = "4876876000000412001"
JOB = "4876876000000412345"

LEGACY = (200, {"data": [{"code": "SUCCESS", "details": {"id": RECORD},
                          "message": "the territories data updated successfully", "status": "success"}]})
SCHEDULED_V2 = (200, {"data": [{"code": "SUCCESS", "details": {"id": RECORD, "job_id": JOB},
                                "message": "Territory assignment process scheduled successfully",
                                "status": "success"}]})
SCHEDULED_V7 = (202, {"data": [{"code": "SCHEDULED", "details": {"id": RECORD, "job_id": JOB},
                                "message": "Territory assignment process scheduled successfully",
                                "status": "success"}]})
MULTI_STATUS_V7 = (207, {"data": [
    {"code": "SCHEDULED", "details": {"id": RECORD, "job_id": JOB},
     "message": "Territory removal process scheduled successfully", "status": "success"},
    {"code": "INVALID_DATA", "details": {"api_name": "id", "json_path": "$.data[1].Territories[0].id"},
     "message": "invalid data", "status": "error"},
]})
ALREADY_SCHEDULED = (400, {"data": [{"code": "ALREADY_SCHEDULED", "details": {"id": RECORD},
                                     "message": "a job is already scheduled for this record", "status": "error"}]})
URL_ERROR = (400, {"code": "INVALID_DATA", "details": {"resource_path_index": 0},
                   "message": "the module name given seems to be invalid", "status": "error"})
JOB_STATUS = (200, {"territory_scheduled_jobs": [{"id": RECORD, "job_id": JOB, "source": "manual_territory_assignment"}]})

# near misses: answers no version of the API gives
V7_200_SCHEDULED = (200, SCHEDULED_V7[1])
V6_202 = (202, {"data": [{"code": "SCHEDULED", "details": {"id": RECORD},
                          "message": "Territory assignment process scheduled successfully", "status": "success"}]})
V7_NO_JOB_ID = (202, {"data": [{"code": "SCHEDULED", "details": {"id": RECORD},
                                "message": "Territory assignment process scheduled successfully",
                                "status": "success"}]})
