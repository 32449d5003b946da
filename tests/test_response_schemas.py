"""Each response contract accepts its documented examples and refuses near misses."""

from __future__ import annotations

import copy

import pytest

from support import zoho_answers as answers
from zlint.recordings.contracts import classify


def _with(answer, mutate):
    status, body = copy.deepcopy(answer)
    return mutate(status, body)


@pytest.mark.parametrize(("version", "answer", "contract"), [
    ("v2.1", answers.LEGACY, "legacy-sync"),
    ("v7", answers.LEGACY, "legacy-sync"),
    ("v2.1", answers.SCHEDULED_V2, "scheduled-v2-v6"),
    ("v6", answers.SCHEDULED_V2, "scheduled-v2-v6"),
    ("v7", answers.SCHEDULED_V7, "scheduled-v7"),
    ("v8", answers.SCHEDULED_V7, "scheduled-v7"),
    ("v7", answers.MULTI_STATUS_V7, "multi-status"),
    ("v7", (400, answers.MULTI_STATUS_V7[1]), "multi-status"),
    ("v7", answers.ALREADY_SCHEDULED, "record-errors"),
    ("v2.1", answers.ALREADY_SCHEDULED, "record-errors"),
    ("v7", answers.URL_ERROR, "url-error"),
    ("v5", (401, {"code": "AUTHORIZATION_FAILED", "details": {}, "message": "x", "status": "error"}), "url-error"),
    (None, answers.SCHEDULED_V7, "scheduled-v7"),
])
def test_documented_answers_follow_their_contract(version, answer, contract):
    verdict = classify(version, *answer)
    assert (verdict.contract, verdict.errors) == (contract, ())
    assert verdict.stale == (contract == "legacy-sync")


@pytest.mark.parametrize(("job_answer"), [answers.JOB_STATUS, (204, None)])
def test_job_status_answers(job_answer):
    assert classify("v7", *job_answer, job_status=True).contract == "job-status"


def test_job_status_refuses_an_error_status():
    verdict = classify("v7", 500, {"code": "INTERNAL_ERROR"}, job_status=True)
    assert verdict.contract is None and verdict.errors[0].path == ("status",)


NEAR_MISSES = [
    # (version, answer, closest contract, expected (path, message) errors)
    ("v7", answers.V7_200_SCHEDULED, "scheduled-v7", [(("status",), "202 was expected")]),
    ("v6", answers.V6_202, "scheduled-v2-v6", [
        (("body", "data", 0, "code"), "'SUCCESS' was expected"),
        (("body", "data", 0, "details"), "'job_id' is a required property"),
        (("status",), "200 was expected"),
    ]),
    ("v7", answers.V7_NO_JOB_ID, "scheduled-v7", [(("body", "data", 0, "details"), "'job_id' is a required property")]),
    ("v7", _with(answers.SCHEDULED_V7, lambda s, b: (s, b["data"][0].update(code="SUCCESS") or b)), "scheduled-v7",
     [(("body", "data", 0, "code"), "'SCHEDULED' was expected")]),
    ("v2.1", _with(answers.SCHEDULED_V2, lambda s, b: (s, b["data"][0].update(status="ok") or b)), "scheduled-v2-v6",
     [(("body", "data", 0, "status"), "'success' was expected")]),
    ("v7", _with(answers.SCHEDULED_V7, lambda s, b: (s, b["data"][0]["details"].update(id="abc") or b)),
     "scheduled-v7", [(("body", "data", 0, "details", "id"), "'abc' is not valid under any of the given schemas")]),
    ("v7", (202, {"data": []}), "scheduled-v7", [(("body", "data"), "[] should be non-empty")]),
]


@pytest.mark.parametrize(("version", "answer", "closest", "errors"), NEAR_MISSES)
def test_near_misses_fail_with_every_error(version, answer, closest, errors):
    verdict = classify(version, *answer)
    assert verdict.contract is None
    assert verdict.closest == closest
    assert [(e.path, e.message) for e in verdict.errors] == errors


@pytest.mark.parametrize(("operation", "status", "fits"), [
    ("remove", 207, True), ("assign", 400, True), ("assign", 207, False), ("remove", 400, False), (None, 207, True),
    (None, 400, True)])
def test_a_partial_failure_answers_400_to_assign_and_207_to_remove(operation, status, fits):
    verdict = classify("v7", status, answers.MULTI_STATUS_V7[1], operation=operation)
    if fits:
        assert (verdict.contract, verdict.errors) == ("multi-status", ())
    else:
        assert verdict.contract is None
        if operation == "assign":  # (a 400 to remove is closest to the all-error answer)
            assert verdict.closest == "multi-status"
            assert [(e.path, e.message) for e in verdict.errors] == [(("status",), "400 was expected")]


def test_v2_v6_scheduled_answer_is_not_a_v7_answer():
    verdict = classify("v7", *answers.SCHEDULED_V2)
    assert verdict.contract is None and verdict.closest == "scheduled-v7"


def test_schemas_are_not_fetched(monkeypatch):
    """$refs resolve from the package: a registry lookup of anything else fails instead of fetching."""
    import urllib.request

    def refuse(*args, **kwargs):
        raise AssertionError("network access")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    from zlint.recordings import contracts

    contracts._validators.cache_clear()
    assert classify("v7", *answers.SCHEDULED_V7).contract == "scheduled-v7"


PER_SCHEMA_NEAR_MISSES = [
    # (contract, status, body): one step away from a documented answer
    ("legacy-sync", 200, {"data": [{"code": "SUCCESS", "details": {"id": "1", "job_id": "2"}, "status": "success"}]}),
    ("legacy-sync", 201, answers.LEGACY[1]),
    ("scheduled-v2-v6", 200, answers.LEGACY[1]),
    ("scheduled-v7", 202, answers.SCHEDULED_V2[1]),
    ("multi-status", 207, {"data": answers.SCHEDULED_V7[1]["data"] * 2}),  # no error item
    ("multi-status", 202, answers.MULTI_STATUS_V7[1]),
    ("record-errors", 400, {"data": answers.SCHEDULED_V7[1]["data"]}),
    ("record-errors", 200, answers.ALREADY_SCHEDULED[1]),
    ("url-error", 400, {**answers.URL_ERROR[1], "data": []}),
    ("url-error", 400, {**answers.URL_ERROR[1], "status": "success"}),
    ("job-status", 500, None),
    ("job-status", 200, []),
]


@pytest.mark.parametrize(("contract", "status", "body"), PER_SCHEMA_NEAR_MISSES)
def test_each_schema_refuses_its_near_misses(contract, status, body):
    from zlint.recordings.contracts import _errors

    assert _errors(contract, {"status": status, "body": body}, ignore_status=False)
