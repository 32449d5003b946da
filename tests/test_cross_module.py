"""Wrappers, constants, request helpers and decorators that live in other modules of the tree."""

from __future__ import annotations

import json
import subprocess
import textwrap

import pytest

from conftest import run_zlint, write_tree


def _findings(tmp_path, files: dict[str, str]) -> list[tuple[str, int, str]]:
    write_tree(tmp_path, files)
    result = run_zlint("check", "--output-format", "json", ".", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    return [(f["path"], f["line"], f["code"]) for f in json.loads(result.stdout)["findings"]]


def _findings_of_a_full_parse(tmp_path) -> list[tuple[str, int, str]]:
    """The findings of ``--no-prefilter`` (every file parsed), which the prefiltered run must equal."""
    result = run_zlint("check", "--output-format", "json", "--no-prefilter", "--no-cache", ".", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    return [(f["path"], f["line"], f["code"]) for f in json.loads(result.stdout)["findings"]]


def test_wrapper_callers_across_modules_transitively(tmp_path):
    found = _findings(tmp_path, {
        "crm/__init__.py": "",
        "crm/config.py": 'VERSION = "v7"\n',
        "crm/api.py": '''
            import requests
            from .config import VERSION
            def assign(module, payload):
                resp = requests.post(f"https://www.zohoapis.com/crm/{VERSION}/{module}/actions/assign_territories",
                                     json=payload)
                return resp.json()
        ''',
        "crm/service.py": '''
            from crm import api
            def assign_lead(payload):
                return api.assign("Leads", payload)
        ''',
        "jobs/nightly.py": '''
            from crm.service import assign_lead
            def run(payload):
                body = assign_lead(payload)
                if body["data"][0]["code"] == "SUCCESS":
                    print("done")
        ''',
        "jobs/migrated.py": '''
            from crm.service import assign_lead
            def run(payload):
                body = assign_lead(payload)
                return [item["details"]["job_id"] for item in body["data"]]
        ''',
    })
    assert found == [("jobs/nightly.py", 3, "ZL101"), ("jobs/nightly.py", 4, "ZL104")]


def test_inventory_names_the_version_from_a_third_module(tmp_path):
    write_tree(tmp_path, {
        "app/__init__.py": "",
        "app/settings.py": 'import os\nAPI_VERSION = os.getenv("ZOHO_API_VERSION", "v5")\n',
        "app/urls.py": 'import app.settings as s\nBASE = "https://www.zohoapis.eu/crm/" + s.API_VERSION\n',
        "app/client.py": '''
            import requests
            from app.urls import BASE
            class Territories:
                path = "/Deals/actions/remove_territories"
                def remove(self, payload):
                    return requests.post(BASE + self.path, json=payload)
        ''',
    })
    result = run_zlint("check", "--list-calls", "--output-format", "json", ".", cwd=tmp_path)
    calls = [(c["path"], c["line"], c["operation"], c["version"], c["module"], c["status"])
             for c in json.loads(result.stdout)["calls"]]
    assert calls == [("app/client.py", 6, "remove", "v5", "Deals", "returned")]


def test_generic_request_helper_is_checked_with_each_callers_arguments(tmp_path):
    found = _findings(tmp_path, {
        "zoho/__init__.py": "",
        "zoho/paths.py": 'ASSIGN = "/Leads/actions/assign_territories"\nRECORDS = "/Leads"\n',
        "zoho/http.py": '''
            import requests
            class Http:
                base = "https://www.zohoapis.com/crm/v7"
                def __init__(self):
                    self.session = requests.Session()
                def call(self, method, path, **kwargs):
                    resp = self.session.request(method, self.base + path, **kwargs)
                    if resp.status_code != 200:
                        raise RuntimeError(resp.text)
                    return resp
        ''',
        "zoho/service.py": '''
            from zoho.http import Http
            from zoho.paths import ASSIGN, RECORDS
            def assign(payload):
                Http().call("POST", ASSIGN, json=payload)
            def records():
                return Http().call("GET", RECORDS).json()
        ''',
    })
    # the 200-only check sits in the helper but matters only for the territory call through it
    assert found == [("zoho/http.py", 8, "ZL102"), ("zoho/service.py", 4, "ZL101")]


def test_instance_attribute_client_and_decorator_factory_in_another_module(tmp_path):
    found = _findings(tmp_path, {
        "lib/__init__.py": "",
        "lib/retrying.py": '''
            import functools
            def retry(times=3, ok=(200, 201)):
                def decorate(fn):
                    @functools.wraps(fn)
                    def wrapper(*args, **kwargs):
                        for _ in range(times):
                            resp = fn(*args, **kwargs)
                            if resp.status_code in ok:
                                return resp
                        raise RuntimeError("gave up")
                    return wrapper
                return decorate
        ''',
        "lib/zoho.py": '''
            import httpx
            from lib.retrying import retry
            class ZohoApi:
                def __init__(self):
                    self.http = httpx.Client(base_url="https://www.zohoapis.com/crm/v8")
                @retry(times=5)
                def assign(self, module, payload):
                    return self.http.post(f"/{module}/actions/assign_territories", json=payload)
        ''',
        "lib/use.py": '''
            from lib.zoho import ZohoApi
            class Sync:
                def __init__(self):
                    self.api = ZohoApi()
                def push(self, payload):
                    self.api.assign("Contacts", payload)
                    return True
        ''',
    })
    assert found == [("lib/retrying.py", 8, "ZL102"), ("lib/use.py", 6, "ZL101"), ("lib/zoho.py", 6, "ZL103")]


def test_a_file_that_does_not_parse_does_not_hide_the_rest_of_the_index(tmp_path):
    found = _findings(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/broken.py": "def assign_territories(:\n",
        "pkg/api.py": '''
            import requests
            def assign(payload):
                return requests.post("https://www.zohoapis.com/crm/v2.1/Leads/actions/assign_territories", json=payload)
        ''',
        "pkg/use.py": "from pkg.api import assign\ndef go(p):\n    assign(p)\n",
    })
    assert found == [("pkg/broken.py", 1, "ZL001"), ("pkg/use.py", 3, "ZL101")]


def test_job_wait_in_a_helper_module_counts_as_handled(tmp_path):
    found = _findings(tmp_path, {
        "svc/__init__.py": "",
        "svc/jobs.py": '''
            import time, requests
            def wait_for_job(module, record_ids, timeout=60):
                end = time.monotonic() + timeout
                while time.monotonic() < end:
                    r = requests.get(f"https://www.zohoapis.com/crm/v7/{module}/actions/get_feature_specific_info",
                                     params={"features": "territory_scheduled_jobs", "ids": ",".join(record_ids)})
                    if r.status_code == 204:
                        return
                    time.sleep(2)
                raise TimeoutError(record_ids)
        ''',
        "svc/assign.py": '''
            import requests
            from svc.jobs import wait_for_job
            def assign(ids, territory):
                r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories",
                                  json={"data": [{"id": i, "Territories": [{"id": territory}]} for i in ids]})
                r.raise_for_status()
                wait_for_job("Leads", ids)
                return requests.get(f"https://www.zohoapis.com/crm/v7/Leads/{ids[0]}").json()
        ''',
    })
    assert found == []



def test_a_job_wait_two_helpers_deep_counts_as_handled(tmp_path):
    """``wait_until_done`` mentions no endpoint: it calls ``pending_jobs``, which asks for the
    record's territory jobs; a call followed by it is handled, one without it is still reported."""
    found = _findings(tmp_path, {
        "svc/__init__.py": "",
        "svc/jobs.py": '''
            import time, requests
            def pending_jobs(module, record_ids):
                r = requests.get(f"https://www.zohoapis.com/crm/v7/{module}/actions/get_feature_specific_info",
                                 params={"features": "territory_scheduled_jobs", "ids": ",".join(record_ids)})
                return r.json().get("data", []) if r.status_code == 200 else []
            def wait_until_done(module, record_ids):
                for _ in range(60):
                    if not pending_jobs(module, record_ids):
                        return
                    time.sleep(5)
                raise TimeoutError(record_ids)
        ''',
        "svc/assign.py": '''
            import requests
            from svc.jobs import wait_until_done
            URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
            def assign(ids, territory):
                r = requests.post(URL, json={"data": [{"id": i, "Territories": [{"id": territory}]} for i in ids]})
                r.raise_for_status()
                wait_until_done("Leads", ids)
                return requests.get(f"https://www.zohoapis.com/crm/v7/Leads/{ids[0]}").json()
            def assign_and_read(ids, territory):
                r = requests.post(URL, json={"data": [{"id": i, "Territories": [{"id": territory}]} for i in ids]})
                r.raise_for_status()
                return requests.get(f"https://www.zohoapis.com/crm/v7/Leads/{ids[0]}").json()
        ''',
    })
    assert found == [("svc/assign.py", 10, "ZL101"), ("svc/assign.py", 12, "ZL106")]

def test_a_copy_of_the_sdk_in_the_scanned_tree_is_still_the_sdk(tmp_path):
    """A vendored SDK (or a test double of it) defines RecordOperations in the tree: calls on it are
    still SDK calls, and the copy's own code is not reported."""
    packages = ["zohocrmsdk", "src", "com", "zoho", "crm", "api"]
    write_tree(tmp_path, {
        **{"/".join(["vendor", *packages[:n], "__init__.py"]): "" for n in range(1, len(packages) + 1)},
        "vendor/zohocrmsdk/src/com/zoho/crm/api/record/__init__.py": """
            import urllib.request


            class RecordOperations:
                def __init__(self, module):
                    self.module = module

                def assign_territories_to_multiple_records(self, request):
                    url = f"https://www.zohoapis.com/crm/v8/{self.module}/actions/assign_territories"
                    return urllib.request.urlopen(urllib.request.Request(url, data=request, method="POST"))
            """,
        "app.py": """
            from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations


            def assign(request):
                RecordOperations("Leads").assign_territories_to_multiple_records(request)
            """,
    })
    result = run_zlint("check", "--output-format", "json", ".", cwd=tmp_path)
    found = [(f["path"], f["line"], f["code"], f["call"]["client"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [("app.py", 5, "ZL101", "zohocrmsdk6-0/7-0/8-0")]


def test_a_url_builder_in_another_module_is_followed(tmp_path):
    """``territory_url(...)`` builds the endpoint's URL in crm/urls.py: the call in jobs/sync.py,
    which names no endpoint itself, is found, with and without the prefilter."""
    write_tree(tmp_path, {
        "crm/__init__.py": "",
        "crm/urls.py": '''
            BASE = "https://www.zohoapis.com/crm/v7"
            def territory_url(module, record_id=None):
                if record_id is None:
                    raise ValueError("a record is needed")
                return f"{BASE}/{module}/{record_id}/actions/assign_territories"
            class Api:
                def url(self, path):
                    return BASE + path
        ''',
        "jobs/__init__.py": "",
        "jobs/sync.py": '''
            import requests
            from crm import urls
            from crm.urls import territory_url
            def assign(record_id):
                r = requests.post(territory_url("Leads", record_id), json={})
                return r.status_code == 200
            def remove(record_id):
                path = f"/Deals/{record_id}/actions/remove_territories"
                return requests.post(urls.Api().url(path), json={}).ok
        ''',
    })
    for options in ((), ("--no-prefilter",)):
        result = run_zlint("check", "--output-format", "concise", *options, ".", cwd=tmp_path)
        assert [line.split(" [")[0] for line in result.stdout.splitlines()[:-2]] == [
            "jobs/sync.py:5:9: ZL101", "jobs/sync.py:6:12: ZL102", "jobs/sync.py:9:12: ZL101"], options


def test_what_a_builder_folds_to_does_not_depend_on_the_calls_folded_before(tmp_path):
    """A chain of builders deeper than zlint follows is cut short; what a cut fold gave must not
    be remembered for a shallower call of the same builders."""
    from zlint.analysis.folding import MAX_BUILDERS

    top = MAX_BUILDERS  # the deep call follows u{top} ... u1, and u0 is cut: u1 folds to a hole there
    chain = "".join(f"def u{i}():\n    return u{i - 1}() + ''\n" for i in range(1, top + 1))
    deep = f'requests.post(u{top}() + "/Leads/actions/assign_territories")\n'
    shallow = 'requests.post(u2() + "/Deals/actions/assign_territories")\n'
    write_tree(tmp_path, {
        "app/__init__.py": "",
        "app/urls.py": 'def u0():\n    return "https://www.zohoapis.com/crm/v2"\n' + chain,
        "app/deep_first.py": f"import requests\nfrom app.urls import u2, u{top}\n" + deep + shallow,
        "app/shallow_first.py": f"import requests\nfrom app.urls import u2, u{top}\n" + shallow + deep,
    })
    result = run_zlint("check", "--list-calls", "--output-format", "json", ".", cwd=tmp_path)
    found = {(c["path"], c["module"]): c["version"] for c in json.loads(result.stdout)["calls"]}
    assert found[("app/deep_first.py", "Deals")] == found[("app/shallow_first.py", "Deals")] == "v2"


NAMESPACE_PACKAGE = {
    "pkg/crmhttp.py": '''
        import requests
        API = "https://www.zohoapis.com/crm/v7"
        def post_territories(module, body):
            return requests.post(f"{API}/{module}/actions/assign_territories", json=body)
    ''',
    "pkg/service.py": '''
        from pkg.crmhttp import post_territories
        def assign(body):
            resp = post_territories("Leads", body)
            if resp.status_code != 200:
                raise RuntimeError(resp.text)
    ''',
}


def test_a_folder_without_init_files_given_alone_still_resolves_its_imports(tmp_path):
    """``from pkg.crmhttp import ...`` names the module from the project's root; a run given only
    ``pkg`` (or its files, as pre-commit gives them) must know it by that name too, not only as
    ``crmhttp`` (it found nothing)."""
    write_tree(tmp_path, NAMESPACE_PACKAGE)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)  # a project, as pre-commit runs in
    expected = [("pkg/service.py", 3, "ZL101"), ("pkg/service.py", 4, "ZL102")]
    for args in [(".",), ("pkg",), ("pkg/service.py", "pkg/crmhttp.py"), ("pkg/service.py",)]:
        result = run_zlint("check", "--no-cache", "--output-format", "json", *args, cwd=tmp_path)
        assert [(f["path"], f["line"], f["code"]) for f in json.loads(result.stdout)["findings"]] == expected, args


_ZOHO_CLIENT = '''
    import requests
    BASE = "https://www.zohoapis.com/crm/v7"
    class ZohoClient:
        def __init__(self):
            self.session = requests.Session()
        def assign_territory(self, lead_id, territory_id):
            r = self.session.post(f"{BASE}/Leads/actions/assign_territories",
                                  json={"data": [{"id": lead_id, "Territories": [{"id": territory_id}]}]})
            r.raise_for_status()
            return r.json()
        def reassign(self, lead_id, territory_id):
            return self.assign_territory(lead_id, territory_id)
        def assign(self, lead_id, territory_id):
            return self.assign_territory(lead_id, territory_id)
'''


def test_a_method_called_on_a_parameter_of_unknown_type_is_followed_to_the_class_that_does_territory_work(tmp_path):
    found = _findings(tmp_path, {
        "crm/__init__.py": "",
        "crm/client.py": _ZOHO_CLIENT,
        "crm/service.py": '''
            def move_lead(client, lead_id, territory_id):
                body = client.assign_territory(lead_id, territory_id)
                if body["data"][0]["code"] != "SUCCESS":
                    raise RuntimeError(body)

            class Mover:
                def __init__(self, zoho):
                    self.zoho = zoho
                def move(self, lead_id, territory_id):
                    self.zoho.reassign(lead_id, territory_id)
        ''',
        # neither the method's name nor the receiver's says territory, Zoho or CRM; or a mock
        "app/users.py": '''
            def grant(user, role):
                user.assign(role, None)
            def with_mock(requests_mock, lead):
                requests_mock.assign_territory(lead, None)
        ''',
    })
    assert found == [("crm/service.py", 2, "ZL101"), ("crm/service.py", 3, "ZL104"), ("crm/service.py", 10, "ZL101")]
    assert _findings_of_a_full_parse(tmp_path) == found


def test_a_cached_caller_is_checked_again_when_a_class_gains_the_method_it_calls(tmp_path):
    files = {
        "crm/__init__.py": "",
        "crm/api.py": '''
            import requests
            def assign_territory(lead_id, territory_id):
                return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories",
                                     json={"data": [{"id": lead_id}]}).json()
        ''',
        "crm/service.py": '''
            def move_lead(client, lead_id, territory_id):
                client.assign_territory(lead_id, territory_id)
        ''',
    }
    assert _findings(tmp_path, files) == []
    # the method's name was a word of the index already (crm.api's function): only the class is new
    assert _findings(tmp_path, {"crm/client.py": _ZOHO_CLIENT}) == [("crm/service.py", 2, "ZL101")]


def test_a_receiver_typed_by_an_interface_is_followed_to_the_implementations_that_do_territory_work(tmp_path):
    post = '''requests.post(f"{BASE}/Leads/actions/assign_territories", json={"data": [{"id": lead_id}]}).json()'''
    found = _findings(tmp_path, {
        "ports.py": '''
            import abc
            from typing import Protocol
            class TerritoryPort(Protocol):
                def assign_territory(self, lead_id: str) -> dict: ...
            class Backend(Protocol):
                def assign(self, lead_id: str) -> dict: ...
            class BaseBackend(abc.ABC):
                @abc.abstractmethod
                def assign(self, lead_id):
                    """Put the lead in its territory."""
                    raise NotImplementedError
        ''',
        "adapters.py": f'''
            import requests
            from ports import BaseBackend
            BASE = "https://www.zohoapis.com/crm/v7"
            class ZohoAdapter:
                def assign_territory(self, lead_id):
                    return {post}
            class ZohoBackend(BaseBackend):
                def assign(self, lead_id):
                    return {post}
            class Unrelated:
                def assign(self, lead_id):
                    return {post}
        ''',
        "use.py": '''
            from ports import Backend, BaseBackend, TerritoryPort
            def by_protocol(port: TerritoryPort, lead):
                port.assign_territory(lead)
            def by_base_class(backend: BaseBackend, lead):
                backend.assign(lead)
            def by_protocol_of_a_generic_name(backend: Backend, lead):
                backend.assign(lead)
        ''',
    })
    assert found == [("use.py", 3, "ZL101"), ("use.py", 5, "ZL101")]
    result = run_zlint("check", "--list-calls", "--output-format", "json", "--no-cache", ".", cwd=tmp_path)
    assert [(c["path"], c["line"], c["via"]) for c in json.loads(result.stdout)["calls"] if c["path"] == "use.py"] == [
        ("use.py", 3, ["adapters.py:6"]), ("use.py", 5, ["adapters.py:9"])]
    assert _findings_of_a_full_parse(tmp_path) == found


_ZOHO_WITH_WAIT = '''
    import requests
    API = "https://www.zohoapis.com/crm/v7"
    class ZohoClient:
        def __init__(self, token):
            self.s = requests.Session()
        def assign_territory(self, module, rid, tid):
            return self.s.post(f"{API}/{module}/actions/assign_territories",
                               json={"data": [{"id": rid, "Territories": [{"id": tid}]}]}).json()
        def update(self, module, rid, tid):
            return self.assign_territory(module, rid, tid)
        def wait_for_territory_job(self, module, rid):
            while self.s.get(f"{API}/{module}/actions/get_feature_specific_info",
                             params={"features": "territory_scheduled_jobs", "ids": rid}).status_code != 204:
                pass
        def get_record(self, module, rid):
            return self.s.get(f"{API}/{module}/{rid}").json()
        @classmethod
        def from_env(cls):
            return cls("token")
'''


def test_the_types_a_service_layer_gives_its_zoho_client_are_followed(tmp_path):
    found = _findings(tmp_path, {
        "zoho.py": _ZOHO_WITH_WAIT,
        "service.py": '''
            from dataclasses import dataclass
            from typing import Optional
            from zoho import ZohoClient
            def waits_then_reads(zoho, lead):
                zoho.assign_territory("Leads", lead, "1")
                zoho.wait_for_territory_job("Leads", lead)
                return zoho.get_record("Leads", lead)
            def reads_at_once(zoho, lead):
                zoho.assign_territory("Leads", lead, "1")
                return zoho.get_record("Leads", lead)
            def optional(client: Optional[ZohoClient], lead):
                client.update("Leads", lead, "1")
            def union(client: "ZohoClient | None", lead):
                client.update("Leads", lead, "1")
            @dataclass
            class LeadService:
                client: ZohoClient
                def move(self, lead):
                    self.client.update("Leads", lead, "1")
            class Defaulted:
                def __init__(self, client=None):
                    self.client = client or ZohoClient("token")
                def move(self, lead):
                    self.client.update("Leads", lead, "1")
            def from_env(lead):
                ZohoClient.from_env().update("Leads", lead, "1")
        ''',
    })
    assert found == [("service.py", 9, "ZL101"), ("service.py", 10, "ZL106"), ("service.py", 12, "ZL101"),
                     ("service.py", 14, "ZL101"), ("service.py", 19, "ZL101"), ("service.py", 24, "ZL101"),
                     ("service.py", 26, "ZL101")]


def test_a_receiver_of_unknown_type_is_not_taken_for_zoho_when_something_else_fits_better(tmp_path):
    found = _findings(tmp_path, {
        "zoho.py": _ZOHO_WITH_WAIT,
        "sales/__init__.py": "",
        "sales/models.py": '''
            class Lead:
                def assign_territory(self, territory):
                    self.territory = territory
        ''',
        "sales/services.py": '''
            from sales.models import Lead
            def imported_model(lead, territory):
                lead.assign_territory(territory)
            class SalesforceCRM:
                def assign_territory(self, obj, rid, tid):
                    return None
            def own_class(crm, rid, tid):
                crm.assign_territory("Lead", rid, tid)
        ''',
        "hubspot_sync.py": '''
            def generic_name_on_a_crm_alone(hubspot_crm, contact, props):
                hubspot_crm.update("contacts", contact, props)
        ''',
        "mover.py": '''
            def arguments_that_do_not_fit(zoho, lead):
                zoho.assign_territory(lead)
        ''',
        "zoho_sync.py": '''
            def generic_name_on_a_crm_in_a_zoho_module(crm, lead):
                crm.update("Leads", lead, "1")
            def generic_name_on_a_receiver_named_for_zoho(zoho_crm, lead):
                zoho_crm.update("Leads", lead, "1")
        ''',
    })
    assert found == [("zoho_sync.py", 4, "ZL101")]


def test_a_caller_indexed_before_the_method_it_calls_was_known_is_indexed_again(tmp_path):
    files = {
        "c.py": '''
            import requests
            def post_territory(lead):
                return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories",
                                     json={"data": [{"id": lead}]}).json()
        ''',
        "b.py": '''
            from c import post_territory
            class ZohoClient:
                def reassign(self, lead):
                    return post_territory(lead)
        ''',
        "a.py": '''
            class ZohoFacade:
                def __init__(self, zoho):
                    self.zoho = zoho
                def move(self, lead):
                    return self.zoho.reassign(lead)
        ''',
        "d.py": '''
            def run(zoho, lead):
                zoho.move(lead)
        ''',
    }
    assert _findings(tmp_path, files) == [("d.py", 2, "ZL101")]
    # a.py read in the first round of the index (it names an endpoint), before ZohoClient.reassign was known
    files["a.py"] = "# talks to Zoho's assign_territories\n" + textwrap.dedent(files["a.py"]).lstrip("\n")
    assert _findings(tmp_path, files) == [("d.py", 2, "ZL101")]


def test_a_receiver_whose_type_the_code_tells_otherwise_is_not_taken_for_zoho(tmp_path):
    found = _findings(tmp_path, {
        "zoho.py": _ZOHO_WITH_WAIT,
        "app/__init__.py": "",
        "app/models.py": '''
            class Territory:
                def __init__(self):
                    self.users = []
                def assign_territory(self, module, user, level):
                    self.users.append((module, user, level))
            class HubSpotCrm:
                def push(self, module, record, values):
                    return None
        ''',
        "app/services.py": '''
            from app.models import HubSpotCrm, Territory
            def optional(territory: Territory | None, user):
                territory.assign_territory("Users", user, 1)
            def defaulted(user, territory=Territory()):
                territory.assign_territory("Users", user, 1)
            def narrowed(territory, user):
                if isinstance(territory, Territory):
                    territory.assign_territory("Users", user, 1)
            class Sync:
                zoho_mirror: HubSpotCrm
                def __init__(self, zoho_mirror):
                    self.zoho_mirror = zoho_mirror
                def push(self, record):
                    self.zoho_mirror.update("contacts", record, {})
            class Annotated:
                def __init__(self, zoho_mirror):
                    self.zoho_mirror: HubSpotCrm = zoho_mirror
                def push(self, record):
                    self.zoho_mirror.update("contacts", record, {})
        ''',
        "app/ranks.py": '''
            class Region:
                def assign_territory(self, module, user, level):
                    return None
                def promote(this, user):
                    this.assign_territory("Users", user, 1)
            def promote(territory, user):  # the method's name alone: app.models.Territory has one too
                territory.assign_territory("Users", user, 1)
        ''',
        "tests/conftest.py": '''
            import pytest
            class FakeZoho:
                def assign_territory(self, module, rid, tid):
                    return {"data": [{"code": "SUCCESS"}]}
            @pytest.fixture
            def zoho():
                return FakeZoho()
        ''',
        "tests/test_sync.py": '''
            def test_assign(zoho):
                body = zoho.assign_territory("Leads", 1, 2)
                assert body["data"][0]["code"] == "SUCCESS"
        ''',
        # and where it tells Zoho: the receiver's name, or an isinstance test naming the class
        "app/sync.py": '''
            from zoho import ZohoClient
            def by_name(zoho, lead):
                zoho.update("Leads", lead, "1")
            def by_isinstance(client, lead):
                if not isinstance(client, ZohoClient):
                    raise TypeError(client)
                client.update("Leads", lead, "1")
        ''',
    })
    assert found == [("app/sync.py", 3, "ZL101"), ("app/sync.py", 7, "ZL101")]


def test_the_prefilter_reads_every_file_that_reaches_a_territory_method_through_an_alias_subclass_or_factory(tmp_path):
    files = {
        "ports/__init__.py": "from ports.base import BaseBackend as Backend\n",
        "ports/base.py": '''
            import abc
            class BaseBackend(abc.ABC):
                @abc.abstractmethod
                def push(self, lead):
                    raise NotImplementedError
        ''',
        "adapters/__init__.py": "",
        "adapters/impl.py": '''
            import requests
            from ports.base import BaseBackend
            class ZohoImpl(BaseBackend):
                def push(self, lead):
                    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories",
                                         json={"data": [{"id": lead}]}).json()
        ''',
        "special.py": '''
            from adapters.impl import ZohoImpl
            class Special(ZohoImpl):
                pass
            def make():
                return Special()
        ''',
        "app/__init__.py": "",
        "app/by_alias.py": '''
            from ports import Backend
            def send(backend: Backend, lead):
                backend.push(lead)
        ''',
        "app/by_subclass.py": '''
            from special import Special, make
            def send(backend: Special, lead):
                backend.push(lead)
            def send_made(lead):
                made = make()
                made.push(lead)
        ''',
    }
    found = _findings(tmp_path, files)
    assert found == [("app/by_alias.py", 3, "ZL101"), ("app/by_subclass.py", 3, "ZL101"),
                     ("app/by_subclass.py", 6, "ZL101")]
    assert _findings_of_a_full_parse(tmp_path) == found


@pytest.mark.parametrize("first_round", [False, True], ids=["read-when-named", "read-first"])
def test_what_the_index_learns_of_a_file_does_not_depend_on_the_round_it_is_read_in(tmp_path, first_round):
    """A file naming an endpoint is read in the index's first round, before the methods doing
    territory work are known: it is read again once they are (a model's method, a factory)."""
    lead = "# posts to Zoho's assign_territories\n" if first_round else ""
    files = {
        "zoho.py": _ZOHO_WITH_WAIT,
        "models.py": lead + "class Territory:\n    def assign_territory(self, module, rid, tid):\n        self.rid = rid\n",
        "ranks.py": "def promote(territory, user):\n    territory.assign_territory('Users', user, 1)\n",
        "special.py": lead + "from zoho import ZohoClient\nclass Special(ZohoClient):\n    pass\n"
                             "def make():\n    return Special('token')\n",
        "send.py": "from special import make\ndef send(lead):\n    made = make()\n    made.update('Leads', lead, '1')\n",
    }
    found = _findings(tmp_path, files)
    assert found == [("send.py", 4, "ZL101")]
    assert _findings_of_a_full_parse(tmp_path) == found


def test_the_arguments_of_a_call_fit_a_method_whatever_its_first_parameter_is_called(tmp_path):
    found = _findings(tmp_path, {
        "zoho.py": '''
            import requests
            class ZohoClient:
                def assign_territory(this, module, rid, tid):
                    return requests.post(f"https://www.zohoapis.com/crm/v7/{module}/actions/assign_territories",
                                         json={"data": [{"id": rid, "Territories": [{"id": tid}]}]}).json()
                @staticmethod
                def assign_territory_of(module, rid, tid):
                    return ZohoClient().assign_territory(module, rid, tid)
        ''',
        "use.py": '''
            def fits(client, lead):
                client.assign_territory("Leads", lead, "1")
            def fits_the_static_one(client, lead):
                client.assign_territory_of("Leads", lead, "1")
            def one_too_many(client, lead):
                client.assign_territory("Leads", lead, "1", "2")
        ''',
    })
    assert found == [("use.py", 2, "ZL101"), ("use.py", 4, "ZL101")]


def test_service_layer_shapes_of_a_second_round(tmp_path):
    found = _findings(tmp_path, {
        "zoho.py": _ZOHO_WITH_WAIT,
        "mover.py": '''
            class LeadMover:
                def __init__(self, zoho):
                    self.zoho = zoho
                def move(self, lead):
                    self.zoho.assign_territory("Leads", lead, "1")
                    self._wait(lead)
                def _wait(self, lead):
                    self.zoho.wait_for_territory_job("Leads", lead)
        ''',
        "api.py": '''
            from typing import Annotated
            from fastapi import Depends
            from zoho import ZohoClient
            def get_client():
                client = ZohoClient("token")
                yield client
            Client = Annotated[ZohoClient, Depends(get_client)]
            def by_yield(lead, c=Depends(get_client)):
                c.update("Leads", lead, "1")
            def by_alias(lead, c: Client):
                c.update("Leads", lead, "1")
        ''',
        "hubspot_sync.py": '''
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                from hubspot import HubSpot
            def push(zoho_mirror: "HubSpot", contact):  # the class is not in the tree: not a guess either
                zoho_mirror.update("contacts", contact, {})
        ''',
        "service.py": '''
            def move(client, lead):
                client.assign_territory("Leads", lead, "1")
        ''',
        "tests/fakes.py": '''
            class FakeZoho:
                def assign_territory(self, module, rid, tid):
                    return {"data": [{"code": "SUCCESS"}]}
        ''',
        "tests/test_service.py": '''
            def _assign_and_check(zoho, lead):
                body = zoho.assign_territory("Leads", lead, "1")
                assert body["data"][0]["code"] == "SUCCESS"
        ''',
    })
    assert found == [("api.py", 9, "ZL101"), ("api.py", 11, "ZL101"), ("service.py", 2, "ZL101")]


def test_a_long_chain_of_wrapper_methods_on_receivers_of_unknown_type_is_followed_to_its_end(tmp_path):
    files = {"w0.py": '''
        import requests
        class ZohoClient:
            def m0(self, lead):
                return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories",
                                     json={"data": [{"id": lead}]}).json()
    '''}
    for layer in range(1, 10):
        files[f"w{layer}.py"] = (f"class ZohoLayer{layer}:\n    def __init__(self, zoho):\n        self.zoho = zoho\n"
                                 f"    def m{layer}(self, lead):\n        return self.zoho.m{layer - 1}(lead)\n")
    files["use.py"] = "def run(zoho, lead):\n    zoho.m9(lead)\n"
    found = _findings(tmp_path, files)
    assert found == [("use.py", 2, "ZL101")]
    assert _findings_of_a_full_parse(tmp_path) == found


def test_service_layer_shapes_of_a_third_round(tmp_path):
    files = {
        "crm_core/__init__.py": "",
        "crm_core/backends.py": '''
            from abc import ABC, abstractmethod
            class CrmBackend(ABC):
                @abstractmethod
                def reassign(self, record_id, territory_id):
                    raise NotImplementedError
        ''',
        "vendors/__init__.py": "",
        "vendors/zoho.py": '''
            import requests
            from crm_core.backends import CrmBackend
            API = "https://www.zohoapis.com/crm/v7/Deals/actions"
            class ZohoBackend(CrmBackend):
                def reassign(self, record_id, territory_id):
                    return requests.post(f"{API}/assign_territories", json={"data": [{"id": record_id}]}).json()
                def wait_for_job(self, answer):
                    requests.get(f"{API}/get_feature_specific_info",
                                 params={"features": "territory_scheduled_jobs", "ids": answer})
        ''',
        "jobs/__init__.py": "",
        "jobs/kinds.py": "from crm_core.backends import CrmBackend as Backend\n",
        "jobs/tasks.py": '''
            from jobs.kinds import Backend
            def by_a_re_exported_base(b: Backend, lead):
                b.reassign(lead, 1)
        ''',
        "flows.py": '''
            def waits_in_a_helper(zoho, lead):
                answer = zoho.reassign(lead, 1)
                wait(zoho, answer)
            def wait(zoho, answer):
                zoho.wait_for_job(answer)
        ''',
        "hub.py": "class HubClient:\n    pass\n",
        "route.py": '''
            from hub import HubClient
            def typed_by_type(zoho, lead):
                if type(zoho) is HubClient:
                    zoho.reassign(lead, 1)
            def typed_by_match(zoho, lead):
                match zoho:
                    case HubClient():
                        zoho.reassign(lead, 1)
        ''',
        "leads/tests.py": '''
            def test_reassign(zoho):
                assert zoho.reassign("1", "2")["data"][0]["code"] == "SUCCESS"
        ''',
        "context.py": '''
            from dataclasses import dataclass
            from vendors.zoho import ZohoBackend
            @dataclass
            class Context:
                zoho: ZohoBackend
            def through_a_field(context: Context, lead):
                context.zoho.reassign(lead, 1)
        ''',
        "models.py": '''
            class ZohoDeal:  # a local mirror of a Zoho record: its reassign makes no call
                def reassign(self, record_id, territory_id):
                    self.territory = territory_id
        ''',
        "sync.py": '''
            def fill(zoho_deal):
                zoho_deal.reassign(zoho_deal.zoho_id, "default")
        ''',
    }
    found = _findings(tmp_path, files)
    assert found == [("context.py", 7, "ZL101"), ("jobs/tasks.py", 3, "ZL101")]
    assert _findings_of_a_full_parse(tmp_path) == found
