"""A repeated ``zlint check`` with nothing changed: the last run's result, after checking so.

A run's result is a deterministic function of zlint's code, the resolved configuration, the
target version, the working directory, the paths given and ``--no-prefilter`` (the key), and of
what it read from the disk: the listings of the folders it walked, the .gitignore files, which
folders hold an ``__init__.py`` (module names), and the bytes of the files it found. The snapshot
keeps the stat of each of those; when every one is unchanged (and none had changed just before it
was read, so that an unchanged mtime proves an unchanged file) the stored result is the result, and
the run skips discovery, module names and the per-file cache lookups. Anything else (an edited,
added, removed or renamed file, a new .gitignore, ...) makes the run take the normal path, which
still reuses every per-file result that holds.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from zlint.cache import RACY_SECONDS, Cache, _hash, run_key
from zlint.engine import CheckResult
from zlint.findings import CallRecord
from zlint.outcome import finding_from_data, finding_to_data
from zlint.target import Target

FORMAT = 1


def key(cache: Cache, paths, config, target: Target, cwd: Path, prefilter: bool) -> str | None:
    """The run's key, or None when a given path is missing (the normal path reports it)."""
    from zlint.discovery import project_root

    given = []
    for path in list(paths) or [Path(".")]:
        absolute = (cwd / path).resolve() if not path.is_absolute() else path.resolve()
        if absolute.is_dir():
            given.append((str(absolute), "folder"))
        elif absolute.is_file():
            given.append((str(absolute), "file"))
        else:
            return None
    if all(kind == "file" for _, kind in given) and len(given) < 64:
        return None  # a few named files (pre-commit): they are the ones that just changed
    root = project_root(config, cwd)
    return _hash(FORMAT, run_key(cache.code, config, target), str(cwd), given, prefilter,
                 str(root) if root is not None else None)


def _stat(path: str) -> list | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def load(cache: Cache, run_key_: str) -> CheckResult | None:
    """The stored result of the run with this key, if everything it read is unchanged."""
    snapshot = cache.replay(run_key_)
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
        return None
    try:
        for folder, stat in snapshot["folders"].items():
            if stat is None or _stat(folder) != stat:
                return None
        for ignore, stat in snapshot["ignores"].items():
            if _stat(ignore) != stat:
                return None
        for folder, (is_package, stat) in snapshot["packages"].items():
            if _stat(folder) != stat or os.path.isfile(os.path.join(folder, "__init__.py")) != is_package:
                return None
        files = snapshot["files"]
        names, stats = files["names"], files["stats"]
        if len(stats) != 4 * len(names):
            return None
        stat = os.stat
        for number, path in enumerate(names):
            info = stat(path)
            at = 4 * number
            if (info.st_mtime_ns != stats[at + 1] or info.st_size != stats[at] or info.st_ctime_ns != stats[at + 2]
                    or info.st_ino != stats[at + 3]):
                return None
        data = snapshot["result"]
        return CheckResult(
            findings=[finding_from_data(f) for f in data["findings"]],
            calls=[CallRecord(*call[:9], list(call[9])) for call in data["calls"]],
            files=int(data["files"]),
            parsed=int(data["parsed"]),
            target=Target(**data["target"]) if data["target"] is not None else None,
        )
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OSError):
        return None


def remember(cache: Cache, run_key_: str, result: CheckResult, discovered, read_at: float) -> None:
    """Keep this run's result with the stat of everything it read (nothing if any of it changed
    too shortly before ``read_at``, the run's start, to be told apart by its stat)."""
    if result.errors or cache.noted_folders is None:
        return
    folders = dict(cache.noted_folders)
    ignores = dict(cache.noted_ignores)
    for stat in [*folders.values(), *(s for s in ignores.values() if s is not None)]:
        if stat is None or read_at - stat[1] / 1e9 < RACY_SECONDS or read_at - stat[2] / 1e9 < RACY_SECONDS:
            return
    files = {}
    for item in discovered:
        entry = cache.files.get(str(item.path))
        if not isinstance(entry, list) or len(entry) < 7 or entry[6]:
            return  # not read by this run's rules (or changed just before): nothing proves it unchanged
        if read_at - entry[1] / 1e9 < RACY_SECONDS or read_at - entry[2] / 1e9 < RACY_SECONDS:
            return
        files[str(item.path)] = [entry[0], entry[1], entry[2], entry[3]]
    packages = {}  # every folder whose __init__.py can change a module name: its answer and stat
    for folder in {os.path.dirname(path) for path in files} | set(folders):
        current = folder
        while current not in packages:
            stat = _stat(current)
            if stat is None or read_at - stat[1] / 1e9 < RACY_SECONDS or read_at - stat[2] / 1e9 < RACY_SECONDS:
                return
            has_init = os.path.isfile(os.path.join(current, "__init__.py"))
            packages[current] = [has_init, stat]
            parent = os.path.dirname(current)
            if not has_init or parent == current:
                break
            current = parent
    data = {
        "findings": [finding_to_data(f) for f in result.findings],
        "calls": [[c.path, c.line, c.column, c.operation, c.scope, c.version, c.module, c.client, c.status,
                   list(c.via)] for c in result.calls],
        "files": result.files,
        "parsed": result.parsed,
        "target": dataclasses.asdict(result.target) if result.target is not None else None,
    }
    flat = [number for stat in files.values() for number in stat]
    cache.remember_replay(run_key_, {"format": FORMAT, "folders": folders, "ignores": ignores, "packages": packages,
                                     "files": {"names": list(files), "stats": flat}, "result": data})
