"""Which files a run looks at: the given paths, less excludes and what .gitignore files ignore."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pathspec

from zlint.config import Config

PYTHON_SUFFIXES = (".py", ".pyi")
RECORDING_SUFFIXES = (".yaml", ".yml", ".json", ".har")


@dataclass(frozen=True)
class Discovered:
    path: Path  # absolute
    display: str  # as reported: relative to the working directory when below it
    root: Path  # the scanned folder it was found under (module names are also relative to it)

    @property
    def is_python(self) -> bool:
        return self.path.suffix in PYTHON_SUFFIXES


class MissingPath(Exception):
    pass


def _display(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def _spec(patterns: list[str]) -> pathspec.PathSpec:
    return pathspec.PathSpec.from_lines("gitignore", patterns)


def discover(paths: list[Path], config: Config, cwd: Path) -> list[Discovered]:
    """Python files and possible recordings under ``paths``, in a stable order. Named files are
    taken as they are."""
    exclude = _spec(config.exclude)
    found: dict[Path, Discovered] = {}
    for given in paths:
        absolute = (cwd / given).resolve() if not given.is_absolute() else given.resolve()
        if not absolute.exists():
            raise MissingPath(f"{given}: no such file or directory")
        if absolute.is_file():
            found.setdefault(absolute, Discovered(absolute, _display(absolute, cwd), absolute.parent))
            continue
        for file in _walk(absolute, config, exclude):
            found.setdefault(file, Discovered(file, _display(file, cwd), absolute))
    return sorted(found.values(), key=lambda d: d.display)


def project_root(config: Config, cwd: Path) -> Path | None:
    """The folder of the config file, else the git work tree around ``cwd``, else none."""
    if config.source is not None:
        return config.root
    for folder in [cwd, *cwd.parents]:
        if (folder / ".git").exists():
            return folder
    return None


def project_files(given: list[Discovered], config: Config, cwd: Path) -> list[Discovered]:
    """The project's other Python files, so that a run over a few files (pre-commit) still knows
    the wrappers and constants defined elsewhere. Empty when the given files lie outside a project."""
    root = project_root(config, cwd)
    if root is None or not given or any(_relative(item.path, root) is None for item in given):
        return []
    named = {item.path for item in given}
    return [item for item in discover([root], config, cwd) if item.is_python and item.path not in named]


def _relative(path: Path, base: Path) -> str | None:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return None


def _walk(top: Path, config: Config, exclude: pathspec.PathSpec):
    ignores: list[tuple[Path, pathspec.PathSpec]] = []
    if config.respect_gitignore:
        for folder in reversed([top, *top.parents]):
            spec = _gitignore(folder)
            if spec is not None:
                ignores.append((folder, spec))
    # A folder named on the command line is walked even if an exclude names it (or a parent of it):
    # then only the excludes below it apply.
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

    for folder, dirs, files in os.walk(top):
        here = Path(folder)
        if config.respect_gitignore and here != top:
            spec = _gitignore(here)
            if spec is not None:
                ignores.append((here, spec))
        dirs[:] = sorted(d for d in dirs if not skipped(here / d, True))
        for name in sorted(files):
            if name.endswith(PYTHON_SUFFIXES + RECORDING_SUFFIXES):
                path = here / name
                if not path.is_symlink() and not skipped(path, False):
                    yield path


def _gitignore(folder: Path) -> pathspec.PathSpec | None:
    ignore_file = folder / ".gitignore"
    if not ignore_file.is_file():
        return None
    try:
        return _spec(ignore_file.read_text(encoding="utf-8", errors="replace").splitlines())
    except OSError:
        return None
