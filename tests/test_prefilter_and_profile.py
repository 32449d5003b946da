"""The prefilter loses nothing (same findings as parsing every file); --statistics and --profile."""

from __future__ import annotations

import json
import shutil

from conftest import REPO, run_zlint, write_tree
from test_false_positive_traps import TRAPS


def _findings(cwd, *args):
    result = run_zlint("check", "--output-format", "json", *args, ".", cwd=cwd)
    return [(f["path"], f["line"], f["column"], f["code"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def test_prefiltered_scan_equals_full_parse(tmp_path):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    write_tree(tmp_path / "traps", TRAPS)
    write_tree(tmp_path, {
        "unrelated/big.py": "\n".join(f"def f{i}(x):\n    return x.status_code == 200" for i in range(200)),
        "unrelated/broken.py": "def broken(:\n",
        # the action's name built by formatting: no file spells out assign_territories
        "built/calls.py": '''
            import requests
            BASE = "https://www.zohoapis.com/crm/v2"
            def a(h):
                requests.post(BASE + "/Leads/actions/{op}_territories".format(op="assign"), headers=h)
            def b(h):
                requests.post(BASE + "/Leads/actions/%s_territories" % "remove", headers=h)
            def change(op, module, h):
                r = requests.post(f"{BASE}/{module}/actions/{op}_territories", headers=h)
                return r.status_code == 200
            def use(h):
                return change("assign", "Deals", h)
            def send(op, h):
                return requests.post(BASE + "/Contacts/actions/" + op + "_territories", headers=h)
        ''',
        "built/callers.py": '''
            from built.calls import send
            def use(h):
                return send("remove", h).json()["data"][0]["code"] == "SUCCESS"
        ''',
    })
    prefiltered = _findings(tmp_path)
    assert prefiltered  # the example's findings are there
    assert prefiltered == _findings(tmp_path, "--no-prefilter")
    assert [(path, line, code) for path, line, _, code, _ in prefiltered if path.startswith("built/")] == [
        ("built/callers.py", 3, "ZL101"), ("built/callers.py", 3, "ZL104"), ("built/calls.py", 4, "ZL101"),
        ("built/calls.py", 6, "ZL101"), ("built/calls.py", 8, "ZL101"), ("built/calls.py", 9, "ZL102")]


def test_statistics(tmp_path):
    result = run_zlint("check", "--statistics", "examples", cwd=REPO)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == "    4  ZL101 [unhandled-territory-job]"
    assert result.stdout.splitlines()[-1] == "15 findings in 12 files checked."


def test_profile_prints_stages_on_stderr(tmp_path):
    result = run_zlint("check", "--profile", "--output-format", "concise", "examples", cwd=REPO)
    stages = [line.rsplit(None, 1)[0] for line in result.stderr.splitlines()[1:]]
    assert {"read, prefilter and index", "parse and scope metadata", "recordings",
            "rule ZL101 unhandled-territory-job"} <= set(stages)
    assert result.stdout.startswith("examples/legacy_crm/client.py:19:6: ZL103")


def test_wrapper_names_widen_the_prefilter_only_with_their_module(tmp_path):
    """A wrapper's name matters in files that also name its module or class; a file that only
    shares the word is not parsed (so its syntax error is none of zlint's business)."""
    write_tree(tmp_path, {
        "crm/__init__.py": "",
        "crm/territory_client.py": '''
            import requests
            class TerritoryClient:
                def remove(self, ids):
                    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/remove_territories",
                                         json={"data": [{"id": i} for i in ids]})
        ''',
        "jobs/uses_it.py": "from crm.territory_client import TerritoryClient\nTerritoryClient().remove([1])\n",
        "jobs/same_word.py": "items = [1]\nitems.remove(1)\ndef broken(:\n",
        "jobs/broken_user.py": "from crm.territory_client import TerritoryClient\nTerritoryClient().remove(\n",
    })
    found = [(path, code) for path, _, _, code, _ in _findings(tmp_path)]
    assert found == [("jobs/broken_user.py", "ZL001"), ("jobs/uses_it.py", "ZL101")]


def test_a_built_endpoint_name_lets_a_file_through_an_attribute_named_alike_does_not(tmp_path):
    """Code that builds an endpoint's name may call it; ``self._territories`` of a class of the
    user's is no such name (the file is not parsed: its syntax error is none of zlint's business)."""
    write_tree(tmp_path, {
        "built.py": 'URL = "https://www.zohoapis.com/crm/v2/Leads/actions/%s_territories"\ndef broken(:\n',
        "formatted.py": 'URL = "https://x/crm/v2/Leads/actions/{}_territories"\ndef broken(:\n',
        "holder.py": "class Holder:\n    def __init__(self):\n        self._territories = []\ndef broken(:\n",
    })
    found = [(path, code) for path, _, _, code, _ in _findings(tmp_path)]
    assert found == [("built.py", "ZL001"), ("formatted.py", "ZL001")]


def test_fix_profile_names_each_step_of_the_fix(tmp_path):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    result = run_zlint("fix", "--profile", "examples", cwd=tmp_path)
    lines = result.stderr.splitlines()
    assert lines[0].split() == ["stage", "seconds"]
    stages = {line.rsplit(None, 1)[0] for line in lines[1:-2]}
    assert stages == {"configuration, target version and files", "check, planning each file's own fixes",
                      "planning fixes that span files", "writing the fixed files", "checking again: what is left"}
    assert lines[-2].startswith("total (stages, rules inside)")
    # the check after the writes: what the checks made while planning do not cover is analysed
    # again, the rest comes from the cache (tests/test_fix_checks_ahead.py)
    assert lines[-1] == "checking again: 2 units analysed, 22 answered by the cache"
    assert result.stdout.startswith("Fixed 4 findings in 3 files;")
    diff = run_zlint("fix", "--profile", "--diff", "examples", cwd=tmp_path)  # nothing left to write
    assert {line.rsplit(None, 1)[0] for line in diff.stderr.splitlines()[1:-1]} == {
        "configuration, target version and files", "check, planning each file's own fixes",
        "planning fixes that span files"}
