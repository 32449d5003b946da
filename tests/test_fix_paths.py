"""``zlint fix`` makes the same fixes however it gets to them: from the plans the check's own
analyses made of their files, from groups of files analysed again in worker processes (a fix
that edits a shared constant module), from a warm cache (every file's plan made anew), or from
the trees kept for ``--interactive``."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import run_zlint, write_tree, zlint_command

STANDALONE = '''
import requests

BASE = "https://www.zohoapis.com/crm/v{version}"


def assign_{n}(record_id, territory_id, session=requests):
    r = session.post(f"{{BASE}}/Leads/{{record_id}}/actions/assign_territories",
                     json={{"data": [{{"Territories": [{{"id": territory_id}}]}}]}})
    if r.status_code != 200:
        raise RuntimeError(r.text)
    return r.json()["data"][0]["code"] == "SUCCESS"
'''

USES_ACCEPTED = '''
import requests
from crm.statuses import ACCEPTED


def {name}(payload):
    r = requests.post("https://www.zohoapis.com/crm/v7/Deals/actions/remove_territories", json=payload)
    return r if r.status_code in ACCEPTED else None
'''

PROJECT = {
    "zlint.toml": '[per-file-ignores]\n"crm/quiet_*.py" = ["ZL104"]\n',
    "crm/__init__.py": "",
    "crm/statuses.py": "ACCEPTED = (200, 201)\n",
    "crm/remove_a.py": USES_ACCEPTED.format(name="remove_a"),
    "crm/remove_b.py": USES_ACCEPTED.format(name="remove_b"),
    "crm/ignored.py": STANDALONE.format(n=90, version=7).replace(
        "!= 200:", "!= 200:  # zlint: ignore[ZL102]"),
    "crm/debt.py": STANDALONE.format(n=91, version=2).replace(
        '== "SUCCESS"', '== "SUCCESS"  # zlint: fixme[ZL104]'),
    "crm/quiet_one.py": STANDALONE.format(n=92, version=7),
    **{f"crm/jobs_{n}.py": STANDALONE.format(n=n, version=(2, 5, 7)[n % 3]) for n in range(10)},
}


def _tree(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.py"))}


@pytest.fixture(scope="module")
def fixed_ways(tmp_path_factory):
    """The project fixed four ways: (tree, stdout) each."""
    base = tmp_path_factory.mktemp("fix-paths")
    write_tree(base / "project", PROJECT)
    results = {}
    ways = {
        "no cache, in process": (["--no-cache", "-j", "1"], False),
        "cold cache, 2 workers": (["-j", "2"], False),
        "warm cache, 2 workers": (["-j", "2"], True),
        "interactive": (["--interactive"], False),
    }
    for way, (options, warm) in ways.items():
        folder = base / way.replace(" ", "_").replace(",", "")
        shutil.copytree(base / "project", folder)
        if warm:
            assert run_zlint("check", "crm", cwd=folder).returncode == 1
        if way == "interactive":
            done = subprocess.run([*zlint_command(), "fix", "--unsafe-fixes", *options, "crm"], cwd=folder,
                                  input="y\n" * 200, capture_output=True, text=True, timeout=120)
        else:
            done = run_zlint("fix", "--unsafe-fixes", *options, "crm", cwd=folder)
        assert done.returncode == 0, done.stderr
        results[way] = (_tree(folder), done.stdout.splitlines()[-1].rpartition("[q]uit: ")[2])
    return results


def test_every_way_fixes_the_same(fixed_ways):
    trees = {way: tree for way, (tree, _) in fixed_ways.items()}
    summaries = {way: summary for way, (_, summary) in fixed_ways.items()}
    reference = trees["no cache, in process"]
    assert all(tree == reference for tree in trees.values())
    assert set(summaries.values()) == {"Fixed 37 findings in 14 files; 1 left."}


def test_what_the_fixes_did(fixed_ways):
    tree, _ = fixed_ways["no cache, in process"]
    assert tree["crm/statuses.py"] == b"ACCEPTED = (200, 201, 202)\n"  # one edit, asked for by two files
    assert tree["crm/remove_a.py"] == PROJECT["crm/remove_a.py"].lstrip("\n").encode()  # fixed in statuses.py
    assert b"if r.status_code not in (200, 202):" in tree["crm/jobs_0.py"]
    assert b'in ("SUCCESS", "SCHEDULED")' in tree["crm/jobs_0.py"]
    ignored = tree["crm/ignored.py"].decode()
    assert "!= 200:  # zlint: ignore[ZL102]" in ignored and '"SCHEDULED"' in ignored
    debt = tree["crm/debt.py"].decode()
    assert '== "SUCCESS"  # zlint: fixme[ZL104]' in debt and "not in (200, 202)" in debt
    quiet = tree["crm/quiet_one.py"].decode()
    assert '== "SUCCESS"' in quiet and "not in (200, 202)" in quiet
