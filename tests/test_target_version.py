"""Which API version a project targets: where zlint reads it, and what the rules make of it."""

from __future__ import annotations

import json

import pytest

from conftest import run_zlint, write_tree

SDK_CALL = '''
from zohocrmsdk.src.com.zoho.crm.api.record import RecordOperations
def assign(request):
    return RecordOperations("Leads").assign_territories_to_multiple_records(request)
'''
HANDLED_UNKNOWN_VERSION = '''
import os, requests
BASE = os.environ["ZOHO_API"]
def assign(payload):
    r = requests.post(f"{BASE}/Leads/actions/assign_territories", json=payload)
    if r.status_code == 200:
        return r.json()["data"][0]["details"].get("job_id")
'''


def _target(tmp_path, *args):
    result = run_zlint("check", "--output-format", "json", "--list-calls", *args, ".", cwd=tmp_path)
    document = json.loads(result.stdout)
    return document["target"], [c["version"] for c in document["calls"]]


@pytest.mark.parametrize(("files", "expected"), [
    ({"pyproject.toml": '[project]\nname = "crm"\ndependencies = ["zohocrmsdk2-1>=2.0", "requests"]\n'},
     {"version": "v2.1", "source": "zohocrmsdk2-1 in pyproject.toml"}),
    ({"requirements-dev.txt": "pytest\nzohocrmsdk8-0==3.0.0\n"},
     {"version": "v8", "source": "zohocrmsdk8-0 in requirements-dev.txt"}),
    ({"requirements.txt": "ZohoCRMSDK6-0\n", "zlint.toml": 'target-version = "v7"\n'},
     {"version": "v7", "source": "target-version in zlint.toml"}),
    ({"setup.cfg": "[options]\ninstall_requires =\n    zohocrmsdk5-0\n"},
     {"version": "v5", "source": "zohocrmsdk5-0 in setup.cfg"}),
    # pip takes "-", "_" and "." alike in a name
    ({"requirements.txt": "zohocrmsdk8_0==2.0.0\n"}, {"version": "v8", "source": "zohocrmsdk8_0 in requirements.txt"}),
    ({"requirements.txt": "zohocrmsdk5.0\n"}, {"version": "v5", "source": "zohocrmsdk5.0 in requirements.txt"}),
])
def test_target_version_is_read_from_declarations(tmp_path, files, expected):
    write_tree(tmp_path, {**files, "app.py": SDK_CALL})
    target, versions = _target(tmp_path)
    assert target == expected


def test_a_declared_sdk_names_the_version_of_its_calls(tmp_path):
    write_tree(tmp_path, {"requirements.txt": "zohocrmsdk8-0\n", "app.py": SDK_CALL})
    assert _target(tmp_path)[1] == ["v8"]
    write_tree(tmp_path, {"requirements.txt": "requests\n"})
    assert _target(tmp_path) == ({"version": None, "source": "nothing declares it"}, [None])


def test_command_line_wins_and_urls_come_last(tmp_path):
    write_tree(tmp_path, {"requirements.txt": "zohocrmsdk8-0\n", "app.py": SDK_CALL})
    assert _target(tmp_path, "--target-version", "v2.1")[0] == {"version": "v2.1", "source": "--target-version"}
    write_tree(tmp_path, {"requirements.txt": "", "urls.py": '''
        import requests
        requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories")
        requests.post("https://www.zohoapis.com/crm/v7/Deals/actions/assign_territories")
        requests.post("https://www.zohoapis.com/crm/v2/Deals/actions/assign_territories")
    '''})
    assert _target(tmp_path)[0] == {"version": "v7", "source": "2 of 3 territory calls"}


def test_rules_use_the_target_for_calls_without_a_version(tmp_path):
    write_tree(tmp_path, {"app.py": HANDLED_UNKNOWN_VERSION})
    codes = lambda *args: [f["code"] for f in json.loads(run_zlint(  # noqa: E731
        "check", "--output-format", "json", *args, ".", cwd=tmp_path).stdout)["findings"]]
    assert codes("--target-version", "v2.1") == []  # 200 is right on v2.1 when the job id is read
    assert codes("--target-version", "v7") == ["ZL102"]
    assert codes() == ["ZL102"]  # unknown: v7 may be next


def test_recordings_without_a_version_meet_the_targets_contracts(tmp_path):
    body = {"data": [{"code": "SCHEDULED", "details": {"id": "1", "job_id": "2"}, "status": "success"}]}
    write_tree(tmp_path, {"cassettes/assign.yaml": (
        "interactions:\n- request:\n    method: POST\n    uri: '{{base}}/Leads/actions/assign_territories'\n"
        f"  response:\n    status: {{code: 202}}\n    body: {{string: '{json.dumps(body)}'}}\n")})
    codes = lambda *args: [f["code"] for f in json.loads(run_zlint(  # noqa: E731
        "check", "--output-format", "json", *args, ".", cwd=tmp_path).stdout)["findings"]]
    assert codes("--target-version", "v7") == []
    assert codes("--target-version", "v2.1") == ["ZL202", "ZL202"]


def test_bad_target_version_exits_2(tmp_path):
    result = run_zlint("check", "--target-version", "7", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "expected an API version such as v2.1 or v7" in result.stderr


def test_an_installed_sdk_is_used_when_nothing_declares_one(tmp_path):
    site = tmp_path / "site"
    (site / "zohocrmsdk7_0-2.0.0.dist-info").mkdir(parents=True)
    (site / "zohocrmsdk7_0-2.0.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: zohocrmsdk7-0\nVersion: 2.0.0\n")
    write_tree(tmp_path, {"app/app.py": SDK_CALL})
    result = run_zlint("check", "--output-format", "json", "--list-calls", ".", cwd=tmp_path / "app",
                       env={"PYTHONPATH": str(site)})
    document = json.loads(result.stdout)
    assert document["target"] == {"version": "v7", "source": "zohocrmsdk7-0 installed"}
    assert [c["version"] for c in document["calls"]] == ["v7"]


def test_a_wrappers_url_votes_once_also_when_only_its_callers_are_checked(tmp_path):
    """pre-commit names the caller; the wrapper's module is in the project, not in the run."""
    write_tree(tmp_path, {
        "zlint.toml": "",
        "zoho.py": 'import requests\nBASE = "https://www.zohoapis.com/crm/v7"\n'
                   'def assign(rid):\n    return requests.post(f"{BASE}/Leads/{rid}/actions/assign_territories")\n',
        "app.py": "from zoho import assign\ndef run(rid):\n    assign(rid)\n    return assign(rid).status_code\n",
    })
    for paths in (["app.py"], ["."]):
        result = run_zlint("check", "--no-cache", *paths, cwd=tmp_path)
        assert result.stdout.splitlines()[-1] == "Target API version: v7 (1 of 1 territory calls).", paths
