"""The functions `zlint fix` copies into a project (zlint/rewrites/territory_jobs.py), run for real
against the Zoho-like server: the cases the four behaviour programs do not reach."""

from __future__ import annotations

import asyncio
import json
import sys
import time
import types

import httpx
import pytest
import requests

from support.zoho_crm import ZohoCrm
from zlint.rewrites import territory_jobs as jobs

TOKEN = "test-token"
AUTH = {"Authorization": f"Zoho-oauthtoken {TOKEN}"}


def _assign(crm: ZohoCrm, version: str = "v7", record: str = "111") -> requests.Response:
    return requests.post(f"{crm.base}/crm/{version}/Leads/actions/assign_territories", headers=AUTH, timeout=10,
                         json={"data": [{"id": record, "Territories": [{"id": "9"}]}]})


def _status_calls(crm: ZohoCrm) -> list:
    return [r for r in crm.log if "get_feature_specific_info" in r.path]


def test_an_old_synchronous_answer_needs_no_status_call():
    with ZohoCrm("legacy") as crm:
        response = _assign(crm)
        assert jobs.wait_for_territory_jobs(response, requests) is response
        assert _status_calls(crm) == [] and crm.territories("111") == ["9"]


@pytest.mark.parametrize("version", ["v2.1", "v5", "v6", "v8"])
def test_the_status_call_goes_to_v6_or_later_of_the_same_module(version):
    with ZohoCrm("v2-v6" if version != "v8" else "v7", job_delay=0.1) as crm:
        jobs.wait_for_territory_jobs(_assign(crm, version), None, first_delay=0.05)
        calls = _status_calls(crm)
        expected = "v6" if version != "v8" else "v8"
        assert calls and all(c.path.startswith(f"/crm/{expected}/Leads/actions/get_feature_specific_info?") for c in calls)
        assert "features=territory_scheduled_jobs" in calls[0].path and "ids=111" in calls[0].path
        assert crm.territories("111") == ["9"] and crm.pending("111") is None


@pytest.mark.parametrize("record", ["", "/111"])
def test_through_a_gateway_the_status_call_takes_the_same_way(record):
    """A URL without /crm/{version} (an API gateway in front of Zoho): the status call goes to the
    same prefix and module, for a bulk call and for a record's."""
    with ZohoCrm("v7", job_delay=0.1, gateway="/zoho") as crm:
        response = requests.post(f"{crm.base}/zoho/Leads{record}/actions/assign_territories", headers=AUTH,
                                 timeout=10, json={"data": [{"id": "111", "Territories": [{"id": "9"}]}]})
        assert response.status_code == 202
        assert jobs.wait_for_territory_jobs(response, requests, first_delay=0.05) is response
        calls = _status_calls(crm)
        assert calls and all(c.path.startswith("/zoho/Leads/actions/get_feature_specific_info?") for c in calls)
        assert crm.territories("111") == ["9"] and crm.pending("111") is None


def test_a_job_that_outlives_the_wait_raises_timeout_naming_the_record():
    with ZohoCrm("v7", job_delay=30) as crm:
        started = time.monotonic()
        with pytest.raises(TimeoutError, match=r"still pending after 0\.3 s for records \['111'\]"):
            jobs.wait_for_territory_jobs(_assign(crm), requests, timeout=0.3, first_delay=0.1)
        assert time.monotonic() - started < 2  # bounded: no poll after the deadline
        assert len(_status_calls(crm)) >= 2  # with backoff, not one long sleep


def test_a_failing_status_call_is_an_error_not_a_silent_success():
    with ZohoCrm("v7") as crm:
        response = _assign(crm)
        response.request.headers["Authorization"] = "Zoho-oauthtoken wrong"
        with pytest.raises(RuntimeError, match="HTTP 401"):
            jobs.wait_for_territory_jobs(response, requests)


def test_async_wait_without_a_client_polls_in_a_thread():
    async def scenario(crm):
        async with httpx.AsyncClient() as client:
            response = await client.post(f"{crm.base}/crm/v7/Leads/actions/assign_territories", headers=AUTH,
                                         json={"data": [{"id": "222", "Territories": [{"id": "9"}]}]})
        return await jobs.await_territory_jobs(response, None, first_delay=0.05)

    with ZohoCrm("v7", job_delay=0.1) as crm:
        asyncio.run(scenario(crm))
        assert crm.territories("222") == ["9"]


def test_already_scheduled_is_recognised_and_other_answers_are_not():
    with ZohoCrm("v7", job_delay=5) as crm:
        first = _assign(crm)
        second = _assign(crm)
        assert second.status_code == 400
        assert (jobs.territory_already_scheduled(first), jobs.territory_already_scheduled(second)) == (False, True)
        not_json = types.SimpleNamespace(json=lambda: json.loads("<html>"))
        assert jobs.territory_already_scheduled(not_json) is False


class _OldSdkItem:  # what zohocrmsdk 2-1/5-0/6-0 hand back: a SuccessResponse without job_id
    def __init__(self, record):
        self._record = record

    def get_details(self):
        return {"id": self._record}


_OldSdkItem.__name__ = "SuccessResponse"


class _Sdk21Token:
    """zohocrmsdk2-1's OAuthToken: no get_token(); authenticate() adds the header to a request."""

    def authenticate(self, url_connection):
        url_connection.add_header("Authorization", "Zoho-oauthtoken " + TOKEN)


@pytest.mark.parametrize("token", [types.SimpleNamespace(get_token=lambda: TOKEN), _Sdk21Token()],
                         ids=["sdk-5-0-and-later", "sdk-2-1"])
def test_an_older_sdk_response_is_awaited_by_record_id(monkeypatch, tmp_path, token):
    """No get_response_json(): the wait lasts until no job is listed for the records."""
    with ZohoCrm("v2-v6", job_delay=0.2) as crm:
        _assign(crm, "v6", "333")
        assert crm.pending("333") is not None
        initializer = types.SimpleNamespace(environment=types.SimpleNamespace(url=crm.base + "/"), token=token)
        package = tmp_path / "zohocrmsdk" / "src" / "com" / "zoho" / "crm" / "api"
        package.mkdir(parents=True)
        (package / "initializer.py").write_text("class Initializer:\n    current = None\n\n"
                                                "    @staticmethod\n    def get_initializer():\n"
                                                "        return Initializer.current\n")
        monkeypatch.syspath_prepend(str(tmp_path))
        for name in [n for n in sys.modules if n == "zohocrmsdk" or n.startswith("zohocrmsdk.")]:
            monkeypatch.delitem(sys.modules, name)  # another test may have imported the fake SDK
        from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer

        Initializer.current = initializer
        response = types.SimpleNamespace(get_object=lambda: types.SimpleNamespace(get_data=lambda: [_OldSdkItem("333")]))
        jobs.wait_for_sdk_territory_jobs(response, "Leads", first_delay=0.05)
        assert crm.pending("333") is None and crm.territories("333") == ["9"]
        assert all("ids=333" in c.path and c.path.startswith("/crm/v6/Leads/") for c in _status_calls(crm))
        assert {c.status for c in _status_calls(crm)} <= {200, 204}  # the server takes only the right token
