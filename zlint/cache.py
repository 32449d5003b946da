"""zlint's cache: what a run learnt about each file, kept in ``.zlint_cache/`` for the next run.

Keys
----
* Every entry lives under the **code key**: zlint's version, the size and mtime of each file of
  the installed package, the content hashes of ``rules/`` (the catalogue) and ``schemas/``, the
  Python version and the versions of LibCST, jsonschema, referencing, PyYAML and pathspec. A new
  zlint (or an edited checkout) starts a new cache.
* A file is known by the **digest of its bytes** (SHA-1). Its size, mtime, ctime and inode are
  only a first check that spares re-reading it; a file changed less than two seconds before it
  was read is read again next time (its mtime may not have moved), and so is any file whose
  stat differs (CI checkouts reset mtimes: the digest then still matches and the entry is used).
* Results that depend on the configuration (findings of a file, of a recording) are kept under
  the **run key**: the code key, every field of the resolved configuration and the target API
  version (with where it was read). Changing either starts fresh results; the file digests and
  the wrapper index, which do not depend on them, stay.

What a file's result depends on
-------------------------------
A file's findings depend on other files (the wrappers, constants and helpers it calls), and
the wrapper index on the files that define them. So each piece of work (the index facts of a
file, the findings of a file) is stored with its **trace**: every file the analysis read, with
the digest of the bytes it read, the path it reported and the module name it gave it, and every
module-name and path lookup it made, with the answer (including "not in the tree"). A stored
result is used only when every one of those answers is still the same, and the inputs of the
piece of work itself (its file's digest, the configuration, the words that widen the
prefilter) are part of its key. The analysis of one file is a deterministic function of exactly
these (zlint/analysis reaches other files only through ``Project``, which records the trace), so
a reused result is the result a fresh run would compute. Which files the prefilter lets through
is re-derived every run from per-file verdicts that are themselves keyed by digest (and by the
exact set of wrapper names, for the second and later rounds).

Files
-----
``files.json`` (each file's stat, digest and prefilter verdicts), ``listings.json`` (each folder's
listing and the last walks, zlint/discovery.py), ``index.json`` (index units), ``run-*.json``
(findings per configuration), ``meta.json`` (small facts), ``replay-*.json`` (one whole run's
snapshot each, zlint/replay.py). A run reads only the files it needs: a replayed run, meta.json
and its snapshot.

Robustness
----------
Everything is JSON (never pickle: a cache directory can come with a checkout). A missing,
unreadable or malformed cache file is treated as empty. Writes go to a temporary file in the same
folder and are renamed into place, so a reader never sees half a file; two runs writing at once
only cost each other entries. The folder holds a ``.gitignore`` of ``*`` and a CACHEDIR.TAG, and
``tmp/``, where ``zlint fix`` writes each fixed file before renaming it over the old one
(zlint/writes.py; a temporary file a killed run left there is removed by the next).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

FORMAT = 1
RACY_SECONDS = 2.0  # a file changed this shortly before it was read may change again unseen
MAX_VARIANTS = 2  # results kept per file (e.g. with and without a wrapper)
KEEP_RUN_FILES = 4  # configurations kept per code key
KEEP_REPLAYS = 8  # whole-run snapshots (zlint/replay.py) kept per code key
KEEP_CODE_DIRS = 3
SCRATCH = "tmp"  # zlint fix's temporary files, before each is renamed over the file it fixes
_DEPENDENCIES = ("libcst", "jsonschema", "referencing", "pyyaml", "pathspec")
_CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                 "# This file is a cache directory tag created by zlint.\n"
                 "# For information about cache directory tags see https://bford.info/cachedir/\n")


def stat_list(info: os.stat_result) -> list[int]:
    """A stat as the cache keeps it: [size, mtime, ctime, inode] (times in ns)."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def racy(stat: list, at: float) -> bool:
    """Whether something with this stat (``stat_list``) changed within RACY_SECONDS before ``at``,
    when it was read: an unchanged stat then cannot prove unchanged content."""
    return at - stat[1] / 1e9 < RACY_SECONDS or at - stat[2] / 1e9 < RACY_SECONDS


def default_directory(root: Path) -> Path:
    return root / ".zlint_cache"


def prepare_directory(directory: Path) -> None:
    """Make the cache directory, with its ``.gitignore`` of ``*`` and CACHEDIR.TAG (OSError if it
    cannot be made)."""
    if not directory.is_dir():
        directory.mkdir(parents=True, exist_ok=True)
    ignore = directory / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Created by zlint automatically.\n*\n", encoding="utf-8")
    tag = directory / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text(_CACHEDIR_TAG, encoding="utf-8")


def prepare_scratch(folder: Path) -> None:
    """Make ``<cache directory>/tmp``, where ``zlint fix`` makes its temporary files (zlint/writes.py),
    and the cache directory around it (OSError if it cannot be made)."""
    prepare_directory(folder.parent)
    folder.mkdir(exist_ok=True)


def reader() -> int | None:
    """Who runs zlint (the user id): what a walk lists and a run reads depends on it, so a cache
    shared by several users keeps their walks and results apart."""
    return os.getuid() if hasattr(os, "getuid") else None


def _hash(*parts) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode("utf-8", "surrogatepass")).hexdigest()


def code_key() -> str:
    """Identifies the code and data that produce results: zlint (its files), its rules and schemas,
    Python, and the libraries whose behaviour shows in findings."""
    from zlint import __version__
    from zlint.resources import data_dir

    package = Path(__file__).resolve().parent
    top = str(package) + os.sep
    files = []
    for folder, dirs, names in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith((".py", ".json", ".md", ".toml", ".yaml")):
                path = os.path.join(folder, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                files.append((path[len(top):], info.st_size, info.st_mtime_ns))  # (relative: a prefix off)
    data = []
    for name in ("rules", "schemas"):
        base = data_dir(name)
        for folder, dirs, names in os.walk(base):
            dirs.sort()
            for file in sorted(names):
                path = os.path.join(folder, file)
                try:
                    with open(path, "rb") as handle:
                        data.append((path[len(str(base)) + 1:], hashlib.sha1(handle.read()).hexdigest()))
                except OSError:
                    continue
    return _hash(FORMAT, __version__, sys.version_info[:2], sys.implementation.name, files, data,
                 _dependency_versions())


def _dependency_versions() -> list[str]:
    """``name-version`` of the libraries zlint uses, read from the names of their dist-info folders
    (cheap: no import, one listing per site-packages folder)."""
    found = []
    seen_dirs = set()
    for entry in sys.path:
        if not entry or entry in seen_dirs or not os.path.isdir(entry):
            continue
        seen_dirs.add(entry)
        try:
            names = os.listdir(entry)
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                project = name[: -len(".dist-info")].split("-", 1)[0].lower().replace(".", "_")
                if project in _DEPENDENCIES:
                    found.append(name.lower())
    return sorted(found)


def run_key(code: str, config, target) -> str:
    """The code key, the resolved configuration (every field) and the target version."""
    fields = {name: repr(_canonical(getattr(config, name))) for name in config.FIELDS}
    return _hash(code, fields, repr(target))


def _canonical(value):
    """The value with every set in it sorted: a set's repr follows the process's hash seed, and
    a key that changes with every process is never found again."""
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return sorted(((repr(k), _canonical(v)) for k, v in value.items()), key=repr)
    return value


def tokens_key(tokens) -> str:
    return _hash(sorted(tokens))


def anchors_key(anchors: dict[str, set[str]]) -> str:
    return _hash(sorted((name, sorted(words)) for name, words in anchors.items()))


def _read_json(path: Path):
    try:
        with open(path, "rb") as handle:
            return json.loads(handle.read())
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None


def _write_json(path: Path, data) -> None:
    """Atomically (temporary file and rename); a failure leaves the old file, never half of one."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(json.dumps(data, separators=(",", ":")))  # dumps: the C encoder
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


class Cache:
    """One cache directory, for one code key. Loaded on first use, written by ``save``."""

    def __init__(self, directory: Path, code: str | None = None) -> None:
        self.directory = directory
        self.code = code or code_key()
        self.folder = directory / f"v{FORMAT}-{self.code[:20]}"
        self._files: dict | None = None
        self._index: dict | None = None
        self._runs: dict[str, dict] = {}
        self._meta: dict | None = None
        self._dirty: set[str] = set()
        self._replays: dict | None = None
        self._listings: dict | None = None  # folder listings and walks (listings.json)
        # the index units this run asked for (path -> key) and the units it stored, for zlint/replay.py
        self.index_asked: dict[str, str] = {}
        self.units_stored = 0
        # what this process's discovery read, for zlint/replay.py (None: it cannot tell)
        self.noted_folders: dict[str, list] | None = {}
        self.noted_ignores: dict[str, list | None] = {}
        self._recorders: list[tuple[dict, dict]] = []

    # -- loading -----------------------------------------------------------------------

    def _load(self, name: str) -> dict:
        data = _read_json(self.folder / name)
        return data if isinstance(data, dict) and data.get("format") == FORMAT else {"format": FORMAT}

    @property
    def files(self) -> dict:
        if self._files is None:
            self._files = self._load("files.json")
            self._files.setdefault("entries", {})
            if not isinstance(self._files["entries"], dict):
                self._files["entries"] = {}
            self._files.pop("folders", None)  # kept in listings.json now
            self._files.pop("walks", None)
        return self._files["entries"]

    def _listings_data(self) -> dict:
        """Folder listings and walks (listings.json): apart from the files' entries, so that a run
        that only needs a listing or two does not read the entry of every file."""
        if self._listings is None:
            self._listings = self._load("listings.json")
        return self._listings

    @property
    def index(self) -> dict:
        if self._index is None:
            self._index = self._load("index.json")
            if not isinstance(self._index.get("units"), dict):
                self._index["units"] = {}
        return self._index["units"]

    def _run(self, key: str) -> dict:
        if key not in self._runs:
            data = self._load(f"run-{key[:20]}.json")
            for part in ("units", "recordings"):
                if not isinstance(data.get(part), dict):
                    data[part] = {}
            self._runs[key] = data
        return self._runs[key]

    @property
    def meta(self) -> dict:
        if self._meta is None:
            self._meta = self._load("meta.json")
        return self._meta

    # -- files -------------------------------------------------------------------------

    def file_state(self, path: str | Path, info: os.stat_result | None) -> tuple[str, bool, list] | None:
        """(digest, prefilter verdict, entry) of an unchanged file, by its stat alone; else None."""
        entry = self.files.get(str(path))
        try:
            if (entry is None or info is None or entry[6] or entry[0] != info.st_size or entry[1] != info.st_mtime_ns
                    or entry[2] != info.st_ctime_ns or entry[3] != info.st_ino):
                return None
            return entry[4], bool(entry[5]), entry
        except (IndexError, TypeError, KeyError):
            return None

    def remember_file(self, path: str | Path, info: os.stat_result | list | None, digest: str, direct: bool,
                      read_at: float) -> list:
        """Note a file's digest and prefilter verdict with its stat (taken before it was read)."""
        key = str(path)
        old = self.files.get(key)
        uses = old[7] if isinstance(old, list) and len(old) > 8 and old[4] == digest else {}
        if info is not None and not isinstance(info, list):
            info = stat_list(info)
        if info is None:
            entry = [-1, -1, -1, -1, digest, direct, True, uses, None]
        else:
            entry = [*info, digest, direct, racy(info, read_at), uses, None]
        if old != entry:
            self.files[key] = entry
            self._dirty.add("files")
        return entry

    # -- what discovery read (for the replay of a whole run) ------------------------------

    def note_folder(self, folder: str, info: os.stat_result | list) -> None:
        stat = info if isinstance(info, list) else stat_list(info)
        if self.noted_folders is not None:
            self.noted_folders[folder] = stat
        for folders, _ in self._recorders:
            folders[folder] = stat

    def note_ignore_file(self, path: str, stat: list | None | bool = False) -> None:
        if stat is False:
            try:
                stat = stat_list(os.stat(path))
            except OSError:
                stat = None
        self.noted_ignores[path] = stat
        for _, ignores in self._recorders:
            ignores[path] = stat

    def note_incomplete(self) -> None:
        self.noted_folders = None
        for folders, _ in self._recorders:
            folders[""] = None  # marks the walk as not replayable

    def start_recording(self) -> tuple[dict, dict]:
        """Start noting what discovery reads (folders, .gitignore files) into fresh dicts."""
        recorder = ({}, {})
        self._recorders.append(recorder)
        return recorder

    def stop_recording(self, recorder) -> None:
        self._recorders.remove(recorder)

    def walk(self, key: str):
        walks = self._listings_data().get("walks")
        return walks.get(key) if isinstance(walks, dict) else None

    def remember_walk(self, key: str, snapshot: dict) -> None:
        walks = self._listings_data().get("walks")
        if not isinstance(walks, dict):
            walks = self._listings_data()["walks"] = {}
        walks.pop(key, None)
        while len(walks) >= 4:
            walks.pop(next(iter(walks)))
        walks[key] = snapshot
        self._dirty.add("listings")

    def replay(self, key: str):
        """The snapshot of the run with this key (zlint/replay.py), one file per key: a run reads
        only its own."""
        if self._replays is None:
            self._replays = {}
        if key not in self._replays:
            data = self._load(f"replay-{key[:20]}.json")
            self._replays[key] = data.get("snapshot") if data.get("key") == key else None
        return self._replays[key]

    def remember_replay(self, key: str, snapshot: dict) -> None:
        if self._replays is None:
            self._replays = {}
        self._replays[key] = snapshot
        self._dirty.add(f"replay:{key}")

    # -- folder listings (discovery) ----------------------------------------------------

    def listing(self, folder: str, info: os.stat_result) -> list | None:
        """A folder's listing as last read ([files, folders, has .gitignore]), while the folder's
        stat says no entry was added, removed or renamed since (and it was not changed just before
        it was read), and when the same user read it (another may not be allowed to)."""
        folders = self._listings_data().get("folders")
        entry = folders.get(folder) if isinstance(folders, dict) else None
        try:
            if (entry is None or entry[3] or entry[0] != info.st_mtime_ns or entry[1] != info.st_ctime_ns
                    or entry[2] != info.st_ino or entry[6] != reader()):
                return None
            listing = entry[4]
            if not (isinstance(listing, list) and len(listing) == 3 and isinstance(listing[0], list)
                    and isinstance(listing[1], list) and isinstance(listing[2], bool)
                    and all(isinstance(name, str) for name in [*listing[0], *listing[1]])):
                return None
            return listing
        except (IndexError, TypeError):
            return None

    def remember_listing(self, folder: str, info: os.stat_result, read_at: float, listing: list) -> None:
        folders = self._listings_data().setdefault("folders", {})
        if not isinstance(folders, dict):
            folders = self._listings_data()["folders"] = {}
        entry = [info.st_mtime_ns, info.st_ctime_ns, info.st_ino, racy(stat_list(info), read_at), listing, [],
                 reader()]
        old = folders.get(folder)
        try:  # the earlier stats (not changed just before they were read) with this very listing
            if old[4] == listing:
                earlier = [stat for stat in old[5] if isinstance(stat, list) and len(stat) == 3]
                entry[5] = ([*earlier, old[:3]] if not old[3] and old[:3] not in earlier else earlier)[-4:]
        except (IndexError, TypeError, KeyError):
            pass
        if folders.get(folder) != entry:
            folders[folder] = entry
            self._dirty.add("listings")

    def listings(self) -> dict:
        """Each folder's stored listing entry: [mtime, ctime, inode, racy, listing, [[mtime, ctime,
        inode] of earlier reads that gave the same listing], the user who read it]."""
        folders = self._listings_data().get("folders")
        return folders if isinstance(folders, dict) else {}

    def _files_data(self) -> dict:
        self.files  # noqa: B018 - loads the file
        return self._files

    def uses_verdict(self, entry: list | None, digest: str, key: str) -> bool | None:
        """Whether a file (by digest) mentions a known wrapper with its module, for the anchors ``key``."""
        try:
            if entry is None or entry[4] != digest or not isinstance(entry[7], dict):
                return None
            found = entry[7].get(key)
            return found if isinstance(found, bool) else None
        except (IndexError, TypeError):
            return None

    def remember_uses(self, entry: list | None, digest: str, key: str, verdict: bool) -> None:
        if entry is None or entry[4] != digest:
            return
        if not isinstance(entry[7], dict):
            entry[7] = {}
        if entry[7].get(key) != verdict:
            if key not in entry[7] and len(entry[7]) >= 4:
                entry[7].clear()  # wrapper sets of long ago
            entry[7][key] = verdict
            self._dirty.add("files")

    def forget_missing(self, present: set[str]) -> None:
        """Drop what is kept of files and folders that no longer exist (those merely outside this
        run stay)."""
        for key in [k for k in self.files if k not in present]:
            if not os.path.exists(key):
                del self.files[key]
                self.index.pop(key, None)
                for data in self._runs.values():
                    data["units"].pop(key, None)
                    data["recordings"].pop(key, None)
                self._dirty.update({"files", "index", *(f"run:{run}" for run in self._runs)})
        folders = self._listings_data().get("folders")
        if isinstance(folders, dict):
            for folder in [f for f in folders if self.noted_folders is None or f not in self.noted_folders]:
                if not os.path.isdir(folder):
                    del folders[folder]
                    self._dirty.add("listings")

    # -- results with traces -----------------------------------------------------------

    def _get(self, table: dict, path: Path, key: str):
        variants = table.get(str(path))
        if not isinstance(variants, list):
            return None
        for variant in variants:
            if isinstance(variant, list) and len(variant) == 3 and variant[0] == key:
                return variant[1], variant[2]
        return None

    def _put(self, table: dict, path: Path, key: str, trace, value, dirty: str) -> None:
        variants = table.get(str(path))
        variants = [v for v in variants if isinstance(v, list) and len(v) == 3 and v[0] != key] \
            if isinstance(variants, list) else []
        table[str(path)] = [[key, trace, value], *variants][:MAX_VARIANTS]
        self._dirty.add(dirty)

    def index_unit(self, path: Path, key: str):
        self.index_asked[str(path)] = key
        return self._get(self.index, path, key)

    def stored_index_unit(self, path: str, key: str):
        """index_unit, without noting it as asked by the run."""
        return self._get(self.index, Path(path), key)

    def remember_index_unit(self, path: Path, key: str, trace, value, ahead: bool = False) -> None:
        """``ahead``: of code not on disk yet (zlint fix's check of a fixed file), not a unit the run used."""
        self.units_stored += not ahead
        self._put(self.index, path, key, trace, value, "index")

    def check_unit(self, run: str, path: Path, key: str):
        return self._get(self._run(run)["units"], path, key)

    def remember_check_unit(self, run: str, path: Path, key: str, trace, value, ahead: bool = False) -> None:
        self.units_stored += not ahead
        self._put(self._run(run)["units"], path, key, trace, value, f"run:{run}")

    def recording(self, run: str, path: Path, key: str):
        found = self._get(self._run(run)["recordings"], path, key)
        return found[1] if found is not None else None

    def remember_recording(self, run: str, path: Path, key: str, value) -> None:
        self._put(self._run(run)["recordings"], path, key, None, value, f"run:{run}")

    # -- small facts -------------------------------------------------------------------

    def fact(self, name: str, key: str):
        table = self.meta.get(name)
        return table.get(key) if isinstance(table, dict) else None

    def remember_fact(self, name: str, key: str, value) -> None:
        table = self.meta.get(name)
        if not isinstance(table, dict):
            table = self.meta[name] = {}
        if table.get(key) != value:
            if len(table) >= 16:
                table.clear()
            table[key] = value
            self._dirty.add("meta")

    # -- writing -----------------------------------------------------------------------

    def save(self) -> None:
        """Write what changed; a cache that cannot be written is skipped without a word."""
        if not self._dirty:
            return
        try:
            self._prepare_directory()
            if "files" in self._dirty:
                _write_json(self.folder / "files.json", self._files)
            if "index" in self._dirty:
                _write_json(self.folder / "index.json", self._index)
            if "meta" in self._dirty:
                _write_json(self.folder / "meta.json", self._meta)
            for key, snapshot in (self._replays or {}).items():
                if f"replay:{key}" in self._dirty:
                    _write_json(self.folder / f"replay-{key[:20]}.json", {"format": FORMAT, "key": key,
                                                                            "snapshot": snapshot})
            if "listings" in self._dirty:
                _write_json(self.folder / "listings.json", self._listings)
            for key, data in self._runs.items():
                if f"run:{key}" in self._dirty:
                    _write_json(self.folder / f"run-{key[:20]}.json", data)
            self._dirty.clear()
            self._prune()
        except (OSError, TypeError, ValueError, RecursionError):
            pass

    def _prepare_directory(self) -> None:
        prepare_directory(self.directory)
        self.folder.mkdir(exist_ok=True)

    def _prune(self) -> None:
        """Keep the newest few configurations and code versions."""
        now = time.time()
        os.utime(self.folder, (now, now))
        for pattern, keep in (("run-*.json", KEEP_RUN_FILES), ("replay-*.json", KEEP_REPLAYS)):
            found = sorted(self.folder.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
            for stale in found[keep:]:
                stale.unlink(missing_ok=True)
        codes = sorted((p for p in self.directory.glob(f"v{FORMAT}-*") if p.is_dir()),
                       key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in codes[KEEP_CODE_DIRS:]:
            for file in stale.iterdir():
                file.unlink(missing_ok=True)
            stale.rmdir()
