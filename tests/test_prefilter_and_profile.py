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
    })
    prefiltered = _findings(tmp_path)
    assert prefiltered  # the example's findings are there
    assert prefiltered == _findings(tmp_path, "--no-prefilter")


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
