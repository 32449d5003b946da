"""``zlint fix``: safe rewrites, --diff that git apply takes, and files kept as they were around
the edits (encoding, BOM, line endings, mode) or not touched at all."""

from __future__ import annotations

import ast
import json
import os
import shutil
import stat
import subprocess

import pytest

from conftest import REPO, run_zlint, write_tree, zlint_command

STATUS_CHECK = '''
import requests
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories")
    if r.status_code != 200:
        raise RuntimeError(r.text)
    return r
'''


def _tree(root) -> dict[str, bytes]:
    """Every file under ``root`` but zlint's cache (a run of ``zlint fix`` fills it, --diff too)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".zlint_cache" not in p.relative_to(root).parts}


def test_fix_on_the_example(tmp_path, snapshot_text):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    diff = run_zlint("fix", "--diff", "examples", cwd=tmp_path)
    assert diff.returncode == 1
    assert diff.stdout == snapshot_text
    done = run_zlint("fix", "examples", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "Fixed 4 findings in 3 files; 10 left (8 fixable with --unsafe-fixes).\n")
    again = run_zlint("fix", "--diff", "examples", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (0, "")


@pytest.mark.parametrize("options", [[], ["--unsafe-fixes", "--target-version", "v7"]], ids=["safe", "unsafe"])
def test_diff_applies_with_git_apply_and_gives_the_same_tree(tmp_path, options):
    for name in ("by-diff", "by-fix"):
        shutil.copytree(REPO / "examples", tmp_path / name / "examples")
    diff = run_zlint("fix", "--diff", *options, "examples", cwd=tmp_path / "by-diff").stdout
    (tmp_path / "fix.patch").write_text(diff)
    subprocess.run(["git", "apply", str(tmp_path / "fix.patch")], cwd=tmp_path / "by-diff", check=True)
    run_zlint("fix", *options, "examples", cwd=tmp_path / "by-fix")
    assert _tree(tmp_path / "by-diff") == _tree(tmp_path / "by-fix")
    assert _tree(tmp_path / "by-fix" / "examples") != _tree(REPO / "examples")


def test_untouched_files_keep_bytes_and_mtime(tmp_path):
    write_tree(tmp_path, {"app.py": STATUS_CHECK, "other.py": "import requests\nrequests.get('https://x')\n"})
    other = tmp_path / "other.py"
    os.utime(other, (1_000_000, 1_000_000))
    run_zlint("fix", ".", cwd=tmp_path)
    assert other.stat().st_mtime == 1_000_000
    assert "not in (200, 202)" in (tmp_path / "app.py").read_text()


def test_encoding_bom_line_endings_and_mode_are_kept(tmp_path):
    crlf = ("\ufeff" + STATUS_CHECK.lstrip("\n")).replace("\n", "\r\n").encode("utf-8")
    latin = ("# -*- coding: latin-1 -*-\n# caf\xe9\n" + STATUS_CHECK.lstrip("\n")).encode("latin-1")
    (tmp_path / "crlf.py").write_bytes(crlf)
    (tmp_path / "latin.py").write_bytes(latin)
    (tmp_path / "latin.py").chmod(0o755)
    result = run_zlint("fix", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "crlf.py").read_bytes() == crlf.replace(b"!= 200", b"not in (200, 202)")
    assert (tmp_path / "latin.py").read_bytes() == latin.replace(b"!= 200", b"not in (200, 202)")
    assert stat.S_IMODE((tmp_path / "latin.py").stat().st_mode) == 0o755
    assert sorted(_tree(tmp_path)) == ["crlf.py", "latin.py"]  # no temporary file left


@pytest.mark.parametrize("job_helper", [None, "territory_jobs"])
def test_the_job_wait_functions_take_the_line_ends_of_the_file_they_go_into(tmp_path, job_helper):
    """A CRLF file (and a CRLF job-helper module) stays CRLF throughout: the docstrings of the
    functions zlint fix copies in too (they had LF line breaks)."""
    code = 'import requests\n\n\ndef assign():\n    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/' \
           'assign_territories")\n    r.raise_for_status()\n    return True\n'
    (tmp_path / "app.py").write_bytes(code.replace("\n", "\r\n").encode())
    if job_helper:
        (tmp_path / "zlint.toml").write_text(f'job-helper = "{job_helper}"\n')
        (tmp_path / "territory_jobs.py").write_bytes(b'"""Our helpers."""\r\n')
    result = run_zlint("fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert result.stdout.startswith("Fixed 1 finding"), result.stderr
    for name in ["app.py", "territory_jobs.py"] if job_helper else ["app.py"]:
        fixed = (tmp_path / name).read_bytes()
        assert b"wait_for_territory_jobs" in fixed and fixed.count(b"\n") == fixed.count(b"\r\n"), name
    functions = (tmp_path / ("territory_jobs.py" if job_helper else "app.py")).read_bytes()
    assert functions.count(b'"""') > 10 and functions.count(b"\r\n") > 100


def test_the_job_wait_functions_go_below_every_import_of_the_file(tmp_path):
    """Imports in ``try``/``except ImportError`` and ``if TYPE_CHECKING`` blocks count as imports:
    the functions go below them, so no import ends up below a definition (E402)."""
    code = '''"""Sync."""
import os
try:
    import ujson as json
except ImportError:
    import json
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from decimal import Decimal
import requests

API = "https://www.zohoapis.com/crm/v7"


def assign(rid):
    r = requests.post(f"{API}/Leads/{rid}/actions/assign_territories", json={})
    r.raise_for_status()
    return True
'''
    (tmp_path / "app.py").write_text(code)
    assert run_zlint("fix", "--unsafe-fixes", ".", cwd=tmp_path).stdout.startswith("Fixed 1 finding")
    body = ast.parse((tmp_path / "app.py").read_text()).body
    first_def = next(i for i, node in enumerate(body) if isinstance(node, ast.FunctionDef))
    assert body[first_def].name == "_territory_jobs_of"
    assert all(not isinstance(node, (ast.Import, ast.ImportFrom, ast.Try, ast.If)) for node in body[first_def:])
    assert isinstance(body[first_def - 1], ast.Import) and body[first_def - 1].names[0].name == "requests"


def test_a_file_with_syntax_newer_than_this_python_is_fixed(tmp_path):
    """A `type` statement (3.12) that LibCST reads: the fixed code is judged by LibCST's parser
    when the running Python cannot read the file at all, and the fix is written."""
    write_tree(tmp_path, {"app.py": "type Ids = list[str]\n" + STATUS_CHECK})
    done = run_zlint("fix", ".", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "Fixed 1 finding in 1 file; 0 left.\n"
    assert (tmp_path / "app.py").read_text() == "type Ids = list[str]\n" + STATUS_CHECK.replace(
        "!= 200", "not in (200, 202)")


def test_exit_non_zero_on_fix(tmp_path):
    write_tree(tmp_path, {"app.py": STATUS_CHECK})
    assert run_zlint("fix", "--exit-non-zero-on-fix", ".", cwd=tmp_path).returncode == 1
    assert run_zlint("fix", "--exit-non-zero-on-fix", ".", cwd=tmp_path).returncode == 0


def test_a_fix_that_needs_a_file_not_given_is_left_and_said(tmp_path):
    write_tree(tmp_path, {
        "crm/__init__.py": "",
        "crm/statuses.py": "ACCEPTED = (200, 201)\n",
        "crm/app.py": '''
            import requests
            from crm.statuses import ACCEPTED
            def assign():
                r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories")
                return r if r.status_code in ACCEPTED else None
        ''',
    })
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    before = _tree(tmp_path / "crm")
    result = run_zlint("fix", "crm/app.py", cwd=tmp_path)
    assert result.stderr == "zlint: crm/app.py:5:17: ZL102 needs a change in crm/statuses.py, which was not given\n"
    assert _tree(tmp_path / "crm") == before
    run_zlint("fix", "crm", cwd=tmp_path)
    assert (tmp_path / "crm" / "statuses.py").read_text() == "ACCEPTED = (200, 201, 202)\n"


def test_unsafe_fixes_wait_for_the_jobs_in_the_example(tmp_path, snapshot_text):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    diff = run_zlint("fix", "--unsafe-fixes", "--diff", "examples", cwd=tmp_path)
    assert diff.returncode == 1
    assert diff.stdout == snapshot_text
    done = run_zlint("fix", "--unsafe-fixes", "examples", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "Fixed 9 findings in 5 files; 1 left.\n")
    left = run_zlint("check", "--output-format", "concise", "examples", cwd=tmp_path)
    assert [line.split(" ", 2)[:2] for line in left.stdout.splitlines() if line.startswith("examples/")] == [
        ["examples/legacy_crm/sdk_assign.py:140:25:", "ZL110"],  # the job id is in get_response_json(): a human's job
    ]
    again = run_zlint("fix", "--unsafe-fixes", "--diff", "examples", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (0, "")


JOB_PROJECT = {
    "pyproject.toml": """
        [tool.zlint]
        job-helper = "crm.territory_jobs"
        """,
    "src/crm/__init__.py": "",
    "src/crm/sync.py": """
        import requests
        from crm import settings


        def assign(session: requests.Session, lead_id, territory_id):
            r = session.post(f"{settings.API}/Leads/{lead_id}/actions/assign_territories",
                             json={"data": [{"Territories": [{"id": territory_id}]}]})
            r.raise_for_status()
            return True
        """,
    "src/crm/settings.py": 'API = "https://www.zohoapis.com/crm/v7"\n',
}


def test_job_helper_setting_puts_the_functions_in_one_module(tmp_path):
    write_tree(tmp_path, JOB_PROJECT)
    by_diff = tmp_path / "by-diff"
    shutil.copytree(tmp_path, by_diff)
    subprocess.run(["git", "init", "-q"], cwd=by_diff, check=True)
    done = run_zlint("fix", "--unsafe-fixes", "src", cwd=tmp_path)
    assert done.stdout == ("Created src/crm/territory_jobs.py with the functions that wait for territory jobs.\n"
                           "Fixed 1 finding in 2 files; 0 left.\n")
    assert (tmp_path / "src/crm/sync.py").read_text() == '''import requests
from crm import settings
from crm.territory_jobs import wait_for_territory_jobs


def assign(session: requests.Session, lead_id, territory_id):
    r = session.post(f"{settings.API}/Leads/{lead_id}/actions/assign_territories",
                     json={"data": [{"Territories": [{"id": territory_id}]}]})
    wait_for_territory_jobs(r, session)
    r.raise_for_status()
    return True
'''
    helper = (tmp_path / "src/crm/territory_jobs.py").read_text()
    template = (REPO / "zlint/rewrites/territory_jobs.py").read_text()
    assert "zlint" not in helper.split('"""', 2)[2]  # no import of zlint, no mention after the docstring
    for name in ("territory_jobs_of", "territory_module_url", "pending_territory_jobs", "territory_job_query",
                 "territory_job_answer", "wait_for_territory_jobs"):
        start = template.index(f"def {name}(")
        assert template[start:template.index("\n\n\n", start)] in helper
    assert "await_territory_jobs" not in helper and "territory_already_scheduled" not in helper
    # the diff of a run that creates the module applies with git apply and gives the same tree
    diff = run_zlint("fix", "--unsafe-fixes", "--diff", "src", cwd=by_diff)
    assert "--- /dev/null\n+++ b/src/crm/territory_jobs.py\n" in diff.stdout
    subprocess.run(["git", "apply", "-"], input=diff.stdout, text=True, cwd=by_diff, check=True)
    assert _tree(by_diff / "src") == _tree(tmp_path / "src")
    assert run_zlint("fix", "--unsafe-fixes", "--diff", "src", cwd=tmp_path).stdout == ""


def test_an_existing_job_helper_module_not_given_gets_what_it_lacks(tmp_path):
    # the configured module is zlint's place for the waits: it is changed also when only the
    # fixed file is named (it was an internal error)
    write_tree(tmp_path, {**JOB_PROJECT, "src/crm/territory_jobs.py": "def schedule():\n    return 1\n"})
    done = run_zlint("fix", "--unsafe-fixes", "src/crm/sync.py", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "Fixed 1 finding in 2 files; 0 left.\n", "")
    helper = (tmp_path / "src/crm/territory_jobs.py").read_text()
    assert helper.startswith("def schedule():\n    return 1\n") and "def wait_for_territory_jobs(response" in helper
    assert "wait_for_territory_jobs(r, session)" in (tmp_path / "src/crm/sync.py").read_text()


@pytest.mark.parametrize(("where", "own"), [
    ("inline", "def {name}(module, record_ids, headers):\n    return record_ids\n"),
    ("job-helper", "def {name}(module, record_ids, headers):\n    return record_ids\n"),
    # a function the wait calls, with zlint's parameters but not its body: the wait would ask the
    # status call for the wrong records and return at once, the job still pending
    ("inline", "def {name}(jobs):\n    return 'mine'\n"),
    ("job-helper", "def {name}(jobs):\n    return {{'ids': 'x'}}\n"),
])
def test_no_wait_is_written_that_would_call_a_function_of_the_users_own(tmp_path, where, own):
    """A function of the user's under a name the wait is called by, or calls: the fix would call it
    in place of zlint's (and, the job still not awaited, add the call again in each round)."""
    name = "wait_for_territory_jobs" if "module" in own else "territory_job_query"
    if where == "inline":
        files = {"app.py": "import requests\n\n\n" + own.format(name="_" + name) + '''

def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories")
    r.raise_for_status()
    return True
'''}
        holder = "app.py"
    else:
        files = {**JOB_PROJECT, "src/crm/territory_jobs.py": own.format(name=name)}
        holder = "src/crm/territory_jobs.py"
    write_tree(tmp_path, files)
    before = _tree(tmp_path)
    found = run_zlint("check", "--select", "ZL101", "--output-format", "json", cwd=tmp_path)
    [finding] = json.loads(found.stdout)["findings"]
    assert (finding["code"], finding["fix_safety"]) == ("ZL101", None)
    clash = f"`{'_' + name if where == 'inline' else name}` in {holder}"
    assert finding["fix"].endswith(f"; zlint fix writes no wait here, as {clash} is not zlint's (rename it"
                                   + (", or set job-helper)" if where == "inline" else ")"))
    done = run_zlint("fix", "--unsafe-fixes", "--select", "ZL101", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "Fixed 0 findings in 0 files; 1 left.\n", "")
    assert _tree(tmp_path) == before


NO_PLAIN_REWRITE = '''import requests

API = "https://www.zohoapis.com/crm/v7"


def assign(payload):
    return {"sent": requests.post(API + "/Leads/actions/assign_territories", json=payload).ok}


def remove(payload):
    total = 1 + \\
        requests.post(API + "/Leads/actions/remove_territories", json=payload).status_code
    return total
'''


def test_add_fixme_marks_what_no_rewrite_can_fix_once(tmp_path):
    write_tree(tmp_path, {"app.py": NO_PLAIN_REWRITE})
    done = run_zlint("fix", "--add-fixme", "--exit-non-zero-on-fix", "app.py", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (
        1,
        "Marked 1 finding with `zlint: fixme` in 1 file.\nFixed 0 findings in 0 files; 1 left.\n",
        "zlint: app.py:12: no place for a fixme marker of ZL101 (a line continued with a backslash?)\n",
    )
    assert (tmp_path / "app.py").read_text() == NO_PLAIN_REWRITE.replace(
        "def assign(payload):\n",
        "def assign(payload):\n    # zlint: fixme[ZL101] read data[i].details.job_id and poll get_feature_specific_info"
        "?features=territory_scheduled_jobs by record id until the job is gone, with a bounded wait\n")
    check = run_zlint("check", "app.py", cwd=tmp_path)
    assert "1 finding marked `zlint: fixme` (known migration debt) not shown." in check.stdout
    assert [line[:16] for line in check.stdout.splitlines() if line.startswith("app.py")] == ["app.py:13:9: ZL1"]
    again = run_zlint("fix", "--add-fixme", "app.py", cwd=tmp_path)
    assert again.stdout == "Fixed 0 findings in 0 files; 1 left.\n"


THREE_FIXES = '''import requests

API = "https://www.zohoapis.com/crm/v7"


def one(payload):
    r = requests.post(API + "/Leads/actions/assign_territories", json=payload)
    if r.status_code != 200:
        raise RuntimeError(r.text)
    if r.json()["data"][0]["code"] != "SUCCESS":
        raise RuntimeError(r.text)
    return r


def two(payload):
    r = requests.post(API + "/Deals/actions/assign_territories", json=payload)
    if r.status_code != 200:
        raise RuntimeError(r.text)
    return r
'''


def test_add_fixme_is_not_shown_as_a_diff(tmp_path):
    # the markers go above what the written fixes leave, which --diff does not write: refused
    # rather than a diff that is not what zlint fix --add-fixme would write
    write_tree(tmp_path, {"app.py": NO_PLAIN_REWRITE})
    result = run_zlint("fix", "--add-fixme", "--diff", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert "Error: --add-fixme marks what is left once the fixes are written; it cannot be shown with --diff" \
        in result.stderr
    assert (tmp_path / "app.py").read_text() == NO_PLAIN_REWRITE


def test_interactive_asks_for_each_fix(tmp_path):
    write_tree(tmp_path, {"app.py": THREE_FIXES})
    # ZL102 in one(): no; ZL104 in one(): yes; ZL102 in two(): all ZL102 -> applied
    done = subprocess.run([*zlint_command(), "fix", "--interactive", "app.py"], cwd=tmp_path, input="n\ny\na\n",
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Apply? [y]es, [n]o, [a]ll") == 3
    assert "app.py:8:8: ZL102 [status-200-success]" in done.stdout and "--- a/app.py\n+++ b/app.py\n" in done.stdout
    assert done.stdout.endswith("Fixed 2 findings in 1 file; 1 left.\n")
    assert (tmp_path / "app.py").read_text() == THREE_FIXES.replace(
        '!= "SUCCESS"', 'not in ("SUCCESS", "SCHEDULED")').replace(
        '''json=payload)
    if r.status_code != 200:
        raise RuntimeError(r.text)
    return r''', '''json=payload)
    if r.status_code not in (200, 202):
        raise RuntimeError(r.text)
    return r''')
    quit_early = subprocess.run([*zlint_command(), "fix", "--interactive", "app.py"], cwd=tmp_path, input="q\n",
                                capture_output=True, text=True, timeout=60)
    assert quit_early.stdout.endswith("Fixed 0 findings in 0 files; 1 left.\n")


def test_target_version_moves_the_urls_with_their_handling(tmp_path):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    before = run_zlint("check", "--target-version", "v7", "--select", "ZL111", "--output-format", "concise",
                       "examples", cwd=tmp_path)
    assert [line.split(" ", 2)[0] for line in before.stdout.splitlines() if " ZL111 " in line] == [
        "examples/legacy_crm/client.py:23:16:", "examples/legacy_crm/client.py:30:20:",
        "examples/legacy_crm/nightly_sync.py:10:12:"]
    done = run_zlint("fix", "--unsafe-fixes", "--target-version", "v7", "examples", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "Fixed 11 findings in 6 files; 1 left.\n")
    settings = (tmp_path / "examples/legacy_crm/settings.py").read_text()
    assert 'API_VERSION = os.getenv("ZOHO_API_VERSION", "v7")' in settings  # the one literal, in a third module
    assert 'ZOHO = "https://www.zohoapis.com/crm/v7"' in (tmp_path / "examples/legacy_crm/nightly_sync.py").read_text()
    after = run_zlint("check", "--target-version", "v7", "--output-format", "concise", "examples", cwd=tmp_path)
    assert [line.split(" ", 2)[1] for line in after.stdout.splitlines() if line.startswith("examples/")] == ["ZL110"]
    # without a declared target the URLs stay where they are
    shutil.rmtree(tmp_path / "examples")
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    run_zlint("fix", "--unsafe-fixes", "examples", cwd=tmp_path)
    assert 'getenv("ZOHO_API_VERSION", "v5")' in (tmp_path / "examples/legacy_crm/settings.py").read_text()


UNKNOWN_CLIENTS = '''BASE = "https://www.zohoapis.com/crm/v7"


class Zoho:
    def __init__(self, http):
        self.http = http  # passed in: its library is not known here

    async def aiohttp_like(self, rid):
        resp = await self.http.post(f"{BASE}/Leads/{rid}/actions/assign_territories", json={})
        print(await resp.json())

    def urllib3_like(self, rid):
        r = self.http.request("POST", f"{BASE}/Leads/{rid}/actions/remove_territories", body=b"{}")
        print(r.data)

    async def httpx_async_like(self, rid):
        r = await self.http.post(f"{BASE}/Leads/{rid}/actions/remove_territories", json={})
        print(r.status_code)

    def requests_like(self, rid):
        r = self.http.post(f"{BASE}/Leads/{rid}/actions/assign_territories", json={})
        print(r.text)
'''


def test_a_client_of_unknown_library_gets_a_wait_only_where_its_responses_are_like_requests(tmp_path):
    """The wait reads ``.content`` and ``.json()`` of the response: an awaited call may be
    aiohttp's and ``.request("POST", ...)`` urllib3's, unless the code reads ``.status_code``."""
    write_tree(tmp_path, {"zoho.py": UNKNOWN_CLIENTS})
    result = run_zlint("fix", "--unsafe-fixes", "zoho.py", cwd=tmp_path)
    assert result.stdout == "Fixed 2 findings in 1 file; 2 left.\n"
    fixed = (tmp_path / "zoho.py").read_text()
    assert '/assign_territories", json={})\n        print(await resp.json())' in fixed  # no wait: maybe aiohttp
    assert 'body=b"{}")\n        print(r.data)' in fixed  # no wait: maybe urllib3
    assert ('/remove_territories", json={})\n        await _await_territory_jobs(r, self.http)\n'
            '        print(r.status_code)') in fixed
    assert ('/assign_territories", json={})\n        _wait_for_territory_jobs(r, self.http)\n'
            '        print(r.text)') in fixed
    left = run_zlint("check", "--output-format", "concise", "zoho.py", cwd=tmp_path).stdout
    assert [line.split(":", 2)[2].split(" [")[0] for line in left.splitlines()[:-2]] == ["22: ZL101", "13: ZL101"]


MOVED_BY_ITS_VERSION = '''import requests

BASE = "https://www.zohoapis.com/crm/v2.1"


def assign(rid, tid, headers, wait):
    r = requests.post(f"{BASE}/Leads/{rid}/actions/assign_territories", headers=headers,
                      json={"data": [{"Territories": [{"id": tid}]}]})
    if r.status_code != 200:
        raise RuntimeError(r.text)
    item = r.json()["data"][0]
    if item["code"] != "SUCCESS":
        raise RuntimeError(item)
    wait(item["details"]["job_id"])
'''


def test_fixes_that_a_fix_makes_apply_are_applied_in_the_same_run(tmp_path):
    """Right on v2.1, the 200 and SUCCESS checks break once ZL111 moves the URL to v8: the run
    checks again and widens them too, so it ends with code that works on v8."""
    write_tree(tmp_path, {"crm.py": MOVED_BY_ITS_VERSION})
    assert run_zlint("check", "--target-version", "v8", "--select", "ZL102,ZL104", ".", cwd=tmp_path).returncode == 0
    done = run_zlint("fix", "--unsafe-fixes", "--target-version", "v8", ".", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "Fixed 3 findings in 1 file; 0 left.\n", "")
    assert (tmp_path / "crm.py").read_text() == MOVED_BY_ITS_VERSION.replace("/crm/v2.1", "/crm/v8").replace(
        "r.status_code != 200", "r.status_code not in (200, 202)").replace(
        'item["code"] != "SUCCESS"', 'item["code"] not in ("SUCCESS", "SCHEDULED")')
    again = run_zlint("fix", "--unsafe-fixes", "--target-version", "v8", ".", cwd=tmp_path)
    assert again.stdout == "Fixed 0 findings in 0 files; 0 left.\n"


@pytest.mark.parametrize("off", ['ignore = ["ZL104"]', 'per-file-ignores = { "crm.py" = ["ZL102"] }',
                                 'per-file-ignores = { "tests/*" = ["ZL102"] }'])
def test_no_url_moves_to_the_target_while_a_rule_that_adapts_its_handling_is_off(tmp_path, off):
    """With ZL104 off, the "SUCCESS" test would stay as it is once the URL is on v8, and fail there
    for every call that worked: ZL111 reports the URL but moves nothing. A rule off for other files
    only (tests/*) does not hold the move back."""
    write_tree(tmp_path, {"zlint.toml": f'target-version = "v8"\n{off}\n', "crm.py": MOVED_BY_ITS_VERSION})
    found = run_zlint("check", "--output-format", "json", cwd=tmp_path)
    moved = "tests/*" in off
    assert [(f["code"], f["fix_safety"]) for f in json.loads(found.stdout)["findings"] if f["code"] == "ZL111"] == [
        ("ZL111", "unsafe" if moved else None)]
    done = run_zlint("fix", "--unsafe-fixes", cwd=tmp_path)
    fixed = (tmp_path / "crm.py").read_text()
    assert ("/crm/v8" in fixed) is moved and (fixed == MOVED_BY_ITS_VERSION) is not moved, done.stdout


def test_rounds_with_a_helper_module_keep_what_earlier_rounds_put_there(tmp_path):
    """A second round (ZL107's edit overlaps ZL102's) adds a function to the job-helper module: the
    module keeps the first round's functions, and every name the fixed code imports is there."""
    write_tree(tmp_path, {
        "zlint.toml": 'job-helper = "app.territory_jobs"\n',
        "app/__init__.py": "",
        "app/crm.py": '''
            import requests

            URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"


            def assign(session: requests.Session, payload, refresh):
                r = session.post(URL, json=payload)
                if r.status_code in (200, 400):
                    refresh()
                    return assign(session, payload, refresh)
                return r


            def other(session: requests.Session):
                s = session.post(URL, json={})
                print(s.text)
        ''',
    })
    done = run_zlint("fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == ("Created app/territory_jobs.py with the functions that wait for territory jobs.\n"
                           "Fixed 3 findings in 2 files; 0 left.\n")
    fixed = (tmp_path / "app/crm.py").read_text()
    assert fixed.count("wait_for_territory_jobs(s, session)") == 1
    assert "if r.status_code in (200, 400, 202) and not territory_already_scheduled(r):\n" in fixed
    imported = {alias.name for node in ast.walk(ast.parse(fixed)) if isinstance(node, ast.ImportFrom)
                and node.module == "app.territory_jobs" for alias in node.names}
    defined = {node.name for node in ast.parse((tmp_path / "app/territory_jobs.py").read_text()).body
               if isinstance(node, ast.FunctionDef)}
    assert imported == {"wait_for_territory_jobs", "territory_already_scheduled"} and imported <= defined


def test_a_fix_that_needs_a_file_not_given_is_said_once_also_when_its_lines_moved(tmp_path):
    write_tree(tmp_path, {
        "zlint.toml": 'target-version = "v8"\n',
        "settings.py": 'BASE = "https://www.zohoapis.com/crm/v2.1"\n',
        "app.py": '''
            import requests
            from settings import BASE


            def remove(rid):
                requests.post(f"{BASE}/Leads/{rid}/actions/remove_territories", json={})
        ''',
    })
    done = run_zlint("fix", "--unsafe-fixes", "app.py", cwd=tmp_path)
    assert done.stdout == "Fixed 1 finding in 1 file; 1 left.\n"
    assert done.stderr == "zlint: app.py:6:5: ZL111 needs a change in settings.py, which was not given\n"


def test_two_calls_in_one_try_each_get_their_wait(tmp_path):
    """A try without an else gets one for the wait only when its body holds no other territory
    call: an edit of the whole try crowded out the other call's wait, and that function then
    counted as waiting."""
    write_tree(tmp_path, {"app.py": '''
        import requests
        def move(rid):
            try:
                r1 = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{rid}/actions/remove_territories")
                r2 = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{rid}/actions/assign_territories")
            except Exception:
                return False
            return r1.ok and r2.ok
    '''})
    done = run_zlint("fix", "--unsafe-fixes", "--select", "ZL101", ".", cwd=tmp_path)
    assert done.stdout == "Fixed 2 findings in 1 file; 0 left.\n"
    fixed = (tmp_path / "app.py").read_text()
    assert fixed.endswith('''
    try:
        r1 = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{rid}/actions/remove_territories")
        _wait_for_territory_jobs(r1, requests)
        r2 = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{rid}/actions/assign_territories")
        _wait_for_territory_jobs(r2, requests)
    except Exception:
        return False
    return r1.ok and r2.ok
''')


def test_zlints_own_copies_reworded_later_do_not_keep_the_next_wait_out(tmp_path):
    """In a file zlint wrote its functions into (its mark above them), a copy a formatter or the
    user reworded, or an earlier zlint's, keeps the template's parameters: it is zlint's, and a
    call added later gets its wait."""
    write_tree(tmp_path, {"app.py": '''
        import requests
        URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
        def assign(lid):
            r = requests.post(URL, json={"data": [{"id": lid}]})
            return r.status_code in (200, 202)
    '''})
    assert run_zlint("fix", "--unsafe-fixes", ".", cwd=tmp_path).stdout == "Fixed 1 finding in 1 file; 0 left.\n"
    app = tmp_path / "app.py"
    reworded = app.read_text().replace('"""Record id -> job id', '"""Record ID -> job ID').replace(
        "    import re\n", "    import re  # the pattern module\n", 1)
    assert reworded != app.read_text()
    app.write_text(reworded + '''

def remove(lid):
    r = requests.post(URL.replace("assign", "remove"), json={"data": [{"id": lid}]})
    return r.status_code in (200, 202)
''')
    done = run_zlint("fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert done.stdout == "Fixed 1 finding in 1 file; 0 left.\n"
    assert app.read_text().count("_wait_for_territory_jobs(r, requests)") == 2


def test_a_version_constant_another_module_reads_for_other_calls_is_not_moved(tmp_path):
    """``ZOHO_API_VERSION`` of settings.py builds the territory URL and the URL of ``GET /org`` in
    client.py: moving it to v8 moved every call of the project (the tester's tests broke)."""
    write_tree(tmp_path, {
        "zlint.toml": 'target-version = "v8"\n',
        "app/__init__.py": "",
        "app/settings.py": 'ZOHO_API_VERSION = "v2.1"\nBASE = "https://www.zohoapis.com/crm"\n',
        "app/client.py": '''
            import requests
            from app import settings
            from app.settings import ZOHO_API_VERSION


            def assign(lead_id, t):
                r = requests.post(f"{settings.BASE}/{settings.ZOHO_API_VERSION}/Leads/{lead_id}/actions/assign_territories",
                                  json={"data": [{"Territories": t}]})
                return r.json()["data"][0]["details"]["job_id"]


            def org():
                return requests.get(f"{settings.BASE}/{ZOHO_API_VERSION}/org").json()
        ''',
    })
    found = json.loads(run_zlint("check", "--output-format", "json", cwd=tmp_path).stdout)["findings"]
    assert [(f["code"], f["fix_safety"]) for f in found] == [("ZL111", None)]
    # read by the territory call alone, it moves
    client = tmp_path / "app/client.py"
    client.write_text(client.read_text().split("\n\ndef org")[0] + "\n")
    found = json.loads(run_zlint("check", "--output-format", "json", cwd=tmp_path).stdout)["findings"]
    assert [(f["code"], f["fix_safety"]) for f in found] == [("ZL111", "unsafe")]
    # a file that names it but reads it in a way not told apart (an alias, *, getattr): not moved
    for other in ("from app.settings import ZOHO_API_VERSION as VER\nORG = f'/crm/{VER}/org'\n",
                  "from app.settings import *\nORG = f'/crm/{ZOHO_API_VERSION}/org'\n",
                  "import app.settings\nORG = getattr(app.settings, 'ZOHO_API_VERSION')\n"):
        (tmp_path / "app/other.py").write_text(other)
        found = json.loads(run_zlint("check", "--output-format", "json", cwd=tmp_path).stdout)["findings"]
        assert [(f["code"], f["fix_safety"]) for f in found] == [("ZL111", None)], other
