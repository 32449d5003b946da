"""``zlint check --list-calls``: which territory calls are found, and what zlint says about each.

Every case is a small tree of files. A line ending in ``# <-`` marks a call zlint must list; the
expected (operation, scope, version, module, client) tuples are given in (path, line) order.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from conftest import run_zlint, write_tree

URL = "https://www.zohoapis.com/crm/v2.1/Leads/actions/assign_territories"
LEADS = ("assign", "bulk", "v2.1", "Leads")  # what every call on URL is


def calls(tmp_path, files: dict[str, str]) -> list[dict]:
    write_tree(tmp_path, files)
    result = run_zlint("check", "--list-calls", "--output-format", "json", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["calls"]


def marked(files: dict[str, str]) -> list[tuple[str, int]]:
    """(path, line) of every line marked ``# <-``, in the order zlint is expected to list them."""
    return sorted((name, n) for name, text in files.items()
                  for n, line in enumerate(textwrap.dedent(text).lstrip("\n").splitlines(), 1)
                  if line.rstrip().endswith("# <-"))


def listed(found: list[dict]) -> list[tuple]:
    rows = [(c["path"], c["line"], c["operation"], c["scope"], c["version"], c["module"], c["client"]) for c in found]
    return sorted(rows)


def check_case(tmp_path, files, expected):
    assert len(marked(files)) == len(expected), "one expected tuple per marked line"
    want = [(path, line, *row) for (path, line), row in zip(marked(files), expected, strict=True)]
    assert listed(calls(tmp_path, files)) == want


def one(source: str, *expected: tuple, marks=(), id: str):
    """A case made of the single file ``m.py``."""
    return pytest.param({"m.py": source}, list(expected), marks=marks, id=id)


# 1. Client styles: the same v2.1 Leads bulk assign, sent by every HTTP client zlint knows.
CLIENTS = [
    one(f"""
        import requests
        def go(body):
            return requests.post("{URL}", json=body)  # <-
        """, (*LEADS, "requests"), id="requests.post"),
    one("""
        import http.client
        def go(body):
            conn = http.client.HTTPSConnection("www.zohoapis.com")
            conn.request("GET", "/crm/v2.1/users")
            conn.getresponse().read()
            conn.request("POST", "/crm/v2.1/Leads/actions/assign_territories", body)
            return conn.getresponse()  # <-
        """, (*LEADS, "http.client"), id="http.client-getresponse-answers-the-last-request"),
    one(f"""
        import requests
        def go(body):
            return requests.request("POST", "{URL}", json=body)  # <-
        """, (*LEADS, "requests"), id="requests.request-POST"),
    one(f"""
        from requests import post as send
        from httpx import post as hpost
        def go(body):
            send("{URL}", json=body)  # <-
            return hpost("{URL}", json=body)  # <-
        """, (*LEADS, "requests"), (*LEADS, "httpx"), id="module-function-imported-under-another-name"),
    one(f"""
        import requests
        def go(body):
            return requests.Session().post("{URL}", json=body)  # <-
        """, (*LEADS, "requests"), id="requests.Session().post"),
    one(f"""
        import requests
        def go(body):
            with requests.Session() as s:
                return s.post("{URL}", json=body)  # <-
        """, (*LEADS, "requests"), id="with-requests.Session"),
    one(f"""
        import requests
        class Crm:
            def __init__(self):
                self.session = requests.Session()
            def go(self, body):
                return self.session.post("{URL}", json=body)  # <-
        """, (*LEADS, "requests"), id="self.session"),
    one(f"""
        import httpx
        def go(body):
            return httpx.post("{URL}", json=body)  # <-
        """, (*LEADS, "httpx"), id="httpx.post"),
    one(f"""
        import httpx
        def go(body):
            return httpx.Client().post("{URL}", json=body)  # <-
        """, (*LEADS, "httpx"), id="httpx.Client().post"),
    one(f"""
        import httpx
        async def go(body):
            async with httpx.AsyncClient() as c:
                return await c.post("{URL}", json=body)  # <-
        """, (*LEADS, "httpx (async)"), id="httpx.AsyncClient"),
    one("""
        import httpx
        def go(body):
            client = httpx.Client(base_url="https://www.zohoapis.com/crm/v7")
            return client.post("/Leads/actions/assign_territories", json=body)  # <-
        """, ("assign", "bulk", "v7", "Leads", "httpx"), id="httpx.Client-base_url"),
    one("""
        import os
        import httpx
        BASE = os.getenv("ZOHO_API_BASE", "https://www.zohoapis.com/crm/v7")
        def make_client(token) -> httpx.AsyncClient:
            return httpx.AsyncClient(base_url=BASE, headers={"Authorization": token})
        async def go(token, body):
            async with make_client(token) as client:
                return await client.post("/Leads/actions/assign_territories", json=body)  # <-
        """, ("assign", "bulk", "v7", "Leads", "httpx (async)"), id="httpx.AsyncClient-from-a-factory"),
    one(f"""
        import requests
        _SESSION = requests.Session()
        def session() -> requests.Session:
            global _SESSION
            return _SESSION if _SESSION is not None else requests.Session()
        def go(body):
            return session().post("{URL}", json=body)  # <-
        """, (*LEADS, "requests"), id="requests.Session-by-a-factory's-annotation"),
    one("""
        from typing import Annotated
        import httpx
        from fastapi import Depends
        def get_http():
            return httpx.Client(base_url="https://www.zohoapis.com/crm/v7")
        def move(lead, http: Annotated[httpx.Client, Depends(get_http)]):
            return http.post("/Leads/actions/assign_territories", json={"data": [{"id": lead}]})  # <-
        def move_again(lead, http=Depends(get_http)):
            return http.post("/Leads/actions/assign_territories", json={"data": [{"id": lead}]})  # <-
        """, ("assign", "bulk", "v7", "Leads", "httpx"), ("assign", "bulk", "v7", "Leads", "httpx"),
        id="httpx.Client-from-a-FastAPI-dependency"),
    one("""
        from contextlib import contextmanager
        import httpx
        from fastapi import Depends
        BASE = "https://www.zohoapis.com/crm/v7"
        @contextmanager
        def zoho_session():
            client = httpx.Client(base_url=BASE)
            try:
                yield client
            finally:
                client.close()
        def get_client():
            with httpx.Client(base_url=BASE) as client:
                yield client
        def move(lead):
            with zoho_session() as z:
                return z.post("/Leads/actions/assign_territories", json={"data": [{"id": lead}]})  # <-
        def endpoint(lead, http=Depends(get_client)):
            return http.post("/Leads/actions/assign_territories", json={"data": [{"id": lead}]})  # <-
        """, ("assign", "bulk", "v7", "Leads", "httpx"), ("assign", "bulk", "v7", "Leads", "httpx"),
        id="httpx.Client-yielded-by-a-context-manager-or-a-dependency"),
    one(f"""
        import aiohttp
        async def go(body):
            async with aiohttp.ClientSession() as s:
                async with s.post("{URL}", json=body) as resp:  # <-
                    return await resp.json()
        """, (*LEADS, "aiohttp"), id="aiohttp"),
    one(f"""
        import urllib.request
        def go():
            return urllib.request.urlopen(urllib.request.Request("{URL}", data=b"{{}}", method="POST"))  # <-
        """, (*LEADS, "urllib.request"), id="urllib.request"),
    one(f"""
        import urllib3
        def go(body):
            return urllib3.PoolManager().request("POST", "{URL}", json=body)  # <-
        """, (*LEADS, "urllib3"), id="urllib3"),
    one(f"""
        def go(api, body):
            return api.post("{URL}", json=body)  # <-
        """, (*LEADS, "http client"), id="any-object.post"),
]


# 2. URL folding: how the URL is spelled. The client is requests throughout.
FOLDING = [
    one("""
        import requests
        class Api:
            BASE = "https://www.zohoapis.com/crm/v2"
            def _url(self, path):
                return f"{self.BASE}/{path}"
        class Leads(Api):
            def assign(self):
                return requests.post(self._url("Leads/actions/assign_territories"))  # <-
        class V7(Api):
            BASE = "https://www.zohoapis.com/crm/v7"
            def assign(self):
                return requests.post(self._url("Deals/actions/assign_territories"))  # <-
        """, ("assign", "bulk", "v2", "Leads", "requests"), ("assign", "bulk", None, "Deals", "requests"),
        id="a-builder-of-a-base-class-whose-subclass-sets-its-own-base"),
    one("""
        import os
        import requests
        API = os.environ.get("ZOHO_CRM_API", "http://localhost:8000")  # production sets .../crm/v7
        def go(base="http://localhost:8000"):
            requests.post(API + "/Leads/actions/assign_territories")  # <-
            requests.post(base + "/Leads/actions/assign_territories")  # <-
        """, ("assign", "bulk", None, "Leads", "requests"), ("assign", "bulk", None, "Leads", "requests"),
        id="a-local-default-host-without-crm"),
    one("""
        import requests
        BASE = "https://www.zohoapis.com/crm/v7"
        def territory_url(module, record_id, action="assign"):
            return f"{BASE}/{module}/{record_id}/actions/{action}_territories"
        class Client:
            def _url(self, path):
                return BASE + path
            def remove(self, record_id):
                return requests.post(self._url(f"/Deals/{record_id}/actions/remove_territories"))  # <-
        requests.post(territory_url("Leads", 1))  # <-
        requests.post(territory_url(module="Contacts", record_id=2, action="remove"))  # <-
        """, ("remove", "record", "v7", "Deals", "requests"), ("assign", "record", "v7", "Leads", "requests"),
        ("remove", "record", "v7", "Contacts", "requests"), id="url-builder-functions"),
    one("""
        import requests
        ROOT = "https://sandbox.zohoapis.com/crm/v2.1"
        def joined(*parts):
            return "/".join((ROOT,) + parts)
        def under(base, *parts):
            return "/".join([base, *parts])
        requests.post(joined("Leads", "1", "actions", "remove_territories"))  # <-
        requests.post(under(ROOT, "Deals", "actions", "assign_territories"))  # <-
        """, ("remove", "record", "v2.1", "Leads", "requests"), ("assign", "bulk", "v2.1", "Deals", "requests"),
        id="url-builders-taking-star-parts"),
    one("""
        import requests
        def assign(url=None):
            url = url or "https://www.zohoapis.com/crm/v2.1/Leads/actions/assign_territories"
            return requests.post(url)  # <-
        def rebound():
            url = "https://www.zohoapis.com/crm/v2.1/Leads/actions/mass_update"
            url = "https://www.zohoapis.com/crm/v2.1/Leads/actions/assign_territories"
            return requests.post(url)  # <-
        """, (*LEADS, "requests"), (*LEADS, "requests"), id="default-or-and-rebound-name"),
    one("""
        import requests
        ASSIGN = "https://www.zohoapis.com/crm/v7/Deals/actions/assign_territories"
        requests.post(ASSIGN.replace("assign", "remove"))  # <-
        """, ("remove", "bulk", "v7", "Deals", "requests"), id="str.replace"),
    one("""
        import requests
        requests.post("https://www.zohoapis.com/crm/v2/Accounts/actions/remove_territories")  # <-
        """, ("remove", "bulk", "v2", "Accounts", "requests"), id="literal"),
    one("""
        import requests
        requests.post("https://www.zohoapis.com/crm/v2.1"  # <-
                      "/Leads/actions/assign_territories")
        """, (*LEADS, "requests"), id="implicit-concatenation"),
    one("""
        import requests
        BASE = "https://www.zohoapis.eu/crm/v6"
        MODULE = "Contacts"
        requests.post(f"{BASE}/{MODULE}/actions/assign_territories")  # <-
        """, ("assign", "bulk", "v6", "Contacts", "requests"), id="f-string-constants"),
    one("""
        import requests
        BASE = "https://www.zohoapis.com/crm/v5"
        requests.post(BASE + "/Deals/actions/remove_territories")  # <-
        """, ("remove", "bulk", "v5", "Deals", "requests"), id="plus"),
    one("""
        import requests
        BASE = "https://www.zohoapis.com/crm/v4"
        requests.post("%s/%s/actions/assign_territories" % (BASE, "Leads"))  # <-
        """, ("assign", "bulk", "v4", "Leads", "requests"), id="percent-tuple"),
    one("""
        import requests
        BASE = "https://www.zohoapis.com/crm/v3"
        requests.post("{}/{}/actions/assign_territories".format(BASE, "Leads"))  # <-
        """, ("assign", "bulk", "v3", "Leads", "requests"), id="format-positional"),
    one("""
        import requests
        BASE = "https://www.zohoapis.com/crm/v8"
        requests.post("{base}/{mod}/actions/assign_territories".format(base=BASE, mod="Leads"))  # <-
        """, ("assign", "bulk", "v8", "Leads", "requests"), id="format-keywords"),
    one("""
        import urllib.parse
        import requests
        BASE = "https://www.zohoapis.com/crm/v7"
        requests.post(urllib.parse.urljoin(BASE + "/", "Leads/actions/assign_territories"))  # <-
        """, ("assign", "bulk", "v7", "Leads", "requests"), id="urljoin"),
    one("""
        import requests
        BASE = "https://www.zohoapis.com/crm/v7"
        requests.post("/".join([BASE, "Leads", "actions", "assign_territories"]))  # <-
        """, ("assign", "bulk", "v7", "Leads", "requests"), id="slash-join"),
    one("""
        import requests
        class Crm:
            BASE = "https://www.zohoapis.com/crm/v6"
            def go(self):
                return requests.post(f"{self.BASE}/Leads/actions/assign_territories")  # <-
        """, ("assign", "bulk", "v6", "Leads", "requests"), id="class-attribute-self"),
    one("""
        import requests
        class Crm:
            BASE = "https://www.zohoapis.com/crm/v6"
        def go():
            return requests.post(Crm.BASE + "/Leads/actions/assign_territories")  # <-
        """, ("assign", "bulk", "v6", "Leads", "requests"), id="class-attribute-by-name"),
    one("""
        import requests
        class Crm:
            def __init__(self, version="v2.1"):
                self.base = f"https://www.zohoapis.com/crm/{version}"
            def go(self):
                return requests.post(f"{self.base}/Leads/actions/assign_territories")  # <-
        """, (*LEADS, "requests"), id="instance-attribute-from-default"),
    one("""
        import requests
        def assign(rid, version="v6"):
            return requests.post(f"https://www.zohoapis.com/crm/{version}/Leads/{rid}/actions/assign_territories")  # <-
        """, ("assign", "record", "v6", "Leads", "requests"), id="function-default"),
    one("""
        import os
        import requests
        VERSION = os.getenv("ZOHO_VERSION", "v2.1")
        requests.post(f"https://www.zohoapis.com/crm/{VERSION}/Leads/actions/assign_territories")  # <-
        """, (*LEADS, "requests"), id="getenv-default"),
    pytest.param({
        "pkg/__init__.py": "",
        "pkg/settings.py": 'API_VERSION = "v5"\n',
        "pkg/client.py": """
            import requests
            from .settings import API_VERSION
            def go():
                return requests.post(f"https://www.zohoapis.com/crm/{API_VERSION}/Leads/actions/assign_territories")  # <-
            """,
    }, [("assign", "bulk", "v5", "Leads", "requests")], id="from-relative-import"),
    pytest.param({
        "pkg/__init__.py": "",
        "pkg/settings.py": 'VERSION = "v7"\n',
        "main.py": """
            import requests
            import pkg.settings as s
            def go():
                return requests.post("https://www.zohoapis.com/crm/" + s.VERSION + "/Leads/actions/assign_territories")  # <-
            """,
    }, [("assign", "bulk", "v7", "Leads", "requests")], id="import-module-as"),
    one("""
        import requests
        BASE = "https://www.zohoapis.com/crm/v2.1"
        def remove(deal_id):
            return requests.post(f"{BASE}/Deals/{deal_id}/actions/remove_territories")  # <-
        """, ("remove", "record", "v2.1", "Deals", "requests"), id="record-scope"),
    one("""
        import os
        import requests
        requests.post(os.environ["ZOHO_URL"] + "/crm/v7/Leads/actions/assign_territories")  # <-
        """, ("assign", "bulk", "v7", "Leads", "requests"), id="unknown-domain"),
    one("""
        import requests
        API_VERSION = "v2.1"
        DOMAIN = "https://www.zohoapis.in"
        requests.post(f"{DOMAIN}/crm/{API_VERSION}/Contacts/actions/remove_territories")  # <-
        """, ("remove", "bulk", "v2.1", "Contacts", "requests"), id="dotted-version-segment"),
    # a URL that depends on the path taken: the call reaches the endpoint on the first path that does
    one("""
        import requests
        BASE = "https://www.zohoapis.com/crm/v7"
        def set_territories(record_id, remove):
            action = "remove_territories" if remove else "assign_territories"
            return requests.post(f"{BASE}/Leads/{record_id}/actions/{action}")  # <-
        """, ("remove", "record", "v7", "Leads", "requests"), id="action-chosen-by-if-expression"),
    one("""
        import requests
        BASE = "https://www.zohoapis.com/crm/v7/Leads"
        def send(body, upsert, remove):
            action = "/upsert" if upsert else ("/actions/assign_territories" if not remove else "/actions/mass_update")
            return requests.post(BASE + action)  # <-
        """, ("assign", "bulk", "v7", "Leads", "requests"), id="endpoint-in-the-middle-of-nested-if-expressions"),
    one("""
        import requests
        B = "https://www.zohoapis.com/crm/v7/Leads/"
        def send(kind):
            url = B + "a" if kind == 1 else B + "b" if kind == 2 else B + "c" if kind == 3 else B + "d" if kind == 4 else B + "actions/assign_territories"
            requests.post(url, json={})  # <-
        """, ("assign", "bulk", "v7", "Leads", "requests"), id="endpoint-in-the-last-of-five-values"),
    one("""
        import requests
        BASE = "https://www.zohoapis.com/crm/v2"
        def change(ids, remove):
            if remove:
                url = BASE + "/Deals/actions/remove_territories"
            else:
                url = BASE + "/Deals/actions/assign_territories"
            return requests.post(url, json={"data": [{"id": i} for i in ids]})  # <-
        """, ("remove", "bulk", "v2", "Deals", "requests"), id="url-bound-in-both-branches"),
    one("""
        import requests
        USERS = "https://www.zohoapis.com/crm/v2/users"
        TERRITORY = "https://www.zohoapis.com/crm/v2/Leads/actions/assign_territories"
        def send(body, territories=True):
            return requests.post(USERS if not territories else TERRITORY, json=body)  # <-
        """, ("assign", "bulk", "v2", "Leads", "requests"), id="only-one-path-reaches-the-endpoint"),
    one("""
        import requests
        def assign(body, new_api):
            version = "v7" if new_api else "v2"
            return requests.post(f"https://www.zohoapis.com/crm/{version}/Leads/actions/assign_territories")  # <-
        """, ("assign", "bulk", None, "Leads", "requests"), id="versions-differ-by-path"),
    one("""
        import requests
        BASE = "https://www.zohoapis.com/crm/v7"
        def territory_url(module, remove=False):
            return f"{BASE}/{module}/actions/" + ("remove_territories" if remove else "assign_territories")
        requests.post(territory_url("Leads"))  # <-
        requests.post(territory_url("Deals", remove=True))  # <-
        """, ("assign", "bulk", "v7", "Leads", "requests"), ("remove", "bulk", "v7", "Deals", "requests"),
        id="if-expression-decided-by-the-arguments"),
    one("""
        import requests
        BASE = "https://www.zohoapis.com/crm/v7/Leads"
        def send(kind, body):
            if kind == "upsert":
                url = BASE + "/upsert"
            elif kind == "territories":
                url = BASE + "/actions/assign_territories"
            else:
                url = BASE + "/search"
            requests.post(url, json=body)  # <-
        """, ("assign", "bulk", "v7", "Leads", "requests"), id="the-middle-of-three-paths"),
    one("""
        import os
        import requests
        BASE = "https://www.zohoapis.com/crm/v7"
        REMOVE = os.environ.get("ZOHO_REMOVE")
        def url_for(module):
            return f"{BASE}/{module}/actions/remove_territories" if REMOVE else f"{BASE}/{module}/upsert"
        def first():
            requests.post(url_for("Leads"), json={})  # <-
        def second():
            requests.post(url_for("Leads"), json={})  # <-
        """, ("remove", "bulk", "v7", "Leads", "requests"), ("remove", "bulk", "v7", "Leads", "requests"),
        id="a-builder-choosing-by-path-for-each-caller"),
    one("""
        import requests
        BASE = "https://www.zohoapis.com/crm/v7"
        def url_for(module, op):
            return f"{BASE}/{module}/actions/assign_territories" if op == "assign" else f"{BASE}/{module}"
        def create_lead(lead):
            requests.post(url_for("Leads", "create"), json={"data": [lead]})
        def assign_lead(lead):
            requests.post(url_for("Leads", "assign"), json={"data": [lead]})  # <-
        """, ("assign", "bulk", "v7", "Leads", "requests"), id="a-condition-the-arguments-decide"),
    one("""
        import requests
        URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
        def read_or_assign(read):
            return requests.request("GET" if read else "POST", URL)  # <-
        """, ("assign", "bulk", "v7", "Leads", "requests"), id="method-chosen-by-if-expression"),
]


# 4. The official SDKs (a local class of the same name is no SDK).
SDK = [
    one("""
        from zcrmsdk.src.com.zoho.crm.api.record import RecordOperations
        def go(request):
            return RecordOperations().assign_territories_to_multiple_records("Leads", request)  # <-
        """, ("assign", "bulk", "v2.1", "Leads", "zohocrmsdk2-1"), id="sdk-2-1"),
    one("""
        from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
        def go(request):
            return RecordOperations().remove_territories_from_record("Deals", 123, request)  # <-
        """, ("remove", "record", "v5", "Deals", "zohocrmsdk5-0"), id="sdk-5-0"),
    one("""
        from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
        def go(request):
            return RecordOperations("Accounts").assign_territory_to_record(123, request)  # <-
        """, ("assign", "record", None, "Accounts", "zohocrmsdk6-0/7-0/8-0"), id="sdk-6-0-plus"),
    one("""
        from zohocrmsdk.src.com.zoho.crm.api import record
        def go(request):
            return record.RecordOperations("Leads").assign_territories_to_multiple_records(request)  # <-
        """, ("assign", "bulk", None, "Leads", "zohocrmsdk6-0/7-0/8-0"), id="sdk-module-import"),
    one("""
        class RecordOperations:
            def assign_territories_to_multiple_records(self, module, request):
                return None
            def remove_territories_from_record(self, module, rid, request):
                return None
        RecordOperations().assign_territories_to_multiple_records("Leads", None)
        RecordOperations().remove_territories_from_record("Deals", 123, None)
        """, id="local-RecordOperations-is-no-sdk"),
]


# 5. Traps: the endpoint names appear, but no territory call is made.
TRAPS = [
    one("""
        import requests
        requests.post("https://www.zohoapis.com/crm/v2.1/Leads/actions/mass_update", json={})
        """, id="mass-update"),
    one("""
        import requests
        requests.post("https://www.zohoapis.com/crm/v7/settings/territories", json={})
        """, id="territory-settings"),
    one("""
        from django.urls import path
        from . import views
        urlpatterns = [
            path("leads/<int:pk>/remove_territories/", views.remove_territories, name="remove_territories"),
        ]
        """, id="django-route"),
    one('''
        import requests
        def go(url):
            """POST https://www.zohoapis.com/crm/v2.1/Leads/actions/assign_territories"""
            # requests.post("https://www.zohoapis.com/crm/v2.1/Leads/actions/assign_territories")
            return requests.post(url)
        ''', id="docstring-and-comment"),
    one("""
        import requests
        requests.get("https://www.zohoapis.com/crm/v7/Leads/actions/get_feature_specific_info",
                     params={"features": "territory_scheduled_jobs", "ids": "1,2"})
        """, id="feature-info-get"),
    one(f"""
        import responses
        @responses.activate
        def test_assign():
            responses.add(responses.POST, "{URL}", json={{"data": []}})
        """, id="responses-mock"),
    one(f"""
        import respx
        @respx.mock
        def test_assign():
            respx.post("{URL}")
        """, id="respx-mock"),
    one("""
        from fastapi import FastAPI
        app = FastAPI()
        @app.post("/crm/v7/Leads/actions/assign_territories")
        def assign():
            return {}
        """, id="fastapi-route"),
    one("""
        from django.test import Client, TestCase
        class AssignTests(TestCase):
            def setUp(self):
                self.client = Client()
            def test_assign(self):
                self.client.post("/crm/v2.1/Leads/actions/assign_territories", data={})
        """, id="django-test-client"),
    one("""
        from django.test import TestCase
        class AssignTests(TestCase):
            def test_assign(self):
                self.client.post("/crm/v2.1/Leads/actions/assign_territories", data={})
        """, id="django-TestCase-own-client"),
    one("""
        def test_assign(client):
            client.post("/crm/v2.1/Leads/actions/assign_territories", data={})
        """, id="pytest-django-client-fixture"),
    one("""
        from flask import Flask
        app = Flask(__name__)
        def test_assign():
            app.test_client().post("/crm/v2.1/Leads/actions/assign_territories", data={})
        """, id="flask-test-client"),
    one("""
        from flask import Flask
        app = Flask(__name__)
        def test_assign():
            client = app.test_client()
            client.post("/crm/v2.1/Leads/actions/assign_territories", data={})
            with app.test_client() as c:
                c.post("/crm/v2.1/Leads/actions/remove_territories", data={})
        """, id="flask-test-client-bound-to-a-name"),
]


@pytest.mark.parametrize(("files", "expected"), CLIENTS + FOLDING + SDK + TRAPS)
def test_calls_listed(tmp_path, files, expected):
    check_case(tmp_path, files, expected)


def test_syntax_error_elsewhere_does_not_hide_calls(tmp_path):
    files = {
        "broken.py": "def broken(:\n    requests.post('x/Leads/actions/assign_territories')\n",
        "good.py": f"""
            import requests
            requests.post("{URL}")  # <-
            """,
    }
    check_case(tmp_path, files, [(*LEADS, "requests")])


# 3. Wrappers: the call of a function that sends the request is a territory call too.
def test_wrapper_in_another_module(tmp_path):
    files = {
        "a.py": f"""
            import requests
            def assign_leads(body):
                return requests.post("{URL}", json=body)  # <-
            """,
        "b.py": """
            from a import assign_leads
            def run(body):
                resp = assign_leads(body)  # <-
                return resp.status_code == 200
            """,
    }
    found = calls(tmp_path, files)
    assert listed(found) == [("a.py", 3, *LEADS, "requests"), ("b.py", 3, *LEADS, "requests")]
    assert [(c["path"], c["status"], c["via"]) for c in found] == [
        ("a.py", "returned", []),
        ("b.py", "unhandled", ["a.py:3"]),  # only status_code == 200 is looked at
    ]


def test_a_call_handed_to_a_function_is_listed_once(tmp_path):
    # the function that takes the answer (and hands back its body) sends nothing: the request in
    # its arguments is the one call there, and its caller goes through the request
    files = {"a.py": f"""
        import requests
        def _body(resp):
            return resp.json()
        def go():
            return _body(requests.post("{URL}"))  # <-
        def use():
            return go()["data"][0]["code"] == "SUCCESS"  # <-
        """}
    found = calls(tmp_path, files)
    assert [(c["line"], c["column"], c["status"], c["via"]) for c in found] == [
        (5, 18, "returned", []), (7, 12, "unhandled", ["a.py:5"])]


def test_wrapper_takes_the_module_from_its_caller(tmp_path):
    files = {
        "a.py": """
            import requests
            BASE = "https://www.zohoapis.com/crm/v2.1"
            def assign(module, body):
                return requests.post(f"{BASE}/{module}/actions/assign_territories", json=body)  # <-
            """,
        "b.py": """
            from a import assign
            assign("Deals", {})  # <-
            """,
    }
    check_case(tmp_path, files, [("assign", "bulk", "v2.1", None, "requests"),
                                 ("assign", "bulk", "v2.1", "Deals", "requests")])


def test_a_builder_choosing_the_action_by_path_is_indexed(tmp_path):
    """A caller that names only the builder of another module is scanned (the wrapper index)."""
    files = {
        "crm/__init__.py": "",
        "crm/urls.py": """
            BASE = "https://www.zohoapis.com/crm/v2"
            def territory_url(module, remove):
                return f"{BASE}/{module}/actions/" + ("remove_territories" if remove else "assign_territories")
            """,
        "jobs/__init__.py": "",
        "jobs/sync.py": """
            import requests
            from crm.urls import territory_url
            def unassign(ids):
                return requests.post(territory_url("Deals", True), json={"data": ids})  # <-
            """,
    }
    check_case(tmp_path, files, [("remove", "bulk", "v2", "Deals", "requests")])


def test_generic_request_helper(tmp_path):
    files = {"m.py": """
        import requests
        class Crm:
            def __init__(self):
                self.session = requests.Session()
                self.base = "https://www.zohoapis.com/crm/v2.1"
            def _request(self, method, path):
                return self.session.request(method, self.base + path)
            def assign(self, body):
                return self._request("POST", "/Leads/actions/assign_territories")  # <-
        """}
    found = calls(tmp_path, files)
    assert listed(found) == [("m.py", 9, *LEADS, "requests")]  # the caller, not the helper's line 7
    assert found[0]["via"] == ["m.py:7"]
