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
    what an earlier one made fixable: those files are analysed after the writes, as before (two of
    them call the wrapper class's methods: each is indexed in the first and in the last round)."""
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    done = run_zlint("fix", "--profile", "--unsafe-fixes", "--target-version", "v7", "examples", cwd=tmp_path)
    assert done.stderr.splitlines()[-1] == "checking again: 6 units analysed, 18 answered by the cache"
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


# Shapes whose fixed trees once differed from a parse of their code: helpers put above a first
# statement (a parse keeps the lines above it in the module's header), and `x and <400 test>`
# gaining `and not ...` (a parse groups `and` from the left).
_SHAPES = {
    "no_imports.py": '''def assign(session, rid):
    r = session.post(f"https://www.zohoapis.com/crm/v7/Leads/{rid}/actions/assign_territories", json={})
    return r.status_code
''',
    "and_chain.py": '''import requests
URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
def assign(body, attempt=0):
    r = requests.post(URL, json=body)
    if attempt < 3 and r.status_code == 400:
        return assign(body, attempt + 1)
    return r
''',
}


def _same_tree(first, second) -> bool:
    """Node for node (fields and children), a list and a tuple of nodes alike."""
    import libcst as cst

    if isinstance(first, (list, tuple)) and isinstance(second, (list, tuple)):
        return len(first) == len(second) and all(_same_tree(a, b) for a, b in zip(first, second))
    if isinstance(first, cst.CSTNode):
        return type(first) is type(second) and all(
            _same_tree(getattr(first, name), getattr(second, name)) for name in first.__dataclass_fields__)
    return first == second


@pytest.mark.parametrize("variant", ["lf", "crlf", "bom", "tabs", "no-final-newline"])
def test_a_fixed_tree_is_what_a_parse_of_its_code_gives(tmp_path, variant):
    """What check_fixed relies on: the tree the fixes make is, node for node, the tree a parse of
    the written code gives, with no node in two places."""
    import libcst as cst

    from zlint import fixes
    from zlint.analysis.module import ModuleContext
    from zlint.config import Config
    from zlint.discovery import discover
    from zlint.engine import run_check

    files = {**_rule_cases(), **{f"cases/{name}": code for name, code in _SHAPES.items()}}
    for name, code in files.items():
        if variant == "tabs":
            code = code.replace("    ", "\t")
        data = code.encode()
        if variant == "crlf":
            data = data.replace(b"\n", b"\r\n")
        elif variant == "bom":
            data = b"\xef\xbb\xbf" + data
        elif variant == "no-final-newline":
            data = data.rstrip(b"\n")
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(data)
    config = Config(root=tmp_path)
    result = run_check(discover([tmp_path / "cases"], config, tmp_path), config)
    planned = fixes.plan_files(result.findings, result.contexts, set(result.contexts), unsafe=True, keep_trees=True)
    assert len(planned.trees) >= 30
    assert {"cases/no_imports.py", "cases/and_chain.py"} <= set(planned.trees)
    for path, (tree, positions) in sorted(planned.trees.items()):
        parsed = cst.parse_module(planned.new_code[path])
        assert _same_tree(tree, parsed), path
        assert ModuleContext(path, "case", tree, planned.new_code[path], positions).each_node_once, path


def test_a_fix_that_nests_the_code_too_deep_is_reported_as_a_parse_would(tmp_path):
    """The wait wraps the call: code just within the nesting zlint analyses goes over it, which
    the check after the writes reports (ZL001), as a fresh check does."""
    nested = "[" * 95 + "d" + "]" * 95
    write_tree(tmp_path, {"deep.py": f'''import requests


def assign(record_id, d):
    requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={nested})
    return True
'''})
    done = run_zlint("fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert done.stdout == "Fixed 1 finding in 1 file; 1 left.\n"
    fresh, cached = _fresh_and_cached(tmp_path, ["."])
    assert cached == fresh
    assert [f["code"] for f in fresh["findings"]] == ["ZL001"]
