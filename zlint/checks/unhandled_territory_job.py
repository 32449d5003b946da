"""A territory call whose scheduled job is never awaited."""

from __future__ import annotations

from collections.abc import Iterator

from zlint.analysis.flow import Role, View, value_dropped
from zlint.analysis.mocks import mocked_test
from zlint.catalogue import load_catalogue
from zlint.checks.base import Invalid, Rule
from zlint.findings import Finding
from zlint.rewrites.jobwait import wait_blocked_by, wait_edits


class UnhandledTerritoryJob(Rule):
    """A territory call whose scheduled job is never awaited."""

    CODE = "ZL101"
    NAME = "unhandled-territory-job"
    WHY = ("v2-v6 may answer 200 SUCCESS while the job only waits to run; v7+ answer 202 SCHEDULED: "
           "in both the territories are not changed yet when the call returns")
    FIX = ("read data[i].details.job_id and poll get_feature_specific_info?features=territory_scheduled_jobs "
           "by record id until the job is gone, with a bounded wait")

    SDK_FIX = ("poll get_feature_specific_info?features=territory_scheduled_jobs by record id until no job is "
               "listed, with a bounded wait; only SDK 7-0/8-0 give the job_id, in "
               'response.get_response_json()["data"][i]["details"]["job_id"]')

    def check(self, view: View) -> Iterator[Finding]:
        flows = view.territory_flows()
        if not flows or view.forwards() or view.job_handled() or mocked_test(view):
            return  # (a test whose answers are mocks or cassettes schedules no job to wait for)
        for call, flow in flows:
            what = flow.call.describe()
            sdk = flow.call.client.startswith("zohocrmsdk")
            if value_dropped(view.ctx, call):
                handed = "job_id" if flow.role is Role.JOB_ID else "response"  # (a wrapper's return)
                message = f"the {handed} of {what} is discarded: the job it schedules is never awaited"
            elif sdk and load_catalogue().era(flow.call.version) != "v7+":  # (only 7-0/8-0 give the job_id)
                given = " (this SDK gives no job_id)" if flow.call.version else ""
                message = f"nothing waits for the job that {what} schedules{given}"
            else:
                message = f"job_id of {what} is never read and nothing waits for the job"
            edits = wait_edits(view, call, flow)
            fix = self.SDK_FIX if sdk else self.FIX
            blocked = wait_blocked_by(view, call, flow) if edits is None else None
            if blocked is not None:
                fix += (f"; zlint fix writes no wait here, as {blocked} is not zlint's (rename it"
                        f"{', or set job-helper' if view.analyzer.job_helper is None else ''})")
            yield self.report(view, call, message, flow, edits=edits, safety="unsafe", fix=fix)

    VALID = [
        # the job is awaited through the feature-specific-info call
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id, territory_id, headers):
    r = requests.post(f"{BASE}/Leads/actions/assign_territories", json={}, headers=headers)
    job_id = r.json()["data"][0]["details"]["job_id"]
    requests.get(f"{BASE}/Leads/actions/get_feature_specific_info",
                 params={"features": "territory_scheduled_jobs", "ids": record_id})
''',
        # a wait helper that names the status call by constants only
        '''
import time
API = "https://www.zohoapis.com/crm/v7"
FEATURE = "territory_scheduled_jobs"
STATUS_PATH = "actions/get_feature_specific_info"
def _pending(session, module, ids):
    r = session.get(f"{API}/{module}/{STATUS_PATH}", params={"features": FEATURE, "ids": ",".join(ids)})
    return r.status_code != 204 and bool(r.json().get("data"))
def assign(session, module, ids):
    session.post(f"{API}/{module}/actions/assign_territories", json={"data": []})
    while _pending(session, module, ids):
        time.sleep(3)
''',
        # the wait handed to a Celery task that polls the job status (a task that does not: ZL101)
        '''
import requests
from celery import shared_task
API = "https://www.zohoapis.com/crm/v6"
@shared_task(bind=True)
def confirm(self, module, ids, headers):
    r = requests.get(f"{API}/{module}/actions/get_feature_specific_info",
                     params={"features": "territory_scheduled_jobs", "ids": ",".join(ids)}, headers=headers)
    if r.status_code != 204:
        raise self.retry(countdown=5)
def assign(module, ids, headers):
    requests.post(f"{API}/{module}/actions/assign_territories", json={}, headers=headers).raise_for_status()
    confirm.delay(module, ids, headers)
def remove(module, ids, headers):
    requests.post(f"{API}/{module}/actions/remove_territories", json={}, headers=headers).raise_for_status()
    confirm.apply_async(args=(module, ids, headers), countdown=5)
''',
        # a wrapper that waits for the job and hands back the job_ids: its caller may drop them; one
        # that hands back the job_ids to a caller that waits for them
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def wait_for(module, ids):
    requests.get(f"{BASE}/{module}/actions/get_feature_specific_info",
                 params={"features": "territory_scheduled_jobs", "ids": ",".join(ids)})
def assign_and_wait(ids):
    r = requests.post(f"{BASE}/Leads/actions/assign_territories", json={"data": [{"id": i} for i in ids]})
    jobs = [item["details"]["job_id"] for item in r.json()["data"]]
    wait_for("Leads", ids)
    return jobs
def assign(ids):
    r = requests.post(f"{BASE}/Deals/actions/assign_territories", json={"data": [{"id": i} for i in ids]})
    return [item["details"]["job_id"] for item in r.json()["data"]]
def run(ids):
    assign_and_wait(ids)
    jobs = assign(ids)
    wait_for("Deals", ids)
    return len(jobs)
''',
        # the answers collected into a list or a dict that is handed back
        '''
import requests
API = "https://www.zohoapis.com/crm/v7"
def assign_all(ids):
    results = []
    for lead_id in ids:
        r = requests.post(f"{API}/Leads/{lead_id}/actions/assign_territories", json={})
        results.append(r.json())
    return results
def by_id(ids):
    out = {}
    for lead_id in ids:
        out[lead_id] = requests.post(f"{API}/Leads/{lead_id}/actions/assign_territories", json={})
    return out
''',
        # a wrapper returns the response: its callers are checked instead
        '''
import requests
def assign(url_base, payload):
    return requests.post(url_base + "/Deals/actions/assign_territories", json=payload)
''',
        # the job ids read from each of many answers: gathered, or made in a comprehension
        '''
import asyncio
import httpx
BASE = "https://www.zohoapis.com/crm/v7"
async def assign_all(client: httpx.AsyncClient, records, queue):
    responses = await asyncio.gather(*(client.post(f"{BASE}/Leads/{r}/actions/assign_territories", json={})
                                       for r in records))
    for resp in responses:
        for item in resp.json()["data"]:
            queue.put(item["details"]["job_id"])
''',
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign_all(records):
    answers = [requests.post(f"{BASE}/Leads/{r}/actions/assign_territories", json={}) for r in records]
    return [answer.json()["data"][0]["details"]["job_id"] for answer in answers]
''',
        # the response handed on in a tuple, inside another value
        '''
import requests
def post(payload):
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/remove_territories", json=payload)
    return r.status_code, {"response": r}
''',
        # the job_id is read and handed on
        '''
import httpx
async def remove(client: httpx.AsyncClient, ids):
    resp = await client.post("https://www.zohoapis.eu/crm/v8/Accounts/actions/remove_territories", json={})
    return [item["details"]["job_id"] for item in resp.json()["data"]]
''',
        # the job_ids are read from each response of a tuple or a named list
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign(lead_id, deal_id):
    a = requests.post(f"{BASE}/Leads/{lead_id}/actions/assign_territories", json={})
    b = requests.post(f"{BASE}/Deals/{deal_id}/actions/assign_territories", json={})
    return [x.json()["data"][0]["details"]["job_id"] for x in (a, b)]
''',
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign(lead_id, deal_id):
    answers = [requests.post(f"{BASE}/Leads/{lead_id}/actions/assign_territories", json={}),
               requests.post(f"{BASE}/Deals/{deal_id}/actions/assign_territories", json={})]
    jobs = []
    for answer in answers:
        jobs.append(answer.json()["data"][0]["details"]["job_id"])
    return jobs
''',
        # the job_id is taken by a match case, from the body and from each item
        '''
import requests
def assign(url, wait):
    r = requests.post(url + "/crm/v7/Leads/actions/assign_territories", json={})
    match r.json():
        case {"data": [{"details": {"job_id": str() as job_id}}]}:
            wait(job_id)
''',
        '''
import requests
def remove(url, wait):
    r = requests.post(url + "/crm/v7/Leads/actions/remove_territories", json={})
    for item in r.json()["data"]:
        match item:
            case {"code": "SCHEDULED" | "SUCCESS", "details": {"job_id": job}}:
                wait(job)
''',
        # not a territory endpoint: a mass update job poll, the settings API, a Django route
        '''
import requests
requests.post("https://www.zohoapis.com/crm/v2/Leads/actions/mass_update", json={})
requests.get("https://www.zohoapis.com/crm/v2/settings/territories")
requests.post("/leads/12/remove_territories/")
''',
        # mock registrations and web-framework routes are not calls to Zoho
        '''
import responses
from fastapi import FastAPI
app = FastAPI()
responses.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
@app.post("/crm/v7/Leads/actions/assign_territories")
def fake():
    pass
''',
        # tests whose answers are stand-ins: no job is scheduled
        '''
import unittest
from unittest import mock
import requests
import responses
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
@responses.activate
def test_decorated():
    requests.post(URL, json={})
def test_fixture(requests_mock):
    requests.post(URL, json={})
def test_patched_inside():
    with mock.patch("requests.Session.send"):
        requests.post(URL, json={})
@mock.patch("requests.adapters.HTTPAdapter.send")
class Decorated(unittest.TestCase):
    def test_assign(self, send):
        requests.post(URL, json={})
class Started(unittest.TestCase):
    def setUp(self):
        patcher = mock.patch("requests.adapters.HTTPAdapter.send")
        patcher.start()
        self.addCleanup(patcher.stop)
    def test_assign(self):
        requests.post(URL, json={})
''',
    ]
    INVALID = [
        Invalid(  # the feature-specific-info call asked for another feature: no wait for the job
            """
import requests
API = "https://www.zohoapis.com/crm/v7"
def assign(lead_id):
    r = requests.post(f"{API}/Leads/{lead_id}/actions/assign_territories", json={})
    requests.get(f"{API}/Leads/actions/get_feature_specific_info", params={"features": "layout_rules"})
    return r.ok
""",
            5, 9,
            "job_id of assign_territories (v7, Leads) is never read and nothing waits for the job",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
API = "https://www.zohoapis.com/crm/v7"
def assign(lead_id):
    r = requests.post(f"{API}/Leads/{lead_id}/actions/assign_territories", json={})
    wait_for_territory_jobs(r, requests)
    requests.get(f"{API}/Leads/actions/get_feature_specific_info", params={"features": "layout_rules"})
    return r.ok
""",
        ),
        Invalid(  # a test that stubs only the GET of the status poll: its territory POST is real
            """
from unittest.mock import patch
import requests
@patch("requests.get")
def test_assign(get):
    get.return_value.status_code = 204
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    assert r.ok
""",
            7, 9,
            "job_id of assign_territories (v7, Leads) is never read and nothing waits for the job",
            fixed="""
from unittest.mock import patch
import requests
from territory_jobs import wait_for_territory_jobs
@patch("requests.get")
def test_assign(get):
    get.return_value.status_code = 204
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    wait_for_territory_jobs(r, requests)
    assert r.ok
""",
        ),
        Invalid(  # a wrapper hands back the job_id: its caller drops it
            """
import requests
def assign(lead_id, territories):
    r = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{lead_id}/actions/assign_territories",
                      json={"data": [{"Territories": territories}]})
    return r.json()["data"][0]["details"]["job_id"]
def move(lead_id, territories):
    assign(lead_id, territories)
    return True
""",
            8, 5,
            "the job_id of assign_territories (v7, Leads) is discarded: the job it schedules is never awaited",
        ),  # (no fix: a wait in the wrapper would hold up its callers that keep the job_id)
        Invalid(  # the call in a try with an else: the wait opens the else, out of the handlers' reach
            """
import requests
def assign(record_id):
    try:
        r = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{record_id}/actions/assign_territories")
    except requests.RequestException:
        return False
    else:
        print("sent")
    return r.ok
""",
            5, 13,
            "job_id of assign_territories (v7, Leads) is never read and nothing waits for the job",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
def assign(record_id):
    try:
        r = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{record_id}/actions/assign_territories")
    except requests.RequestException:
        return False
    else:
        wait_for_territory_jobs(r, requests)
        print("sent")
    return r.ok
""",
        ),
        Invalid(  # ... also after checks of the answer that end the try body
            """
import requests
def assign(record_id):
    try:
        r = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{record_id}/actions/assign_territories")
        r.raise_for_status()
    except requests.HTTPError:
        return False
    return True
""",
            5, 13,
            "job_id of assign_territories (v7, Leads) is never read and nothing waits for the job",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
def assign(record_id):
    try:
        r = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{record_id}/actions/assign_territories")
        r.raise_for_status()
    except requests.HTTPError:
        return False
    else:
        wait_for_territory_jobs(r, requests)
    return True
""",
        ),
        Invalid(  # ... and without an else: the wait goes into a new one (before the finally)
            """
import requests
def assign(record_id):
    try:
        r = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{record_id}/actions/assign_territories")
    except Exception:
        return False
    finally:
        print("sent")
    return r.ok
""",
            5, 13,
            "job_id of assign_territories (v7, Leads) is never read and nothing waits for the job",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
def assign(record_id):
    try:
        r = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{record_id}/actions/assign_territories")
    except Exception:
        return False
    else:
        wait_for_territory_jobs(r, requests)
    finally:
        print("sent")
    return r.ok
""",
        ),
        Invalid(  # the answer's body taken at once: the wait goes around the call (it returns the response)
            """
import requests
def assign(record_id):
    data = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={}).json()["data"]
    return [item["code"] for item in data]
""",
            4, 12,
            "job_id of assign_territories (v7, Leads) is never read and nothing waits for the job",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
def assign(record_id):
    data = wait_for_territory_jobs(requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={}), requests).json()["data"]
    return [item["code"] for item in data]
""",
        ),
        Invalid(  # a wrapper returns the body: the wait goes around its request, not around the body
            """
import requests
def post(url):
    return requests.post(url, json={}).json()
def assign(record_id):
    return post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories")["data"][0]["code"]
""",
            6, 12,
            "job_id of assign_territories (v7, Leads) is never read and nothing waits for the job",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
def post(url):
    return wait_for_territory_jobs(requests.post(url, json={}), requests).json()
def assign(record_id):
    return post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories")["data"][0]["code"]
""",
        ),
        Invalid(
            """
import requests
def assign(record_id):
    requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    return True
""",
            4, 5,
            "the response of assign_territories (v7, Leads) is discarded: the job it schedules is never awaited",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
def assign(record_id):
    wait_for_territory_jobs(requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={}), requests)
    return True
""",
        ),
        Invalid(
            """
import requests
def assign(record_id):
    r = requests.post(f"https://www.zohoapis.com/crm/v2.1/Deals/{record_id}/actions/remove_territories")
    r.raise_for_status()
    return {"ok": True}
""",
            4, 9,
            "job_id of remove_territories (v2.1, Deals) is never read and nothing waits for the job",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
def assign(record_id):
    r = requests.post(f"https://www.zohoapis.com/crm/v2.1/Deals/{record_id}/actions/remove_territories")
    wait_for_territory_jobs(r, requests)
    r.raise_for_status()
    return {"ok": True}
""",
        ),
        Invalid(  # what leaves the function is the record ids or a count: no caller can wait for the job
            """
import requests
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
def assign_ids(payload):
    resp = requests.post(URL, json=payload)
    return [item["details"]["id"] for item in resp.json()["data"] if item["status"] == "success"]
""",
            5, 12,
            "job_id of assign_territories (v7, Leads) is never read and nothing waits for the job",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
def assign_ids(payload):
    resp = requests.post(URL, json=payload)
    wait_for_territory_jobs(resp, requests)
    return [item["details"]["id"] for item in resp.json()["data"] if item["status"] == "success"]
""",
        ),
        Invalid(
            """
import requests
def assign_count(payload):
    return len(requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload).json()["data"])
""",
            4, 16,
            "job_id of assign_territories (v7, Leads) is never read and nothing waits for the job",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
def assign_count(payload):
    return len(wait_for_territory_jobs(requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload), requests).json()["data"])
""",
        ),
        Invalid(
            """
import httpx
async def remove(client: httpx.AsyncClient, module, ids):
    answer = await client.post(f"https://www.zohoapis.eu/crm/v8/{module}/actions/remove_territories", json=ids)
    return answer.status_code < 300
""",
            4, 20,
            "job_id of remove_territories (v8) is never read and nothing waits for the job",
            fixed="""
import httpx
from territory_jobs import await_territory_jobs
async def remove(client: httpx.AsyncClient, module, ids):
    answer = await client.post(f"https://www.zohoapis.eu/crm/v8/{module}/actions/remove_territories", json=ids)
    await await_territory_jobs(answer, client)
    return answer.status_code < 300
""",
        ),
        # the request sits in a helper method: the wait sends its status call with urllib
        Invalid(
            """
import requests
class Crm:
    def _post(self, path, body):
        return self.session.post(f"https://www.zohoapis.com/crm/v7/{path}", json=body, timeout=10)
    def assign(self, record_id, territory_id):
        reply = self._post(f"Contacts/{record_id}/actions/assign_territories", {"data": [{"id": territory_id}]})
        return reply.ok
""",
            7, 17,
            "job_id of assign_territories (v7, Contacts) is never read and nothing waits for the job",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
class Crm:
    def _post(self, path, body):
        return self.session.post(f"https://www.zohoapis.com/crm/v7/{path}", json=body, timeout=10)
    def assign(self, record_id, territory_id):
        reply = self._post(f"Contacts/{record_id}/actions/assign_territories", {"data": [{"id": territory_id}]})
        wait_for_territory_jobs(reply)
        return reply.ok
""",
        ),
        # the official SDK: the wait takes the module (and the version, when the project declares 7-0/8-0)
        Invalid(
            """
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
def assign(module, request):
    response = RecordOperations(module).assign_territories_to_multiple_records(request)
    return response is not None and response.get_status_code() in (200, 202)
""",
            4, 16,
            "nothing waits for the job that assign_territories schedules",
            fixed="""
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
from territory_jobs import wait_for_sdk_territory_jobs
def assign(module, request):
    response = RecordOperations(module).assign_territories_to_multiple_records(request)
    wait_for_sdk_territory_jobs(response, module)
    return response is not None and response.get_status_code() in (200, 202)
""",
        ),
        # zohocrmsdk2-1 (the module is the first argument) gives no job_id: the message does not ask for one
        Invalid(
            """
from zcrmsdk.src.com.zoho.crm.api.record import RecordOperations
def assign(request):
    response = RecordOperations().assign_territories_to_multiple_records("Leads", request)
    return response.get_status_code() == 200
""",
            4, 16,
            "nothing waits for the job that assign_territories (v2.1, Leads) schedules (this SDK gives no job_id)",
            fixed="""
from zcrmsdk.src.com.zoho.crm.api.record import RecordOperations
from territory_jobs import wait_for_sdk_territory_jobs
def assign(request):
    response = RecordOperations().assign_territories_to_multiple_records("Leads", request)
    wait_for_sdk_territory_jobs(response, "Leads")
    return response.get_status_code() == 200
""",
        ),
        # the module is a parameter with a default: the wait takes the parameter, as a caller may pass another
        Invalid(
            """
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
def remove(body, module="Deals"):
    response = RecordOperations(module).remove_territories_from_multiple_records(body)
    print(response.get_status_code())
""",
            4, 16,
            "nothing waits for the job that remove_territories (Deals) schedules",
            fixed="""
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
from territory_jobs import wait_for_sdk_territory_jobs
def remove(body, module="Deals"):
    response = RecordOperations(module).remove_territories_from_multiple_records(body)
    wait_for_sdk_territory_jobs(response, module)
    print(response.get_status_code())
""",
        ),
        # a call inside a larger expression: no plain place for the wait (zlint fix --add-fixme marks it)
        Invalid(
            """
import requests
def assign(url, payload):
    return {"sent": requests.post(url + "/Leads/actions/assign_territories", json=payload).ok}
""",
            4, 21,
            "job_id of assign_territories (Leads) is never read and nothing waits for the job",
        ),
    ]
