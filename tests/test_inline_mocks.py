"""Inline mocks in Python tests are checked like recordings: the literal status and body."""

from __future__ import annotations

import json

from conftest import run_zlint, write_tree

CLIENT = '''
import requests
def assign_lead(record, territory):
    return requests.post("https://www.zohoapis.com/crm/v2.1/Leads/actions/assign_territories", json={}).json()
'''

TESTS = '''
import json
from unittest import mock

import httpretty
import httpx
import respx
import responses

from crm.client import assign_lead

URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
V21 = "https://www.zohoapis.com/crm/v2.1/Leads/actions/assign_territories"
OLD = {"data": [{"code": "SUCCESS", "details": {"id": "1"}, "message": "the territories data updated successfully",
                 "status": "success"}]}
NEW = {"data": [{"code": "SCHEDULED", "details": {"id": "1", "job_id": "2"}, "status": "success"}]}


@responses.activate
def test_responses():
    responses.add(responses.POST, V21, json=OLD, status=200)
    responses.post(URL, json={"data": [{"code": "SCHEDULED", "details": {"id": "1"}, "status": "success"}]},
                   status=202)
    responses.post(URL, json=NEW, status=202)  # the v7 answer: fine


def test_requests_mock(requests_mock):
    requests_mock.post(URL, json=NEW, status_code=200)


def test_respx(respx_mock):
    respx_mock.post(URL).mock(return_value=httpx.Response(202, json=NEW))  # fine
    respx.post(V21).respond(200, json=OLD)


@httpretty.activate
def test_httpretty():
    httpretty.register_uri(httpretty.POST, V21, body=json.dumps(OLD), status=200)


@mock.patch("crm.client.requests.post")
def test_mock(post):
    post.return_value.status_code = 200
    post.return_value.json.return_value = OLD
    assign_lead("1", "2")  # zlint: ignore[ZL101]


@responses.activate
def test_not_territory_calls():
    responses.post("https://www.zohoapis.com/crm/v7/Leads/actions/mass_update", json=OLD)
    responses.post(URL, json=make_body(), status=202)  # built at run time: not checked


def make_body():
    return NEW
'''


def test_inline_mocks_are_checked_like_recordings(tmp_path):
    write_tree(tmp_path, {"crm/__init__.py": "", "crm/client.py": CLIENT, "tests/test_client.py": TESTS})
    result = run_zlint("check", "--output-format", "json", "--select", "ZL1,ZL2", ".", cwd=tmp_path)
    found = [(f["line"], f["column"], f["code"], f["message"], f["call"]["client"])
             for f in json.loads(result.stdout)["findings"]]
    legacy_v21 = ("assign_territories (v2.1, Leads) mocked with the legacy synchronous answer "
                  "(200 SUCCESS without job_id)")
    assert found == [
        (20, 45, "ZL201", legacy_v21, "responses mock"),
        (21, 73, "ZL202", "assign_territories (v7, Leads) answer fits no contract of v7; against scheduled-v7: "
                          "body $.data[0].details: 'job_id' is a required property", "responses mock"),
        (27, 51, "ZL202", "assign_territories (v7, Leads) answer fits no contract of v7; against scheduled-v7: "
                          "status: 202 was expected", "requests_mock mock"),
        (32, 39, "ZL201", legacy_v21, "respx mock"),
        (37, 54, "ZL201", legacy_v21, "httpretty mock"),
        (43, 43, "ZL201", legacy_v21, "unittest.mock mock"),
    ]
    assert result.returncode == 1


OTHER_CALLS = '''
from unittest import mock
from unittest.mock import patch

import httpx
import requests
import respx
import responses

from crm.client import assign_lead

UPDATED = {"data": [{"code": "SUCCESS", "details": {"id": "7"}, "message": "record updated", "status": "success"}]}
OLD = {"data": [{"code": "SUCCESS", "details": {"id": "1"}, "message": "the territories data updated successfully",
                 "status": "success"}]}


@patch("crm.client.requests.post")
@patch("crm.client.requests.put")
def test_decorators(mock_put, mock_post):
    mock_put.return_value.json.return_value = UPDATED
    mock_post.return_value.json.return_value = OLD
    assign_lead("1", "2")  # zlint: ignore[ZL101]


def test_context_managers(mocker):
    session = mocker.patch("crm.client.requests.Session")
    session.return_value.get.return_value.json.return_value = UPDATED
    getter = mocker.patch.object(requests, "get")
    getter.return_value.json.return_value = UPDATED
    with patch("crm.client.requests.delete") as deleted:
        deleted.return_value.json.return_value = UPDATED
        assign_lead("1", "2")  # zlint: ignore[ZL101]


@responses.activate
def test_token_refresh_first(accounts_url):
    responses.add(responses.POST, accounts_url, json={"access_token": "new", "expires_in": 3600})
    respx.route(host="accounts.zoho.com").mock(return_value=httpx.Response(200, json={"access_token": "new"}))
    assign_lead("1", "2")  # zlint: ignore[ZL101]
'''


def test_mocks_of_other_calls_beside_a_territory_call_are_not_checked(tmp_path):
    """Only the mock that stands for the territory POST is held to its contracts."""
    write_tree(tmp_path, {"crm/__init__.py": "", "crm/client.py": CLIENT, "tests/test_client.py": OTHER_CALLS})
    result = run_zlint("check", "--output-format", "concise", "--select", "ZL1,ZL2", ".", cwd=tmp_path)
    assert result.stdout.splitlines()[:-2] == [
        "tests/test_client.py:20:48: ZL201 [legacy-recording] assign_territories (v2.1, Leads) mocked with the "
        "legacy synchronous answer (SUCCESS without job_id; no status given)",  # (a Mock given no status_code)
    ]


MOCKER_DECORATORS = '''
import unittest

import requests
import requests_mock

URL = "https://www.zohoapis.com/crm/v2.1/Leads/111/actions/assign_territories"
OLD = {"data": [{"code": "SUCCESS", "details": {"id": "111"}, "message": "ok", "status": "success"}]}


@requests_mock.Mocker()
def test_function(m):
    m.post(URL, json=OLD)


@requests_mock.Mocker(kw="mocked")
def test_keyword(other, mocked):
    mocked.post(URL, json=OLD)


@requests_mock.Mocker()
class TestClass(unittest.TestCase):
    def test_method(self, m):
        m.post(URL, json=OLD)
'''


def test_the_mocker_a_requests_mock_decorator_passes_registers_answers(tmp_path):
    """Its ``m.post(URL, json=...)`` is a registration (its body checked), not a territory call."""
    write_tree(tmp_path, {"tests/test_client.py": MOCKER_DECORATORS})
    result = run_zlint("check", "--output-format", "concise", ".", cwd=tmp_path)
    assert [line.split(" [")[0] for line in result.stdout.splitlines()[:-2]] == [
        "tests/test_client.py:12:22: ZL201", "tests/test_client.py:17:27: ZL201", "tests/test_client.py:23:26: ZL201"]


def test_a_mocked_url_without_its_version_is_held_to_the_target_version(tmp_path):
    write_tree(tmp_path, {"tests/test_client.py": '''
        import httpx
        import respx

        @respx.mock(base_url="https://www.zohoapis.com/crm/v7")
        def test_assign(respx_mock):
            respx_mock.post("/Leads/actions/assign_territories").mock(return_value=httpx.Response(
                200, json={"data": [{"code": "SUCCESS", "details": {"id": "1", "job_id": "2"}, "status": "success"}]}))
    '''})
    result = run_zlint("check", "--output-format", "concise", "--target-version", "v7", ".", cwd=tmp_path)
    assert [line.split(" [")[0] for line in result.stdout.splitlines()[:-2]] == [
        "tests/test_client.py:7:9: ZL202", "tests/test_client.py:7:38: ZL202"]
    assert "fits no contract of v7" in result.stdout


def test_pytest_httpx_responses_are_checked(tmp_path):
    """``httpx_mock.add_response``: status 200 unless given; one without a URL may answer anything."""
    write_tree(tmp_path, {"tests/test_client.py": '''
        import re

        V2 = "https://www.zohoapis.com/crm/v2/Leads/actions/assign_territories"
        OLD = {"data": [{"code": "SUCCESS", "details": {"id": "1"}, "message": "updated", "status": "success"}]}

        def test_assign(httpx_mock):
            httpx_mock.add_response(method="POST", url=V2, json=OLD)
            httpx_mock.add_response(
                url=re.compile(r"https://www[.]zohoapis[.]com/crm/v7/Deals/actions/remove_territories"),
                json={"data": [{"code": "SUCCESS", "details": {"id": "1"}, "status": "success"}]})
            httpx_mock.add_response(json=OLD)  # any request: a token call, maybe
            httpx_mock.add_response(method="GET", url=V2.replace("actions/assign_territories", "1"), json=OLD)

        def test_v7(httpx_mock):
            httpx_mock.add_response(202, url="https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories",
                                    json={"data": [{"code": "SCHEDULED", "status": "success",
                                                    "details": {"id": "1", "job_id": "7"}}]})
    '''})
    result = run_zlint("check", "--output-format", "json", ".", cwd=tmp_path)
    found = [(f["line"], f["column"], f["code"], f["message"], f["call"]["client"])
             for f in json.loads(result.stdout)["findings"]]
    assert found == [
        (7, 57, "ZL201", "assign_territories (v2, Leads) mocked with the legacy synchronous answer (200 SUCCESS "
                        "without job_id)", "pytest_httpx mock"),
        (10, 14, "ZL201", "remove_territories (v7, Deals) mocked with the legacy synchronous answer (200 SUCCESS "
                         "without job_id); v7+ never answer this", "pytest_httpx mock"),
    ]


def test_aioresponses_mocks_are_checked(tmp_path):
    """aioresponses, the mocks of aiohttp's tests: ``m.post(url, payload=..., status=...)``."""
    write_tree(tmp_path, {"tests/test_client.py": '''
        from aioresponses import aioresponses

        V6 = "https://www.zohoapis.com/crm/v6/Leads/actions/remove_territories"
        OLD = {"data": [{"code": "SUCCESS", "details": {"id": "1"}, "message": "removed", "status": "success"}]}
        NEW = {"data": [{"code": "SUCCESS", "details": {"id": "1", "job_id": "9"}, "message": "m", "status": "success"}]}

        async def test_remove():
            with aioresponses() as m:
                m.post(V6, payload=OLD, status=200)
                m.post(V6, payload=NEW)
    '''})
    result = run_zlint("check", "--output-format", "json", ".", cwd=tmp_path)
    found = [(f["line"], f["column"], f["code"], f["message"], f["call"]["client"])
             for f in json.loads(result.stdout)["findings"]]
    assert found == [(9, 28, "ZL201", "remove_territories (v6, Leads) mocked with the legacy synchronous answer "
                                      "(200 SUCCESS without job_id)", "aioresponses mock")]


def test_no_zl101_in_tests_whose_answers_are_mocks(tmp_path):
    """A test under a mock of HTTP (or of the wrapper it calls) schedules no job; a test against the
    real API still does, also when it patches something else (a sleep) or makes a Mock, and so does
    one whose mocks come from a fixture of the project's own (zlint does not follow it)."""
    write_tree(tmp_path, {"crm/__init__.py": "", "crm/client.py": CLIENT, "tests/test_client.py": '''
        from unittest import mock

        import pytest
        import vcr

        from crm.client import assign_lead

        @mock.patch("crm.client.requests.post")
        def test_patched(post):
            assign_lead("1", "2")

        @pytest.mark.vcr
        def test_cassette():
            assign_lead("1", "2")

        def test_monkeypatched(monkeypatch):
            monkeypatch.setattr("crm.client.requests.post", mock.Mock())
            assign_lead("1", "2")

        def test_sandbox():
            assign_lead("1", "2")

        def test_own_fixture(zoho_stub):
            assign_lead("1", "2")

        def helper_not_a_test():
            with vcr.use_cassette("x.yaml"):
                assign_lead("1", "2")

        @mock.patch("time.sleep")
        def test_sandbox_without_the_backoff_sleep(sleep):
            assign_lead("1", "2")

        def test_sandbox_with_a_callback(monkeypatch):
            monkeypatch.setattr("time.sleep", lambda seconds: None)
            done = mock.Mock()
            assign_lead("1", "2")
            done()

        def test_wrapper_patched(mocker):
            mocker.patch("tests.helpers.assign_lead")
            assign_lead("1", "2")
    '''})
    result = run_zlint("check", "--output-format", "concise", "--select", "ZL101", ".", cwd=tmp_path)
    assert [line.split(": ZL101")[0] for line in result.stdout.splitlines()[:-2]] == [
        "tests/test_client.py:21:5", "tests/test_client.py:24:5", "tests/test_client.py:28:9",
        "tests/test_client.py:32:5", "tests/test_client.py:37:5"]


LINKS = '''
import re
import unittest
from unittest import mock
from unittest.mock import DEFAULT, Mock, patch

import requests
import requests_mock
import responses

import crm.client
from crm.client import assign_lead

URL = "https://www.zohoapis.com/crm/v2.1/Leads/actions/assign_territories"
LEAD = {"data": [{"id": "1", "Territories": [{"id": "9"}]}]}
OLD = {"data": [{"code": "SUCCESS", "details": {"id": "1"}, "message": "the territories data updated successfully",
                 "status": "success"}]}


@responses.activate
def test_regex_url():
    responses.add(responses.POST, re.compile(r".*/crm/v2\\.1/Leads/actions/assign_territories"), json=OLD)  # <- ZL201


@patch("crm.client.requests.get")
@patch("crm.client.requests.post", autospec=True)
def test_keywords_on_a_patch(mock_post, mock_get):
    mock_post.return_value.json.return_value = OLD  # <- ZL201
    mock_get.return_value = Mock(status_code=200, json=Mock(return_value=LEAD))
    assign_lead("1", "9")


@patch("crm.client.requests.get")
def test_answers_handed_over(mock_get, mocker, monkeypatch):
    resp = Mock()
    resp.json.return_value = LEAD
    mock_get.return_value = resp
    mocker.patch("crm.client.requests.get").return_value.json.return_value = LEAD
    mocker.patch.object(crm.client.requests, "get", side_effect=[Mock(json=lambda: LEAD)])
    fake = mock.MagicMock()
    fake.json.return_value = LEAD
    monkeypatch.setattr(crm.client.requests, "get", lambda *a, **k: fake)
    assign_lead("1", "9")


@patch.multiple("crm.client.requests", get=DEFAULT, post=DEFAULT)
def test_patch_multiple(get, post):
    get.return_value.json.return_value = LEAD
    post.return_value.json.return_value = OLD  # <- ZL201
    assign_lead("1", "9")


@patch("crm.client.requests.get")
class TestPatchedClass(unittest.TestCase):
    def setUp(self):
        self.patcher = patch("crm.client.requests.put")
        self.mock_put = self.patcher.start()

    def test_it(self, mock_get):
        mock_get.return_value.json.return_value = LEAD
        self.mock_put.return_value.json.return_value = LEAD
        patcher = patch("crm.client.requests.delete")
        deleted = patcher.start()
        deleted.return_value.json.return_value = LEAD
        assign_lead("1", "9")


@requests_mock.Mocker()
class TestMockerClass(unittest.TestCase):
    def _send(self, session):
        return session.post(URL, json={}).status_code == 200  # <- ZL102

    @patch("crm.client.time.sleep")
    def test_it(self, m, sleep):
        m.post(URL, json=OLD)  # <- ZL201
        self._send(requests.Session())


@requests_mock.Mocker()
def test_mocker_then_a_default(m, session=None):
    m.post(URL, json=OLD)  # <- ZL201
'''


def test_each_mock_answer_is_matched_to_the_call_it_stands_for(tmp_path):
    """Answers of the mocks of GET/PUT/DELETE calls, however handed over, are not the territory
    answer; the POST's are, also behind keywords, regexes and decorators that shift parameters."""
    write_tree(tmp_path, {"crm/__init__.py": "", "crm/client.py": CLIENT, "tests/test_client.py": LINKS})
    result = run_zlint("check", "--output-format", "concise", "--select", "ZL102,ZL2", ".", cwd=tmp_path)
    lines = LINKS.lstrip("\n").splitlines()
    expected = [f"tests/test_client.py:{number}: {line.rsplit('# <- ', 1)[1]}"
                for number, line in enumerate(lines, 1) if "# <- " in line]
    assert [line.split(":", 3)[0] + ":" + line.split(":", 3)[1] + ": " + line.split(" ")[1]
            for line in result.stdout.splitlines()[:-2]] == expected


def test_a_respx_route_takes_its_version_from_the_router_base_url(tmp_path):
    write_tree(tmp_path, {"tests/test_client.py": '''
        import httpx
        import respx

        GOOD21 = {"data": [{"code": "SUCCESS", "details": {"id": "1", "job_id": "5"}, "status": "success",
                            "message": "Territory assignment process scheduled successfully"}]}

        @respx.mock(base_url="https://www.zohoapis.com/crm/v2.1")
        def test_decorated(respx_mock):
            respx_mock.post("/Leads/actions/assign_territories").mock(return_value=httpx.Response(200, json=GOOD21))

        def test_router():
            router = respx.Router(base_url="https://www.zohoapis.com/crm/v2.1")
            router.post("/Leads/actions/assign_territories").respond(200, json=GOOD21)
            with respx.mock(base_url="https://www.zohoapis.com/crm/v7") as mocked:
                mocked.post("Leads/actions/assign_territories").respond(200, json=GOOD21)
    '''})
    result = run_zlint("check", "--output-format", "concise", "--target-version", "v7", ".", cwd=tmp_path)
    assert [line.split(" [")[0] for line in result.stdout.splitlines()[:-2]] == [
        "tests/test_client.py:15:65: ZL202", "tests/test_client.py:15:75: ZL202"]  # only the v7 route


HANDED_IN = '''
from unittest.mock import Mock, patch

import httpx
import pytest
import re
import requests
import responses

from crm.client import assign_lead

OLD = {"data": [{"code": "SUCCESS", "details": {"id": "1"}, "message": "the territories data updated successfully",
                 "status": "success"}]}
GOOD21 = {"data": [{"code": "SUCCESS", "details": {"id": "1", "job_id": "5"}, "status": "success",
                    "message": "Territory assignment process scheduled successfully"}]}


def test_setattr(monkeypatch):
    monkeypatch.setattr(requests, "get", Mock())
    monkeypatch.setattr(requests, "post", Mock(return_value=Mock(json=Mock(return_value=OLD))))  # <- ZL201
    assign_lead("1", "2")  # zlint: ignore[ZL101]


@patch("crm.client.requests.get")
@patch("crm.client.requests.post")
def test_side_effects(mock_post, mock_get):
    resp = Mock()
    resp.json.return_value = OLD  # <- ZL201
    mock_post.side_effect = [resp]
    with patch("crm.client.requests.put", Mock(return_value=Mock(json=Mock(return_value=OLD)))):
        assign_lead("1", "2")  # zlint: ignore[ZL101]


@patch("crm.client.cache.get")
def test_a_cache_is_no_http_client(cache_get, monkeypatch):
    monkeypatch.setattr(requests, "post", lambda *a, **k: Mock(json=Mock(return_value=OLD)))  # <- ZL201
    assign_lead("1", "2")  # zlint: ignore[ZL101]


@responses.activate
def test_regex_with_a_query():
    responses.add(responses.POST, re.compile(r"https://www\\\\.zohoapis\\\\.com/crm/v2/Leads/actions/assign_territories(\\\\?.*)?"),
                  json=OLD)  # <- ZL201


@pytest.mark.respx(base_url="https://www.zohoapis.com/crm/v2.1")
def test_respx_marker(respx_mock):
    respx_mock.post("/Leads/actions/assign_territories").mock(return_value=httpx.Response(200, json=GOOD21))
'''


def test_answers_handed_in_by_position_lambda_or_list_are_matched(tmp_path):
    write_tree(tmp_path, {"crm/__init__.py": "", "crm/client.py": CLIENT, "tests/test_client.py": HANDED_IN})
    result = run_zlint("check", "--output-format", "concise", "--target-version", "v7", "--select", "ZL2", ".",
                       cwd=tmp_path)
    lines = HANDED_IN.lstrip("\n").splitlines()
    expected = [f"tests/test_client.py:{number}: {line.rsplit('# <- ', 1)[1]}"
                for number, line in enumerate(lines, 1) if "# <- " in line]
    assert [line.split(":", 3)[0] + ":" + line.split(":", 3)[1] + ": " + line.split(" ")[1]
            for line in result.stdout.splitlines()[:-2]] == expected


def test_no_zl101_under_mocks_made_elsewhere_in_the_module_or_by_a_base_class(tmp_path):
    """A mocking object made once for the module (a configured ``vcr.VCR()``, an
    ``httpx.MockTransport`` handed to the client) and a base class's setUp that patches HTTP (also
    reached by ``super().setUp()``) make a test mocked, like the library's own decorator or a
    patch in the test. A client of a real transport does not, nor a name bound to a mock and then
    to a real transport, nor a mock that is only looked at, nor a setUp that replaces the base's."""
    write_tree(tmp_path, {"crm/__init__.py": "", "crm/client.py": CLIENT + '''
def assign_with(client, record):
    return client.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={}).json()
''', "tests/__init__.py": "", "tests/base.py": '''
        import unittest
        from unittest import mock

        class PatchedHttp(unittest.TestCase):
            def setUp(self):
                patcher = mock.patch("crm.client.requests.post")
                self.post = patcher.start()
                self.addCleanup(patcher.stop)
    ''', "tests/test_client.py": '''
        import httpx
        import vcr

        from crm.client import assign_lead, assign_with
        from tests.base import PatchedHttp

        my_vcr = vcr.VCR(cassette_library_dir="tests/cassettes")
        TRANSPORT = httpx.MockTransport(lambda request: httpx.Response(202, json={}))
        REAL = httpx.HTTPTransport(retries=2)
        REBOUND = httpx.MockTransport(lambda request: httpx.Response(202, json={}))
        REBOUND = httpx.HTTPTransport(retries=2)

        @my_vcr.use_cassette("assign.yaml")
        def test_cassette():
            assign_lead("1", "2")

        def test_cassette_in_a_block():
            with my_vcr.use_cassette("assign.yaml"):
                assign_lead("1", "2")

        def test_mock_transport():
            client = httpx.Client(transport=TRANSPORT)
            assign_with(client, "1")

        def test_real_transport():
            client = httpx.Client(transport=REAL)
            assign_with(client, "1")

        class TestInherited(PatchedHttp):
            def test_assign(self):
                assign_lead("1", "2")

        def test_rebound_transport():
            client = httpx.Client(transport=REBOUND)
            assign_with(client, "1")

        def test_real_call_beside_a_mock_looked_at():
            assert isinstance(TRANSPORT, httpx.MockTransport)
            assign_lead("1", "2")

        class TestSuperSetUp(PatchedHttp):
            def setUp(self):
                super().setUp()

            def test_assign(self):
                assign_lead("1", "2")

        class TestOwnSetUp(PatchedHttp):
            def setUp(self):
                self.record = "1"

            def test_assign(self):
                assign_lead(self.record, "2")
    '''})
    result = run_zlint("check", "--output-format", "concise", "--select", "ZL101", ".", cwd=tmp_path)
    assert [line.split(" [")[0] for line in result.stdout.splitlines()[:-2]] == [
        "tests/test_client.py:27:5: ZL101", "tests/test_client.py:35:5: ZL101", "tests/test_client.py:39:5: ZL101",
        "tests/test_client.py:53:9: ZL101"], result.stdout


def test_mock_answers_without_a_status_and_the_job_status_answer_beside_them(tmp_path):
    """A ``Mock()`` has no status until given one: its body alone is checked (the v7 body passes,
    the old synchronous body is still ZL201). A Mock in the job status call's shape answers the
    wait, not the territory call."""
    write_tree(tmp_path, {"app.py": '''
        def assign(session, record, territory):
            r = session.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
            job = r.json()["data"][0]["details"]["job_id"]
            session.get("https://www.zohoapis.com/crm/v7/Leads/actions/get_feature_specific_info",
                        params={"features": "territory_scheduled_jobs", "ids": record, "job": job})
            return r
    ''', "tests/test_app.py": '''
        from unittest.mock import Mock

        from app import assign

        NEW = {"data": [{"code": "SCHEDULED", "details": {"id": "1", "job_id": "9"}, "message": "m", "status": "success"}]}
        OLD = {"data": [{"code": "SUCCESS", "details": {"id": "1"}, "message": "the territories data updated successfully",
                         "status": "success"}]}

        def test_scheduled_without_a_status():
            session = Mock()
            session.post.return_value.json.return_value = NEW
            assign(session, "1", "2")

        def test_the_answer_and_the_wait_in_turn():
            post = Mock(status_code=202, json=Mock(return_value=NEW))
            poll = Mock(status_code=200, json=Mock(return_value={"territory_scheduled_jobs": []}))
            session = Mock(post=Mock(return_value=post), get=Mock(return_value=poll))
            assign(session, "1", "2")

        def test_old_answer_without_a_status():
            session = Mock()
            session.post.return_value.json.return_value = OLD
            assign(session, "1", "2")
    '''})
    result = run_zlint("check", "--output-format", "concise", "--select", "ZL2", ".", cwd=tmp_path)
    assert [line.split(" [")[0] for line in result.stdout.splitlines()[:-2]] == [
        "tests/test_app.py:22:51: ZL201"], result.stdout
