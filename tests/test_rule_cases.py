"""Every rule's VALID and INVALID cases, collected from the rule classes (the Fixit way)."""

from __future__ import annotations

from pathlib import Path

import pytest

from zlint import fixes
from zlint.checks import ALL_RULES
from zlint.config import Config
from zlint.discovery import discover
from zlint.engine import run_check
from zlint.rulebook import all_rules
from zlint.target import Target


# The job-waiting functions go to one helper module here, so a case's fixed code shows the call site
# and the import; tests/test_fix.py shows the functions themselves, inline and in a module.
HELPER = fixes.HelperModule("territory_jobs", "territory_jobs.py", None)


def _check(tmp_path: Path, source: str, target: str | None = None):
    """``target``: the API version the project declares (a rule's CASE_TARGET), else none."""
    (tmp_path / "rule_case.py").write_text(source, encoding="utf-8")  # line 1 is the blank after """
    config = Config(root=tmp_path, job_helper=HELPER.name)
    files = discover([tmp_path], config, tmp_path)
    return run_check(files, config, target=Target(target, "the rule's cases") if target else None)


def _findings(tmp_path: Path, source: str, target: str | None = None):
    return _check(tmp_path, source, target).findings


def _fixed(tmp_path: Path, source: str, code: str, target: str | None = None) -> str | None:
    result = _check(tmp_path, source, target)
    planned = fixes.plan([f for f in result.findings if f.code == code], result.contexts, {"rule_case.py"},
                         unsafe=True, helper=HELPER)
    if HELPER.display in planned.new_code:  # the recheck of the fixed code sees the functions it calls
        (tmp_path / HELPER.display).write_bytes(planned.new_code[HELPER.display])
    return planned.new_code["rule_case.py"].decode() if "rule_case.py" in planned.new_code else None


VALID = [pytest.param(rule, case, id=f"{rule.CODE}-valid-{i}") for rule in ALL_RULES for i, case in enumerate(rule.VALID)]
INVALID = [pytest.param(rule, case, id=f"{rule.CODE}-invalid-{i}") for rule in ALL_RULES for i, case in enumerate(rule.INVALID)]


@pytest.mark.parametrize(("rule", "case"), VALID)
def test_valid_case_reports_nothing(tmp_path, rule, case):
    found = [f for f in _findings(tmp_path, case, rule.CASE_TARGET) if f.code == rule.CODE]
    assert found == []


@pytest.mark.parametrize(("rule", "case"), INVALID)
def test_invalid_case_reports_the_finding(tmp_path, rule, case):
    found = [(f.line, f.column, f.message) for f in _findings(tmp_path, case.code, rule.CASE_TARGET)
             if f.code == rule.CODE]
    assert found == [(case.line, case.column, case.message)]


@pytest.mark.parametrize(("rule", "case"), INVALID)
def test_invalid_case_is_fixed_exactly_and_once(tmp_path, rule, case):
    fixed = _fixed(tmp_path, case.code, rule.CODE, rule.CASE_TARGET)
    assert fixed == case.fixed
    if fixed is not None:  # idempotent: the fixed code has nothing left to fix for this rule
        assert _fixed(tmp_path, fixed, rule.CODE, rule.CASE_TARGET) is None
        assert [f for f in _findings(tmp_path, fixed, rule.CASE_TARGET) if f.code == rule.CODE] == []


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.CODE)
def test_every_python_rule_has_cases(rule):
    assert rule.VALID and rule.INVALID


@pytest.mark.parametrize("rule", list(all_rules().values()), ids=lambda r: r.code)
def test_every_rule_has_a_doc_with_the_fixed_headings(rule):
    doc = (Path(__file__).resolve().parent.parent / "rules" / f"{rule.code}.md").read_text(encoding="utf-8")
    assert doc.startswith(f"# {rule.code} {rule.name}\n")
    headings = [line for line in doc.splitlines() if line.startswith("## ")]
    assert headings == ["## What it finds", "## Why it breaks", "## Example", "## Fix", "## Fix safety",
                        "## Migration notes"]
