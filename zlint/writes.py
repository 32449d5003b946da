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
import glob
import os
import signal
import stat
import sys
import tempfile
import threading
import time
from pathlib import Path

_TEMPORARY = ".zlint-tmp"  # the suffix of the temporary files

try:
    import fcntl  # a temporary file being written is locked, so that another run's clean-up leaves it
except ImportError:  # Windows: a file open for writing cannot be removed anyway
    fcntl = None


def write(path: Path, data: bytes, scratch: Path | None = None) -> None:
    """Replace ``path`` with ``data`` atomically, keeping its mode (a new file gets the umask's).

    The data goes to a temporary file, renamed over ``path`` once complete. It is made in the
    folder ``scratch`` when that is on the file's file system (the rename must not cross one) and
    the file can get there the group it would get beside ``path``; else (or if it cannot be made
    or renamed from there) beside ``path``, as ``.NAME.XXXXXXXX.zlint-tmp``."""
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    for stale in path.parent.glob(f".{glob.escape(path.name)}.????????{_TEMPORARY}"):  # left by a killed run
        with contextlib.suppress(OSError):
            stale.unlink()
    if scratch is not None:
        try:
            here = os.stat(path.parent)
            if _device(scratch) == here.st_dev:
                _replace_from(scratch, path, data, mode, _new_file_group(here))
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
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


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
    """``write``'s temporary file made in ``scratch``: locked while it lives (another run's
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
    """Write ``(name, path, data)`` one file after another, each with ``write``. SIGINT and SIGTERM
    are held while a file is replaced and stop the run before the next one (``Interrupted`` says
    which were written); a file that cannot be written is skipped: ``(name, why)`` for each.

    ``scratch`` (``scratch_folder``): the folder for the temporary files, made here when
    there is a file to write; the ones killed runs left in it (older than this call) are removed
    first. None, or a folder that cannot be made: each beside its file."""
    if scratch is not None:
        scratch = _ready_scratch(scratch, time.time(), needed=bool(files))
    received: list[int] = []
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, lambda number, frame: received.append(number))
    written: list[str] = []
    failed: list[tuple[str, str]] = []
    try:
        for name, path, data in files:
            if received:
                break
            try:
                write(path, data, scratch)
            except OSError as error:
                failed.append((name, f"cannot write: {error.strerror or error}"))
                continue
            written.append(name)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
    if received:
        raise Interrupted(received[0], written, len(files))
    return failed
