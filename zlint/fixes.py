"""Applying the rules' edits: in memory, checked by re-parsing, then written atomically.

A file is written only when it was asked for and its fixed code parses; the write goes through a
temporary file in the same folder and a rename, keeping the file's bytes outside the edits (LibCST
round-trips them), its byte-order mark and its mode.
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import glob
import os
import signal
import stat
import tempfile
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from zlint.findings import Finding

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class HelperModule:
    """The project module that holds the job-waiting functions (the ``job-helper`` setting)."""

    name: str  # dotted, as the fixed files import it
    display: str  # its path as zlint shows and writes it
    existing: bytes | None  # its code today; None when zlint fix creates it


def helper_module(config, cwd: Path) -> HelperModule | None:
    """The module the ``job-helper`` setting names, as a file of the project (under src/ if that is
    where its package lives); None for the default, inline copies."""
    if config.job_helper is None:
        return None
    relative = Path(*config.job_helper.split(".")).with_suffix(".py")
    top = config.job_helper.split(".")[0]
    base = config.root / "src" if (config.root / "src" / top).is_dir() else config.root
    path = base / relative
    display = os.path.relpath(path, cwd).replace(os.sep, "/")
    return HelperModule(config.job_helper, display, path.read_bytes() if path.exists() else None)


@dataclass
class FixPlan:
    new_code: dict[str, bytes] = field(default_factory=dict)  # path -> fixed bytes
    old_code: dict[str, bytes] = field(default_factory=dict)
    applied: list[Finding] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    outside: list[tuple[Finding, str]] = field(default_factory=list)  # fixes that would touch other files
    created: list[str] = field(default_factory=list)  # files the plan makes (the helper module)


def plan(findings: list[Finding], contexts: dict, allowed: set[str], unsafe: bool,
         helper: HelperModule | None = None) -> FixPlan:
    """The fixed code of each file. ``contexts`` maps a path to its parsed ModuleContext;
    ``allowed`` names the files that may be changed; ``helper`` is where job-waiting functions go
    (None: into each file that calls them)."""
    from zlint.rewrites import helpers as job_helpers

    result = FixPlan()
    imported: set[str] = set()
    chosen: dict[str, list[tuple[Finding, list]]] = {}
    for finding in findings:
        if not finding.edits or finding.suppressed is not None:
            continue
        if finding.fix_safety != "safe" and not unsafe:
            continue
        elsewhere = [path for path, _, _ in finding.edits if path not in allowed]
        if elsewhere:
            result.outside.append((finding, elsewhere[0]))
            continue
        for path in dict.fromkeys(path for path, _, _ in finding.edits):
            mine = [(old, new) for where, old, new in finding.edits if where == path]
            chosen.setdefault(path, []).append((finding, mine))
    for path, wanted in sorted(chosen.items()):
        ctx = contexts[path]
        done: list[tuple[Finding, list]] = []
        replacements: dict[int, cst.CSTNode] = {}
        helpers: set[str] = set()
        for finding, edits in wanted:
            nodes = [old for old, _ in edits if old is not None]
            if any(id(old) in replacements and replacements[id(old)] is not new for old, new in edits) or any(
                    ctx.is_within(old, other) or ctx.is_within(other, old)
                    for old in nodes for other_id, other in _edited(done) if other_id != id(old)):
                continue  # overlaps an edit already taken: the next run applies it
            done.append((finding, edits))
            for old, new in edits:
                if old is None:
                    helpers.add(new)  # a function from rewrites/territory_jobs.py the edit calls
                else:
                    replacements[id(old)] = new
        module = ctx.module.visit(_Replacer(replacements))
        if helpers and helper is None:
            module = job_helpers.insert_inline(module, helpers)
        elif helpers:
            module = job_helpers.insert_import(module, helpers, helper.name)
        fixed = module.bytes
        if ctx.source.startswith(_BOM) and not fixed.startswith(_BOM):
            fixed = _BOM + fixed
        problem = parse_problem(fixed)
        if problem is not None:
            result.failed.append((path, problem))
            continue
        if fixed != ctx.source:
            result.new_code[path] = fixed
            result.old_code[path] = ctx.source
            result.applied.extend(f for f, _ in done)
            imported |= helpers
    if imported and helper is not None:
        code = job_helpers.helper_module_code(helper.existing, imported)
        if code != helper.existing:
            result.new_code[helper.display] = code
            result.old_code[helper.display] = helper.existing or b""
            if helper.existing is None:
                result.created.append(helper.display)
    return result


def _edited(done: list[tuple[Finding, list]]):
    for _, edits in done:
        for old, _ in edits:
            if old is not None:
                yield id(old), old


class _Replacer(cst.CSTTransformer):
    """Replaces nodes of the original tree, found by identity, in one pass."""

    def __init__(self, replacements: dict[int, cst.CSTNode]) -> None:
        super().__init__()
        self._replacements = replacements

    def on_leave(self, original_node, updated_node):
        return self._replacements.get(id(original_node), updated_node)


def parse_problem(code: bytes) -> str | None:
    try:
        cst.parse_module(code)
        with warnings.catch_warnings():  # the user's invalid escapes are theirs to see, not ours to print
            warnings.simplefilter("ignore")
            ast.parse(code)
    except (cst.ParserSyntaxError, SyntaxError, ValueError) as error:
        return f"the fixed code would not parse ({error})"
    return None


def write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically, keeping its mode (a new file gets the umask's)."""
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    for stale in path.parent.glob(f".{glob.escape(path.name)}.????????.zlint-tmp"):  # left by a killed run
        with contextlib.suppress(OSError):
            stale.unlink()
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".zlint-tmp")
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


class Interrupted(Exception):
    """``write_all`` stopped by SIGINT or SIGTERM: the files in ``written`` were replaced, the
    others not touched."""

    def __init__(self, signum: int, written: list[str], total: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum, self.written, self.total = signum, written, total


def write_all(files: list[tuple[str, Path, bytes]]) -> list[tuple[str, str]]:
    """Write ``(name, path, data)`` one file after another, each with ``write``. SIGINT and SIGTERM
    are held while a file is replaced and stop the run before the next one (``Interrupted`` says
    which were written); a file that cannot be written is skipped: ``(name, why)`` for each."""
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
                write(path, data)
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


def unified_diff(path: str, old: bytes, new: bytes) -> str:
    """A diff ``git apply`` takes (a/ and b/ prefixes, paths relative to the working directory)."""
    old_lines = old.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    new_lines = new.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    before = f"a/{path}" if old_lines else "/dev/null"  # a file the fix creates
    lines = difflib.unified_diff(old_lines, new_lines, before, f"b/{path}")
    out = []
    for line in lines:
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)
