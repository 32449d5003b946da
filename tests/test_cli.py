"""The command line as a user meets it: exit codes, errors, rule docs, bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest

from conftest import REPO, run_zlint, write_tree, zlint_command

CALL = '''
import requests
def assign():
    requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={})
'''


def test_clean_tree_exits_0(tmp_path):
    write_tree(tmp_path, {"app.py": "print('hello')\n"})
    result = run_zlint("check", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (
        0, "All checks passed (1 file checked).\nTarget API version: unknown (nothing declares it).\n")


def test_findings_exit_1(tmp_path):
    write_tree(tmp_path, {"app.py": CALL})
    result = run_zlint("check", "--output-format", "concise", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == (
        "app.py:3:5: ZL101 [unhandled-territory-job] the response of assign_territories (v7, Leads) is "
        "discarded: the job it schedules is never awaited\n"
        "Found 1 finding in 1 file (1 file checked).\n"
        "Target API version: v7 (1 of 1 territory calls).\n"
    )


def test_paths_default_to_the_working_directory(tmp_path):
    write_tree(tmp_path, {"pkg/app.py": CALL})
    assert run_zlint("check", cwd=tmp_path).returncode == 1


def test_unparsable_file_is_a_finding_and_the_run_goes_on(tmp_path):
    write_tree(tmp_path, {
        "broken.py": "URL = '/crm/v7/Leads/actions/assign_territories'\ndef f(:\n    pass\n",
        "good.py": CALL,
    })
    result = run_zlint("check", "--output-format", "concise", ".", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("broken.py:2:7: ZL001 [invalid-syntax] syntax error:")
    assert lines[1].startswith("good.py:3:5: ZL101 ")


def test_undecodable_file_is_reported(tmp_path):
    (tmp_path / "latin.py").write_bytes(b"# assign_territories\nname = '\xff\xfe'\n")
    result = run_zlint("check", "--output-format", "json", ".", cwd=tmp_path)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["path"], f["code"]) for f in findings] == [("latin.py", "ZL004")]
    assert result.returncode == 1


def test_unknown_option_exits_2_and_names_it(tmp_path):
    result = run_zlint("check", "--frobnicate", cwd=tmp_path)
    assert result.returncode == 2
    assert "--frobnicate" in result.stderr


def test_bad_choice_exits_2(tmp_path):
    result = run_zlint("check", "--output-format", "xml", cwd=tmp_path)
    assert result.returncode == 2
    assert "'xml' is not one of" in result.stderr


def test_missing_path_exits_2(tmp_path):
    result = run_zlint("check", "nowhere", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "zlint: nowhere: no such file or directory\n")


@pytest.mark.parametrize("command", [["check"], ["check", "--no-cache"], ["fix"]])
def test_a_named_symlink_loop_exits_2_with_its_name(tmp_path, command):
    """Named on the command line (as pre-commit names files): a usage problem like a missing path,
    with a warm cache too (its replay resolves the named paths first)."""
    os.symlink("loop.py", tmp_path / "loop.py")
    (tmp_path / "ok.py").write_text("x = 1\n")
    for _ in range(2):
        result = run_zlint(*command, "ok.py", "loop.py", cwd=tmp_path)
        assert (result.returncode, result.stdout, result.stderr) == (
            2, "", "zlint: loop.py: too many levels of symbolic links\n")


def test_unknown_rule_in_select_exits_2(tmp_path):
    result = run_zlint("check", "--select", "ZL999", ".", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "zlint: --select: unknown rule 'ZL999'\n")


def test_select_and_ignore_on_the_command_line(tmp_path):
    write_tree(tmp_path, {"app.py": '''
        import requests
        def assign():
            r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories")
            return r.status_code == 200
    '''})
    codes = lambda *args: [f["code"] for f in json.loads(
        run_zlint("check", "--output-format", "json", *args, ".", cwd=tmp_path).stdout)["findings"]]
    assert codes() == ["ZL101", "ZL102"]
    assert codes("--select", "status-200-success") == ["ZL102"]
    assert codes("--ignore", "ZL1") == []
    assert codes("--select", "ZL1", "--ignore", "ZL101") == ["ZL102"]


def test_rule_doc_by_code_and_by_name(tmp_path):
    by_code = run_zlint("rule", "ZL106", cwd=tmp_path)
    by_name = run_zlint("rule", "read-after-write", cwd=tmp_path)
    assert by_code.returncode == 0
    assert by_code.stdout == by_name.stdout == (REPO / "rules" / "ZL106.md").read_text(encoding="utf-8")


def test_rule_all_prints_every_doc(tmp_path):
    result = run_zlint("rule", "--all", cwd=tmp_path)
    assert result.returncode == 0
    titles = [line for line in result.stdout.splitlines() if line.startswith("# ZL")]
    assert titles == [
        "# ZL001 invalid-syntax", "# ZL002 unused-suppression", "# ZL003 invalid-suppression",
        "# ZL004 unreadable-file", "# ZL101 unhandled-territory-job", "# ZL102 status-200-success",
        "# ZL103 retry-without-202", "# ZL104 success-code-check", "# ZL105 legacy-message-check",
        "# ZL106 read-after-write", "# ZL107 retry-on-400", "# ZL108 repeated-call-in-loop",
        "# ZL109 sdk-success-response-as-done", "# ZL110 sdk-job-id-from-details", "# ZL111 below-target-version",
        "# ZL201 legacy-recording",
        "# ZL202 recording-contract-mismatch", "# ZL203 unreadable-recording",
    ]


def test_rule_usage_errors_exit_2(tmp_path):
    assert run_zlint("rule", "ZL999", cwd=tmp_path).returncode == 2
    assert run_zlint("rule", cwd=tmp_path).returncode == 2


def test_python_dash_m_runs_the_same_command(tmp_path):
    import subprocess
    import sys

    write_tree(tmp_path, {"app.py": CALL})
    result = subprocess.run([sys.executable, "-m", "zlint", "check", "--output-format", "concise", "."],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1 and "ZL101" in result.stdout


def test_list_calls_exits_0_even_with_unhandled_calls(tmp_path):
    write_tree(tmp_path, {"app.py": CALL})
    result = run_zlint("check", "--list-calls", ".", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == (
        "app.py:3:5: assign_territories (bulk) version=v7 module=Leads client=requests unhandled\n"
        "1 territory call: 1 unhandled, 0 handled, 0 returned to callers.\n"
    )


def test_ctrl_c_during_a_check_exits_130_without_a_traceback(tmp_path):
    call = ('import requests\n\n\ndef assign_{n}(payload):\n'
            '    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)\n'
            '    return r.status_code == 200\n')
    write_tree(tmp_path, {f"m{n}.py": call.format(n=n) for n in range(2000)})  # several seconds of work
    process = subprocess.Popen([*zlint_command(), "check", "--no-cache", "--jobs", "1", "."], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.7)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err.strip()) == (130, "zlint: interrupted")  # after the terminal's ^C line


def _processes_in(folder) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.readlink(f"/proc/{entry}/cwd") == str(folder):
                    found.append(int(entry))
            except OSError:
                pass
    return found


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc to find the workers")
@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_killed_run_leaves_no_worker_behind(tmp_path, command):
    call = ('import requests\n\n\ndef assign_{n}(payload):\n'
            '    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)\n'
            '    return r.status_code == 200\n')
    write_tree(tmp_path, {f"m{n}.py": call.format(n=n) for n in range(600)})
    process = subprocess.Popen([*zlint_command(), command, "--no-cache", "--jobs", "2", "."], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while len(_processes_in(tmp_path)) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # until the workers run
    assert len(_processes_in(tmp_path)) >= 3, "the run did not start its workers"
    process.send_signal(signal.SIGTERM)  # to the parent only, as a CI runner's timeout does
    process.communicate(timeout=30)  # the workers do not keep the output open
    deadline = time.monotonic() + 15
    while _processes_in(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_in(tmp_path) == []


def test_a_retry_policys_status_test_is_reported_once_whichever_rules_are_on(tmp_path):
    # ZL102 saw the predicate only through the view ZL103 or ZL107 made of it, and reported its
    # test a second time; the policy is ZL103's, whatever else is selected
    write_tree(tmp_path, {"app.py": '''
        import requests
        from tenacity import retry, retry_if_result

        @retry(retry=retry_if_result(lambda r: r.status_code != 200))
        def assign(payload):
            return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
    '''})
    for rules, expected in [("ZL102,ZL103", ["app.py:4:2: ZL103"]), ("ZL102,ZL107", []), ("ZL102", [])]:
        found = run_zlint("check", "--output-format", "concise", "--select", rules, ".", cwd=tmp_path).stdout
        assert [line.split(" [")[0] for line in found.splitlines() if " [" in line] == expected, rules
