"""Writing fixed files: each replaced whole and atomically, and a run stoppable between two files.

The data goes to a temporary file, renamed over the file once complete, keeping the file's mode
(and group). The temporary file is made in ``tmp/`` of zlint's cache folder when that is on the
file's file system (a run killed while writing then leaves nothing in the user's folders, and the
next run removes what it left there), else beside the file as ``.NAME.XXXXXXXX.zlint-tmp`` (which
the next write of that file removes).
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import sys
import tempfile
import threading
import time
from pathlib import Path

_TEMPORARY = ".zlint-tmp"  # the suffix of the temporary files
_WORKERS = 8  # files write_all writes at once: each mostly waits for the disk, releasing the GIL

try:
    import fcntl  # a temporary file being written is locked, so that another run's clean-up leaves it
except ImportError:  # Windows: a file open for writing cannot be removed anyway
    fcntl = None


class _Run:
    """What the writes of one ``write_all`` share, learnt once rather than per file: the scratch
    folder's device, the umask, and each folder's stat and the temporary files killed runs left in
    it (listed once: globbing a folder of thousands of files per file is quadratic). Safe to use
    from several threads."""

    def __init__(self, scratch: Path | None) -> None:
        self.scratch, self.scratch_device = scratch, None
        if scratch is not None:
            try:
                self.scratch_device = _device(scratch)
            except OSError:  # gone or refusing: each beside its file
                self.scratch = None
        self.umask = os.umask(0)  # read once, before any writer thread runs: reading it sets it
        os.umask(self.umask)
        self.folders: dict[Path, tuple[os.stat_result | None, dict[str, list[str]]]] = {}
        self.lock = threading.Lock()

    def write(self, path: Path, data: bytes) -> None:
        """Replace ``path`` with ``data`` atomically, keeping its mode (a new file gets the umask's).

        The data goes to a temporary file, renamed over ``path`` once complete. It is made in the
        folder ``scratch`` when that is on the file's file system (the rename must not cross one)
        and the file can get there the group it would get beside ``path``; else (or if it cannot
        be made or renamed from there) beside ``path``, as ``.NAME.XXXXXXXX.zlint-tmp``."""
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            mode = 0o666 & ~self.umask
        here = self._folder(path)
        if self.scratch is not None and here is not None and here.st_dev == self.scratch_device:
            try:
                _replace_from(self.scratch, path, data, mode, _new_file_group(here))
                return
            except (_Elsewhere, OSError):  # another mount, the scratch folder gone or refusing: beside the file
                pass
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=_TEMPORARY)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    def _folder(self, path: Path) -> os.stat_result | None:
        """The stat of ``path``'s folder (None if it cannot be read), having removed the temporary
        files of ``path`` that killed runs left beside it."""
        folder = path.parent
        with self.lock:
            if folder not in self.folders:
                try:
                    here = os.stat(folder)
                except OSError:
                    here = None
                self.folders[folder] = here, _stale_beside(folder)
            here, stale = self.folders[folder]
            left = stale.pop(path.name, [])
        for name in left:
            with contextlib.suppress(OSError):
                os.unlink(folder / name)
        return here


def _stale_beside(folder: Path) -> dict[str, list[str]]:
    """The ``.NAME.XXXXXXXX.zlint-tmp`` files in ``folder`` by the NAME they were written for."""
    tail = len(".XXXXXXXX" + _TEMPORARY)
    stale: dict[str, list[str]] = {}
    try:
        with os.scandir(folder) as listing:
            for entry in listing:
                name = entry.name
                if name.startswith(".") and name.endswith(_TEMPORARY) and len(name) > tail + 1 and name[-tail] == ".":
                    stale.setdefault(name[1:-tail], []).append(name)
    except OSError:
        pass
    return stale


class _Elsewhere(Exception):
    """The temporary file cannot be renamed from the scratch folder, or given its group there."""


def _device(folder: Path) -> int:
    return os.stat(folder).st_dev


def _new_file_group(folder: os.stat_result) -> int | None:
    """The group of a file made in that folder: the folder's where it is set-group-ID (or on BSD,
    always), else the process's; None where groups do not apply."""
    if not hasattr(os, "getegid"):
        return None
    if folder.st_mode & stat.S_ISGID or sys.platform == "darwin" or "bsd" in sys.platform:
        return folder.st_gid
    return os.getegid()


def _replace_from(scratch: Path, path: Path, data: bytes, mode: int, group: int | None) -> None:
    """``_Run.write``'s temporary file made in ``scratch``: locked while it lives (another run's
    ``_remove_stale`` leaves it), given ``group``, renamed over ``path``. _Elsewhere (and nothing
    left) when it cannot get the group or cannot be renamed from there (another mount)."""
    handle, temporary = tempfile.mkstemp(dir=scratch, prefix=f".{path.name}.", suffix=_TEMPORARY)
    try:
        with os.fdopen(handle, "wb") as out:  # open until the rename: the lock lasts as long as the file
            if fcntl is not None:
                with contextlib.suppress(OSError):
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if group is not None and os.fstat(handle).st_gid != group:
                try:
                    os.fchown(handle, -1, group)
                except OSError:
                    raise _Elsewhere from None
            out.write(data)
            out.flush()
            os.fsync(handle)
            if fcntl is None:
                out.close()  # no lock to keep (Windows, which renames only a closed file)
            os.chmod(temporary, mode)
            try:
                os.replace(temporary, path)
            except OSError as error:
                if error.errno == errno.EXDEV:
                    raise _Elsewhere from None
                raise
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)  # not there any more once renamed
        raise


def _remove_stale(scratch: Path, started: float) -> None:
    """Remove the temporary files killed runs left in ``scratch``: those older than ``started``
    that no live run holds locked."""
    try:
        with os.scandir(scratch) as listing:
            entries = [entry for entry in listing if entry.name.endswith(_TEMPORARY)]
    except OSError:
        return
    for entry in entries:
        try:
            if not entry.is_file(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_mtime >= started:
                continue
        except OSError:
            continue
        handle = None
        if fcntl is not None:
            try:
                handle = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # being written by a live run
                if handle is not None:
                    os.close(handle)
                continue
            except OSError:  # gone, or unreadable (its mode was set): a killed run's all the same
                pass
        try:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
        finally:
            if handle is not None:
                os.close(handle)


def scratch_folder(cache_directory: Path) -> Path:
    """The folder for ``write_all``'s temporary files: ``tmp/`` in zlint's cache directory (also
    with --no-cache: it holds no cache then, only what a killed run may leave), made by
    ``write_all`` when there is something to write."""
    from zlint.cache import SCRATCH

    return cache_directory / SCRATCH


def _ready_scratch(scratch: Path, started: float, needed: bool) -> Path | None:
    """``scratch``, made if ``needed`` (with the cache folder around it), without the temporary
    files of killed runs; None when it is not needed or cannot be made."""
    from zlint.cache import prepare_scratch

    if needed:
        try:
            prepare_scratch(scratch)
        except OSError:
            return None
    _remove_stale(scratch, started)
    return scratch if needed else None


class Interrupted(Exception):
    """``write_all`` stopped by SIGINT or SIGTERM: the files in ``written`` were replaced, the
    others not touched."""

    def __init__(self, signum: int, written: list[str], total: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum, self.written, self.total = signum, written, total


def write_all(files: list[tuple[str, Path, bytes]], scratch: Path | None = None) -> list[tuple[str, str]]:
    """Write ``(name, path, data)``, each file as ``_Run.write`` does, a few at once (the time goes in
    waiting for fsync, which other files' writes can overlap). SIGINT and SIGTERM stop the run:
    no file is started after one arrives, the files being written are finished, and
    ``Interrupted`` lists the files replaced, in the order given. A file that cannot be written is
    skipped: ``(name, why)`` for each, in the order given.

    ``scratch`` (``scratch_folder``): the folder for the temporary files, made here when
    there is a file to write; the ones killed runs left in it (older than this call) are removed
    first. None, or a folder that cannot be made: each beside its file."""
    if scratch is not None:
        scratch = _ready_scratch(scratch, time.time(), needed=bool(files))
    run = _Run(scratch)
    stop = threading.Event()
    received: list[int] = []

    def receive(number, frame):
        received.append(number)
        stop.set()

    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, receive)
    pending = iter(enumerate(files))
    taking = threading.Lock()
    written: list[tuple[int, str]] = []
    failed: list[tuple[int, str, str]] = []
    errors: list[BaseException] = []

    def work() -> None:
        while not stop.is_set():
            with taking:
                item = next(pending, None)
            if item is None:
                return
            index, (name, path, data) = item
            try:
                run.write(path, data)
            except OSError as error:
                failed.append((index, name, f"cannot write: {error.strerror or error}"))
                continue
            except BaseException as error:  # not the file's fault: the run stops and says why
                errors.append(error)
                stop.set()
                return
            written.append((index, name))

    workers = [threading.Thread(target=work, name=f"zlint-write-{number}", daemon=True)
               for number in range(min(_WORKERS, len(files)))]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()  # the signal handlers run meanwhile
    finally:
        stop.set()  # early only on an exception here: the files being written are finished, no other started
        for worker in workers:
            if worker.is_alive():
                worker.join()
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
    if errors:
        raise errors[0]
    if received:
        raise Interrupted(received[0], [name for _, name in sorted(written)], len(files))
    return [(name, why) for _, name, why in sorted(failed)]
