"""Applying the rules' edits: in memory, checked by re-parsing, then written atomically.

A file is written only when it was asked for and its fixed code parses; the write goes through a
temporary file in the same folder and a rename, keeping the file's bytes outside the edits (LibCST
round-trips them), its byte-order mark and its mode.
"""

from __future__ import annotations

import ast
import difflib
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from zlint.findings import Finding

_BOM = b"\xef\xbb\xbf"


@dataclass
class FixPlan:
    new_code: dict[str, bytes] = field(default_factory=dict)  # path -> fixed bytes
    old_code: dict[str, bytes] = field(default_factory=dict)
    applied: list[Finding] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    outside: list[tuple[Finding, str]] = field(default_factory=list)  # fixes that would touch other files


def plan(findings: list[Finding], contexts: dict, allowed: set[str], unsafe: bool) -> FixPlan:
    """The fixed code of each file. ``contexts`` maps a path to its parsed ModuleContext;
    ``allowed`` names the files that may be changed."""
    result = FixPlan()
    chosen: dict[str, list[tuple[Finding, cst.CSTNode, cst.CSTNode]]] = {}
    for finding in findings:
        if not finding.edits or finding.suppressed is not None:
            continue
        if finding.fix_safety != "safe" and not unsafe:
            continue
        elsewhere = [path for path, _, _ in finding.edits if path not in allowed]
        if elsewhere:
            result.outside.append((finding, elsewhere[0]))
            continue
        for path, old, new in finding.edits:
            chosen.setdefault(path, []).append((finding, old, new))
    for path, edits in sorted(chosen.items()):
        ctx = contexts[path]
        done, seen = [], set()
        for finding, old, new in edits:
            if id(old) in seen or any(ctx.is_within(old, other) or ctx.is_within(other, old) for _, other, _ in
                                      done):
                continue  # the same edit for another finding, or one inside an edited span: next run
            done.append((finding, old, new))
            seen.add(id(old))
        fixed = ctx.module.visit(_Replacer({id(old): new for _, old, new in done})).bytes
        if ctx.source.startswith(_BOM) and not fixed.startswith(_BOM):
            fixed = _BOM + fixed
        problem = _parse_problem(fixed)
        if problem is not None:
            result.failed.append((path, problem))
            continue
        if fixed != ctx.source:
            result.new_code[path] = fixed
            result.old_code[path] = ctx.source
            result.applied.extend(f for f, _, _ in done)
    return result


class _Replacer(cst.CSTTransformer):
    """Replaces nodes of the original tree, found by identity, in one pass."""

    def __init__(self, replacements: dict[int, cst.CSTNode]) -> None:
        super().__init__()
        self._replacements = replacements

    def on_leave(self, original_node, updated_node):
        return self._replacements.get(id(original_node), updated_node)


def _parse_problem(code: bytes) -> str | None:
    try:
        cst.parse_module(code)
        ast.parse(code)
    except (cst.ParserSyntaxError, SyntaxError, ValueError) as error:
        return f"the fixed code would not parse ({error})"
    return None


def write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically, keeping its mode."""
    mode = stat.S_IMODE(path.stat().st_mode)
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


def unified_diff(path: str, old: bytes, new: bytes) -> str:
    """A diff ``git apply`` takes (a/ and b/ prefixes, paths relative to the working directory)."""
    old_lines = old.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    new_lines = new.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    lines = difflib.unified_diff(old_lines, new_lines, f"a/{path}", f"b/{path}")
    out = []
    for line in lines:
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)
