"""Hostile inputs: each one a tree given to the installed ``zlint check``, which must finish in
bounded time with exit 0, 1 (or 2 where the input is an error), no traceback, and a one-line
message that names the file. tests/HOSTILE_INPUTS.md lists every case (kept in sync below), with
the cases tests/test_recordings.py already covers."""

from __future__ import annotations

import json
import os
import random
import re
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from conftest import run_zlint, write_tree, zlint_command

HERE = Path(__file__).resolve().parent
TABLE = HERE / "HOSTILE_INPUTS.md"

V7 = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"
CALL = f'requests.post("{V7}", json={{}})'
PY = f"import requests\n{CALL}\n"  # one ZL101 finding, on line 2


@dataclass
class Case:
    id: str
    build: Callable[[Path], None]  # makes the tree in the folder zlint runs in
    expect: list[str]  # regexes, each matching a whole line of stdout or stderr
    exit_codes: tuple[int, ...] = (1,)
    args: tuple[str, ...] = (".",)
    forbid: list[str] = field(default_factory=list)  # regexes no line may match
    timeout: int = 60
    marks: tuple = ()


def _files(files: dict[str, bytes | str]) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        for name, data in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.encode() if isinstance(data, str) else data)
    return build


def _vcr_json(interactions: list[dict]) -> str:
    return json.dumps({"interactions": interactions, "version": 1})


def _interaction(url: str, status: int, body: str) -> dict:
    return {"request": {"method": "POST", "uri": url, "body": None, "headers": {}},
            "response": {"status": {"code": status, "message": ""}, "headers": {}, "body": {"string": body}}}


SCHEDULED = json.dumps({"data": [{"code": "SCHEDULED", "details": {"id": "1", "job_id": "9"}, "message": "ok",
                                  "status": "success"}]})


def _symlink_loop(root: Path) -> None:
    _files({"pkg/m.py": PY})(root)
    os.symlink("..", root / "pkg" / "up")  # a folder loop
    os.symlink("self", root / "self")  # a link to itself
    os.symlink("b.py", root / "pkg" / "a.py")  # two file links pointing at each other
    os.symlink("a.py", root / "pkg" / "b.py")


def _symlink_outside(root: Path) -> None:
    outside = root.parent / f"{root.name}-outside"
    _files({"evil.py": PY, "cassette.yaml": "interactions: [" + "[" * 5000 + "]" * 5000 + f"]\nu: {V7}\n"})(outside)
    _files({"app.py": PY})(root)
    os.symlink(outside, root / "linked_dir")
    os.symlink(outside / "evil.py", root / "linked.py")
    os.symlink(outside / "cassette.yaml", root / "cassette.yaml")


def _unreadable(root: Path) -> None:
    _files({"app.py": PY, "secret.py": PY, "cassettes/secret.yaml": f"interactions: []\n# {V7}\n"})(root)
    (root / "secret.py").chmod(0)
    (root / "cassettes" / "secret.yaml").chmod(0)


def _unreadable_folder(root: Path) -> None:
    _files({"app.py": PY, "secret/m.py": PY, "secret/deep/cassette.yaml": f"interactions: []\n# {V7}\n"})(root)
    (root / "secret").chmod(0)


def _fifo(root: Path) -> None:
    _files({"app.py": PY})(root)
    os.mkfifo(root / "pipe.py")
    os.mkfifo(root / "cassette.yaml")


def _undecodable_name(root: Path) -> None:
    folder = os.path.join(os.fsencode(root), b"d\xff")
    os.mkdir(folder)
    with open(os.path.join(folder, b"m\xfe.py"), "wb") as out:
        out.write(PY.encode())


def _deep_json_bodies(root: Path) -> None:
    # near the depth where Python's json gives up, a schema error's message (the value's repr) cannot be made
    files = {"zlint.toml": '[[recordings]]\nglob = "answers/*.json"\noperation = "assign"\nversion = "v7"\n'}
    for depth in (900, 950, 970, 975, 980, 985, 990, 995, 1000):
        files[f"answers/d{depth}.json"] = '{"data": ' + "[" * depth + "]" * depth + "}"
    _files(files)(root)


def _big_cassette(root: Path) -> None:
    one = _interaction(V7, 202, SCHEDULED)
    _files({"cassettes/big.json": _vcr_json([one] * 100_000)})(root)


def _diamond_classes(root: Path) -> None:
    # 12 levels of 5 classes, each inheriting all 5 below it: 5**12 paths to the root class
    lines = ["import requests", "class L0_0: pass"]
    for level in range(1, 13):
        below = ", ".join(f"L{level - 1}_{i}" for i in range(5 if level > 1 else 1))
        lines += [f"class L{level}_{i}({below}): pass" for i in range(5)]
    lines += ["class ZohoImpl(L12_0):", "    def push(self, lead):", f"        return {CALL}.json()",
              "def move(zoho, lead):", "    zoho.push(lead)"]
    _files({"h.py": "\n".join(lines) + "\n"})(root)


def _same_method_in_many_classes(root: Path) -> None:
    files = {}
    for i in range(300):
        files[f"pkg/m{i}.py"] = (f"import requests\nclass ZohoClient{i}:\n    def assign_territory(self, lead):\n"
                                 f"        return {CALL}.json()\n")
        files[f"callers/c{i}.py"] = f"def move{i}(client, lead):\n    client.assign_territory(lead)\n"
    _files(files)(root)


ROOT_ONLY = pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file (see the simulated case)")
NOT_WINDOWS = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file system features")

CASES = [
    Case("python-parentheses-100k", _files({"m.py": "import requests\nx = " + "(" * 100_000 + "1" + ")" * 100_000
                                            + "\n" + CALL + "\n"}),
         [r"m\.py:2:\d+: ZL001 \[invalid-syntax\] syntax error: too many nested parentheses"]),
    Case("python-operator-chain-100k", _files({"m.py": "import requests\nx = " + "+".join(["a"] * 100_000) + "\n"
                                               + CALL + "\n"}),
         [r"m\.py:\d+:\d+: ZL001 \[invalid-syntax\] code nested too deeply to (parse|analyse).*"]),
    Case("python-boolean-chain-10k", _files({"m.py": "import requests\nx = " + " and ".join(["a"] * 10_000) + "\n"
                                             + CALL + "\n"}),
         [r"m\.py:2:\d+: ZL001 \[invalid-syntax\] code nested too deeply to analyse \(over 200 levels\)"]),
    Case("python-subscripts-nested-150", _files({"m.py": "import requests\nx = " + "a[" * 150 + "1" + "]" * 150 + "\n"
                                                 + CALL + "\n"}),
         [r"m\.py:2:\d+: ZL001 \[invalid-syntax\] code nested too deeply to analyse \(over 200 levels\)"]),
    Case("python-nesting-real-code-keeps", _files({"m.py": "import requests\nx = " + "a[" * 40 + "1" + "]" * 40 + "\n"
                                                   + "y = " + "{'k': " * 40 + "1" + "}" * 40 + "\n" + CALL + "\n"}),
         [r"m\.py:4:1: ZL101 \[unhandled-territory-job\] .*"], forbid=[r".*ZL001.*"]),
    Case("python-10mb-line-territory", _files({"m.py": "import requests; x = '" + "a" * 10_000_000 + "'; " + CALL}),
         [r"m\.py:1:\d{8}: ZL101 \[unhandled-territory-job\] .*"]),
    Case("python-10mb-line-plain", _files({"m.py": "x = '" + "a" * 10_000_000 + "'\n"}),
         [r"All checks passed \(1 file checked\)\."], exit_codes=(0,)),
    Case("binary-file-named-py", _files({"m.py": random.Random(4).randbytes(200_000) + b"assign_territories"}),
         [r"m\.py:1:1: ZL004 \[unreadable-file\] file holds NUL bytes; not Python source"]),
    Case("nul-bytes", _files({"m.py": PY.encode() + b"x = '\x00'\n"}),
         [r"m\.py:1:1: ZL004 \[unreadable-file\] file holds NUL bytes; not Python source"]),
    Case("invalid-utf8", _files({"m.py": b"import requests\nx = '\xff\xfe'\n" + CALL.encode() + b"\n"}),
         [r"m\.py:1:1: ZL004 \[unreadable-file\] cannot decode file: .*invalid start byte"]),
    Case("latin1-coding-cookie", _files({"m.py": b"# -*- coding: latin-1 -*-\nimport requests\n# caf\xe9\nr = "
                                         + CALL.encode() + b"\nif r.status_code == 200:\n    pass\n"}),
         [r"m\.py:5:4: ZL102 \[status-200-success\] .*"]),
    Case("huge-fstring", _files({"m.py": "import requests\nx = f'" + "{a}" * 10_000 + "b" * 1_000_000 + "'\n"
                                 + CALL + "\n"}),
         [r"m\.py:3:1: ZL101 \[unhandled-territory-job\] .*"]),
    Case("url-builders-each-calling-the-next-twice", _files({"m.py": "import requests\n" + "".join(
        f"def f{i}(x):\n    return f{i + 1}(x) + f{i + 1}(x)\n" for i in range(30))
        + "def f30(x):\n    return 'https://www.zohoapis.com/crm/v7' + x\n"
        + "def f_near(x):\n    return f28(x)\n"
        + "requests.post(f0('/Leads/actions/assign_territories'))\n"
        + "requests.post(f_near('/Deals/actions/assign_territories'))\n"}),
         [r"m\.py:67:1: ZL101 \[unhandled-territory-job\] .*Deals.*"], timeout=30),
    Case("url-appended-to-in-40-ifs", _files({"m.py": "import requests\n\ndef go(flags):\n"
                                              "    url = 'https://www.zohoapis.com/crm/v7/Leads/actions/'\n"
                                              + "".join(f"    if flags[{i}]:\n        url = url + ''\n"
                                                        for i in range(40))
                                              + "    url = url + 'assign_territories'\n"
                                              "    requests.post(url, json={})\n"}),
         [r"m\.py:86:5: ZL101 \[unhandled-territory-job\] .*assign_territories \(v7, Leads\).*"], timeout=30),
    Case("class-hierarchy-with-diamonds", _diamond_classes, [r"h\.py:67:5: ZL101 \[unhandled-territory-job\] .*"],
         timeout=30),
    Case("one-method-in-300-classes", _same_method_in_many_classes,
         [r"All checks passed \(600 files checked\)\."], exit_codes=(0,), timeout=60),
    Case("json-document-nested-100k", _files({"cassette.json": '{"interactions": ' + "[" * 100_000 + "]" * 100_000
                                              + f', "u": "{V7}"}}'}),
         [r"cassette\.json:1:1: ZL203 \[unreadable-recording\] cannot read recording: JSON nested too deeply to read"]),
    Case("json-bodies-nested-near-the-limit", _deep_json_bodies,
         [rf"answers/d{depth}\.json:\d+:\d+: ZL20[23] .*" for depth in (900, 950, 970, 975, 980, 985, 990, 995, 1000)]),
    Case("yaml-nested-100k", _files({"cassette.yaml": "interactions: " + "[" * 100_000 + "]" * 100_000 + f"\nu: {V7}\n"}),
         [r"cassette\.yaml:1:\d+: ZL203 \[unreadable-recording\] cannot read recording: YAML nested more than 1000 "
          r"levels deep; not read"]),
    Case("nul-byte-in-a-yaml-cassette", _files({"cassettes/nul.yaml": (
        f"interactions:\n- request: {{method: POST, uri: '{V7}'}}\n"
        "  response: {status: {code: 202}, body: {string: \"\x00\"}}\n")}),
         [r"cassettes/nul\.yaml:3:51: ZL203 \[unreadable-recording\] cannot read recording: invalid YAML: character "
          r"#x0000 not allowed: control characters are not allowed"]),
    Case("huge-value-in-a-message", _files({
        "zlint.toml": '[[recordings]]\nglob = "answer.json"\noperation = "assign"\nversion = "v7"\nstatus = 202\n',
        "answer.json": json.dumps({"data": "x" * 5_000_000})}),
         [r"answer\.json:1:\d+: ZL202 \[recording-contract-mismatch\] .*body \$\.data: 'x{100,200} \.\.\. x+' is not "
          r"of type 'array'"]),
    Case("cassette-100k-interactions", _big_cassette, [r"All checks passed \(1 file checked\)\."], exit_codes=(0,)),
    Case("symlink-loop", _symlink_loop, [r"pkg/m\.py:2:1: ZL101 .*", r"Found 1 finding in 1 file \(1 file checked\)\."],
         marks=(NOT_WINDOWS,)),
    Case("symlink-outside-the-root", _symlink_outside, [r"app\.py:2:1: ZL101 .*", r"Found 1 finding in 1 file .*"],
         forbid=[r".*(evil|linked|cassette).*"], marks=(NOT_WINDOWS,)),
    Case("unreadable-file", _unreadable, [r"secret\.py:1:1: ZL004 \[unreadable-file\] cannot read file: Permission "
                                          r"denied", r"cassettes/secret\.yaml:1:1: ZL203 \[unreadable-recording\] "
                                          r"cannot read file: Permission denied", r"app\.py:2:1: ZL101 .*"],
         marks=(ROOT_ONLY, NOT_WINDOWS)),
    Case("unreadable-folder", _unreadable_folder, [r"secret/:1:1: ZL004 \[unreadable-file\] cannot list folder: "
                                                   r"Permission denied", r"app\.py:2:1: ZL101 .*"],
         forbid=[r"secret/(m\.py|deep).*"], marks=(ROOT_ONLY, NOT_WINDOWS)),
    Case("fifo-named-py", _fifo, [r"app\.py:2:1: ZL101 .*", r"Found 1 finding in 1 file \(1 file checked\)\."],
         forbid=[r".*(pipe|cassette).*"], timeout=30, marks=(NOT_WINDOWS,)),
    Case("empty-files", _files({"empty.py": b"", "cassettes/empty.yaml": b"", "empty.json": b"", "e.har": b""}),
         [r"All checks passed \(\d+ files? checked\)\."], exit_codes=(0,)),
    Case("directory-named-x-py", _files({"x.py/inner.py": PY, "y.json/z.yaml": "a: 1\n"}),
         [r"x\.py/inner\.py:2:1: ZL101 .*", r"Found 1 finding in 1 file .*"]),
    Case("directory-named-x-py-given", _files({"x.py/inner.py": PY}), [r"x\.py/inner\.py:2:1: ZL101 .*"],
         args=("x.py",)),
    Case("undecodable-file-name", _undecodable_name, [r"d.*/m.*\.py:2:1: ZL101 .*"], marks=(NOT_WINDOWS,)),
]


def _run(case: Case, root: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run([*zlint_command(), "check", "--output-format", "concise", *case.args], cwd=root,
                          capture_output=True, env=env, timeout=case.timeout)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=c.marks) for c in CASES])
def test_hostile_input(tmp_path, case):
    root = tmp_path / "tree"
    root.mkdir()
    case.build(root)
    try:
        result = _run(case, root)
    finally:
        for path in tmp_path.rglob("*"):  # let pytest clean up what the case locked
            if not path.is_symlink() and (path.is_dir() or path.is_file()) and not os.access(path, os.R_OK):
                path.chmod(stat.S_IRWXU)
    stdout = result.stdout.decode("utf-8", "replace")
    stderr = result.stderr.decode("utf-8", "replace")
    shown = f"exit {result.returncode}\n--- stdout\n{stdout[:3000]}\n--- stderr\n{stderr[:3000]}"
    assert result.returncode in case.exit_codes, shown
    assert "Traceback" not in stdout + stderr, shown
    lines = (stdout + stderr).splitlines()
    assert all(len(line) < 1000 for line in lines), shown  # one readable line each, whatever the input held
    assert all(line.startswith("zlint: ") for line in stderr.splitlines()), shown
    for pattern in case.expect:
        assert any(re.fullmatch(pattern, line) for line in lines), f"no line matches {pattern!r}\n{shown}"
    for pattern in case.forbid:
        assert not any(re.fullmatch(pattern, line) for line in lines), f"a line matches {pattern!r}\n{shown}"


def test_unreadable_file_simulated(tmp_path, monkeypatch):
    """The unreadable case for a root user (who reads a chmod 000 file): reading the files fails
    with EACCES inside zlint, in-process."""
    import builtins
    import errno
    import pathlib

    from click.testing import CliRunner

    from zlint.cli import main

    _files({"app.py": PY, "secret.py": PY, "cassettes/secret.yaml": f"interactions: []\n# {V7}\n"})(tmp_path)
    locked = {str(tmp_path / "secret.py"), str(tmp_path / "cassettes" / "secret.yaml")}
    real_open, real_read_bytes = builtins.open, pathlib.Path.read_bytes

    def refuse(path) -> None:
        if os.fspath(path) in locked or str(Path(os.fspath(path)).resolve()) in locked:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))

    def fake_open(file, *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)):
            refuse(os.fsdecode(file))
        return real_open(file, *args, **kwargs)

    def fake_read_bytes(self):
        refuse(self)
        return real_read_bytes(self)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(pathlib.Path, "read_bytes", fake_read_bytes)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--output-format", "concise", "."])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 1, result.output
    assert "secret.py:1:1: ZL004 [unreadable-file] cannot read file: Permission denied" in result.stdout
    assert "cassettes/secret.yaml:1:1: ZL203 [unreadable-recording] cannot read file: Permission denied" in result.stdout
    assert "app.py:2:1: ZL101" in result.stdout


UNREADABLE_FOLDER_OUTPUT = (
    "app.py:2:1: ZL101 [unhandled-territory-job] the response of assign_territories (v7, Leads) is discarded: the job "
    "it schedules is never awaited\n"
    "pkg/secret/:1:1: ZL004 [unreadable-file] cannot list folder: Permission denied\n"
    "Found 2 findings in 2 files (3 files checked).\n"
    "Target API version: v7 (1 of 1 territory calls).\n"
)


def _tree_with_a_locked_folder(root: Path):
    """A tree whose pkg/secret holds a territory call and a recording, and an ``os.scandir`` that
    refuses to list that folder (EACCES), to patch in: a folder root could list too."""
    import errno

    _files({"app.py": PY, "pkg/ok.py": "x = 1\n", "pkg/secret/m.py": PY, "pkg/secret/deep/cassette.yaml":
            f"interactions: []\n# {V7}\n"})(root)
    locked = str(root / "pkg" / "secret")
    real_scandir = os.scandir

    def refuse(path="."):
        if os.path.abspath(os.fspath(path)) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path)

    return refuse


def test_unreadable_folder_simulated(tmp_path, monkeypatch):
    """A folder that cannot be listed (os.scandir fails with EACCES inside zlint: runs as root too)
    is reported as ZL004 and the rest is checked; a second run, whose other folders the cache
    answers for, says the same; and once it can be listed, its files are checked (no run
    remembered it as empty)."""
    import time

    from click.testing import CliRunner

    from zlint.cli import main

    refuse = _tree_with_a_locked_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ZLINT_DEBUG_CACHE", "1")  # a replayed result would say so on stderr
    CliRunner().invoke(main, ["check", "."])  # makes .zlint_cache, which changes the folder
    time.sleep(2.1)  # every folder settled: from here an unchanged stat lets the cache answer
    with monkeypatch.context() as patched:
        patched.setattr(os, "scandir", refuse)
        runs = [CliRunner().invoke(main, ["check", "--output-format", "concise", "."]) for _ in range(2)]
        for result in runs:
            assert result.exception is None or isinstance(result.exception, SystemExit), result.output
            assert (result.exit_code, result.stdout, result.stderr) == (1, UNREADABLE_FOLDER_OUTPUT, "")
        fixed = CliRunner().invoke(main, ["fix", "."])
        assert (fixed.exit_code, fixed.stdout, fixed.stderr) == (
            0, "Fixed 0 findings in 0 files; 2 left (1 fixable with --unsafe-fixes).\n", "")
    readable = CliRunner().invoke(main, ["check", "--output-format", "concise", "."])
    assert readable.exit_code == 1, readable.output
    assert "ZL004" not in readable.stdout
    assert "pkg/secret/m.py:2:1: ZL101" in readable.stdout
    assert "Found 2 findings in 2 files (4 files checked).\n" in readable.stdout


def test_a_cache_shared_by_two_users_gives_each_what_they_can_read(tmp_path, monkeypatch):
    """What a walk listed and a run read depend on who runs it: another user of the same cache
    (a shared checkout) who cannot list a folder is told so, not given the first user's result."""
    import time

    from click.testing import CliRunner

    from zlint.cli import main

    refuse = _tree_with_a_locked_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ZLINT_DEBUG_CACHE", "1")  # a replayed result says so on stderr
    monkeypatch.setattr(os, "getuid", lambda: 1000)
    CliRunner().invoke(main, ["check", "."])  # makes .zlint_cache, which changes the folder
    time.sleep(2.1)  # every folder settled: from here an unchanged stat lets the cache answer
    first = [CliRunner().invoke(main, ["check", "--output-format", "concise", "."]) for _ in range(2)]
    assert "the last run's result" in first[1].stderr
    monkeypatch.setattr(os, "getuid", lambda: 1001)
    monkeypatch.setattr(os, "scandir", refuse)
    other = CliRunner().invoke(main, ["check", "--output-format", "concise", "."])
    assert (other.exit_code, other.stdout, other.stderr) == (1, UNREADABLE_FOLDER_OUTPUT, "")


UNREADABLE_IGNORE_OUTPUT = (
    "app.py:2:1: ZL101 [unhandled-territory-job] the response of assign_territories (v7, Leads) is discarded: the job "
    "it schedules is never awaited\n"
    "vendor/.gitignore:1:1: ZL004 [unreadable-file] cannot read .gitignore: Permission denied (its patterns were not "
    "applied)\n"
    "vendor/lib.py:2:1: ZL101 [unhandled-territory-job] the response of assign_territories (v7, Leads) is discarded: "
    "the job it schedules is never awaited\n"
    "Found 3 findings in 3 files (3 files checked).\n"
    "Target API version: v7 (2 of 2 territory calls).\n"
)


def test_an_unreadable_gitignore_is_reported_and_its_patterns_not_applied(tmp_path, monkeypatch):
    """A .gitignore that cannot be read (simulated: opening it fails with EACCES inside zlint, as
    root reads anything) is reported as ZL004 and the files it would ignore are checked; a second
    run with a warm cache says the same; once it can be read, its patterns apply again."""
    import builtins
    import errno
    import io
    import time

    from click.testing import CliRunner

    from zlint.cli import main

    _files({"app.py": PY, "vendor/.gitignore": "*.py\n", "vendor/lib.py": PY})(tmp_path)
    locked = str(tmp_path / "vendor" / ".gitignore")
    real_open = builtins.open

    def refuse(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and os.path.abspath(os.fspath(file)) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.chdir(tmp_path)
    CliRunner().invoke(main, ["check", "."])  # makes .zlint_cache, which changes the folder
    time.sleep(2.1)  # every folder settled: from here an unchanged stat lets the cache answer
    with monkeypatch.context() as patched:
        patched.setattr(builtins, "open", refuse)
        patched.setattr(io, "open", refuse)  # pathlib's read_text
        for _ in range(2):
            result = CliRunner().invoke(main, ["check", "--output-format", "concise", "."])
            assert result.exception is None or isinstance(result.exception, SystemExit), result.output
            assert (result.exit_code, result.stdout, result.stderr) == (1, UNREADABLE_IGNORE_OUTPUT, "")
    readable = CliRunner().invoke(main, ["check", "--output-format", "concise", "."])
    assert "ZL004" not in readable.stdout and "vendor/lib.py" not in readable.stdout
    assert "Found 1 finding in 1 file (1 file checked).\n" in readable.stdout


def test_an_unreadable_folder_fails_the_run_as_an_unreadable_file_does(tmp_path, monkeypatch):
    """Alone in a clean tree, each is one ZL004 warning, and both runs exit 1 (fail-on: info)."""
    import builtins
    import errno

    from click.testing import CliRunner

    from zlint.cli import main

    _files({"clean.py": "x = 1\n", "secret/m.py": PY, "secret.py": PY})(tmp_path)
    real_scandir, real_open, real_read_bytes = os.scandir, builtins.open, Path.read_bytes
    monkeypatch.chdir(tmp_path)

    def refuse_folder(path="."):
        if os.path.abspath(os.fspath(path)) == str(tmp_path / "secret"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path)

    def refuse(file) -> None:
        if isinstance(file, (str, os.PathLike)) and os.path.abspath(os.fspath(file)) == str(tmp_path / "secret.py"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(file))

    def refuse_file(file, *args, **kwargs):
        refuse(file)
        return real_open(file, *args, **kwargs)

    def refuse_bytes(self):
        refuse(self)
        return real_read_bytes(self)

    with monkeypatch.context() as patched:
        patched.setattr(os, "scandir", refuse_folder)
        folder = CliRunner().invoke(main, ["check", "--no-cache", "--output-format", "concise", "clean.py", "secret"])
    with monkeypatch.context() as patched:
        patched.setattr(builtins, "open", refuse_file)
        patched.setattr(Path, "read_bytes", refuse_bytes)
        file = CliRunner().invoke(main, ["check", "--no-cache", "--output-format", "concise", "clean.py", "secret.py"])
    assert (folder.exit_code, folder.stdout) == (1, "secret/:1:1: ZL004 [unreadable-file] cannot list folder: "
                                                    "Permission denied\nFound 1 finding in 1 file (2 files checked).\n"
                                                    "Target API version: unknown (nothing declares it).\n")
    assert (file.exit_code, file.stdout) == (1, "secret.py:1:1: ZL004 [unreadable-file] cannot read file: "
                                                "Permission denied\nFound 1 finding in 1 file (2 files checked).\n"
                                                "Target API version: unknown (nothing declares it).\n")


def test_a_folder_listable_again_by_the_check_is_still_reported(tmp_path):
    """A folder discovery could not list but the check can (its mode changed in between): its files
    were not seen, and the run says so."""
    from zlint.config import Config
    from zlint.discovery import Discovered
    from zlint.engine import run_check

    (tmp_path / "late").mkdir()
    found = run_check([Discovered(tmp_path / "late", "late/", tmp_path, folder=True)], Config(root=tmp_path)).findings
    assert [(f.path, f.line, f.column, f.code, f.name, f.message) for f in found] == [
        ("late/", 1, 1, "ZL004", "unreadable-file", "cannot list folder: it could not be listed when the files were "
                                                     "gathered")]


# -- the table ----------------------------------------------------------------------------------------------


def _table_rows() -> dict[str, str]:
    """Case id -> the table's "test" column, from the rows of tests/HOSTILE_INPUTS.md."""
    rows = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`([a-z0-9-]+)`", cells[0]) if len(cells) >= 4 else None
        if match:
            rows[match.group(1)] = cells[-1]
    return rows


def test_the_table_lists_every_case():
    rows = _table_rows()
    here = {case.id for case in CASES} | {"unreadable-file-simulated", "unreadable-folder-simulated",
                                          "unreadable-gitignore-simulated"}
    assert here <= set(rows), f"cases missing from {TABLE.name}: {sorted(here - set(rows))}"
    for case_id, where in rows.items():
        if case_id in here:
            assert "test_hostile_inputs.py" in where, (case_id, where)
            continue
        # a case covered elsewhere: the test it names exists
        found = re.fullmatch(r"`(tests/[\w/]+\.py)::(\w+)`", where)
        assert found, f"{case_id}: the test column should name tests/FILE.py::TEST, not {where!r}"
        source = (HERE.parent / found.group(1)).read_text(encoding="utf-8")
        assert f"def {found.group(2)}(" in source, f"{case_id}: {where} does not exist"


def test_lists_that_hold_each_other_are_no_endless_question(tmp_path):
    # whether a list handed back holds an answer asks what was put in it: a.append(b), b.append(a)
    write_tree(tmp_path, {"app.py": '''
        import requests
        def weird(ids):
            a, b = [], []
            for lead_id in ids:
                r = requests.post(f"https://www.zohoapis.com/crm/v7/Leads/{lead_id}/actions/assign_territories")
                a.append(b)
                b.append(a)
                a.append(a)
            return a
    '''})
    result = run_zlint("check", "--output-format", "concise", "--select", "ZL101", ".", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.startswith("app.py:5:13: ZL101 ")
