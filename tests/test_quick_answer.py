"""A repeated plain ``zlint check`` is answered from the cache before click is imported
(zlint/quick.py). Whichever way a run goes, its output and exit code must be those of click's
command, and anything the quick way does not read exactly as click would goes to click."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from conftest import run_zlint, write_tree, zlint_command
from test_cache_and_jobs import _project


def _settled(tmp_path):
    """A project whose last whole run was kept with its stats (the cache answers the next one)."""
    _project(tmp_path)
    run_zlint("check", ".", cwd=tmp_path)
    time.sleep(2.1)  # older than the cache's two-second window
    run_zlint("check", ".", cwd=tmp_path)
    return tmp_path


def _imports(*args: str, cwd, env: dict | None = None, errors: str = "strict") -> tuple[subprocess.CompletedProcess,
                                                                                         set[str]]:
    """``python -m zlint ARGS`` and the top-level packages it imported (from -X importtime)."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "zlint", *args], cwd=cwd, capture_output=True,
                         text=True, errors=errors, timeout=120, env={**_environment(), **(env or {})})
    imported = {line.split("|")[-1].strip().split(".")[0] for line in run.stderr.splitlines()
                if line.startswith("import time:")}
    run.stderr = "".join(line + "\n" for line in run.stderr.splitlines() if not line.startswith("import time:"))
    return run, imported


def _environment() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "ZLINT_"))}


@pytest.mark.parametrize("output", [[], ["--output-format", "concise"], ["--output-format=json"],
                                    ["--output-format", "github"]])
def test_the_cache_answers_a_plain_check_without_click_and_as_click_would(tmp_path, output):
    _settled(tmp_path)
    quick, imported = _imports("check", *output, ".", cwd=tmp_path, env={"ZLINT_DEBUG_CACHE": "1"})
    assert "click" not in imported and "libcst" not in imported
    assert "dataclasses" not in imported  # (it imports inspect: about a tenth of such a run)
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


def test_a_cache_folder_name_too_long_to_check_is_clicks_too(tmp_path):
    _settled(tmp_path)
    env = {"ZLINT_CACHE_DIR": "a" * 300}
    quick, imported = _imports("check", ".", cwd=tmp_path, env=env)
    assert "click" in imported
    through_click = run_zlint("check", "--jobs", "1", ".", cwd=tmp_path, env=env)
    assert (quick.stdout, quick.stderr, quick.returncode) == (through_click.stdout, through_click.stderr,
                                                              through_click.returncode)
    named, _ = _imports("check", "b" * 300, cwd=tmp_path)  # a path argument too long: as without the cache
    fresh = run_zlint("check", "--no-cache", "b" * 300, cwd=tmp_path)
    assert (named.returncode, named.stderr) == (fresh.returncode, fresh.stderr) == (2, named.stderr)
    assert "internal error" not in named.stderr


def test_a_reader_that_went_away_ends_the_run_quietly(tmp_path):
    _settled(tmp_path)
    for args in (["check", "."], ["check", "--jobs", "1", "."]):  # the quick way, then click's
        read, write = os.pipe()
        os.close(read)
        run = subprocess.run([sys.executable, "-m", "zlint", *args], cwd=tmp_path, stdout=write,
                             stderr=subprocess.PIPE, text=True, timeout=120, env=_environment())
        os.close(write)
        assert (run.returncode, run.stderr) == (1, "")


def _renamed_caller(tmp_path, name: str) -> None:
    """The caller of the settled project under another name, the cache settled again."""
    (tmp_path / "jobs" / "sync.py").rename(tmp_path / "jobs" / name)
    for pause in (2.1, 0):  # (its output may not be UTF-8: kept as bytes)
        subprocess.run([*zlint_command(), "check", "."], cwd=tmp_path, capture_output=True, timeout=120,
                       env=_environment())
        time.sleep(pause)


def test_output_a_strict_terminal_cannot_take_is_clicks_to_report(tmp_path):
    """A file name that is not UTF-8 on a strict UTF-8 stdout: click's internal error (exit 2), not a
    traceback, and the cache's note said once."""
    _settled(tmp_path)
    _renamed_caller(tmp_path, "s\udcffync.py")
    strict = {"PYTHONIOENCODING": "utf-8:strict", "ZLINT_DEBUG_CACHE": "1"}
    quick, imported = _imports("check", ".", cwd=tmp_path, env=strict, errors="surrogateescape")
    assert "click" in imported
    assert quick.returncode == 2 and "zlint: internal error: UnicodeEncodeError" in quick.stderr
    assert quick.stderr.count("the last run's result") == 1


def test_an_escape_character_in_the_output_is_clicks_to_strip(tmp_path):
    _settled(tmp_path)
    _renamed_caller(tmp_path, "s\x1bync.py")
    quick, imported = _imports("check", ".", cwd=tmp_path, env={"ZLINT_DEBUG_CACHE": "1"})
    assert "click" in imported and quick.stderr.count("the last run's result") == 1
    through_click = run_zlint("check", "--jobs", "1", ".", cwd=tmp_path)
    assert (quick.stdout, quick.returncode) == (through_click.stdout, 1)


def test_shell_completion_is_clicks(tmp_path):
    _settled(tmp_path)
    env = {"_ZLINT_COMPLETE": "bash_source"}
    run = subprocess.run([*zlint_command(), "check", "."], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120, env={**_environment(), **env})
    assert run.returncode == 0 and "complete " in run.stdout and "jobs/sync.py" not in run.stdout
