"""A pre-commit run over files the project's last whole run proves irrelevant is answered without
reading the project (zlint/replay.py's ``precommit``). Each edit that could make a named file
matter (a wrapper it now calls, a new wrapper elsewhere, a file added beside it, a module name it
gains) must take the normal path, and every run gives exactly the findings of ``--no-cache``."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from conftest import run_zlint, write_tree, zlint_command
from test_cache_and_jobs import CALLER, UNRELATED, WRAPPER  # the same small project

SHORTCUT = "the named files cannot concern the project's index"


def _project(tmp_path, extra: dict[str, str] | None = None):
    write_tree(tmp_path, {"zlint.toml": 'select = ["ALL"]\n', "crm/__init__.py": "", "crm/api.py": WRAPPER,
                          "jobs/__init__.py": "", "jobs/sync.py": CALLER, "util/maths.py": UNRELATED,
                          "util/other.py": UNRELATED.replace("add", "sub"), **(extra or {})})
    run_zlint("check", ".", cwd=tmp_path)
    time.sleep(2.1)  # older than the cache's two-second window: the next whole run is kept with its stats
    run_zlint("check", ".", cwd=tmp_path)
    return tmp_path


def _save(path, text: str) -> None:
    """As editors save: a new file renamed over the old one (the folder's mtime moves)."""
    temporary = path.with_name(path.name + ".tmp~")
    temporary.write_text(text)
    os.replace(temporary, path)


def _zlint(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}, **(env or {})}
    return subprocess.run([*zlint_command(), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120,
                          check=False)


def _run(tmp_path, *paths: str) -> tuple[str, bool]:
    """The output of a cached run over ``paths`` (asserted equal to --no-cache) and whether the
    shortcut answered it."""
    fresh = _zlint("check", "--output-format", "concise", "--no-cache", *paths, cwd=tmp_path)
    cached = _zlint("check", "--output-format", "concise", *paths, cwd=tmp_path, env={"ZLINT_DEBUG_CACHE": "1"})
    assert cached.returncode in (0, 1), cached.stderr
    assert (cached.stdout, cached.returncode) == (fresh.stdout, fresh.returncode)
    return fresh.stdout, SHORTCUT in cached.stderr


def test_an_edited_unrelated_file_is_answered_from_the_project_snapshot(tmp_path):
    _project(tmp_path)
    maths = tmp_path / "util" / "maths.py"
    _save(maths, UNRELATED + "# edited\n")
    passed = "All checks passed (1 file checked).\nTarget API version: unknown (nothing declares it).\n"
    assert _run(tmp_path, "util/maths.py") == (passed, True)
    assert _run(tmp_path, "util/maths.py", "util/other.py")[1]
    # a normal run in between re-lists util/ (its mtime moved): the shortcut still holds after it
    found, used = _run(tmp_path, "jobs/sync.py")
    assert "ZL101" in found and not used
    _save(maths, UNRELATED + "# edited again\n")
    assert _run(tmp_path, "util/maths.py")[1]


def test_an_edit_that_calls_a_wrapper_is_checked(tmp_path):
    _project(tmp_path)
    _save(tmp_path / "util" / "maths.py", CALLER)
    found, used = _run(tmp_path, "util/maths.py")
    assert "util/maths.py:4:12: ZL101" in found and not used
    _save(tmp_path / "util" / "maths.py", UNRELATED + "# zlint: ignore[ZL101]\n")  # a marker: checked too
    assert not _run(tmp_path, "util/maths.py")[1]


def test_a_new_wrapper_in_a_file_not_named_is_seen(tmp_path):
    """The named file calls a name that only an edit elsewhere makes a wrapper: in place (its
    folder's mtime does not move, its own mtime is put back), or as a new file beside it."""
    _project(tmp_path)
    caller = CALLER.replace("from crm.api import assign", "from util.other import sub").replace("assign(", "sub(")
    _save(tmp_path / "util" / "maths.py", caller)
    assert _run(tmp_path, "util/maths.py")[1]  # sub is no wrapper yet
    other = tmp_path / "util" / "other.py"
    info = os.stat(other)
    with open(other, "w") as handle:  # in place: the same inode, the folder untouched
        handle.write(WRAPPER.replace("def assign(module, payload)", "def sub(module, payload)"))
    os.utime(other, ns=(info.st_atime_ns, info.st_mtime_ns))
    found, used = _run(tmp_path, "util/maths.py")
    assert "util/maths.py:4:12: ZL101" in found and not used
    # a new wrapper module beside the named file (after a whole run that knows the first one)
    _project(tmp_path, {"util/other.py": UNRELATED.replace("add", "sub")})
    _save(tmp_path / "util" / "maths.py", caller.replace("util.other", "util.extra") + "# edited\n")
    write_tree(tmp_path, {"util/extra.py": WRAPPER.replace("def assign(module, payload)", "def sub(module, payload)")})
    found, used = _run(tmp_path, "util/maths.py")
    assert "util/maths.py:4:12: ZL101" in found and not used
    # the named file edited in place (its folder untouched), a new wrapper module in another folder
    _project(tmp_path, {"util/other.py": UNRELATED.replace("add", "sub")})
    with open(tmp_path / "util" / "maths.py", "w") as handle:
        handle.write(caller.replace("util.other", "crm.more"))
    write_tree(tmp_path, {"crm/more.py": WRAPPER.replace("def assign(module, payload)", "def sub(module, payload)")})
    found, used = _run(tmp_path, "util/maths.py")
    assert "util/maths.py:4:12: ZL101" in found and not used


def test_a_file_the_index_read_or_a_new_file_takes_the_normal_path(tmp_path):
    _project(tmp_path)
    _save(tmp_path / "crm" / "api.py", UNRELATED)  # the wrapper's module, now plain: its callers change
    passed = "All checks passed (1 file checked).\nTarget API version: unknown (nothing declares it).\n"
    assert _run(tmp_path, "crm/api.py") == (passed, False)
    _project(tmp_path)
    write_tree(tmp_path, {"util/new.py": UNRELATED})  # not one of the whole run's files
    assert not _run(tmp_path, "util/new.py")[1]


def test_a_module_name_the_named_file_gains_is_not_assumed_away(tmp_path):
    """Named alone, util/helpers.py is also the module ``helpers`` (it is rooted at its folder),
    which the index looked up (and did not find) for jobs/send.py: the shortcut does not hold."""
    sender = ('import helpers\n'
              'URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"\n'
              'def assign(payload):\n'
              '    r = helpers.post(URL, json=payload)\n'
              '    return r.json()\n')
    _project(tmp_path, {"jobs/send.py": sender, "util/__init__.py": "", "util/helpers.py": UNRELATED})
    _save(tmp_path / "util" / "helpers.py", "import requests\ndef post(url, json):\n    return requests.post(url, json=json)\n")
    assert not _run(tmp_path, "util/helpers.py")[1]
    _project(tmp_path, {"jobs/send.py": sender, "util/__init__.py": "", "util/helpers.py": UNRELATED})
    _save(tmp_path / "util" / "maths.py", UNRELATED + "# edited\n")  # no name of its is looked up
    assert _run(tmp_path, "util/maths.py")[1]
