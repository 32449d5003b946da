"""``zlint fix`` is safe to interrupt and keeps the bytes it does not edit.

The fault-injection test builds a tree of a few hundred modules with fixable findings, starts the
installed ``zlint fix`` and stops it at random moments (SIGINT as a terminal sends it, to the
process group; SIGTERM; SIGKILL), often while it writes. Afterwards every file is byte for byte
either as it was or as an uninterrupted run fixes it, parses, and is not empty, and no temporary
file is left anywhere in the tree; SIGINT and SIGTERM stop with a non-zero exit, no traceback and
the list of the files already written. SIGKILL cannot be caught: it can leave one temporary file
(``.NAME.XXXXXXXX.zlint-tmp``), in ``.zlint_cache/tmp/`` where zlint writes them, never beside the
user's file and never the file itself half written; the next ``zlint fix`` removes it and finishes
the job, which the test checks too. Where that folder cannot be used (another file system, not
writable) the temporary file goes beside the file, as before: tested in-process below.
"""

from __future__ import annotations

import ast
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_zlint, zlint_command
from hypothesis_profiles import LONG
from zlint.writes import _WORKERS

MODULE = '''import requests


def assign_{i}(record_id):
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json={{}})
    if r.status_code == 200:
        return r.json()
    raise RuntimeError(r.text)
'''
PLAIN = "def helper_{i}(x):\n    return x + {i}\n"
FIXED_TEST = b"if r.status_code in (200, 202):"
MODULES, PLAIN_MODULES = 200, 20
ROUNDS = 30 if LONG else 4
TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.zlint-tmp")
CACHE = ".zlint_cache"
WRITERS = _WORKERS  # the files zlint writes at once, each with its temporary file


def _write_tree(root: Path) -> None:
    for i in range(MODULES):
        folder = root / f"pkg{i % 8}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"m{i:03d}.py").write_text(MODULE.format(i=i), encoding="utf-8")
    for i in range(PLAIN_MODULES):
        (root / "util").mkdir(exist_ok=True)
        (root / "util" / f"u{i:02d}.py").write_text(PLAIN.format(i=i), encoding="utf-8")


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the tree but zlint's cache folder (which a run makes and fills)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.relative_to(root).parts[0] != CACHE}


def _scratch_files(root: Path) -> list[str]:
    """The temporary files in zlint's scratch folder, ``.zlint_cache/tmp/``."""
    scratch = root / CACHE / "tmp"
    return sorted(p.name for p in scratch.iterdir()) if scratch.is_dir() else []


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The tree as written, as one uninterrupted ``zlint fix`` leaves it, and when that run writes."""
    root = tmp_path_factory.mktemp("reference")
    _write_tree(root)
    original = _snapshot(root)
    started = time.monotonic()
    done = run_zlint("fix", ".", cwd=root)
    took = time.monotonic() - started
    assert (done.returncode, done.stdout) == (0, f"Fixed {MODULES} findings in {MODULES} files; 0 left.\n"), done.stderr
    fixed = _snapshot(root)
    assert sum(fixed[name] != original[name] for name in original) == MODULES
    assert all(FIXED_TEST in fixed[name] for name in original if name.startswith("pkg"))
    first = min(name for name in original if fixed[name] != original[name])  # zlint writes in path order
    written = [(root / name).stat().st_mtime_ns for name in original if fixed[name] != original[name]]
    window = max((max(written) - min(written)) / 1e9, 0.01)  # how long writing the files took
    return original, fixed, first, took, window


def _wait_for_first_write(process: subprocess.Popen, path: Path, before: int, limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if os.stat(path).st_ino != before:  # replaced by rename
                return
        except FileNotFoundError:
            pass
        time.sleep(0.0005)


def _interrupt(root: Path, how: signal.Signals, moment: str, rng: random.Random, reference):
    """Run ``zlint fix`` in ``root`` and send ``how``: during the writes, after its first one
    ("writing"), or at any moment of a run ("anytime"). Returns the process, its output and whether
    the signal was sent before it ended."""
    _, _, first, took, window = reference
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    inode = os.stat(root / first).st_ino
    process = subprocess.Popen([*zlint_command(), "fix", "."], cwd=root, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        if moment == "writing":
            _wait_for_first_write(process, root / first, inode, limit=took * 4 + 30)
            time.sleep(rng.uniform(0, window * 0.6))
        else:
            time.sleep(rng.uniform(0, took))
        sent = process.poll() is None
        if sent:
            if how == signal.SIGINT:
                os.killpg(process.pid, how)  # what Ctrl-C in a terminal does
            else:
                process.send_signal(how)
        out, err = process.communicate(timeout=took * 4 + 60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return process, out, err, sent


def _check_tree(root: Path, original: dict[str, bytes], fixed: dict[str, bytes]) -> tuple[set[str], list[str]]:
    """Every file as it was or as fixed, parseable, not empty, no temporary file among them;
    returns the changed ones and the temporary files left in the scratch folder."""
    now = _snapshot(root)
    assert not [name for name in now if name.endswith(".zlint-tmp")], "a temporary file was left in the tree"
    assert sorted(now) == sorted(original), "files appeared or went missing"
    temporaries = _scratch_files(root)
    assert all(TEMPORARY.fullmatch(name) for name in temporaries), temporaries
    changed = set()
    for name, data in original.items():
        assert now[name] in (data, fixed[name]), f"{name} is neither the original nor the fixed file"
        assert now[name], f"{name} is empty"
        ast.parse(now[name], name)
        if now[name] != data:
            changed.add(name)
    return changed, temporaries


def _plan():
    rng = random.Random(int(os.environ.get("ZLINT_FAULT_SEED", "20251123")))
    if not LONG:
        moves = [(signal.SIGINT, "writing"), (signal.SIGTERM, "writing"), (signal.SIGKILL, "writing"),
                 (rng.choice([signal.SIGINT, signal.SIGTERM, signal.SIGKILL]), "anytime")]
    else:
        moves = [(rng.choice([signal.SIGINT, signal.SIGTERM, signal.SIGKILL]), rng.choice(["writing", "anytime"]))
                 for _ in range(ROUNDS)]
    return rng, moves


def test_fix_interrupted_at_random_moments(tmp_path, reference):
    original, fixed = reference[:2]
    rng, moves = _plan()
    stopped_while_writing = 0
    number = 0
    while number < len(moves):
        how, moment = moves[number]
        root = tmp_path / f"round{number}"
        root.mkdir()
        _write_tree(root)
        process, out, err, sent = _interrupt(root, how, moment, rng, reference)
        where = f"round {number}: {how.name} {moment}; exit {process.returncode}\nstdout: {out}\nstderr: {err}"
        changed, temporaries = _check_tree(root, original, fixed)
        everything = {name for name in original if fixed[name] != original[name]}
        assert "Traceback" not in out + err, where
        if not sent:  # it finished first
            assert process.returncode == 0 and changed == everything and not temporaries, where
        elif how == signal.SIGKILL:
            assert process.returncode == -signal.SIGKILL, where
            assert len(temporaries) <= WRITERS, where  # the files being written when it was killed
        else:
            assert process.returncode != 0, where
            assert not temporaries, where
            stopped = re.search(r"^zlint: stopped by (\w+): (\d+) of (\d+) fixed files written", err, re.MULTILINE)
            if stopped:  # stopped between two files: the ones written are listed
                assert process.returncode == 128 + how, where
                assert stopped.group(1) == how.name and int(stopped.group(2)) == len(changed), where
                assert stopped.group(3) == str(len(everything)), where
                assert set(re.findall(r"^zlint: wrote (.+)$", err, re.MULTILINE)) == changed, where
                stopped_while_writing += 0 < len(changed) < len(everything)
            elif changed == everything and err:  # stopped while re-checking: every file written, all listed
                after = re.search(r"^zlint: stopped by (\w+) after (\d+) fixed files were written(, before checking "
                                  r"what they left \(run zlint fix again to apply the fixes they made possible\))?:$",
                                  err, re.MULTILINE)
                assert after and after.group(1) == how.name and int(after.group(2)) == len(everything), where
                assert process.returncode == 128 + how, where
                assert set(re.findall(r"^zlint: wrote (.+)$", err, re.MULTILINE)) == changed, where
            else:  # stopped before the first write (or at the very end): all or nothing, said briefly
                assert changed in (set(), everything), where
                assert err.strip() in ("", "zlint: interrupted"), where  # SIGTERM: silent; Ctrl-C: said
        if LONG or temporaries or how == signal.SIGKILL:  # the next run finishes the job and tidies up
            again = run_zlint("fix", ".", cwd=root)
            assert again.returncode == 0, again.stderr
            assert _snapshot(root) == fixed, f"{where}\nthe next run did not finish the job"
            assert _scratch_files(root) == [], f"{where}\nthe next run left a temporary file"
        number += 1
        if number == len(moves) and not stopped_while_writing and len(moves) < ROUNDS + 3:
            moves.append((signal.SIGINT, "writing"))  # the writes were quicker than the aim: once more
    assert stopped_while_writing >= 1, "no SIGINT/SIGTERM landed between two writes: the test lost its aim"


def test_write_all_holds_signals_until_the_file_is_replaced(tmp_path):
    """In-process: a SIGINT that arrives while a file is written lets that file be finished, then stops."""
    from zlint import writes

    files = []
    for i in range(5):
        (tmp_path / f"f{i}.py").write_bytes(b"x = 1\n")
        files.append((f"f{i}.py", tmp_path / f"f{i}.py", b"x = 2\n"))
    real_write = writes._Run.write
    calls = []

    def write_and_interrupt(run, path, data):
        calls.append(path.name)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGINT)  # arrives during the second file
        real_write(run, path, data)

    previous, workers = signal.getsignal(signal.SIGINT), writes._WORKERS
    try:
        writes._Run.write = write_and_interrupt
        writes._WORKERS = 1  # one file at a time: the one being written, and no other, is finished
        with pytest.raises(writes.Interrupted) as stop:
            writes.write_all(files)
    finally:
        writes._Run.write = real_write
        writes._WORKERS = workers
    assert signal.getsignal(signal.SIGINT) is previous  # the handler is given back
    assert (stop.value.signum, stop.value.written, stop.value.total) == (signal.SIGINT, ["f0.py", "f1.py"], 5)
    assert [(tmp_path / f"f{i}.py").read_bytes() for i in range(5)] == [b"x = 2\n"] * 2 + [b"x = 1\n"] * 3
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"f{i}.py" for i in range(5)]


def test_a_temporary_file_left_by_a_killed_run_is_removed_by_the_next(tmp_path):
    """In the scratch folder every old ``*.zlint-tmp`` goes (nothing else); beside a file, the
    one of that file (an older zlint, or a run that could not use the scratch folder, left it)."""
    (tmp_path / "app.py").write_text(MODULE.format(i=0))
    (tmp_path / ".app.py.k3j9x_2a.zlint-tmp").write_text("half a fi")  # as SIGKILL leaves it
    (tmp_path / ".notes.txt.k3j9x_2a.zlint-tmp").write_text("not ours to remove")
    scratch = tmp_path / CACHE / "tmp"
    scratch.mkdir(parents=True)
    (scratch / ".m001.py.a8_x0k2q.zlint-tmp").write_text("half a fi")  # as SIGKILL leaves it
    (scratch / ".app.py.z9y8x7w6.zlint-tmp").write_text("half a fi")
    (scratch / "notes.txt").write_text("not a temporary file")
    result = run_zlint("fix", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "Fixed 1 finding in 1 file; 0 left.\n", "")
    assert FIXED_TEST in (tmp_path / "app.py").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.txt.k3j9x_2a.zlint-tmp", CACHE, "app.py"]
    assert sorted(p.name for p in scratch.iterdir()) == ["notes.txt"]
    assert {".gitignore", "CACHEDIR.TAG", "tmp"} <= {p.name for p in (tmp_path / CACHE).iterdir()}


def test_a_run_with_nothing_to_write_still_removes_what_a_killed_run_left(tmp_path):
    """Killed while writing its last file: the next run has nothing to fix, and tidies up all the same."""
    (tmp_path / "app.py").write_text(PLAIN.format(i=0))
    scratch = tmp_path / CACHE / "tmp"
    scratch.mkdir(parents=True)
    (scratch / ".app.py.a8_x0k2q.zlint-tmp").write_text("half a fi")
    result = run_zlint("fix", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "Fixed 0 findings in 0 files; 0 left.\n", "")
    assert list(scratch.iterdir()) == []


def test_a_temporary_file_another_run_is_writing_is_left_alone(tmp_path):
    """Another ``zlint fix`` writing at the same moment holds its temporary file locked: a run that
    starts meanwhile removes only the unlocked ones, even when they are older than its start."""
    fcntl = pytest.importorskip("fcntl")
    from zlint import writes

    scratch = tmp_path / CACHE / "tmp"
    scratch.mkdir(parents=True)
    live, dead = scratch / ".a.py.livelive.zlint-tmp", scratch / ".b.py.deaddead.zlint-tmp"
    live.write_text("being written")
    dead.write_text("half a fi")
    for old in (live, dead):
        os.utime(old, (time.time() - 3600, time.time() - 3600))
    (tmp_path / "c.py").write_bytes(b"x = 1\n")
    with open(live, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert writes.write_all([("c.py", tmp_path / "c.py", b"x = 2\n")], scratch=scratch) == []
        assert sorted(p.name for p in scratch.iterdir()) == [live.name]
    assert (tmp_path / "c.py").read_bytes() == b"x = 2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [CACHE, "c.py"]


def test_a_file_that_cannot_be_written_is_said_and_the_others_are_fixed(tmp_path, monkeypatch):
    """A read-only folder (simulated in-process: root writes anywhere): that file is reported, the
    others are written, the run exits 2."""
    from click.testing import CliRunner

    from zlint.cli import main

    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "app.py").write_text(MODULE.format(i=0))
    _folder_a_refuses_writes(monkeypatch)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["fix", "."])
    assert result.exit_code == 2, result.output
    assert result.stderr == "zlint: a/app.py: fixes not applied: cannot write: Permission denied\n"
    assert result.stdout.startswith("Fixed 1 finding in 1 file;")
    assert FIXED_TEST in (tmp_path / "b" / "app.py").read_bytes()
    assert FIXED_TEST not in (tmp_path / "a" / "app.py").read_bytes()


def _fix_in_process(root: Path, monkeypatch, *options: str) -> tuple[object, list[Path]]:
    """``zlint fix .`` in ``root``, in-process; also returns the folder each temporary file was made in."""
    import tempfile

    from click.testing import CliRunner

    from zlint.cli import main

    made_in: list[Path] = []
    real_mkstemp = tempfile.mkstemp

    def spy(*args, **kwargs):
        if kwargs.get("suffix") == ".zlint-tmp":
            made_in.append(Path(kwargs["dir"]))
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    monkeypatch.chdir(root)
    return CliRunner().invoke(main, ["fix", *options, "."]), made_in


def _fixable_tree(root: Path) -> Path:
    (root / "pkg").mkdir()
    (root / "pkg" / "app.py").write_text(MODULE.format(i=0))
    (root / "pkg" / "app.py").chmod(0o640)
    return root / "pkg" / "app.py"


def _temporaries_anywhere(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.exists() for p in folder.rglob("*.zlint-tmp")]


def _assert_fixed(result, path: Path) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Fixed 1 finding in 1 file; 0 left.\n", "")
    assert path.read_bytes() == MODULE.format(i=0).encode().replace(b"if r.status_code == 200:", FIXED_TEST)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.parametrize("options", [[], ["--no-cache"]], ids=["cache", "no-cache"])
def test_the_temporary_file_is_made_in_the_scratch_folder(tmp_path, monkeypatch, options):
    path = _fixable_tree(tmp_path)
    result, made_in = _fix_in_process(tmp_path, monkeypatch, *options)
    _assert_fixed(result, path)
    assert made_in == [tmp_path / CACHE / "tmp"]
    assert _temporaries_anywhere(tmp_path) == []
    assert (tmp_path / CACHE / ".gitignore").read_text() == "# Created by zlint automatically.\n*\n"


def test_a_scratch_folder_on_another_file_system_is_not_used(tmp_path, monkeypatch):
    """A rename cannot cross file systems: the temporary file goes beside the file (simulated:
    the scratch folder's device differs)."""
    from zlint import writes

    path = _fixable_tree(tmp_path)
    real_device = writes._device
    monkeypatch.setattr(writes, "_device", lambda folder: real_device(folder) + 1)
    result, made_in = _fix_in_process(tmp_path, monkeypatch)
    _assert_fixed(result, path)
    assert made_in == [tmp_path / "pkg"]
    assert _temporaries_anywhere(tmp_path) == []


def test_a_cache_dir_on_another_file_system_is_not_used(tmp_path, monkeypatch):
    """The same with a real second file system: ZLINT_CACHE_DIR on the tmpfs of /dev/shm."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK) or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("no writable /dev/shm on another file system")
    cache = shm / f"zlint-test-{os.getpid()}-{tmp_path.name}"
    path = _fixable_tree(tmp_path)
    monkeypatch.setenv("ZLINT_CACHE_DIR", str(cache))
    try:
        result, made_in = _fix_in_process(tmp_path, monkeypatch)
        _assert_fixed(result, path)
        assert made_in == [tmp_path / "pkg"]
        assert _temporaries_anywhere(tmp_path, cache) == []
    finally:
        shutil.rmtree(cache, ignore_errors=True)


@pytest.mark.parametrize("blocked", ["a-file-in-the-way", "read-only"])
def test_a_cache_dir_that_cannot_be_made_is_not_used(tmp_path, monkeypatch, blocked):
    """ZLINT_CACHE_DIR where no folder can be made: the temporary file goes beside the file, the run
    says nothing of it (a cache that cannot be written is skipped without a word)."""
    tree = tmp_path / "tree"
    tree.mkdir()
    path = _fixable_tree(tree)
    if blocked == "a-file-in-the-way":
        (tmp_path / "blocker").write_text("a file, not a folder")
        cache = tmp_path / "blocker" / "cache"
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into a read-only folder (see a-file-in-the-way)")
        (tmp_path / "locked").mkdir(mode=0o555)
        cache = tmp_path / "locked" / "cache"
    monkeypatch.setenv("ZLINT_CACHE_DIR", str(cache))
    result, made_in = _fix_in_process(tree, monkeypatch)
    _assert_fixed(result, path)
    assert made_in == [tree / "pkg"]
    assert not cache.exists()
    assert _temporaries_anywhere(tmp_path) == []


def test_a_rename_refused_across_mounts_is_done_beside_the_file(tmp_path, monkeypatch):
    """Two mounts of one file system share a device number, and rename between them fails with
    EXDEV: that file's temporary file is made again beside it."""
    import errno

    path = _fixable_tree(tmp_path)
    scratch = tmp_path / CACHE / "tmp"
    real_replace = os.replace

    def refuse_from_scratch(source, target):
        if Path(source).parent == scratch:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", refuse_from_scratch)
    result, made_in = _fix_in_process(tmp_path, monkeypatch)
    _assert_fixed(result, path)
    assert made_in == [scratch, tmp_path / "pkg"]
    assert _temporaries_anywhere(tmp_path) == []


def test_a_set_group_id_folder_gives_the_fixed_file_its_group(tmp_path, monkeypatch):
    """A file written in a set-group-ID folder takes the folder's group; a temporary file made in
    the scratch folder is given it before the rename, as if it had been made beside the file."""
    others = sorted(set(os.getgroups()) - {os.getegid()})
    group = 4242 if os.geteuid() == 0 else (others[0] if others else None)
    if group is None or not hasattr(os, "chown"):
        pytest.skip("needs root or a second group")
    path = _fixable_tree(tmp_path)
    os.chown(tmp_path / "pkg", -1, group)
    (tmp_path / "pkg").chmod(0o2755)
    os.chown(path, -1, group)
    result, made_in = _fix_in_process(tmp_path, monkeypatch)
    _assert_fixed(result, path)
    assert made_in == [tmp_path / CACHE / "tmp"]
    assert path.stat().st_gid == group


# -- bytes kept around the edits (tests/test_fix.py covers a BOM with CRLF, latin-1 and mode 0o755) ----------


LAYOUT = [
    b"# -*- coding: latin-1 -*-\n",
    b"# caf\xe9, with a tab\tand trailing blanks  \t\r\n",  # CRLF after LF: mixed line endings
    b"import requests   \n",
    b"\r\n",
    b"def assign():\t\n",
    b"\tr = requests.post(\"https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories\", json={})  \r\n",
    b"\tif r.status_code == 200:   \t\n",  # tab indentation, trailing blanks on the edited line
    b"\t\treturn r\r",  # a lone CR ends a line too
    b"\traise RuntimeError(r.text)\t \n",
    b"\n\n",
    b"x = 1  # no newline at the end   ",
]


def test_fix_keeps_mixed_line_endings_tabs_trailing_blanks_and_mode(tmp_path):
    source = b"".join(LAYOUT)
    path = tmp_path / "legacy.py"
    path.write_bytes(source)
    path.chmod(0o751)
    result = run_zlint("fix", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "Fixed 1 finding in 1 file; 0 left.\n"), result.stderr
    assert path.read_bytes() == source.replace(b"if r.status_code == 200:", FIXED_TEST)
    assert stat.S_IMODE(path.stat().st_mode) == 0o751
    assert sorted(p.name for p in tmp_path.iterdir()) == [CACHE, "legacy.py"]
    assert _scratch_files(tmp_path) == []
    shutil.rmtree(tmp_path / CACHE, ignore_errors=True)


def test_a_stop_after_every_write_lists_the_written_files(tmp_path):
    """Ctrl-C or SIGTERM while fix re-checks (all files written): the list, exit 130/143, no traceback."""
    for signum, code in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
        script = (
            "import os, signal, time\n"
            "from zlint.cli import _stop_listing\n"
            "with _stop_listing({'b.py': b'', 'a.py': b''}, {'done': False}):\n"
            f"    os.kill(os.getpid(), {int(signum)})\n"
            "    time.sleep(5)\n"
        )
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
        name = signal.Signals(signum).name
        assert (done.returncode, done.stderr) == (code, f"zlint: stopped by {name} after 2 fixed files were written, "
                                                        "before checking what they left (run zlint fix again to apply "
                                                        "the fixes they made possible):\nzlint: wrote a.py\n"
                                                        "zlint: wrote b.py\n")


def test_a_file_that_cannot_take_its_fixme_markers_is_said_and_the_others_are_marked(tmp_path, monkeypatch):
    """--add-fixme writes like the fixes: a file that cannot be written is named, the others are
    marked, the run exits 2 (it used to stop with an internal error at the first such file)."""
    from click.testing import CliRunner

    from zlint.cli import main

    no_rewrite = ('import requests\n\n\ndef assign(payload):\n    return {"sent": requests.post('
                  '"https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload).ok}\n')
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "app.py").write_text(no_rewrite)
    _folder_a_refuses_writes(monkeypatch)
    monkeypatch.chdir(tmp_path)
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    result = CliRunner().invoke(main, ["fix", "--add-fixme", "."])
    assert result.exit_code == 2, result.output
    assert {signum: signal.getsignal(signum) for signum in handlers} == handlers  # given back when fix ends
    assert result.stderr == "zlint: a/app.py: fixme markers not added: cannot write: Permission denied\n"
    assert result.stdout == ("Marked 1 finding with `zlint: fixme` in 1 file.\n"
                             "Fixed 0 findings in 0 files; 1 left.\n")
    assert "# zlint: fixme[ZL101]" in (tmp_path / "b" / "app.py").read_text()
    assert (tmp_path / "a" / "app.py").read_text() == no_rewrite


def _folder_a_refuses_writes(monkeypatch) -> None:
    """Writes into a folder named ``a`` fail with EACCES (simulated in-process: root writes anywhere)."""
    import errno

    from zlint import writes

    real_write = writes._Run.write

    def read_only_a(run, path, data):
        if path.parent.name == "a":
            raise PermissionError(errno.EACCES, "Permission denied", str(path.parent))
        real_write(run, path, data)

    monkeypatch.setattr(writes._Run, "write", read_only_a)
