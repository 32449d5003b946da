"""zlint fix checks each fixed file's code while the fixed tree is at hand, and keeps that check in
the cache, so the check after the writes (what is left) does not parse the file again. What that
check says must be exactly what a fresh check of the written files says."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import REPO, run_zlint, write_tree
from zlint.checks import ALL_RULES


def _rule_cases() -> dict[str, str]:
    """Every rule's invalid cases, one file each: fixes of every kind, each within its file."""
    return {f"cases/{rule.CODE.lower()}_{number}.py": case.code
            for rule in ALL_RULES for number, case in enumerate(rule.INVALID)}


def _fresh_and_cached(root, paths: list[str]) -> tuple[dict, dict]:
    fresh = run_zlint("check", "--no-cache", "--output-format", "json", *paths, cwd=root)
    cached = run_zlint("check", "--output-format", "json", *paths, cwd=root)
    return json.loads(fresh.stdout), json.loads(cached.stdout)


def _rechecked(stderr: str) -> tuple[int, int]:
    """What ``zlint fix --profile`` says of the checks after its writes: units analysed, answered."""
    words = stderr.splitlines()[-1].split()
    assert words[:2] == ["checking", "again:"] and words[3:6] == ["units", "analysed,", words[5]], stderr
    return int(words[2]), int(words[5])


@pytest.mark.parametrize("options", [[], ["--unsafe-fixes"]], ids=["safe", "unsafe"])
def test_the_check_after_the_writes_comes_from_the_checks_made_ahead_and_is_a_fresh_checks(tmp_path, options):
    write_tree(tmp_path, _rule_cases())
    done = run_zlint("fix", "--profile", *options, "cases", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    analysed, answered = _rechecked(done.stderr)
    assert done.stderr.splitlines()[-1] == f"checking again: 0 units analysed, {answered} answered by the cache"
    fresh, cached = _fresh_and_cached(tmp_path, ["cases"])
    assert cached == fresh
    fixed_files = int(done.stdout.split(" in ")[1].split()[0])
    assert fixed_files >= 15  # the cases' own fixes: each file fixed was checked ahead
    assert f"; {len(fresh['findings'])} left" in done.stdout


def test_fixes_in_later_rounds_and_across_files_are_checked_afresh(tmp_path):
    """The example's fixes span modules (a wrapper, a settings constant) and a later round plans
    what an earlier one made fixable: those files are analysed after the writes, as before."""
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    done = run_zlint("fix", "--profile", "--unsafe-fixes", "--target-version", "v7", "examples", cwd=tmp_path)
    assert done.stderr.splitlines()[-1] == "checking again: 4 units analysed, 12 answered by the cache"
    fresh, cached = _fresh_and_cached(tmp_path, ["examples"])
    assert cached == fresh
    write_tree(tmp_path, _rule_cases())
    done = run_zlint("fix", "--profile", "--unsafe-fixes", "--target-version", "v7", "cases", cwd=tmp_path)
    analysed, _ = _rechecked(done.stderr)
    assert analysed > 0
    fresh, cached = _fresh_and_cached(tmp_path, ["cases"])
    assert cached == fresh


def test_without_a_cache_nothing_is_checked_ahead(tmp_path):
    write_tree(tmp_path, _rule_cases())
    done = run_zlint("fix", "--profile", "--no-cache", "cases", cwd=tmp_path)
    analysed, answered = _rechecked(done.stderr)
    assert (analysed > 20, answered) == (True, 0)


def test_a_failure_of_the_check_ahead_costs_only_its_saving(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from zlint import fixwork
    from zlint.cli import main

    def broken(*args):
        raise RuntimeError("a bug in the check ahead")

    files = {name: code for name, code in sorted(_rule_cases().items())[:5]}  # (in this process: few files)
    outputs = []
    for where, patched in (("plain", False), ("broken", True)):
        write_tree(tmp_path / where, files)
        monkeypatch.chdir(tmp_path / where)
        if patched:
            monkeypatch.setattr(fixwork, "check_fixed", broken)
        done = CliRunner().invoke(main, ["fix", "--profile", "--unsafe-fixes", "cases"])
        outputs.append((done.exit_code, done.stdout, _rechecked(done.stderr)[0] > 0))
    assert outputs[0][:2] == outputs[1][:2]
    assert "Fixed" in outputs[0][1]
    assert (outputs[0][2], outputs[1][2]) == (False, True)
