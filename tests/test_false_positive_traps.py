"""Code that looks like territory work but is not: every rule must stay silent on it."""

from __future__ import annotations

import pytest

from conftest import run_zlint, write_tree

TRAPS = {
    "mass_update_poll.py": '''
        import requests
        BASE = "https://www.zohoapis.com/crm/v2"
        def poll(job_id):
            r = requests.get(f"{BASE}/Leads/actions/mass_update", params={"job_id": job_id})
            return r.status_code == 200 and r.json()["data"][0]["Status"] == "COMPLETED"
        def update(ids):
            r = requests.post(f"{BASE}/Leads/actions/mass_update", json={"ids": ids})
            if r.json()["data"][0]["code"] == "SUCCESS":
                return r.json()["data"][0]["details"]["job_id"]
    ''',
    "territory_settings.py": '''
        import requests
        def territories(token):
            r = requests.get("https://www.zohoapis.com/crm/v2/settings/territories",
                             headers={"Authorization": f"Zoho-oauthtoken {token}"})
            if r.status_code != 200:
                raise RuntimeError(r.text)
            return r.json()["territories"]
    ''',
    "django_urls.py": '''
        from django.urls import path
        from . import views
        urlpatterns = [path("leads/<int:pk>/remove_territories/", views.remove_territories,
                            name="remove_territories")]
    ''',
    "docs_only.py": '''
        """Calls POST https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories (see docs)."""
        # requests.post(f"{BASE}/Leads/actions/assign_territories") was the old way
        ASSIGN_HELP = "assign_territories schedules a job"
        def describe():
            return ASSIGN_HELP
    ''',
    "other_status_checks.py": '''
        import requests
        def create_lead(payload):
            r = requests.post("https://www.zohoapis.com/crm/v7/Leads", json={"data": [payload]})
            if r.status_code == 201 and r.json()["data"][0]["code"] == "SUCCESS":
                return r.json()["data"][0]["details"]["id"]
            assert r.status_code in (200, 201)
        def health():
            return requests.get("https://example.invalid/health").status_code == 200
    ''',
    "test_mocks.py": '''
        import responses, requests_mock
        URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
        SCHEDULED = {"data": [{"code": "SCHEDULED", "details": {"id": "1", "job_id": "2"}, "status": "success"}]}
        @responses.activate
        def test_assign():
            responses.add(responses.POST, URL, status=202, json=SCHEDULED)
        def test_with_mocker():
            with requests_mock.Mocker() as m:
                m.post(URL, status_code=202, json=SCHEDULED)
    ''',
    "local_record_operations.py": '''
        class RecordOperations:
            def assign_territories_to_multiple_records(self, request):
                return None
        def go(request):
            RecordOperations().assign_territories_to_multiple_records(request)
    ''',
}


def test_traps_check_clean(tmp_path):
    write_tree(tmp_path, TRAPS)
    result = run_zlint("check", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, f"All checks passed ({len(TRAPS)} files checked).\n"
                                                     "Target API version: unknown (nothing declares it).\n")


@pytest.mark.parametrize("name", sorted(TRAPS))
def test_traps_list_no_territory_call(tmp_path, name):
    write_tree(tmp_path, {name: TRAPS[name]})
    result = run_zlint("check", "--list-calls", ".", cwd=tmp_path)
    assert result.stdout == "0 territory calls: 0 unhandled, 0 handled, 0 returned to callers.\n"
