"""zlint in pre-commit: the hook definition, few files with wrappers elsewhere, and the real
pre-commit running the hook from this checkout (slow: it builds a virtualenv)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_zlint, write_tree

WRAPPER = '''
import requests
def assign(payload):
    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
'''
CALLER = "from crm.api import assign\ndef sync(p):\n    assign(p)\n"


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def test_hook_definition():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [(h["id"], h["entry"], h["language"]) for h in hooks] == [
        ("zlint-check", "zlint check", "python"), ("zlint-fix", "zlint fix --exit-non-zero-on-fix", "python")]


def test_a_single_file_still_sees_wrappers_defined_elsewhere(tmp_path):
    write_tree(tmp_path, {"crm/__init__.py": "", "crm/api.py": WRAPPER, "jobs/sync.py": CALLER})
    _git(tmp_path, "init", "-q")
    result = run_zlint("check", "--output-format", "concise", "jobs/sync.py", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "jobs/sync.py:3:5: ZL101 [unhandled-territory-job] the response of assign_territories (v7, Leads) is "
        "discarded: the job it schedules is never awaited")
    assert "(1 file checked)" in result.stdout


def test_the_github_workflow_example_is_a_valid_workflow(tmp_path):
    """Validated by check-jsonschema with the GitHub workflow schema it ships (YAML 1.2 aware)."""
    tool = Path(sys.executable).parent / "check-jsonschema"
    command = [str(tool), "--builtin-schema", "vendor.github-workflows"]
    good = subprocess.run([*command, str(REPO / "examples" / "github" / "zlint.yml")], capture_output=True, text=True)
    assert (good.returncode, good.stdout.strip()) == (0, "ok -- validation done")
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs: {zlint: {runs-on: 1}}\n")
    bad = subprocess.run([*command, str(broken)], capture_output=True, text=True)
    assert bad.returncode != 0 and "$.jobs.zlint" in bad.stdout


@pytest.mark.slow
def test_real_pre_commit_runs_the_hook_from_this_checkout(tmp_path):
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    repo = tmp_path / "project"
    write_tree(repo, {"crm/__init__.py": "", "crm/api.py": WRAPPER, "README.md": "hello\n"})
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PRE_COMMIT_COLOR": "never"}

    def try_repo(*files: str, hook: str = "zlint-check") -> subprocess.CompletedProcess:
        return subprocess.run([pre_commit, "try-repo", str(REPO), hook, "--files", *files],
                              cwd=repo, capture_output=True, text=True, env=env, timeout=900)

    clean = try_repo("crm/api.py", "README.md")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout
    write_tree(repo, {"jobs/sync.py": CALLER})
    _git(repo, "add", ".")
    failing = try_repo("jobs/sync.py")
    assert failing.returncode == 1
    assert "jobs/sync.py:3:5: ZL101 [unhandled-territory-job]" in failing.stdout
    write_tree(repo, {"crm/check.py": "from crm.api import assign\ndef ok(p):\n    return assign(p).status_code == 200\n"})
    _git(repo, "add", ".")
    fixing = try_repo("crm/check.py", hook="zlint-fix")
    assert fixing.returncode == 1  # it changed the file
    assert (repo / "crm" / "check.py").read_text().endswith("return assign(p).status_code in (200, 202)\n")
    assert try_repo("crm/check.py", hook="zlint-fix").returncode == 0
