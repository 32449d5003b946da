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

The snapshot of a run over the project root also keeps what its index read and found, so that a
pre-commit run naming a few files that snapshot proves irrelevant is answered without reading the
rest of the project (``precommit``).
"""

from __future__ import annotations

import os
import re
import stat as stat_module
from pathlib import Path

from zlint.cache import Cache, _hash, racy, reader, run_key, stat_list
from zlint.result import CheckResult
from zlint.findings import call_from_data, call_to_data, finding_from_data, finding_to_data
from zlint.target import Target

FORMAT = 2
MAX_NAMED = 64  # more files named than this: not a pre-commit run (key() keeps the whole result)
MAX_CHANGED_FOLDERS = 8  # folders whose stat moved that a pre-commit run re-lists to compare


def _given(paths, cwd: Path) -> list | None:
    """[(absolute path, "folder" | "file")] of the paths given (as discovery resolves them), or
    None when one is missing or cannot be resolved (the normal path reports it)."""
    given = []
    for path in list(paths) or [Path(".")]:
        try:
            absolute = (cwd / path).resolve() if not path.is_absolute() else path.resolve()
            kind = "folder" if absolute.is_dir() else "file" if absolute.is_file() else None
        except (RuntimeError, OSError):  # a symlink loop, a name too long: the normal path reports it
            return None
        if kind is None:
            return None
        given.append((str(absolute), kind))
    return given


def _key(cache: Cache, config, target: Target, cwd: Path, given: list, prefilter: bool, root) -> str:
    return _hash(FORMAT, run_key(cache.code, config, target), str(cwd), given, prefilter,
                 str(root) if root is not None else None, reader())


def key(cache: Cache, paths, config, target: Target, cwd: Path, prefilter: bool) -> str | None:
    """The run's key, or None when a given path is missing (the normal path reports it) or when
    a few files are named (pre-commit: they are the ones that just changed; see ``precommit``)."""
    from zlint.config import project_root

    given = _given(paths, cwd)
    if given is None or (all(kind == "file" for _, kind in given) and len(given) < MAX_NAMED):
        return None
    return _key(cache, config, target, cwd, given, prefilter, project_root(config, cwd))


def _stat(path: str) -> list | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return stat_list(info)


def _init_kind(folder: str) -> str:
    """What ``folder/__init__.py`` is: "file" (a regular file), "none" (no entry) or "other" (a
    symlink, a folder, ...: its answer can change without the folder's stat moving)."""
    try:
        info = os.lstat(os.path.join(folder, "__init__.py"))
    except FileNotFoundError:
        return "none"
    except OSError:
        return "other"
    return "file" if stat_module.S_ISREG(info.st_mode) else "other"


def _unchanged(snapshot: dict, skip: frozenset = frozenset(), changed: list | None = None) -> bool:
    """Whether everything the snapshot's run read has its recorded stat: the folders it listed,
    the .gitignore files, the package folders and the files found, less the files in ``skip``.
    With ``changed``, folders whose stat moved are added to it instead (up to
    MAX_CHANGED_FOLDERS; the caller must prove their listings unchanged)."""
    stat_of = os.stat
    moved = set()
    for folder, stat in snapshot["folders"].items():
        if stat is None:
            return False
        try:
            info = stat_of(folder)
        except OSError:
            return False
        if (info.st_mtime_ns != stat[1] or info.st_size != stat[0] or info.st_ctime_ns != stat[2]
                or info.st_ino != stat[3]):
            if changed is None or len(moved) >= MAX_CHANGED_FOLDERS:
                return False
            moved.add(folder)
    for ignore, stat in snapshot["ignores"].items():
        if _stat(ignore) != stat:
            return False
    folders = snapshot["folders"]
    for folder, (kind, has_init, stat) in snapshot["packages"].items():
        if stat is None:  # the stat its walk noted
            stat = folders.get(folder)
        if kind in ("file", "none"):  # while the folder's stat holds, so does a plain __init__.py or its absence
            if folder in folders and folder not in moved and folders[folder] == stat:
                continue  # (its stat was compared above)
            if folder not in folders and _stat(folder) == stat:
                continue
        if os.path.isfile(os.path.join(folder, "__init__.py")) != has_init:
            return False
    if not _files_unchanged(snapshot["files"], skip):
        return False
    if changed is not None:
        changed.extend(sorted(moved))
    return True


def _files_unchanged(files: dict, skip: frozenset) -> bool:
    """Whether every file of the snapshot (but those in ``skip``) has its recorded stat."""
    folders, groups, stats = files["folders"], files["names"], files["stats"]
    if len(folders) != len(groups) or 4 * sum(len(names) for names in groups) != len(stats):
        return False
    stat_of = os.stat
    at = 0
    try:
        for folder, names in zip(folders, groups):
            prefix = folder + "/"
            for name in names:
                path = prefix + name
                if path not in skip:
                    info = stat_of(path)
                    if (info.st_mtime_ns != stats[at + 1] or info.st_size != stats[at]
                            or info.st_ctime_ns != stats[at + 2] or info.st_ino != stats[at + 3]):
                        return False
                at += 4
    except OSError:
        return False
    return True


def load(cache: Cache, run_key_: str) -> CheckResult | None:
    """The stored result of the run with this key, if everything it read is unchanged."""
    snapshot = cache.replay(run_key_)
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
        return None
    try:
        if not _unchanged(snapshot):
            return None
        data = snapshot["result"]
        result = CheckResult(
            findings=[finding_from_data(f) for f in data["findings"]],
            calls=[call_from_data(call) for call in data["calls"]],
            files=int(data["files"]),
            parsed=int(data["parsed"]),
            target=Target.from_data(data["target"]) if data["target"] is not None else None,
        )
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OSError):
        return None
    return result


def precommit(cache: Cache, paths, config, target: Target, cwd: Path, prefilter: bool) -> CheckResult | None:
    """The result of a run over a few named files that the project's last whole run proves
    irrelevant, without reading the rest of the project; None when it cannot prove it (the
    normal path then runs, with the project's other files as its index).

    The proof, for each named file F, against the snapshot of the last ``zlint check ROOT`` with
    the same key (code, configuration, target, working directory):

    * the project's file set is the same: every folder that run listed has its stat, or (a file
      saved by renaming a new one over it moves its folder's mtime) lists the same entries now as
      then; the .gitignore files and package folders are unchanged; F was one of its files;
    * every other file has its recorded stat, so the bytes that run read;
    * F's old bytes told the index nothing: F was not among the files the prefilter let through,
      and no index unit of that run read F or looked up a module name F can bear (its stem or its
      folder's name: a named file is rooted at its folder, so it gains a name);
    * F's new bytes mention neither ``zlint:`` nor any word of that run's index (the catalogue's
      endpoint words and SDK methods, and every wrapper and constant name it found).

    Then a full run with F's new bytes meets the same files in every round of the index, finds the
    same names, and never lets F through: F is not checked, and a run over F reports nothing."""
    if not prefilter or not paths or len(paths) >= MAX_NAMED:
        return None
    from zlint.config import project_root
    from zlint.discovery import is_python_name

    root = project_root(config, cwd)
    given = _given(paths, cwd)
    if root is None or given is None or any(kind != "file" for _, kind in given):
        return None
    inside = str(root).rstrip("/") + "/"
    named = {path for path, _ in given}
    for path in named:
        name = path.rpartition("/")[2]
        if not path.startswith(inside) or not is_python_name(name):
            return None  # outside the project, or not Python (a recording): the normal path
    project_key = _key(cache, config, target, cwd, [(str(root), "folder")], prefilter, root)
    snapshot = cache.replay(project_key)
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
        return None
    try:
        project = snapshot["project"]
        blocked, lookups, tokens = set(project["blocked"]), set(project["lookups"]), project["tokens"]
        known = snapshot["files"]
        for path in named:
            folder, _, name = path.rpartition("/")
            if folder not in known["folders"] or name not in known["names"][known["folders"].index(folder)]:
                return None  # not one of the project's files then
        if named & blocked:
            return None
        for path in named:
            folder, _, name = path.rpartition("/")
            stem = name.rpartition(".")[0]
            parent = folder.rpartition("/")[2]
            if (not stem.isidentifier() or not parent or "." in parent or stem in lookups or parent in lookups
                    or stem == "__init__"):
                return None
        changed: list[str] = []
        if not _unchanged(snapshot, frozenset(named), changed):
            return None
        if changed and not _same_listings(cache, snapshot, changed):
            return None
        from zlint.catalogue import builds_action_name
        from zlint.engine import token_pattern

        pattern = token_pattern(tokens)
        for path in named:
            with open(path, "rb") as handle:
                data = handle.read()
            if b"zlint:" in data or pattern.search(data) is not None or builds_action_name(data):
                return None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OSError, re.error):
        return None
    return CheckResult(files=len(named), target=target)


def _same_listings(cache: Cache, snapshot: dict, changed: list[str]) -> bool:
    """Whether each folder in ``changed`` lists the same entries now as when the snapshot's run
    listed it: the cache's listing, read at the stat the snapshot recorded (or later, when that
    read gave the same listing), not changed just before it was read."""
    from zlint.discovery import _listing

    stored = cache.listings()
    for folder in changed:
        stat = snapshot["folders"][folder]
        entry = stored.get(folder)
        if not isinstance(entry, list) or len(entry) < 6 or not isinstance(entry[5], list):
            return False
        then = stat[1:4]
        if not ((entry[:3] == then and not entry[3]) or then in entry[5]):
            return False  # the stored listing is not the one the snapshot's run saw
        if _listing(folder, None) != entry[4]:
            return False
    return True


def _project(cache: Cache, result: CheckResult) -> dict | None:
    """What a pre-commit run needs to know of this whole run's index (see ``precommit``): the
    files the index read or let through, the last parts of the module names it looked up, and its
    words. None when this process cannot tell: a unit was computed but not stored (its trace is
    unknown), or a unit it used is not in the cache."""
    if result.computed != cache.units_stored:
        return None
    from zlint.catalogue import load_catalogue

    blocked: set[str] = set()
    lookups: set[str] = set()
    words = set(load_catalogue().prefilter_tokens)
    try:
        for path, unit_key in cache.index_asked.items():
            found = cache.stored_index_unit(path, unit_key)
            if found is None or not isinstance(found[1], dict):
                return None
            trace, names = found
            files, modules, _ = trace
            blocked.add(path)
            blocked.update(str(file) for file in files)
            lookups.update(str(dotted).rpartition(".")[2] for dotted in modules)
            words.update(str(name) for name in names)
    except (TypeError, ValueError, AttributeError, KeyError):
        return None
    if set(result.tokens) != words:
        return None  # not the index this run used
    return {"blocked": sorted(blocked), "lookups": sorted(lookups), "tokens": sorted(words)}


def remember(cache: Cache, run_key_: str, result: CheckResult, discovered, read_at: float) -> None:
    """Keep this run's result with the stat of everything it read (nothing if any of it changed
    too shortly before ``read_at``, the run's start, to be told apart by its stat)."""
    if result.errors or cache.noted_folders is None:
        return
    project = _project(cache, result)
    folders = dict(cache.noted_folders)
    ignores = dict(cache.noted_ignores)
    for stat in [*folders.values(), *(s for s in ignores.values() if s is not None)]:
        if stat is None or racy(stat, read_at):
            return
    files: dict[str, dict[str, list]] = {}
    for item in discovered:
        entry = cache.files.get(str(item.path))
        if not isinstance(entry, list) or len(entry) < 7 or entry[6]:
            return  # not read by this run's rules (or changed just before): nothing proves it unchanged
        if racy(entry, read_at):
            return
        folder, _, name = str(item.path).rpartition("/")
        if not folder:
            return
        files.setdefault(folder, {})[name] = [entry[0], entry[1], entry[2], entry[3]]
    packages = {}  # every folder whose __init__.py can change a module name: what it is and the folder's stat
    # (None: the one in ``folders``)
    for folder in set(files) | set(folders):
        current = folder
        while current not in packages:
            stat = _stat(current)
            if stat is None or racy(stat, read_at):
                return
            kind = _init_kind(current)
            has_init = os.path.isfile(os.path.join(current, "__init__.py"))
            if kind != "other" and (kind == "file") != has_init:
                return  # changed between the two looks
            packages[current] = [kind, has_init, stat if folders.get(current) != stat else None]
            parent = os.path.dirname(current)
            if not has_init or parent == current:
                break
            current = parent
    data = {
        "findings": [finding_to_data(f) for f in result.findings],
        "calls": [call_to_data(c) for c in result.calls],
        "files": result.files,
        "parsed": result.parsed,
        "target": result.target._asdict() if result.target is not None else None,
    }
    order = sorted(files)
    flat = [number for folder in order for stat in files[folder].values() for number in stat]
    snapshot = {"format": FORMAT, "folders": folders, "ignores": ignores, "packages": packages,
                "files": {"folders": order, "names": [list(files[folder]) for folder in order], "stats": flat},
                "result": data}
    if project is not None:
        snapshot["project"] = project
    cache.remember_replay(run_key_, snapshot)
