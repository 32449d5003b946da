"""Territories read back right after an assign/remove call, before its job ran."""

from __future__ import annotations

from collections.abc import Iterator

from libcst import Call

from zlint.analysis.endpoints import is_record_read, record_read_module
from zlint.analysis.flow import View
from zlint.analysis.module import attribute_name
from zlint.analysis.values import HOLE, Text
from zlint.checks.base import Invalid, Rule
from zlint.rewrites.jobwait import wait_edits
from zlint.findings import Finding


_GETS = {"get", "request", "urlopen", "get_record", "get_records"}  # calls that may read a record


def _helper_reads(view: View, call: Call) -> set[str]:
    """The modules of the records that the scanned functions ``call`` reaches read by a GET of their
    own, with this call's arguments where the module depends on them: helpers such as
    ``get_lead(lead_id)``, which mention nothing of territories and so are not followed otherwise.
    Only reads whose module is known count (a generic ``api_get(path)`` may read anything)."""
    found: set[str] = set()
    for function in view.callees(call):
        reads = _record_reads(view, function, {})
        if None in reads:  # a URL or a module that the arguments may tell
            reads = _record_reads(view, function, view.bind(function, call))
        found |= {module for module in reads if module is not None}
    return found


def _record_reads(view: View, function, env: dict) -> frozenset[str | None]:
    """The modules of the record GETs in ``function``'s body, given ``env``, with None for a read
    whose module is not known or, without ``env``, for a GET whose URL the arguments could make a
    record read (``f"{BASE}/{path}"``); worked out once per function and arguments in an analysis."""
    key = ("ZL106", function.key, frozenset(env.items()))
    known = view.analyzer.memo.get(key)
    if known is None:
        body = function.ctx.bodies[id(function.node)]
        found: set[str | None] = set()
        if any(attribute_name(c.func) in _GETS for c in body.calls):
            # a view of its own, not the analyzer's: the rules are not run over this helper again
            helper = View(view.analyzer, function.ctx, body, env)
            for request in map(helper.request, body.calls):
                if request is None or request.method != "GET":
                    continue
                if is_record_read(request.url):
                    found.add(record_read_module(request.url))
                elif not env and HOLE in request.url.value and any(
                        is_record_read(Text(request.url.value.replace(HOLE, part))) for part in ("1", "x/1")):
                    found.add(None)  # a part the caller gives may make it one (one or two path segments)
        known = view.analyzer.memo[key] = frozenset(found)
    return known


class ReadAfterWrite(Rule):
    """Territories read back right after an assign/remove call, before its job ran."""

    CODE = "ZL106"
    NAME = "read-after-write"
    WHY = ("on v2-v6 and v7+ alike the call only schedules a job: a read right after it "
           "sees the territories as they were before")
    FIX = "wait until get_feature_specific_info no longer lists the record's job, then read"

    def check(self, view: View) -> Iterator[Finding]:
        flows = view.territory_flows()
        if not flows:
            return
        place = lambda node: (view.ctx.position(node).start.line, view.ctx.position(node).start.column)
        waits = [place(call) for call in view.body.calls if view.is_job_wait(call)]
        first = min(place(call) for call, _ in flows)
        for read in view.body.calls:
            at = place(read)
            if at <= first:
                continue
            if at in waits:  # a helper that waits for the job and then reads the record
                continue
            modules: set[str | None] = set(_helper_reads(view, read))
            if not modules:
                if not view.is_record_read(read):  # a GET, the SDK's, or deeper in scanned functions
                    continue
                request = view.request(read)
                modules = {record_read_module(request.url) if request is not None else None}
            earlier = [(place(call), call, flow) for call, flow in flows if place(call) < at and any(
                module is None or flow.call.module is None or flow.call.module.lower() == module.lower()
                for module in modules)]
            if not earlier:
                continue
            (line, _), call, flow = max(earlier, key=lambda found: found[0])
            if any((line, 0) <= wait < at for wait in waits):
                continue
            # the fix: ZL101's, a wait for the job right after the call (also where ZL101 is silent,
            # the job_id being read, say, only to be logged)
            yield self.report(view, read,
                              f"record read right after {flow.call.describe()} (line {line}) "
                              "without waiting for its job", flow, edits=wait_edits(view, call, flow), safety="unsafe")

    VALID = [
        # what is read is not the changed record: a user, a record of another module
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id, owner_id, account_id):
    r = requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={})
    job = r.json()["data"][0]["details"]["job_id"]
    owner = requests.get(f"{BASE}/users/{owner_id}").json()
    account = requests.get(f"{BASE}/Accounts/{account_id}").json()
    return job, owner, account
''',
        '''
import requests, time
BASE = "https://www.zohoapis.com/crm/v2.1"
def assign_and_check(record_id):
    requests.post(f"{BASE}/Leads/actions/assign_territories", json={})
    requests.get(f"{BASE}/Leads/actions/get_feature_specific_info",
                 params={"features": "territory_scheduled_jobs", "ids": record_id})
    return requests.get(f"{BASE}/Leads/{record_id}").json()
''',
        # the job status call with ids put into its parameters afterwards is a wait, not a read
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id):
    requests.post(f"{BASE}/Leads/actions/assign_territories", json={})
    query = {"features": "territory_scheduled_jobs"}
    query["ids"] = record_id
    requests.get(f"{BASE}/Leads/actions/get_feature_specific_info", params=query)
    return requests.get(f"{BASE}/Leads/{record_id}").json()
''',
        # ids go into another dict than the listing's parameters
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id):
    r = requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={})
    job = r.json()["data"][0]["details"]["job_id"]
    query, audit = {"fields": "Territories"}, {}
    audit["ids"] = record_id
    return requests.get(f"{BASE}/Leads", params=query).json(), job, audit
''',
        # a helper that waits for the job and then reads the record
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def read_when_done(lead_id):
    requests.get(f"{BASE}/Leads/actions/get_feature_specific_info",
                 params={"features": "territory_scheduled_jobs", "ids": lead_id})
    return requests.get(f"{BASE}/Leads/{lead_id}").json()
def assign(lead_id):
    r = requests.post(f"{BASE}/Leads/{lead_id}/actions/assign_territories", json={})
    job = r.json()["data"][0]["details"]["job_id"]
    return read_when_done(lead_id), job
''',
        # a generic helper that reads a user here (it was reported: the helper's module was not known)
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v2.1"
def api_get(path):
    return requests.get(f"{BASE}/{path}").json()
def assign(lead_id, owner):
    r = requests.post(f"{BASE}/Leads/{lead_id}/actions/assign_territories", json={})
    job = r.json()["data"][0]["details"]["job_id"]
    return job, api_get(f"users/{owner}")
''',
        # searches by other fields, or in another module
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id, email):
    r = requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={})
    job = r.json()["data"][0]["details"]["job_id"]
    same_email = requests.get(f"{BASE}/Leads/search", params={"criteria": f"(Email:equals:{email})"}).json()
    contact = requests.get(f"{BASE}/Contacts/search?criteria=(id:equals:{record_id})").json()
    owned = requests.get(f"{BASE}/Leads/search?criteria=(Owner.id:equals:{record_id})").json()
    return job, same_email, contact, owned
''',
        # a helper that reads a record of another module
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v2.1"
def get_account(account_id):
    return requests.get(f"{BASE}/Accounts/{account_id}").json()["data"][0]
def assign(lead_id, account_id):
    r = requests.post(f"{BASE}/Leads/{lead_id}/actions/assign_territories", json={})
    job = r.json()["data"][0]["details"]["job_id"]
    return get_account(account_id), job
''',
        # a listing of the module's records (no ids): not the records changed
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id):
    r = requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={})
    job = r.json()["data"][0]["details"]["job_id"]
    return requests.get(f"{BASE}/Leads", params={"fields": "Territories", "per_page": 5}).json(), job
''',
        # reading before the call is fine
        '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def move(record_id):
    before = requests.get(f"{BASE}/Leads/{record_id}").json()
    return requests.post(f"{BASE}/Leads/actions/assign_territories", json=before)
''',
    ]
    INVALID = [
        Invalid(  # the records read by id
            """
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id):
    r = requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={})
    job = r.json()["data"][0]["details"]["job_id"]
    return requests.get(f"{BASE}/Leads?ids={record_id}&fields=Territories").json(), job
""",
            7, 12,
            "record read right after assign_territories (v7, Leads) (line 5) without waiting for its job",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id):
    r = requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={})
    wait_for_territory_jobs(r, requests)
    job = r.json()["data"][0]["details"]["job_id"]
    return requests.get(f"{BASE}/Leads?ids={record_id}&fields=Territories").json(), job
""",
        ),
        Invalid(  # the ids in the query parameters
            """
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id):
    r = requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={})
    job = r.json()["data"][0]["details"]["job_id"]
    query = {"ids": record_id, "fields": "Territories"}
    return requests.get(f"{BASE}/Leads", params=query).json(), job
""",
            8, 12,
            "record read right after assign_territories (v7, Leads) (line 5) without waiting for its job",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id):
    r = requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={})
    wait_for_territory_jobs(r, requests)
    job = r.json()["data"][0]["details"]["job_id"]
    query = {"ids": record_id, "fields": "Territories"}
    return requests.get(f"{BASE}/Leads", params=query).json(), job
""",
        ),
        Invalid(  # a search for the record by its id
            """
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id):
    r = requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={})
    job = r.json()["data"][0]["details"]["job_id"]
    return requests.get(f"{BASE}/Leads/search", params={"criteria": f"(id:equals:{record_id})"}).json(), job
""",
            7, 12,
            "record read right after assign_territories (v7, Leads) (line 5) without waiting for its job",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id):
    r = requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={})
    wait_for_territory_jobs(r, requests)
    job = r.json()["data"][0]["details"]["job_id"]
    return requests.get(f"{BASE}/Leads/search", params={"criteria": f"(id:equals:{record_id})"}).json(), job
""",
        ),
        Invalid(  # the record read by a helper that mentions nothing of territories
            """
import requests
BASE = "https://www.zohoapis.com/crm/v2.1"
def get_lead(lead_id):
    return requests.get(f"{BASE}/Leads/{lead_id}").json()["data"][0]
def assign(lead_id):
    r = requests.post(f"{BASE}/Leads/{lead_id}/actions/assign_territories", json={})
    job = r.json()["data"][0]["details"]["job_id"]
    return get_lead(lead_id)["Territories"], job
""",
            9, 12,
            "record read right after assign_territories (v2.1, Leads) (line 7) without waiting for its job",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
BASE = "https://www.zohoapis.com/crm/v2.1"
def get_lead(lead_id):
    return requests.get(f"{BASE}/Leads/{lead_id}").json()["data"][0]
def assign(lead_id):
    r = requests.post(f"{BASE}/Leads/{lead_id}/actions/assign_territories", json={})
    wait_for_territory_jobs(r, requests)
    job = r.json()["data"][0]["details"]["job_id"]
    return get_lead(lead_id)["Territories"], job
""",
        ),
        Invalid(  # ids put into the named query parameters afterwards
            """
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id):
    r = requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={})
    job = r.json()["data"][0]["details"]["job_id"]
    query = {"fields": "Territories"}
    query["ids"] = record_id
    return requests.get(f"{BASE}/Leads", params=query).json(), job
""",
            9, 12,
            "record read right after assign_territories (v7, Leads) (line 5) without waiting for its job",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id):
    r = requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={})
    wait_for_territory_jobs(r, requests)
    job = r.json()["data"][0]["details"]["job_id"]
    query = {"fields": "Territories"}
    query["ids"] = record_id
    return requests.get(f"{BASE}/Leads", params=query).json(), job
""",
        ),
        Invalid(  # ids in dict(...), joined to a URL that has a query already
            """
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id):
    r = requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={})
    job = r.json()["data"][0]["details"]["job_id"]
    return requests.get(f"{BASE}/Leads?fields=Territories", params=dict(ids=record_id)).json(), job
""",
            7, 12,
            "record read right after assign_territories (v7, Leads) (line 5) without waiting for its job",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id):
    r = requests.post(f"{BASE}/Leads/{record_id}/actions/assign_territories", json={})
    wait_for_territory_jobs(r, requests)
    job = r.json()["data"][0]["details"]["job_id"]
    return requests.get(f"{BASE}/Leads?fields=Territories", params=dict(ids=record_id)).json(), job
""",
        ),
        Invalid(
            """
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id, territory_id):
    r = requests.post(f"{BASE}/Leads/actions/assign_territories", json={})
    job = r.json()["data"][0]["details"]["job_id"]
    lead = requests.get(f"{BASE}/Leads/{record_id}").json()
    return lead["data"][0]["Territories"], job
""",
            7, 12,
            "record read right after assign_territories (v7, Leads) (line 5) without waiting for its job",
            fixed="""
import requests
from territory_jobs import wait_for_territory_jobs
BASE = "https://www.zohoapis.com/crm/v7"
def assign(record_id, territory_id):
    r = requests.post(f"{BASE}/Leads/actions/assign_territories", json={})
    wait_for_territory_jobs(r, requests)
    job = r.json()["data"][0]["details"]["job_id"]
    lead = requests.get(f"{BASE}/Leads/{record_id}").json()
    return lead["data"][0]["Territories"], job
""",
        ),
        Invalid(
            """
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
def assign(record_id, request):
    ops = RecordOperations("Leads")
    ops.assign_territory_to_record(record_id, request)
    return ops.get_record(record_id)
""",
            6, 12,
            "record read right after assign_territories (Leads) (line 5) without waiting for its job",
            fixed="""
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
from territory_jobs import wait_for_sdk_territory_jobs
def assign(record_id, request):
    ops = RecordOperations("Leads")
    wait_for_sdk_territory_jobs(ops.assign_territory_to_record(record_id, request), "Leads")
    return ops.get_record(record_id)
""",
        ),
    ]
