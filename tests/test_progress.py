"""The progress bar: on a terminal's stderr while many files are checked, never in piped output."""

from __future__ import annotations

import os
import pty
import subprocess

from conftest import run_zlint, write_tree, zlint_command

CALL = '''import requests


def assign_{n}(payload):
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
    if r.status_code != 200:
        raise RuntimeError(r.text)
'''


def _tree(tmp_path, count=30):
    return write_tree(tmp_path, {f"app_{n}.py": CALL.format(n=n) for n in range(count)})


def _with_terminal_stderr(args, cwd) -> tuple[str, str]:
    """Run zlint with stderr on a pseudo-terminal (as a person at a terminal sees it), stdout piped."""
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    process = subprocess.Popen([*zlint_command(), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=follower,
                               env={**env, "COLUMNS": "100", "TERM": "xterm"})
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    stdout = process.communicate(timeout=120)[0]
    os.close(leader)
    return stdout.decode(), seen.decode("utf-8", "replace")


def test_a_terminal_sees_a_progress_bar_on_stderr_and_stdout_stays_the_same(tmp_path):
    _tree(tmp_path)
    stdout, stderr = _with_terminal_stderr(["check", "--no-cache", "."], tmp_path)
    assert "Checking" in stderr and "30/30" in stderr
    piped = run_zlint("check", "--no-cache", ".", cwd=tmp_path)
    assert stdout == piped.stdout and piped.stderr == ""
    fixed_stdout, fixed_stderr = _with_terminal_stderr(["fix", "."], tmp_path)
    assert "Checking" in fixed_stderr and fixed_stdout.startswith("Fixed 30 findings in 30 files")


def test_few_files_get_no_bar(tmp_path):
    _tree(tmp_path, count=3)
    _, stderr = _with_terminal_stderr(["check", "--no-cache", "."], tmp_path)
    assert "Checking" not in stderr
