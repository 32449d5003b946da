"""Success of a territory call judged by HTTP status 200."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from zlint.analysis.flow import Role, View
from zlint.analysis.mocks import mocked_test
from zlint.checks.base import (EQUALITY, MEMBERSHIP, Invalid, Rule, case_values, cases_taking, era_of, guard_may_accept,
                               role_matches, role_sides, snippet, status_numbers)
from zlint.checks.edits import widen
from zlint.checks.predicates import in_retry_predicate
from zlint.findings import Finding

ACCEPTED = 202


def accepts_202(view: View) -> bool:
    """Whether this body also lets 202 through on some status test (or tests a 2xx range)."""
    for match in role_matches(view, Role.STATUS):
        for case in match.cases:
            numbers = case_values(view, case.pattern, status_numbers)
            if guard_may_accept(case) or numbers is not None and ACCEPTED in numbers:
                return True
    for _, _, operator, other, _ in role_sides(view, Role.STATUS):
        numbers = status_numbers(view, other)
        if numbers is None:
            continue
        if isinstance(operator, (cst.Equal, cst.Is, cst.In)) and ACCEPTED in numbers:
            return True
        if isinstance(operator, (cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual)):
            return True
    return False


def status_200_checks(view: View, with_parts: bool = False):
    """Comparisons in this body that accept 200 but not 202 on a territory status
    (with ``with_parts``, also the status side, the operator and the other side)."""
    if accepts_202(view):
        return
    for comparison, flow, operator, other, is_left in role_sides(view, Role.STATUS):
        numbers = status_numbers(view, other)
        if numbers is None:
            continue
        if (isinstance(operator, EQUALITY) and numbers == {200}) or (
                isinstance(operator, MEMBERSHIP) and 200 in numbers and ACCEPTED not in numbers):
            if with_parts:
                subject = comparison.left if is_left else comparison.comparisons[-1].comparator
                yield comparison, flow, subject, operator, other
            else:
                yield comparison, flow


class Status200Success(Rule):
    """Success of a territory call judged by HTTP status 200."""

    CODE = "ZL102"
    NAME = "status-200-success"
    WHY = ("v2-v6 answer 200 while the job is only scheduled, so 200 proves nothing; "
           "v7+ answer 202 SCHEDULED, so this check fails and the call is treated as an error")
    FIX = "accept 200 and 202, then wait for the job named by data[i].details.job_id"

    def check(self, view: View) -> Iterator[Finding]:
        if mocked_test(view):
            return  # (a test's assertion about its own mocked answer: ZL201/ZL202 judge the mock)
        for comparison, flow, subject, operator, other in status_200_checks(view, with_parts=True):
            if era_of(view, flow) == "v2-v6" and view.job_handled():
                continue
            if in_retry_predicate(view, comparison):
                continue  # a retry policy's test: ZL103 reports the policy, with the same fix
            yield self.report(
                view, comparison,
                f"{flow.call.describe()} judged by status 200 (`{snippet(view, comparison)}`); "
                "v7+ answer 202",
                flow,
                edits=widen(view, comparison, subject, operator, other, cst.Integer("202")),
            )
        if accepts_202(view):
            return
        for match, flow, case, edits in cases_taking(
                view, Role.STATUS, status_numbers, 200, cst.Integer(str(ACCEPTED))):
            yield self.report(
                view, case.pattern,
                f"{flow.call.describe()} judged by status 200 (`match {snippet(view, match.subject)}: "
                f"case {snippet(view, case.pattern)}`); v7+ answer 202",
                flow,
                edits=edits,
            )

    VALID = [
        # a test's assertion about the answer it mocks: the mock is what ZL201 reports
        '''
import requests, responses
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
@responses.activate
def test_assign():
    responses.post(URL, json={"data": [{"code": "SUCCESS", "details": {"id": "1"}, "status": "success"}]})
    r = requests.post(URL, json={})
    assert r.status_code == 200
    assert r.json()["data"][0]["code"] == "SUCCESS"
''',
        # a retry policy's 200-only test: ZL103 reports the policy (one finding, with the same fix)
        '''
import requests
from tenacity import retry, retry_if_result
@retry(retry=retry_if_result(lambda r: r.status_code != 200))
def assign(payload):
    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
''',
        '''
import requests
def assign(url):
    r = requests.post(url + "/Leads/actions/assign_territories", json={})
    if r.status_code not in (200, 202):
        raise RuntimeError(r.text)
    return r
''',
        '''
import requests
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    if 200 <= r.status_code < 300:
        return r
''',
        # a status check on some other call stays silent
        '''
import requests
def records():
    r = requests.get("https://www.zohoapis.com/crm/v2/Leads")
    assert r.status_code == 200
    return r.json()
''',
        # v2.1 with the job handled: 200 is the right answer there
        '''
import requests
def assign(record_id):
    r = requests.post("https://www.zohoapis.com/crm/v2.1/Leads/actions/assign_territories", json={})
    if r.status_code == 200:
        job = r.json()["data"][0]["details"].get("job_id")
        return job
''',
        # the name holds another call's answer by the time its status is tested
        '''
import requests
def assign(session, record_id):
    resp = session.post(f"https://www.zohoapis.com/crm/v7/Leads/{record_id}/actions/assign_territories", json={})
    for item in resp.json()["data"]:
        print(item["details"]["job_id"])
    resp = session.get("https://www.zohoapis.com/crm/v7/users")
    if resp.status_code != 200:
        raise RuntimeError(resp.text)
    with session.get("https://www.zohoapis.com/crm/v7/org") as resp:
        return resp.status_code == 200
''',
        # a match that also lets 202 through, or whose guard may
        '''
import requests
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    match r.status_code:
        case 200 | 202:
            return r.json()["data"][0]["details"]["job_id"]
''',
        '''
import requests
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    match r.status_code:
        case 200:
            return None
        case code if 200 < code < 300:
            return r.json()["data"][0]["details"]["job_id"]
''',
    ]
    INVALID = [
        Invalid(  # the URL's version from a property of the client
            """
import requests
class Zoho:
    version = "v5"
    @property
    def base(self):
        return f"https://www.zohoapis.com/crm/{self.version}"
    def assign(self, rid):
        r = requests.post(f"{self.base}/Leads/{rid}/actions/assign_territories", json={})
        return r.status_code == 200
""",
            10, 16,
            "assign_territories (v5, Leads) judged by status 200 (`r.status_code == 200`); v7+ answer 202",
            fixed="""
import requests
class Zoho:
    version = "v5"
    @property
    def base(self):
        return f"https://www.zohoapis.com/crm/{self.version}"
    def assign(self, rid):
        r = requests.post(f"{self.base}/Leads/{rid}/actions/assign_territories", json={})
        return r.status_code in (200, 202)
""",
        ),
        Invalid(  # a wrapper that returns the status and the body as a tuple
            """
import requests
def _post(url, payload):
    r = requests.post(url, json=payload)
    return r.status_code, r.json()
def assign(rid):
    status, body = _post(f"https://www.zohoapis.com/crm/v7/Leads/{rid}/actions/assign_territories", {})
    if status != 200:
        raise RuntimeError(body)
    return body["data"][0]["details"]["job_id"]
""",
            8, 8,
            "assign_territories (v7, Leads) judged by status 200 (`status != 200`); v7+ answer 202",
            fixed="""
import requests
def _post(url, payload):
    r = requests.post(url, json=payload)
    return r.status_code, r.json()
def assign(rid):
    status, body = _post(f"https://www.zohoapis.com/crm/v7/Leads/{rid}/actions/assign_territories", {})
    if status not in (200, 202):
        raise RuntimeError(body)
    return body["data"][0]["details"]["job_id"]
""",
        ),
        Invalid(  # each answer of a tuple tested in a loop
            """
import requests
def assign(url, lead_id, deal_id):
    a = requests.post(f"{url}/Leads/{lead_id}/actions/assign_territories", json={})
    b = requests.post(f"{url}/Deals/{deal_id}/actions/assign_territories", json={})
    for r in (a, b):
        if r.status_code != 200:
            raise RuntimeError(r.text)
        print(r.json()["data"][0]["details"]["job_id"])
""",
            7, 12,
            "assign_territories (Leads) judged by status 200 (`r.status_code != 200`); v7+ answer 202",
            fixed="""
import requests
def assign(url, lead_id, deal_id):
    a = requests.post(f"{url}/Leads/{lead_id}/actions/assign_territories", json={})
    b = requests.post(f"{url}/Deals/{deal_id}/actions/assign_territories", json={})
    for r in (a, b):
        if r.status_code not in (200, 202):
            raise RuntimeError(r.text)
        print(r.json()["data"][0]["details"]["job_id"])
""",
        ),
        Invalid(  # rebound on one branch only: the territory answer may still be the one tested
            """
import requests
def assign(url, refresh):
    r = requests.post(url + "/Leads/actions/assign_territories", json={})
    if refresh:
        r = requests.get(url + "/Leads")
    return r.status_code == 200
""",
            7, 12,
            "assign_territories (Leads) judged by status 200 (`r.status_code == 200`); v7+ answer 202",
            fixed="""
import requests
def assign(url, refresh):
    r = requests.post(url + "/Leads/actions/assign_territories", json={})
    if refresh:
        r = requests.get(url + "/Leads")
    return r.status_code in (200, 202)
""",
        ),
        Invalid(
            """
import requests
def assign(url):
    r = requests.post(url + "/Leads/actions/assign_territories", json={})
    if r.status_code != 200:
        raise RuntimeError(r.text)
    return r
""",
            5, 8,
            "assign_territories (Leads) judged by status 200 (`r.status_code != 200`); v7+ answer 202",
            fixed="""
import requests
def assign(url):
    r = requests.post(url + "/Leads/actions/assign_territories", json={})
    if r.status_code not in (200, 202):
        raise RuntimeError(r.text)
    return r
""",
        ),
        Invalid(
            """
import requests
from http import HTTPStatus
ACCEPTED = (200, 201)
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    ok = r.status_code in ACCEPTED
    return r
""",
            7, 10,
            "assign_territories (v7, Leads) judged by status 200 (`r.status_code in ACCEPTED`); v7+ answer 202",
            fixed="""
import requests
from http import HTTPStatus
ACCEPTED = (200, 201, 202)
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    ok = r.status_code in ACCEPTED
    return r
""",
        ),
        Invalid(
            """
import requests
from http import HTTPStatus
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    assert r.status_code == HTTPStatus.OK
    return r
""",
            6, 12,
            "assign_territories (v7, Leads) judged by status 200 (`r.status_code == HTTPStatus.OK`); v7+ answer 202",
            fixed="""
import requests
from http import HTTPStatus
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    assert r.status_code in (HTTPStatus.OK, HTTPStatus.ACCEPTED)
    return r
""",
        ),
        Invalid(  # http.client: the answer is conn.getresponse()'s
            """
import http.client
def assign(body):
    conn = http.client.HTTPSConnection("www.zohoapis.com")
    conn.request("POST", "/crm/v7/Leads/actions/assign_territories", body)
    resp = conn.getresponse()
    if resp.status != 200:
        raise RuntimeError(resp.read())
""",
            7, 8,
            "assign_territories (v7, Leads) judged by status 200 (`resp.status != 200`); v7+ answer 202",
            fixed="""
import http.client
def assign(body):
    conn = http.client.HTTPSConnection("www.zohoapis.com")
    conn.request("POST", "/crm/v7/Leads/actions/assign_territories", body)
    resp = conn.getresponse()
    if resp.status not in (200, 202):
        raise RuntimeError(resp.read())
""",
        ),
        Invalid(  # a guard on another literal case lets nothing else through
            """
import requests
def assign(retries):
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    match r.status_code:
        case 200:
            return r
        case 429 if retries:
            return None
""",
            6, 14,
            "assign_territories (v7, Leads) judged by status 200 (`match r.status_code: case 200`); v7+ answer 202",
            fixed="""
import requests
def assign(retries):
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    match r.status_code:
        case 200 | 202:
            return r
        case 429 if retries:
            return None
""",
        ),
        Invalid(  # a match statement: the 200 case gets 202 beside it
            """
import requests
def assign(record_id):
    r = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{record_id}/actions/assign_territories", json={})
    match r.status_code:
        case 200:
            return r.json()
        case 400 | 401:
            raise PermissionError(r.text)
        case _:
            raise RuntimeError(r.text)
""",
            6, 14,
            "assign_territories (v7, Leads) judged by status 200 (`match r.status_code: case 200`); v7+ answer 202",
            fixed="""
import requests
def assign(record_id):
    r = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{record_id}/actions/assign_territories", json={})
    match r.status_code:
        case 200 | 202:
            return r.json()
        case 400 | 401:
            raise PermissionError(r.text)
        case _:
            raise RuntimeError(r.text)
""",
        ),
        Invalid(
            """
import requests
from http import HTTPStatus
def remove(session):
    r = session.post("https://www.zohoapis.com/crm/v7/Deals/actions/remove_territories", json={})
    match r.status_code:
        case HTTPStatus.OK | HTTPStatus.CREATED as code:
            return code
    raise RuntimeError(r.text)
""",
            7, 14,
            "remove_territories (v7, Deals) judged by status 200 (`match r.status_code: case HTTPStatus.OK | "
            "HTTPStatus.CREATED as code`); v7+ answer 202",
            fixed="""
import requests
from http import HTTPStatus
def remove(session):
    r = session.post("https://www.zohoapis.com/crm/v7/Deals/actions/remove_territories", json={})
    match r.status_code:
        case HTTPStatus.OK | HTTPStatus.CREATED | HTTPStatus.ACCEPTED as code:
            return code
    raise RuntimeError(r.text)
""",
        ),
    ]
