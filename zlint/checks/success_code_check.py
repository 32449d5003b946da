"""A territory response's code compared with "SUCCESS" alone."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from zlint.analysis.flow import Role, View
from zlint.analysis.mocks import mocked_test
from zlint.checks.base import (EQUALITY, MEMBERSHIP, Invalid, Rule, case_values, cases_taking, code_cases, era_of,
                               guard_may_accept, role_matches, role_sides, snippet, texts)
from zlint.checks.edits import widen, with_case
from zlint.findings import Finding


class SuccessCodeCheck(Rule):
    """A territory response's code compared with "SUCCESS" alone."""

    CODE = "ZL104"
    NAME = "success-code-check"
    WHY = ("v2-v6 still say SUCCESS but it now means the job was scheduled; "
           "v7+ say SCHEDULED, so a SUCCESS-only test fails")
    FIX = 'accept "SUCCESS" and "SCHEDULED", then wait for the job named by details.job_id'

    def check(self, view: View) -> Iterator[Finding]:
        if mocked_test(view):
            return  # (a test's assertion about its own mocked answer: ZL201/ZL202 judge the mock)
        sides = list(role_sides(view, Role.CODE))
        for *_, other, _ in sides:
            values = texts(view, other)
            if values and "SCHEDULED" in values:
                return
        matches = list(role_matches(view, Role.CODE))
        for match in matches:
            for case in match.cases:
                values = case_values(view, case.pattern, texts)
                if guard_may_accept(case) or values and "SCHEDULED" in values:
                    return
        nested = list(code_cases(view))
        for *_, part in nested:
            values = case_values(view, part, texts)
            if values and "SCHEDULED" in values:
                return
        for comparison, flow, operator, other, is_left in sides:
            values = texts(view, other)
            if values is None or "SUCCESS" not in values:
                continue
            if not isinstance(operator, EQUALITY + MEMBERSHIP):
                continue
            if era_of(view, flow) == "v2-v6" and view.job_handled():
                continue
            subject = comparison.left if is_left else comparison.comparisons[-1].comparator
            yield self.report(
                view, comparison,
                f'{flow.call.describe()} judged by code "SUCCESS" (`{snippet(view, comparison)}`); '
                'v7+ answer "SCHEDULED"',
                flow,
                edits=widen(view, comparison, subject, operator, other, cst.SimpleString('"SCHEDULED"')),
            )
        for match, flow, case, part in nested:
            values = case_values(view, part, texts)
            if values is None or "SUCCESS" not in values or era_of(view, flow) == "v2-v6" and view.job_handled():
                continue
            widened = with_case(view, part, cst.SimpleString('"SCHEDULED"'))
            yield self.report(
                view, part,
                f'{flow.call.describe()} judged by code "SUCCESS" (`match {snippet(view, match.subject)}: '
                f'case {snippet(view, case.pattern)}`); v7+ answer "SCHEDULED"',
                flow,
                edits=[(view.ctx.path, part, widened)] if widened is not None else None,
            )
        for match, flow, case, edits in cases_taking(
                view, Role.CODE, texts, "SUCCESS", cst.SimpleString('"SCHEDULED"')):
            yield self.report(
                view, case.pattern,
                f'{flow.call.describe()} judged by code "SUCCESS" (`match {snippet(view, match.subject)}: '
                f'case {snippet(view, case.pattern)}`); v7+ answer "SCHEDULED"',
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
        '''
import requests
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    item = r.json()["data"][0]
    if item["code"] in ("SUCCESS", "SCHEDULED"):
        return item["details"]["job_id"]
''',
        # "success" in the status field is still true on v7: no finding here
        '''
import requests
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    return r.json()["data"][0]["status"] == "success"
''',
        # a bytes pattern never matches the code of a JSON body (no finding, no fix)
        '''
import requests
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    match r.json()["data"][0]["code"]:
        case b"SUCCESS":
            return True
    return False
''',
        # a match with a SCHEDULED case
        '''
import requests
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    match r.json()["data"][0]["code"]:
        case "SUCCESS" | "SCHEDULED":
            return True
    return False
''',
    ]
    INVALID = [
        Invalid(  # a mapping pattern that reaches into the items' code
            """
import requests
def assign(payload):
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
    match r.json():
        case {"data": [{"code": "SUCCESS", "details": {"job_id": job_id}}]}:
            return job_id
    return None
""",
            6, 33,
            'assign_territories (v7, Leads) judged by code "SUCCESS" (`match r.json(): case {"data": [{"code": '
            '"SUCCESS", "details": {"job_id": job_i...`); v7+ answer "SCHEDULED"',
            fixed="""
import requests
def assign(payload):
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
    match r.json():
        case {"data": [{"code": "SUCCESS" | "SCHEDULED", "details": {"job_id": job_id}}]}:
            return job_id
    return None
""",
        ),
        Invalid(  # the items handed on by a wrapper as a list comprehension over the data
            """
import requests
def items(payload):
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
    return [item for item in r.json()["data"] if item]
def assign(payload):
    return items(payload)[0]["code"] == "SUCCESS"
""",
            7, 12,
            'assign_territories (v7, Leads) judged by code "SUCCESS" (`items(payload)[0]["code"] == "SUCCESS"`); '
            'v7+ answer "SCHEDULED"',
            fixed="""
import requests
def items(payload):
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
    return [item for item in r.json()["data"] if item]
def assign(payload):
    return items(payload)[0]["code"] in ("SUCCESS", "SCHEDULED")
""",
        ),
        Invalid(
            """
import requests
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    for item in r.json()["data"]:
        if item.get("code") == "SUCCESS":
            print("assigned")
""",
            6, 12,
            'assign_territories (v7, Leads) judged by code "SUCCESS" (`item.get("code") == "SUCCESS"`); '
            'v7+ answer "SCHEDULED"',
            fixed="""
import requests
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    for item in r.json()["data"]:
        if item.get("code") in ("SUCCESS", "SCHEDULED"):
            print("assigned")
""",
        ),
        Invalid(
            """
from zcrmsdk.src.com.zoho.crm.api.record import RecordOperations
def assign(request):
    response = RecordOperations().assign_territories_to_multiple_records("Leads", request)
    for item in response.get_object().get_data():
        assert item.get_code().get_value() == "SUCCESS"
""",
            6, 16,
            'assign_territories (v2.1, Leads) judged by code "SUCCESS" (`item.get_code().get_value() == "SUCCESS"`); '
            'v7+ answer "SCHEDULED"',
            fixed="""
from zcrmsdk.src.com.zoho.crm.api.record import RecordOperations
def assign(request):
    response = RecordOperations().assign_territories_to_multiple_records("Leads", request)
    for item in response.get_object().get_data():
        assert item.get_code().get_value() in ("SUCCESS", "SCHEDULED")
""",
        ),
        Invalid(  # the body decoded by hand (urllib3's .data), the one item unpacked
            """
import json
import urllib3
def assign(http: urllib3.PoolManager):
    r = http.request("POST", "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", body=b"{}")
    [first] = json.loads(r.data)["data"]
    return first["code"] != "SUCCESS"
""",
            7, 12,
            'assign_territories (v7, Leads) judged by code "SUCCESS" (`first["code"] != "SUCCESS"`); '
            'v7+ answer "SCHEDULED"',
            fixed="""
import json
import urllib3
def assign(http: urllib3.PoolManager):
    r = http.request("POST", "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", body=b"{}")
    [first] = json.loads(r.data)["data"]
    return first["code"] not in ("SUCCESS", "SCHEDULED")
""",
        ),
        Invalid(  # a starred target takes the rest of the items: a list, whose items are checked
            """
import requests
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    _, *others = r.json()["data"]
    return all(item["code"] == "SUCCESS" for item in others)
""",
            6, 16,
            'assign_territories (v7, Leads) judged by code "SUCCESS" (`item["code"] == "SUCCESS"`); '
            'v7+ answer "SCHEDULED"',
            fixed="""
import requests
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
    _, *others = r.json()["data"]
    return all(item["code"] in ("SUCCESS", "SCHEDULED") for item in others)
""",
        ),
        Invalid(  # urllib's response read by json.load, unpacked with a trailing comma
            """
import json
import urllib.request
def assign():
    url = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
    with urllib.request.urlopen(url, data=b"{}") as resp:
        first, = json.load(resp)["data"]
    return first.get("code") == "SUCCESS"
""",
            8, 12,
            'assign_territories (v7, Leads) judged by code "SUCCESS" (`first.get("code") == "SUCCESS"`); '
            'v7+ answer "SCHEDULED"',
            fixed="""
import json
import urllib.request
def assign():
    url = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
    with urllib.request.urlopen(url, data=b"{}") as resp:
        first, = json.load(resp)["data"]
    return first.get("code") in ("SUCCESS", "SCHEDULED")
""",
        ),
        Invalid(  # a match statement: the SUCCESS case gets SCHEDULED beside it
            """
import requests
def assign(record_id):
    r = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{record_id}/actions/assign_territories", json={})
    for item in r.json()["data"]:
        match item["code"]:
            case "SUCCESS":
                print("assigned", item["details"]["id"])
            case "INVALID_DATA":
                print("bad")
""",
            7, 18,
            'assign_territories (v7, Leads) judged by code "SUCCESS" (`match item["code"]: case "SUCCESS"`); '
            'v7+ answer "SCHEDULED"',
            fixed="""
import requests
def assign(record_id):
    r = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{record_id}/actions/assign_territories", json={})
    for item in r.json()["data"]:
        match item["code"]:
            case "SUCCESS" | "SCHEDULED":
                print("assigned", item["details"]["id"])
            case "INVALID_DATA":
                print("bad")
""",
        ),
    ]
