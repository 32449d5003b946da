"""An analysis that fails on one file (a bug of zlint's, forced here) is reported with the file,
the other files are still checked, and the run exits 2; a failure is never cached."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from conftest import write_tree
from zlint import work
from zlint.checks.status_200_success import Status200Success
from zlint.cli import main

CALL = '''
import requests
def {name}():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories")
    if r.status_code != 200:
        raise RuntimeError(r.text)
    return r
'''

WRAPPED = '''
from crm.api import assign
def nightly():
    body = assign({{}})
    return body["data"][0]["code"] == "SUCCESS"
'''


@pytest.fixture
def project(tmp_path, monkeypatch):
    write_tree(tmp_path, {
        "zlint.toml": "",
        "crm/__init__.py": "",
        "crm/api.py": '''
            import requests
            def assign(payload):
                return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories",
                                     json=payload).json()
        ''',
        "crm/good.py": CALL.format(name="good"),
        "crm/bad.py": CALL.format(name="bad"),
        "crm/nightly.py": WRAPPED,
    })
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZLINT_DEBUG", raising=False)
    return tmp_path


def _check(*options: str):
    result = CliRunner().invoke(main, ["check", "--output-format", "concise", "-j", "1", *options, "crm"])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result


def _rule_fails_on_bad_py(monkeypatch) -> None:
    """ZL102's rule raises on crm/bad.py (a bug in zlint, as a user would meet it) and runs on the others."""
    original = Status200Success.check

    def failing(self, view):
        if view.ctx.path == "crm/bad.py":
            raise RuntimeError("boom")
        return original(self, view)

    monkeypatch.setattr(Status200Success, "check", failing)


def test_a_rule_failing_on_one_file_is_reported_and_the_others_checked(project, monkeypatch):
    _rule_fails_on_bad_py(monkeypatch)
    for _ in range(2):  # the second run: the failure was not cached, the good files were
        result = _check()
        assert result.exit_code == 2
        assert "crm/good.py:4:8: ZL102" in result.stdout and "crm/nightly.py:4:12: ZL104" in result.stdout
        assert "crm/bad.py:4" not in result.stdout
        assert result.stderr == "zlint: crm/bad.py: internal error while analysing: RuntimeError: boom\n"


def test_json_sarif_and_github_carry_the_internal_errors(project, monkeypatch):
    """A CI job that keeps only the JSON or SARIF file, or reads only the annotations, still learns
    that a file was not checked."""
    import jsonschema
    from test_outputs import _sarif_schema

    from zlint.resources import load_json

    original = Status200Success.check
    _rule_fails_on_bad_py(monkeypatch)
    error = "crm/bad.py: internal error while analysing: RuntimeError: boom"
    data = json.loads(_check("--output-format", "json").stdout)
    jsonschema.Draft202012Validator(load_json("schemas", "output.schema.json")).validate(data)
    assert data["errors"] == [error]
    assert sorted({f["path"] for f in data["findings"]}) == ["crm/good.py", "crm/nightly.py"]
    log = json.loads(_check("--output-format", "sarif").stdout)
    jsonschema.Draft7Validator(_sarif_schema()).validate(log)
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": False, "toolExecutionNotifications": [
        {"level": "error", "message": {"text": error}}]}]
    annotations = _check("--output-format", "github").stdout.splitlines()
    assert annotations[-1] == f"::error title=zlint internal error::{error}"
    monkeypatch.setattr(Status200Success, "check", original)
    assert "errors" not in json.loads(_check("--output-format", "json").stdout)
    clean = json.loads(_check("--output-format", "sarif").stdout)
    assert clean["runs"][0]["invocations"] == [{"executionSuccessful": True}]


def test_an_index_failing_on_one_file_is_reported_and_the_others_checked(project, monkeypatch):
    original = work.territory_names

    def failing(ctx, analyzer):
        if ctx.path == "crm/api.py":
            raise RecursionError("maximum recursion depth exceeded")
        return original(ctx, analyzer)

    monkeypatch.setattr(work, "territory_names", failing)
    for _ in range(2):
        result = _check()
        assert result.exit_code == 2
        assert "crm/good.py:4:8: ZL102" in result.stdout and "crm/bad.py:4:8: ZL102" in result.stdout
        assert result.stderr == ("zlint: crm/api.py: internal error while indexing its wrappers: RecursionError: "
                                 "maximum recursion depth exceeded\n")
    monkeypatch.setattr(work, "territory_names", original)
    assert "crm/nightly.py:4:12: ZL104" in _check().stdout  # the wrapper is followed again


def test_a_ctrl_c_while_positions_are_worked_out_stays_a_ctrl_c(monkeypatch):
    """The position pass generates the module's code; an interrupt in the middle of it must come
    out as KeyboardInterrupt (exit 130), not as an error of the clean-up on the way out, and must
    leave LibCST's code generation as it was."""
    import libcst as cst

    from zlint.analysis import fastcst

    module = cst.parse_module("def f():\n" + "".join(f"    x{i} = {i}\n" for i in range(200)))
    original = fastcst._PositionState.add_token
    calls = [0]

    def interrupted(self, value):
        calls[0] += 1
        if calls[0] == 300:  # inside the function's body
            raise KeyboardInterrupt
        original(self, value)

    monkeypatch.setattr(fastcst._PositionState, "add_token", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fastcst.positions(module)
    monkeypatch.undo()
    assert module.code.startswith("def f():\n    x0 = 0\n")
    assert fastcst.positions(module)[module.body[0]].start.line == 1


@pytest.mark.parametrize("jobs", ["1", "2"], ids=["in-process", "workers"])
def test_a_file_analysed_for_long_is_named_on_stderr(project, monkeypatch, capfd, jobs):
    """A run that seems to hang says which file it is on (here a rule made slow on one file),
    from the worker that analyses it too, and the run's result is what it would be anyway."""
    import time

    write_tree(project, {f"crm/more_{n}.py": CALL.format(name=f"more_{n}") for n in range(6)})  # workers: 8+ files
    usual = _check("--no-cache", "-j", jobs)
    original = Status200Success.check

    def slow(self, view):
        if view.ctx.path == "crm/bad.py":
            time.sleep(0.4)
        return original(self, view)

    monkeypatch.setattr(Status200Success, "check", slow)
    monkeypatch.setenv("ZLINT_SLOW_FILE_SECONDS", "0.3")
    capfd.readouterr()
    result = _check("--no-cache", "-j", jobs)
    notices = capfd.readouterr().err.splitlines()
    assert (result.exit_code, result.stdout, result.stderr) == (usual.exit_code, usual.stdout, "")
    assert len(notices) >= 2 and all(
        re.fullmatch(r"zlint: crm/bad\.py: still being analysed after \d+ s", line) for line in notices), notices
    monkeypatch.setenv("ZLINT_SLOW_FILE_SECONDS", "0")  # no notice
    _check("--no-cache", "-j", jobs)
    assert capfd.readouterr().err == ""


def test_a_recording_failing_is_reported_and_the_others_checked(project, monkeypatch):
    from zlint.recordings import check

    original = check.check_file
    (project / "crm" / "cassettes").mkdir()
    for name in ("bad", "good"):
        (project / "crm" / "cassettes" / f"{name}.yaml").write_text(
            "interactions:\n- request: {method: POST, uri: 'https://www.zohoapis.com/crm/v2.1/Leads/actions/"
            "assign_territories'}\n  response:\n    status: {code: 200}\n"
            "    body: {string: '{\"data\": [{\"code\": \"SUCCESS\", \"details\": {}, \"message\": \"ok\", "
            "\"status\": \"success\"}]}'}\n")

    def failing(display, *args, **kwargs):
        if display.endswith("bad.yaml"):
            raise RuntimeError("boom")
        return original(display, *args, **kwargs)

    monkeypatch.setattr(check, "check_file", failing)
    for options in ((), ("--no-cache",)):
        result = _check(*options)
        assert result.exit_code == 2
        assert "crm/cassettes/good.yaml:5:20: ZL202" in result.stdout and "crm/good.py:4:8: ZL102" in result.stdout
        assert result.stderr == ("zlint: crm/cassettes/bad.yaml: internal error while checking this recording: "
                                 "RuntimeError: boom\n")
        assert "1 internal error (on stderr): those files were not fully checked.\n" in result.stdout


def test_a_run_with_an_internal_error_does_not_say_all_checks_passed(project, monkeypatch):
    _rule_fails_on_bad_py(monkeypatch)
    result = CliRunner().invoke(main, ["check", "--output-format", "concise", "--no-cache", "crm/bad.py"])
    assert result.exit_code == 2
    assert result.stdout.splitlines()[:2] == [
        "No findings (1 file checked).", "1 internal error (on stderr): those files were not fully checked."]
