"""``write_all`` writes several files at once: what a user sees of that.

A stop by SIGINT or SIGTERM leaves each file either as it was or completely new (never partly
written), no temporary file anywhere, and ``Interrupted.written`` names exactly the files whose
bytes are new, in the order given; a file that cannot be written is reported and the others are
written; a folder of thousands of files is listed once, not once per file.
"""

from __future__ import annotations

import errno
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from zlint import writes

FILES = 60


def _files(root: Path, count: int = FILES, folders: int = 3) -> list[tuple[str, Path, bytes]]:
    """``count`` files across ``folders`` folders, each to be replaced by new (and longer) bytes."""
    files = []
    for i in range(count):
        path = root / f"pkg{i % folders}" / f"m{i:03d}.py"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"old = %d\n" % i)
        files.append((path.relative_to(root).as_posix(), path, b"new = %d\n" % i * 2000))
    return files


def _slow_writes(monkeypatch, on_call=None) -> list[str]:
    """Each file takes 20 ms (the disk is slow), so a stop lands while files are in flight;
    ``on_call(number)`` runs as the numbered file starts. Returns the names of the files started."""
    real_write = writes._Run.write
    started: list[str] = []
    lock = threading.Lock()

    def slow_write(run, path, data):
        with lock:
            started.append(path.name)
            number = len(started)
        if on_call:
            on_call(number)
        time.sleep(0.02)
        real_write(run, path, data)

    monkeypatch.setattr(writes._Run, "write", slow_write)
    return started


def _temporaries(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".zlint-tmp")]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stop_during_concurrent_writes_leaves_each_file_old_or_new(tmp_path, monkeypatch, signum):
    files = _files(tmp_path)
    scratch = tmp_path / ".zlint_cache" / "tmp"
    started = _slow_writes(monkeypatch, lambda number: number == 10 and os.kill(os.getpid(), signum))
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    with pytest.raises(writes.Interrupted) as stop:
        writes.write_all(files, scratch=scratch)
    assert {s: signal.getsignal(s) for s in previous} == previous  # the handlers are given back
    assert (stop.value.signum, stop.value.total) == (signum, FILES)
    new = [name for name, path, data in files if path.read_bytes() == data]
    for name, path, data in files:
        assert path.read_bytes() in (data, b"old = %d\n" % int(path.stem[1:])), f"{name} is half written"
    assert stop.value.written == new  # exactly the files replaced, in the order given
    assert sorted(new) == sorted(n for n, path, _ in files if path.name in started)  # each one started, finished
    assert 10 <= len(new) <= 10 + 2 * writes._WORKERS  # stopped: the files in flight finished, no other started
    assert _temporaries(tmp_path) == []


def test_a_file_that_cannot_be_written_among_many_is_reported_and_the_others_written(tmp_path, monkeypatch):
    files = _files(tmp_path)
    real_write = writes._Run.write
    refused = {files[7][1], files[33][1]}

    def refuse_some(run, path, data):
        if path in refused:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        real_write(run, path, data)

    monkeypatch.setattr(writes._Run, "write", refuse_some)
    failed = writes.write_all(files, scratch=tmp_path / ".zlint_cache" / "tmp")
    assert failed == [(files[7][0], "cannot write: Permission denied"), (files[33][0], "cannot write: Permission denied")]
    for name, path, data in files:
        assert (path.read_bytes() == data) == (path not in refused), name
    assert _temporaries(tmp_path) == []


def test_an_error_that_is_not_the_files_stops_the_run_and_is_raised(tmp_path, monkeypatch):
    """A bug (not an OSError) stops the writing: raised once the files in flight are done."""
    files = _files(tmp_path)
    _slow_writes(monkeypatch, lambda number: number == 5 and 1 / 0)
    with pytest.raises(ZeroDivisionError):
        writes.write_all(files)
    assert sum(path.read_bytes() == data for _, path, data in files) < FILES - writes._WORKERS
    assert _temporaries(tmp_path) == []


@pytest.mark.parametrize("scratch", [True, False], ids=["scratch", "beside"])
def test_many_files_in_one_folder_keep_mode_and_lose_what_killed_runs_left(tmp_path, scratch):
    """A temporary file a killed run left beside a file goes when that file is written (only its own)."""
    files = _files(tmp_path, count=300, folders=1)
    folder = files[0][1].parent
    files[3][1].chmod(0o751)
    (folder / f".{files[3][1].name}.k3j9x_2a.zlint-tmp").write_bytes(b"half a fi")
    (folder / ".notes.txt.k3j9x_2a.zlint-tmp").write_bytes(b"not ours to remove")
    new_file = tmp_path / "created" / "new.py"  # a new file in a new folder
    files.append(("created/new.py", new_file, b"made = 1\n"))
    assert writes.write_all(files, scratch=tmp_path / ".zlint_cache" / "tmp" if scratch else None) == []
    assert all(path.read_bytes() == data for _, path, data in files)
    assert oct(files[3][1].stat().st_mode & 0o777) == oct(0o751)
    assert [p.name for p in _temporaries(tmp_path)] == [".notes.txt.k3j9x_2a.zlint-tmp"]


def test_a_write_all_from_another_thread_sets_no_handler(tmp_path):
    files = _files(tmp_path, count=20)
    previous = signal.getsignal(signal.SIGINT)
    seen = []

    def run():
        seen.append(writes.write_all(files))
        seen.append(signal.getsignal(signal.SIGINT))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen == [[], previous]
    assert all(path.read_bytes() == data for _, path, data in files)
