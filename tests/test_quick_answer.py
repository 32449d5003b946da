"""A repeated plain ``zlint check`` is answered from the cache before click is imported
(zlint/quick.py). Whichever way a run goes, its output and exit code must be those of click's
command, and anything the quick way does not read exactly as click would goes to click."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from conftest import run_zlint, write_tree
from test_cache_and_jobs import _project


def _settled(tmp_path):
    """A project whose last whole run was kept with its stats (the cache answers the next one)."""
    _project(tmp_path)
    run_zlint("check", ".", cwd=tmp_path)
    time.sleep(2.1)  # older than the cache's two-second window
    run_zlint("check", ".", cwd=tmp_path)
    return tmp_path


def _imports(*args: str, cwd, env: dict | None = None) -> tuple[subprocess.CompletedProcess, set[str]]:
    """``python -m zlint ARGS`` and the top-level packages it imported (from -X importtime)."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "zlint", *args], cwd=cwd, capture_output=True,
                         text=True, timeout=120, env={**_environment(), **(env or {})})
    imported = {line.split("|")[-1].strip().split(".")[0] for line in run.stderr.splitlines()
                if line.startswith("import time:")}
    run.stderr = "".join(line + "\n" for line in run.stderr.splitlines() if not line.startswith("import time:"))
    return run, imported


def _environment() -> dict:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "ZLINT_"))}


@pytest.mark.parametrize("output", [[], ["--output-format", "concise"], ["--output-format=json"],
                                    ["--output-format", "github"]])
def test_the_cache_answers_a_plain_check_without_click_and_as_click_would(tmp_path, output):
    _settled(tmp_path)
    quick, imported = _imports("check", *output, ".", cwd=tmp_path, env={"ZLINT_DEBUG_CACHE": "1"})
    assert "click" not in imported and "libcst" not in imported
    assert "the last run's result" in quick.stderr
    # --jobs is not read by the quick way: click's command answers, from the same cache
    through_click, imported = _imports("check", *output, "--jobs", "1", ".", cwd=tmp_path)
    assert "click" in imported
    fresh = run_zlint("check", *output, "--no-cache", ".", cwd=tmp_path)
    assert (quick.stdout, quick.returncode) == (through_click.stdout, through_click.returncode) \
        == (fresh.stdout, fresh.returncode) == (fresh.stdout, 1)
    assert "jobs/sync.py" in quick.stdout


def test_github_actions_picks_the_github_format_either_way(tmp_path):
    _settled(tmp_path)
    env = {"GITHUB_ACTIONS": "true"}
    quick, imported = _imports("check", ".", cwd=tmp_path, env=env)
    assert "click" not in imported
    assert quick.stdout.startswith("::error file=jobs/sync.py,")
    assert quick.stdout == run_zlint("check", "--no-cache", ".", cwd=tmp_path, env=env).stdout


def test_named_files_the_project_snapshot_proves_irrelevant(tmp_path):
    _settled(tmp_path)
    quick, imported = _imports("check", "util/maths.py", cwd=tmp_path, env={"ZLINT_DEBUG_CACHE": "1"})
    assert "click" not in imported
    assert "the named files cannot concern the project's index" in quick.stderr
    assert (quick.stdout, quick.returncode) == ("All checks passed (1 file checked).\n"
                                                "Target API version: unknown (nothing declares it).\n", 0)


@pytest.mark.parametrize(("args", "env", "config", "message"), [
    (["check", "--bogus", "."], {}, None, "'--bogus'"),
    (["check", "--output-format", "xml", "."], {}, None, "'xml'"),
    (["check", "--output-format"], {}, None, "'--output-format'"),
    (["check", "."], {"ZLINT_CACHE_DIR": "util/maths.py"}, None, "is a file"),
    (["check", "."], {}, "select = [\n", "zlint.toml: invalid TOML"),
])
def test_what_the_quick_way_does_not_read_goes_to_click(tmp_path, args, env, config, message):
    """Usage errors and configuration errors are click's to report, even with a warm cache."""
    _settled(tmp_path)
    if config is not None:  # the config breaks after the cache was filled
        write_tree(tmp_path, {"zlint.toml": config})
    run, imported = _imports(*args, cwd=tmp_path, env=env)
    assert (run.returncode, run.stdout) == (2, "")
    assert message in run.stderr
    assert "click" in imported


def test_paths_after_a_double_dash_are_clicks(tmp_path):
    _settled(tmp_path)
    run, imported = _imports("check", "--", ".", cwd=tmp_path)
    assert "click" in imported
    assert run.returncode == 1 and "jobs/sync.py" in run.stdout
