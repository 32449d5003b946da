"""Which files a run looks at: the given paths, less excludes and what .gitignore files ignore.

A folder that cannot be listed is taken as an entry of its own (``Discovered.folder``, its display
ending in ``/``), and so is a .gitignore that cannot be read (``Discovered.ignore_file``; its
patterns are not applied): the run reports each as ZL004 (zlint/engine.py), going on with the rest.
"""

from __future__ import annotations

import errno
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from zlint.config import Config, project_root

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (a cached run never needs it)
if TYPE_CHECKING:
    import pathspec

PYTHON_SUFFIXES = (".py", ".pyi")
CACHE_FOLDER = ".zlint_cache"  # zlint's own cache (zlint/cache.py) is never scanned
RECORDING_SUFFIXES = (".yaml", ".yml", ".json", ".har")


@dataclass(frozen=True)
class Discovered:
    path: Path  # absolute
    display: str  # as reported: relative to the working directory when below it
    root: Path  # the scanned folder it was found under (module names are also relative to it)
    folder: bool = False  # a folder that could not be listed: not read, reported (display ends with "/")
    ignore_file: bool = False  # a .gitignore that could not be read: its patterns not applied, reported

    @property
    def unreadable(self) -> bool:
        """A folder or .gitignore that discovery could not read: reported as ZL004, not checked."""
        return self.folder or self.ignore_file

    @property
    def is_python(self) -> bool:
        """A Python file, by the display's last part (pathlib's suffix is slow for 10,000 files)."""
        return not self.unreadable and is_python_name(self.display.rpartition("/")[2])


def is_python_name(name: str) -> bool:
    """Whether a file name has a Python suffix (``Path(name).suffix in PYTHON_SUFFIXES``, without
    pathlib): it ends with one and has more before it (``.py`` alone has no suffix)."""
    for suffix in PYTHON_SUFFIXES:
        if name.endswith(suffix):
            return len(name) > len(suffix)
    return False


def is_candidate_name(name: str) -> bool:
    """Whether a walk keeps a file, by its name: a Python file, or a possible recording, whose
    extension may be in any case (exports write session.HAR and cassette.YAML)."""
    return name.endswith(PYTHON_SUFFIXES) or name.lower().endswith(RECORDING_SUFFIXES)


class MissingPath(Exception):
    pass


def _display(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def _spec(patterns: list[str]) -> pathspec.PathSpec:
    import pathspec  # here: a run replayed from the cache walks nothing and needs no pathspec

    return pathspec.PathSpec.from_lines("gitignore", patterns)


class _Matcher:
    """``spec.match_file``, answered by one combined regex when the spec has no negated pattern
    (then a path matches when any pattern does); else by pathspec itself."""

    def __init__(self, spec: pathspec.PathSpec) -> None:
        self.spec = spec
        self.combined = None
        self.empty = False
        try:
            patterns = [p for p in spec.patterns if getattr(p, "include", None) is not None]
            if all(p.include is True and getattr(p, "regex", None) is not None for p in patterns):
                if not patterns:
                    self.empty = True
                else:
                    self.combined = _combine([p.regex.pattern for p in patterns])
        except (re.error, AttributeError, TypeError):
            self.combined = None

    def __call__(self, relative: str) -> bool:
        if self.empty:
            return False
        if self.combined is not None and not relative.startswith(("/", "./")) and "\\" not in relative:
            return self.combined.match(relative) is not None
        return self.spec.match_file(relative)


_ANY_LEVEL, _END = "^(?:.+/)?", "(?:/|$)"


def _combine(regexes: list[str]) -> re.Pattern[str]:
    """One regex matching where any of ``regexes`` matches; the many gitignore patterns that match
    a name at any level share their prefix and suffix, so those are tried as one alternation."""
    names = [r[len(_ANY_LEVEL):-len(_END)] for r in regexes if r.startswith(_ANY_LEVEL) and r.endswith(_END)
             and "(" not in r[len(_ANY_LEVEL):-len(_END)]]
    rest = [r for r in regexes if not (r.startswith(_ANY_LEVEL) and r.endswith(_END)
                                      and "(" not in r[len(_ANY_LEVEL):-len(_END)])]
    parts = [f"(?:{r})" for r in rest]
    if names:
        parts.insert(0, f"{_ANY_LEVEL}(?:{'|'.join(names)}){_END}")
    return re.compile("|".join(parts))


def _relative_text(path: str, base: str) -> str | None:
    """``Path(path).relative_to(base).as_posix()`` for normalized absolute POSIX paths."""
    if path == base:
        return "."
    prefix = base if base.endswith("/") else base + "/"
    return path[len(prefix):] if path.startswith(prefix) else None


def discover(paths: list[Path], config: Config, cwd: Path, cache=None, cache_folder: Path | None = None
             ) -> list[Discovered]:
    """Python files and possible recordings under ``paths``, in a stable order. Named files are
    taken as they are. ``cache`` (zlint.cache.Cache) keeps each folder's listing, re-read only when
    the folder's stat says an entry came, went or was renamed. zlint's cache folder (``cache``'s,
    else ``cache_folder``: with --no-cache it may still be there) is never walked into."""
    exclude = _spec(config.exclude)
    own = cache.directory if cache is not None else cache_folder
    own_cache = str(own) if own is not None else None
    found: dict[str, Discovered] = {}
    displayed = _displayer(cwd)
    for given in paths:
        try:
            absolute = (cwd / given).resolve() if not given.is_absolute() else given.resolve()
            missing = not absolute.exists()
        except (RuntimeError, OSError):  # a symlink loop (RuntimeError before Python 3.13)
            missing = True
        if missing:
            raise MissingPath(f"{given}: {_why_missing(cwd / given)}")
        if absolute.is_file():
            found.setdefault(str(absolute), Discovered(absolute, _display(absolute, cwd), absolute.parent))
            continue
        folders: dict[str, Path] = {}
        unlisted: list[tuple[str, bool]] = []
        for file, display in _walked(absolute, config, exclude, cache, cwd, displayed, unlisted, own_cache):
            if file not in found:
                folder, _, name = file.rpartition("/")
                parent = folders.get(folder)
                if parent is None:
                    parent = folders[folder] = Path(folder)
                found[file] = Discovered(_child(parent, name), display, absolute)
        for entry, is_folder in unlisted:
            display = displayed(entry)
            if not is_folder:
                found.setdefault(entry, Discovered(Path(entry), display, absolute, ignore_file=True))
            else:
                found.setdefault(entry, Discovered(Path(entry), display if display.endswith("/") else display + "/",
                                                   absolute, folder=True))
    return sorted(found.values(), key=lambda d: d.display)


def _why_missing(path: Path) -> str:
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "too many levels of symbolic links"
    return "no such file or directory"


def _walked(top: Path, config: Config, exclude, cache, cwd: Path, displayed, unlisted: list[tuple[str, bool]],
            own_cache: str | None) -> list:
    """[file, display] of the files under ``top``; with a cache, the last walk's answer while every
    folder it listed and every .gitignore it looked for has the same stat (and had it for over two
    seconds when the walk read it, so that an unchanged stat proves an unchanged listing). The
    folders that cannot be listed and the .gitignore files that cannot be read are added to
    ``unlisted``, as (path, whether it is the folder) (a walk with one is not kept)."""
    if cache is None or os.sep != "/":
        return [[file, displayed(file)] for file, _, _ in _walk(top, config, exclude, cache, unlisted, own_cache)]
    from zlint.cache import _hash, racy, reader

    key = _hash("walk", cache.code, str(top), str(config.root), list(config.exclude), config.respect_gitignore,
                str(cwd), str(cache.directory), reader())
    stored = cache.walk(key)
    prefix = str(top).rstrip("/") + "/"
    if _walk_still_holds(stored):
        for folder, stat in stored["folders"].items():
            cache.note_folder(folder, stat)
        for path, stat in stored["ignores"].items():
            cache.note_ignore_file(path, stat)
        return [[prefix + relative, displayed(prefix + relative)] for relative in stored["files"]]
    started = time.time()
    recorder = cache.start_recording()
    try:
        files = [[file, displayed(file)] for file, _, _ in _walk(top, config, exclude, cache, unlisted, own_cache)]
    finally:
        cache.stop_recording(recorder)
    folders, ignores = recorder
    settled = lambda stat: stat is None or not racy(stat, started)  # noqa: E731
    if "" not in folders and all(stat is not None and settled(stat) for stat in folders.values()) and all(
            settled(stat) for stat in ignores.values()):
        cache.remember_walk(key, {"folders": folders, "ignores": ignores,
                                  "files": [file[len(prefix):] for file, _ in files]})
    return files


def _walk_still_holds(stored) -> bool:
    from zlint.cache import stat_list

    if not isinstance(stored, dict):
        return False
    try:
        for folder, stat in stored["folders"].items():
            info = os.stat(folder)
            if stat_list(info) != stat:
                return False
        for path, stat in stored["ignores"].items():
            try:
                info = os.stat(path)
                current = stat_list(info)
            except OSError:
                current = None
            if current != stat:
                return False
        return isinstance(stored["files"], list) and all(isinstance(f, str) for f in stored["files"])
    except (OSError, KeyError, TypeError, AttributeError, ValueError):
        return False


def _child(folder: Path, name: str) -> Path:
    """``folder / name`` for a plain file name, without parsing it again."""
    make = getattr(folder, "_make_child_relpath", None)
    return make(name) if make is not None and _FAST_CHILD else folder / name


def _fast_child_works() -> bool:
    try:
        probe = Path("/a/b")._make_child_relpath("c.py")
        return probe == Path("/a/b/c.py") and str(probe) == "/a/b/c.py" and probe.name == "c.py" \
            and probe.parent == Path("/a/b") and hash(probe) == hash(Path("/a/b/c.py"))
    except Exception:  # noqa: BLE001 - a private method of pathlib: used only while it behaves
        return False


_FAST_CHILD = os.sep == "/" and _fast_child_works()


def _displayer(cwd: Path):
    """``_display`` of a walked file given as a string (string arithmetic where the paths allow it)."""
    base = str(cwd)
    if os.sep != "/" or os.path.normpath(base) != base:
        return lambda path: _display(Path(path), cwd)

    def display(path: str) -> str:
        relative = _relative_text(path, base)
        return relative if relative is not None else Path(path).as_posix()

    return display


def project_files(given: list[Discovered], config: Config, cwd: Path, walked: list[Path] = (),
                  cache=None, cache_folder: Path | None = None) -> list[Discovered]:
    """The project's other Python files, so that a run over a few files (pre-commit) still knows
    the wrappers and constants defined elsewhere. Empty when the given files lie outside a project.
    ``walked``: folders the given files came from; when one is the project root, its files are
    all given already."""
    root = project_root(config, cwd)
    if root is None or not given or any(folder == root for folder in walked):
        return []  # (a walk of the root: discover([root]) would find exactly the files given)
    if any(_relative(item.path, root) is None for item in given):
        return []
    named = {item.display for item in given}  # a display names one path
    return [item for item in discover([root], config, cwd, cache, cache_folder)
            if item.display not in named and item.is_python]


def _relative(path: Path, base: Path) -> str | None:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return None


def _walk(top: Path, config: Config, exclude: pathspec.PathSpec, cache=None,
          unlisted: list[tuple[str, bool]] | None = None,
          own_cache: str | None = None):
    """The files under ``top`` (as strings) that are not excluded or git-ignored, outside zlint's
    cache folder ``own_cache``; the folders that cannot be listed and the .gitignore files that cannot be
    read are added to ``unlisted``."""
    if os.sep != "/" or os.path.normpath(str(top)) != str(top) or os.path.normpath(str(config.root)) != str(config.root):
        if cache is not None:
            cache.note_incomplete()
        for path in _walk_paths(top, config, exclude, unlisted, own_cache):
            yield str(path), str(path.parent), path.name
        return
    excluded = _Matcher(exclude)
    top_text, root_text = str(top), str(config.root)
    ignores: list[tuple[str, _Matcher]] = []
    if config.respect_gitignore:
        for folder in reversed([top, *top.parents]):
            if cache is not None:
                cache.note_ignore_file(str(folder / ".gitignore"))
            spec = _gitignore(folder, unlisted, cache)
            if spec is not None:
                ignores.append((str(folder), _Matcher(spec)))
    # A folder named on the command line is walked even if an exclude names it (or a parent of it):
    # then only the excludes below it apply.
    top_relative = _relative_text(top_text, root_text)
    from_root = top_relative is not None and not excluded(top_relative + "/")

    top_cut = len(top_text if top_text.endswith("/") else top_text + "/")
    root_cut = len(root_text if root_text.endswith("/") else root_text + "/")

    def skipped(path: str, is_dir: bool) -> bool:  # ``path`` lies below ``top`` (and then below the root)
        suffix = "/" if is_dir else ""
        relative = path[root_cut:] if from_root else None
        if relative is not None and excluded(relative + suffix):
            return True
        below_top = path[top_cut:]
        if below_top != relative and excluded(below_top + suffix):
            return True
        for base, spec in ignores:
            inner = _relative_text(path, base)
            if inner is not None and spec(inner + suffix):
                return True
        return False

    stack = [top_text]
    while stack:  # os.walk(top), top-down, in sorted order, not into symlinked folders
        here = stack.pop()
        found = _listing(here, cache)
        if found is None:
            if unlisted is not None:
                unlisted.append((here, True))
            continue
        files, dirs, has_gitignore = found
        if config.respect_gitignore and here != top_text and has_gitignore:
            if cache is not None:
                cache.note_ignore_file(here + "/.gitignore")
            spec = _gitignore(Path(here), unlisted, cache)
            if spec is not None:
                ignores.append((here, _Matcher(spec)))
        prefix = here if here.endswith("/") else here + "/"
        for name in files:
            path = prefix + name
            if not skipped(path, False):
                yield path, here, name
        kept = [name for name in dirs if name != CACHE_FOLDER and prefix + name != own_cache
                and not skipped(prefix + name, True)]
        for name in reversed(kept):
            stack.append(prefix + name)


def _listing(folder: str, cache) -> list | None:
    """[the folder's candidate files (regular files: not a symlink, FIFO or device), its
    subfolders (not symlinks), both sorted; whether a .gitignore may be there]; None when it
    cannot be listed (then nothing is kept: neither the walk nor the run's result is replayed,
    and the next run tries the folder again)."""
    info = None
    if cache is not None:
        try:
            info = os.stat(folder)
        except OSError:
            cache.note_incomplete()
            return None
        cache.note_folder(folder, info)
        known = cache.listing(folder, info)
        if known is not None:
            return known
    read_at = time.time()
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        if cache is not None:
            cache.note_incomplete()
        return None
    files, dirs = [], []
    has_gitignore = False
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if not entry.is_symlink():
                dirs.append(entry.name)
            continue
        name = entry.name
        if name == ".gitignore":
            has_gitignore = True  # a file or a symlink to one: _gitignore decides
        if is_candidate_name(name):
            try:
                regular = entry.is_file(follow_symlinks=False)
            except OSError:
                regular = False
            if regular:
                files.append(name)
    found = [sorted(files), sorted(dirs), has_gitignore]
    if cache is not None:
        cache.remember_listing(folder, info, read_at, found)
    return found


def _walk_paths(top: Path, config: Config, exclude: pathspec.PathSpec,
                unlisted: list[tuple[str, bool]] | None = None,
                own_cache: str | None = None):
    """_walk with pathlib (any platform, any path)."""
    ignores: list[tuple[Path, pathspec.PathSpec]] = []
    if config.respect_gitignore:
        for folder in reversed([top, *top.parents]):
            spec = _gitignore(folder, unlisted)
            if spec is not None:
                ignores.append((folder, spec))
    top_relative = _relative(top, config.root)
    from_root = top_relative is not None and not exclude.match_file(top_relative + "/")

    def skipped(path: Path, is_dir: bool) -> bool:
        suffix = "/" if is_dir else ""
        relative = _relative(path, config.root) if from_root else None
        if relative is not None and exclude.match_file(relative + suffix):
            return True
        below_top = _relative(path, top)
        if below_top is not None and exclude.match_file(below_top + suffix):
            return True
        for base, spec in ignores:
            inner = _relative(path, base)
            if inner is not None and spec.match_file(inner + suffix):
                return True
        return False

    def cannot_list(error: OSError) -> None:
        if unlisted is not None and error.filename is not None:
            unlisted.append((os.fspath(error.filename), True))

    for folder, dirs, files in os.walk(top, onerror=cannot_list):
        here = Path(folder)
        if config.respect_gitignore and here != top:
            spec = _gitignore(here, unlisted)
            if spec is not None:
                ignores.append((here, spec))
        dirs[:] = sorted(d for d in dirs if d != CACHE_FOLDER and os.path.join(folder, d) != own_cache
                         and not skipped(here / d, True))
        for name in sorted(files):
            if is_candidate_name(name):
                path = here / name
                if not path.is_symlink() and path.is_file() and not skipped(path, False):  # not a FIFO, device
                    yield path


def _gitignore(folder: Path, unread: list[tuple[str, bool]] | None = None, cache=None) -> pathspec.PathSpec | None:
    """The patterns of ``folder``'s .gitignore, None without one. One that cannot be read is added
    to ``unread`` as (its path, False) (reported, and the walk is not cached: the next run tries it
    again)."""
    ignore_file = folder / ".gitignore"
    if not ignore_file.is_file():
        return None
    try:
        return _spec(ignore_file.read_text(encoding="utf-8", errors="replace").splitlines())
    except OSError:
        if unread is not None:
            unread.append((str(ignore_file), False))
        if cache is not None:
            cache.note_incomplete()
        return None
