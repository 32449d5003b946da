"""Adopting zlint on legacy code: the baseline of known findings, and --new-since REF."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import run_zlint, write_tree

OLD_CODE = '''
import requests
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
def assign(payload):
    r = requests.post(URL, json=payload)
    return r.status_code == 200
'''


def _codes(result) -> list[tuple[str, int, str]]:
    return [(f["path"], f["line"], f["code"]) for f in json.loads(result.stdout)["findings"]]


def test_baseline_round_trip_survives_moved_code_and_reports_only_new_findings(tmp_path):
    write_tree(tmp_path, {"pyproject.toml": "[tool.zlint]\n", "crm/sync.py": OLD_CODE})
    written = run_zlint("check", "--write-baseline", "zlint-baseline.json", ".", cwd=tmp_path)
    assert written.returncode == 0
    assert written.stderr == "zlint: wrote 2 findings to zlint-baseline.json\n"
    entries = json.loads((tmp_path / "zlint-baseline.json").read_text())["findings"]
    assert [(e["code"], e["path"]) for e in entries] == [("ZL101", "crm/sync.py"), ("ZL102", "crm/sync.py")]

    clean = run_zlint("check", "--baseline", "zlint-baseline.json", "--output-format", "json", ".", cwd=tmp_path)
    assert (clean.returncode, _codes(clean)) == (0, [])
    # what the baseline hid is said on stderr (the JSON stays the JSON)
    assert clean.stderr == "zlint: 2 findings known to the baseline zlint-baseline.json not shown\n"

    # move the code down and re-indent nothing else: still known
    moved = "\n\n# a comment pushing everything down\n\n" + OLD_CODE
    write_tree(tmp_path, {"crm/sync.py": moved})
    still = run_zlint("check", "--baseline", "zlint-baseline.json", "--output-format", "json", ".", cwd=tmp_path)
    assert (still.returncode, _codes(still)) == (0, [])

    # a second, identical failure is new: occurrence 2 of the same code is not in the baseline
    write_tree(tmp_path, {"crm/sync.py": moved + OLD_CODE.replace("def assign", "def assign_again")})
    new = run_zlint("check", "--baseline", "zlint-baseline.json", "--output-format", "json", ".", cwd=tmp_path)
    assert new.returncode == 1
    assert _codes(new) == [("crm/sync.py", 13, "ZL101"), ("crm/sync.py", 14, "ZL102")]


def test_stale_baseline_entries_are_reported_when_asked(tmp_path):
    write_tree(tmp_path, {"pyproject.toml": "[tool.zlint]\n", "sync.py": OLD_CODE})
    run_zlint("check", "--write-baseline", "base.json", ".", cwd=tmp_path)
    write_tree(tmp_path, {"sync.py": OLD_CODE.replace("r.status_code == 200", "r.status_code in (200, 202)")})
    result = run_zlint("check", "--baseline", "base.json", "--show-stale-baseline", ".", cwd=tmp_path)
    assert result.returncode == 0
    hidden, stale = result.stderr.splitlines()
    assert hidden == "zlint: 1 finding known to the baseline base.json not shown"
    assert stale.startswith("zlint: stale baseline entry: sync.py:5: ZL102 ")


@pytest.mark.parametrize("root", ["config", "git"])
def test_baseline_is_independent_of_the_working_directory(tmp_path, root):
    # the project root: the config's folder, else the git work tree (paths were relative to the
    # working directory then, so a baseline written at the root matched nothing from a sub-folder)
    write_tree(tmp_path, {"pkg/sync.py": OLD_CODE})
    if root == "config":
        write_tree(tmp_path, {"pyproject.toml": "[tool.zlint]\n"})
    else:
        (tmp_path / ".git").mkdir()
    run_zlint("check", "--write-baseline", "base.json", ".", cwd=tmp_path)
    assert [entry["path"] for entry in json.loads((tmp_path / "base.json").read_text())["findings"]] == [
        "pkg/sync.py", "pkg/sync.py"]
    result = run_zlint("check", "--baseline", "../base.json", ".", cwd=tmp_path / "pkg")
    assert (result.returncode, result.stdout.splitlines()[0]) == (0, "All checks passed (1 file checked).")


def test_broken_baseline_exits_2(tmp_path):
    write_tree(tmp_path, {"base.json": '{"findings": []}'})
    result = run_zlint("check", "--baseline", "base.json", ".", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "zlint: base.json: not a zlint baseline of version 1\n")


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.invalid", "HOME": str(cwd), "PATH": "/usr/bin:/bin"})


def test_new_since_reports_only_changed_lines(tmp_path):
    write_tree(tmp_path, {"sync.py": OLD_CODE, "other.py": OLD_CODE})
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "legacy")
    _git(tmp_path, "checkout", "-q", "-b", "feature")
    changed = OLD_CODE + '''
def remove(payload):
    r = requests.post(URL.replace("assign", "remove"), json=payload)
    return r.json()["data"][0]["code"] == "SUCCESS"
'''
    write_tree(tmp_path, {"sync.py": changed, "brand_new.py": OLD_CODE})
    _git(tmp_path, "add", "sync.py")
    _git(tmp_path, "commit", "-q", "-m", "remove")
    result = run_zlint("check", "--new-since", "main", "--output-format", "json", ".", cwd=tmp_path)
    assert _codes(result) == [
        ("brand_new.py", 4, "ZL101"), ("brand_new.py", 5, "ZL102"),  # untracked: all new
        ("sync.py", 8, "ZL101"), ("sync.py", 9, "ZL104"),
    ]
    assert result.returncode == 1
    # run from outside the repository: git is asked in the tree checked, not in the working directory
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    elsewhere = run_zlint("check", "--new-since", "main", "--output-format", "json", str(tmp_path), cwd=outside)
    assert [(Path(f).name, line, code) for f, line, code in _codes(elsewhere)] == _codes(result), elsewhere.stderr


def test_new_since_with_an_unknown_ref_exits_2(tmp_path):
    write_tree(tmp_path, {"sync.py": OLD_CODE})
    _git(tmp_path, "init", "-q")
    result = run_zlint("check", "--new-since", "nope", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("zlint: git merge-base nope:")
