"""Applying the rules' edits in memory: the fixed code of each file, checked by re-parsing.

A file's fixed code is kept only when it was asked for and parses; LibCST round-trips the bytes
outside the edits, and the byte-order mark is kept. Writing it is zlint/writes.py's job.
"""

from __future__ import annotations

import ast
import difflib
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from zlint.analysis import fastcst
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
    imported: set[str] = field(default_factory=set)  # job-waiting functions the fixed files import
    trees: dict[str, tuple] = field(default_factory=dict)  # path -> (fixed tree, its Positions), if kept


def plan(findings: list[Finding], contexts: dict, allowed: set[str], unsafe: bool,
         helper: HelperModule | None = None) -> FixPlan:
    """The fixed code of each file. ``contexts`` maps a path to its parsed ModuleContext;
    ``allowed`` names the files that may be changed; ``helper`` is where job-waiting functions go
    (None: into each file that calls them)."""
    result = plan_files(findings, contexts, allowed, unsafe, helper)
    add_helper_module(result, helper)
    return result


def plan_files(findings: list[Finding], contexts: dict, allowed: set[str], unsafe: bool,
               helper: HelperModule | None = None, keep_trees: bool = False) -> FixPlan:
    """``plan`` without the helper module's code (``FixPlan.imported`` says what it must hold):
    plans of files no finding shares can be made apart, in other processes, and then joined.
    ``keep_trees``: also keep each fixed tree with its nodes' positions (``FixPlan.trees``)."""
    from zlint.rewrites import helpers as job_helpers

    result = FixPlan()
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
        module = ctx.module.visit(_Replacer(replacements, _ancestors(ctx, [old for _, old in _edited(done)])))
        if helpers and helper is None:
            module = job_helpers.insert_inline(module, helpers)
        elif helpers:
            module = job_helpers.insert_import(module, helpers, helper.name)
        if keep_trees:  # the positions come with the code, from the same codegen
            code, positions = fastcst.code_and_positions(module)
            fixed = code.encode(module.encoding)
        else:
            fixed = module.bytes
        if ctx.source.startswith(_BOM) and not fixed.startswith(_BOM):
            fixed = _BOM + fixed
        problem = parse_problem(fixed, ctx.source)
        if problem is not None:
            result.failed.append((path, problem))
            continue
        if fixed != ctx.source:
            result.new_code[path] = fixed
            result.old_code[path] = ctx.source
            if keep_trees:
                result.trees[path] = (module, positions)
            result.applied.extend(f for f, _ in done)
            if helper is not None:
                result.imported |= helpers
    return result


def add_helper_module(result: FixPlan, helper: HelperModule | None) -> None:
    """Add the helper module's new code to a plan whose files import job-waiting functions from it."""
    from zlint.rewrites import helpers as job_helpers

    if not result.imported or helper is None:
        return
    code = job_helpers.helper_module_code(helper.existing, result.imported)
    if code != helper.existing:
        result.new_code[helper.display] = code
        result.old_code[helper.display] = helper.existing or b""
        if helper.existing is None:
            result.created.append(helper.display)


def _edited(done: list[tuple[Finding, list]]):
    for _, edits in done:
        for old, _ in edits:
            if old is not None:
                yield id(old), old


def _ancestors(ctx, nodes: list) -> set[int]:
    """The ids of ``nodes`` and of every node above them (the only ones a replacement changes)."""
    found: set[int] = set()
    for node in nodes:
        while node is not None and id(node) not in found:
            found.add(id(node))
            node = ctx.parents.get(node)
    return found


class _Replacer(cst.CSTTransformer):
    """Replaces nodes of the original tree, found by identity, in one pass that goes down only
    where a replaced node lies (a file's other nodes are kept as they are, unvisited). Each
    replacement goes in as a copy of its own: an edit may reuse a node that stays elsewhere in the
    file (``r`` in ``_wait_for_territory_jobs(r)``), and a fixed tree with a node in two places
    would be unlike a parse of its code (fixwork.check_fixed relies on the likeness)."""

    def __init__(self, replacements: dict[int, cst.CSTNode], above: set[int]) -> None:
        super().__init__()
        self._replacements = replacements
        self._above = above

    def on_visit(self, node) -> bool:
        return id(node) in self._above and id(node) not in self._replacements

    def on_leave(self, original_node, updated_node):
        replacement = self._replacements.get(id(original_node))
        if isinstance(replacement, cst.CSTNode):
            return replacement.deep_clone()
        if isinstance(replacement, cst.FlattenSentinel):  # statements in place of one
            return cst.FlattenSentinel([node.deep_clone() for node in replacement.nodes])
        return updated_node if replacement is None else replacement  # (RemovalSentinel)


def parse_problem(code: bytes, original: bytes) -> str | None:
    """Why ``code``, the changed version of ``original``, would not parse (None: it parses).

    CPython's parser judges, at a tenth of LibCST's cost; LibCST's only when CPython cannot read
    ``original`` either (syntax newer than the running Python, which LibCST reads)."""
    error = _python_syntax_error(code)
    if error is None:
        return None
    if _python_syntax_error(original) is None:
        return f"the fixed code would not parse ({error})"
    try:
        cst.parse_module(code)
    except cst.ParserSyntaxError as libcst_error:
        return f"the fixed code would not parse ({libcst_error})"
    return None


def _python_syntax_error(code: bytes) -> Exception | None:
    try:
        with warnings.catch_warnings():  # the user's invalid escapes are theirs to see, not ours to print
            warnings.simplefilter("ignore")
            ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        return error
    return None


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
