"""The cache (.zlint_cache) and the worker processes (--jobs): a warm run, a run after an edit,
a run with another config or target version, and any --jobs give exactly the findings of a
fresh run; a pre-commit run over one unrelated file imports neither LibCST nor jsonschema."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from conftest import REPO, run_zlint, write_tree

WRAPPER = '''
import requests
BASE = "https://www.zohoapis.com/crm/v7"
def assign(module, payload):
    response = requests.post(f"{BASE}/{module}/actions/assign_territories", json=payload)
    return response.json()
'''
CALLER = '''
from crm.api import assign
def sync(payload):
    body = assign("Leads", payload)
    if body["data"][0]["code"] == "SUCCESS":
        print("done")
'''
UNRELATED = "def add(a, b):\n    return a + b\n"


def _project(tmp_path, extra: dict[str, str] | None = None):
    write_tree(tmp_path, {"crm/__init__.py": "", "crm/api.py": WRAPPER, "jobs/__init__.py": "",
                          "jobs/sync.py": CALLER, "util/maths.py": UNRELATED, **(extra or {})})
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    return tmp_path


def _check(tmp_path, *args, cache: bool = True, env: dict | None = None):
    options = ["--output-format", "json"] if "--output-format" not in args else []
    result = run_zlint("check", *options, *([] if cache else ["--no-cache"]), *args, cwd=tmp_path, env=env)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


def _same_as_fresh(tmp_path, *args) -> str:
    """The cached run's output, asserted equal to a run without the cache."""
    cached = _check(tmp_path, *args)
    assert cached == _check(tmp_path, *args, cache=False)
    return cached


def test_a_warm_run_repeats_the_cold_run_and_leaves_an_ignored_cache(tmp_path):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    _project(tmp_path)
    cold = _check(tmp_path, ".")
    assert cold == _check(tmp_path, ".") == _check(tmp_path, ".", cache=False)
    assert '"ZL104"' in cold and "jobs/sync.py" in cold
    cache = tmp_path / ".zlint_cache"
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=tmp_path,
                            capture_output=True, text=True, check=True).stdout
    assert ".zlint_cache" not in status


def test_editing_a_wrapper_changes_what_its_callers_report(tmp_path):
    _project(tmp_path)
    before = _same_as_fresh(tmp_path, ".")
    assert '"path": "jobs/sync.py"' in before and "v7" in before
    api = tmp_path / "crm" / "api.py"
    # the same size, and the mtime put back: the ctime (and the digest) still tell
    info = os.stat(api)
    api.write_text(WRAPPER.replace("/v7", "/v6"))
    os.utime(api, ns=(info.st_atime_ns, info.st_mtime_ns))
    after = _same_as_fresh(tmp_path, ".")
    assert "v6" in after and "(v7" not in after
    # no longer a wrapper: the caller has nothing to report
    api.write_text(WRAPPER.replace("return response.json()", "return None"))
    gone = _same_as_fresh(tmp_path, ".")
    assert '"path": "jobs/sync.py"' not in gone
    api.write_text(WRAPPER)
    assert _same_as_fresh(tmp_path, ".") == before


def test_a_new_wrapper_in_a_file_not_named_reaches_a_named_caller(tmp_path):
    _project(tmp_path, {"jobs/other.py": "from crm.extra import assign_deal\ndef go(p):\n    assign_deal(p)\n"})
    assert '"findings": []' in _same_as_fresh(tmp_path, "jobs/other.py")
    write_tree(tmp_path, {"crm/extra.py": WRAPPER.replace("def assign(module, payload)", "def assign_deal(payload)")
                          .replace("{module}", "Deals")})
    found = _same_as_fresh(tmp_path, "jobs/other.py")
    assert '"path": "jobs/other.py"' in found and '"ZL101"' in found


def test_config_and_target_version_changes_are_not_served_stale(tmp_path):
    _project(tmp_path)
    v2 = _same_as_fresh(tmp_path, "--target-version", "v2", ".")
    v7 = _same_as_fresh(tmp_path, "--target-version", "v7", ".")
    assert v2 != v7
    assert _same_as_fresh(tmp_path, "--target-version", "v2", ".") == v2
    write_tree(tmp_path, {"zlint.toml": 'ignore = ["ZL104"]\n'})
    ignoring = _same_as_fresh(tmp_path, ".")
    assert '"ZL104"' not in ignoring
    write_tree(tmp_path, {"zlint.toml": 'ignore = ["ZL101"]\n'})
    assert '"ZL104"' in _same_as_fresh(tmp_path, ".")
    write_tree(tmp_path, {"zlint.toml": 'ignore = ["no-such-rule"]\n'})  # a config that fails: still reported
    result = run_zlint("check", ".", cwd=tmp_path)
    assert result.returncode == 2 and "unknown rule" in result.stderr


def test_a_corrupt_or_unwritable_cache_is_ignored(tmp_path):
    _project(tmp_path)
    fresh = _check(tmp_path, ".", cache=False)
    _check(tmp_path, ".")
    for file in (tmp_path / ".zlint_cache").rglob("*.json"):
        file.write_bytes(b'{"format": 1, "entries": {"x": [1, 2' if "files" in file.name else b"\x00\xff garbage")
    assert _check(tmp_path, ".") == fresh
    for file in (tmp_path / ".zlint_cache").rglob("*.json"):
        file.write_text('{"format": 1, "entries": [], "units": {"a": [["k", 1, 2]]}, "recordings": 5}')
    assert _check(tmp_path, ".") == fresh
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    assert _check(tmp_path, "--cache-dir", str(blocked / "cache"), ".") == fresh  # cannot be made


def _reshaped(value, how: str):
    """``value`` (JSON) with every number made a string, every list cut by its last item, or every
    string made a number: valid JSON of the wrong shape."""
    if isinstance(value, dict):
        return {key: _reshaped(item, how) for key, item in value.items()}
    if isinstance(value, list):
        return [_reshaped(item, how) for item in (value[:-1] if how == "short lists" else value)]
    if how == "numbers as text" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if how == "text as numbers" and isinstance(value, str):
        return 7
    return value


@pytest.mark.parametrize("how", ["numbers as text", "short lists", "text as numbers"])
def test_a_cache_of_valid_json_but_the_wrong_shape_is_ignored(tmp_path, how):
    _project(tmp_path, {"jobs/skipped.py": CALLER + "    # zlint: ignore[ZL104]\n"})
    fresh = {paths: _check(tmp_path, *paths, cache=False) for paths in [(".",), ("util/maths.py",)]}
    _check(tmp_path, ".")
    time.sleep(2.1)  # older than the cache's two-second window: the next run also stores the whole result
    _check(tmp_path, ".")
    for file in (tmp_path / ".zlint_cache").rglob("*.json"):
        file.write_text(json.dumps(_reshaped(json.loads(file.read_text()), how)))
    for paths in [(".",), (".",), ("util/maths.py",)]:  # the second run: what the first one stored holds
        result = run_zlint("check", "--output-format", "json", *paths, cwd=tmp_path)
        assert (result.stdout, result.stderr) == (fresh[paths], "")


def test_no_cache_and_cache_dir_and_the_environment(tmp_path):
    _project(tmp_path)
    _check(tmp_path, ".", cache=False)
    assert not (tmp_path / ".zlint_cache").exists()
    _check(tmp_path, "--cache-dir", "elsewhere", ".")
    assert (tmp_path / "elsewhere" / ".gitignore").exists() and not (tmp_path / ".zlint_cache").exists()
    _check(tmp_path, ".", env={"ZLINT_CACHE_DIR": str(tmp_path / "from-env")})
    assert (tmp_path / "from-env" / "CACHEDIR.TAG").exists() and not (tmp_path / ".zlint_cache").exists()


def test_a_cache_folder_in_the_tree_is_not_scanned_with_or_without_the_cache(tmp_path):
    """The cache folder inside the project under another name, not git-ignored: its JSON files are
    no recordings, for a run that uses the cache and for one that does not."""
    _project(tmp_path, {"zlint.toml": "respect-gitignore = false\n"})
    env = {"ZLINT_CACHE_DIR": "zcache"}
    cold = _check(tmp_path, ".", env=env)
    assert (tmp_path / "zcache" / "CACHEDIR.TAG").exists()
    assert json.loads(cold)["summary"]["files_checked"] == 5
    assert _check(tmp_path, ".", env=env) == cold == _check(tmp_path, ".", cache=False, env=env)
    assert _check(tmp_path, "--cache-dir", "zcache", "--no-cache", ".") == cold


def test_one_unrelated_file_imports_neither_libcst_nor_jsonschema(tmp_path):
    """As pre-commit runs it: one file named, a config file, a warm cache of the project."""
    _project(tmp_path, {"zlint.toml": 'select = ["ALL"]\n'})
    _check(tmp_path, ".")
    command = [sys.executable, "-X", "importtime", "-m", "zlint", "check", "util/maths.py"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "All checks passed (1 file checked)." in result.stdout
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "zlint.config" in imported
    assert not {name for name in imported if name.split(".")[0] in {"libcst", "jsonschema"}}
    # and the named caller still sees the wrapper of a file it was not given, from the cache
    caller = subprocess.run([sys.executable, "-X", "importtime", "-m", "zlint", "check", "--output-format",
                             "concise", "jobs/sync.py"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert caller.stdout.startswith("jobs/sync.py:3:12: ZL101"), caller.stdout + caller.stderr


def _many_callers(tmp_path, count: int = 14):
    files = {"crm/__init__.py": "", "crm/api.py": WRAPPER, "jobs/__init__.py": ""}
    for n in range(count):
        files[f"jobs/job_{n:02}.py"] = (
            CALLER if n % 3 == 0 else
            "import requests\n"
            f"def remove_{n}(ids):\n"
            f'    r = requests.post("https://www.zohoapis.com/crm/v{2 + n % 6}/Deals/actions/remove_territories",\n'
            '                      json={"data": [{"id": i} for i in ids]})\n'
            "    if r.status_code != 200:\n"
            "        raise RuntimeError(r.text)\n"
            "    return r.json()[\"data\"][0][\"message\"] == \"success\"\n")
    write_tree(tmp_path, files)
    return tmp_path


def test_any_number_of_jobs_gives_the_same_findings_in_the_same_order(tmp_path):
    _many_callers(tmp_path)
    outputs = {jobs: _check(tmp_path, "--jobs", str(jobs), ".", cache=False) for jobs in (1, 2, 3)}
    assert outputs[1] == outputs[2] == outputs[3]
    assert outputs[1].count('"code"') >= 20
    assert _check(tmp_path, "--jobs", "2", ".") == outputs[1]  # cold cache, with workers
    assert _check(tmp_path, "--jobs", "1", ".") == outputs[1]  # warm
    listed = [run_zlint("check", "--list-calls", "--no-cache", "--jobs", str(jobs), ".", cwd=tmp_path).stdout
              for jobs in (1, 2)]
    assert listed[0] == listed[1]


def test_sarif_with_a_warm_cache_keeps_its_fixes(tmp_path):
    _many_callers(tmp_path, 4)
    fresh = _check(tmp_path, "--output-format", "sarif", ".", cache=False)
    _check(tmp_path, ".")
    assert '"fixes"' in fresh
    assert _check(tmp_path, "--output-format", "sarif", ".") == fresh


def test_fix_after_a_cached_check(tmp_path):
    _many_callers(tmp_path, 4)
    _check(tmp_path, ".")
    result = run_zlint("fix", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "r.status_code not in (200, 202)" in (tmp_path / "jobs" / "job_01.py").read_text()
    assert _check(tmp_path, ".") == _check(tmp_path, ".", cache=False)


def test_a_replayed_run_notices_every_kind_of_change(tmp_path):
    """A repeated run with nothing changed is answered from the last run's result; files changed
    over two seconds before the run (when only their stat can tell) still show: a new file, an
    edit that keeps size and mtime, a new .gitignore, a new package."""
    import time

    _project(tmp_path)
    env = {"ZLINT_DEBUG_CACHE": "1"}
    _check(tmp_path, ".")  # makes .zlint_cache, which changes the project folder

    def settled_run():
        time.sleep(2.1)  # older than the cache's two-second window: only the stat can tell
        first = run_zlint("check", "--output-format", "json", ".", cwd=tmp_path, env=env)
        again = run_zlint("check", "--output-format", "json", ".", cwd=tmp_path, env=env)
        assert "the last run's result" not in first.stderr and "the last run's result" in again.stderr
        assert first.stdout == again.stdout == _check(tmp_path, ".", cache=False)
        return first.stdout

    before = settled_run()
    write_tree(tmp_path, {"jobs/more.py": "from crm.api import assign\ndef go(p):\n    assign('Deals', p)\n"})
    added = settled_run()
    assert '"path": "jobs/more.py"' in added and added != before
    api = tmp_path / "crm" / "api.py"
    info = os.stat(api)
    api.write_text(WRAPPER.replace("/v7", "/v6"))
    os.utime(api, ns=(info.st_atime_ns, info.st_mtime_ns))
    edited = settled_run()
    assert "v6" in edited and edited != added
    write_tree(tmp_path, {".gitignore": "jobs/more.py\n"})
    ignored = settled_run()
    assert '"path": "jobs/more.py"' not in ignored
    (tmp_path / "util" / "__init__.py").write_text("")
    packaged = settled_run()  # new module names: one more file, the same findings
    assert '"files_checked": 6' in packaged and packaged.split('"summary"')[0] == ignored.split('"summary"')[0]
