"""Copies the job-waiting functions a rewrite needs from territory_jobs.py into the user's code.

A rewrite asks for a function by its name in territory_jobs.py; the functions it calls come along.
Two places, chosen by the ``job-helper`` setting: "inline" (the default) puts private copies
(``_wait_for_territory_jobs``) after the fixed file's leading imports, where code at module level can
already call them; a dotted module name puts public copies into that one module of the project and
imports them where they are used. A function already there is kept as is, so a second run adds nothing.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import libcst as cst


TEMPLATE = Path(__file__).with_name("territory_jobs.py")
HEADER = "# Added by `zlint fix`: waits for the Zoho CRM territory jobs a call scheduled (see `zlint rule ZL101`)."


@cache
def _template() -> dict[str, cst.FunctionDef]:
    module = cst.parse_module(TEMPLATE.read_text(encoding="utf-8"))
    return {node.name.value: node for node in module.body if isinstance(node, cst.FunctionDef)}


def local_name(name: str, module: str | None) -> str:
    """The name a fixed file calls a template function by: private inline, public when imported."""
    return name if module else "_" + name


def _with_dependencies(names: set[str]) -> list[str]:
    """``names`` and the template functions they call, in the template's order."""
    return list(_closure(frozenset(names)))


@cache
def _template_calls() -> dict[str, set[str]]:
    """Each template function's name (in the template's order) -> the template functions it names.
    Read with ``ast``: a check that only asks whether a fix's functions are free (every ZL101
    finding does) need not parse the template with LibCST, which takes ten times as long."""
    import ast

    functions = [node for node in ast.parse(TEMPLATE.read_bytes()).body
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    names = {node.name for node in functions}
    return {node.name: {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in names} - {node.name}
            for node in functions}


@cache
def _closure(names: frozenset[str]) -> tuple[str, ...]:
    """(_with_dependencies, worked out once per set of names: every fix that calls a function asks)"""
    template = _template_calls()
    wanted, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        wanted.add(name)
        todo += template[name]
    return tuple(name for name in template if name in wanted)


def _parameters(function: cst.FunctionDef) -> list[str]:
    params = function.params
    return [p.name.value for p in [*params.posonly_params, *params.params, *params.kwonly_params]]


def _marked_by_zlint(module: cst.Module) -> bool:
    """Whether ``module`` carries the mark zlint fix puts above the functions it copies (a comment
    above them, or the job-helper module's docstring)."""
    mark = HEADER[2:]
    comments = [line.comment for line in module.header]
    comments += [line.comment for statement in module.body for line in getattr(statement, "leading_lines", ())]
    if any(comment is not None and mark in comment.value for comment in comments):
        return True
    first = module.body[0] if module.body else None
    return (isinstance(first, cst.SimpleStatementLine) and isinstance(first.body[0], cst.Expr)
            and isinstance(first.body[0].value, cst.SimpleString) and mark in first.body[0].value.value)


def _tokens(code: str) -> str:
    """``code`` with each run of whitespace one space: a copy indented with tabs, or with CRLF
    line ends, reads the same."""
    return " ".join(code.split())


@cache
def _copy_tokens(name: str, private: bool) -> str:
    """What zlint's copy of the template function ``name`` reads as (see _tokens)."""
    copy = _copies([name], private, header=False)[0].with_changes(leading_lines=())
    return _tokens(cst.Module([]).code_for_node(copy))


def taken_by_others(module: cst.Module, names: set[str], private: bool, importable_from: str | None = None,
                    dependencies: bool = True) -> str | None:
    """The first of the template functions ``names`` need (theirs included, by the name the code
    calls them: ``_wait_for_territory_jobs`` when ``private``) that ``module`` binds at its top level
    to something else: a function other than zlint's copy, a class, a value or an import (other
    than from ``importable_from``, the job-helper module). A fix that calls it would call the
    user's function in place of the job wait. None when every name is free or zlint's."""
    wanted = {local_name(name, None) if private else name: name
              for name in (_with_dependencies(names) if dependencies else names)}
    marked = None
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value in wanted:
            name = wanted[statement.name.value]
            if _tokens(module.code_for_node(statement.with_changes(leading_lines=()))) == _copy_tokens(name, private):
                continue  # zlint's copy, as this zlint writes it
            marked = _marked_by_zlint(module) if marked is None else marked
            if not (marked and _parameters(statement) == _parameters(_template()[name])):
                return statement.name.value  # (in a file zlint wrote into: an earlier zlint's copy, or one
                # a formatter or the user reworded, keeps the template's parameters)
        elif isinstance(statement, cst.ClassDef) and statement.name.value in wanted:
            return statement.name.value
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                bound = []
                if isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar):
                    if isinstance(small, cst.ImportFrom) and small.module is not None and importable_from is not None \
                            and cst.Module([]).code_for_node(small.module) == importable_from:
                        continue
                    bound = [(alias.asname.name if alias.asname else alias.name) for alias in small.names]
                elif isinstance(small, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
                    targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                    bound = [n for t in targets for n in _bound_names(t)]
                for name in bound:
                    if isinstance(name, cst.Name) and name.value in wanted:
                        return name.value
    return None


def _bound_names(target: cst.BaseExpression) -> list[cst.Name]:
    """The names an assignment target binds (not ``obj.attr`` or ``items[key]``)."""
    if isinstance(target, cst.Name):
        return [target]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _bound_names(element.value)]
    if isinstance(target, cst.StarredElement):
        return _bound_names(target.value)
    return []


class _Privatise(cst.CSTTransformer):
    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self._names = names

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if updated_node.value in self._names:
            return updated_node.with_changes(value=local_name(updated_node.value, None))
        return updated_node


def _leading_end(body: list[cst.BaseStatement]) -> int:
    """Index after the docstring and the imports that open a module, import-only blocks among them
    (``try: import ujson as json`` / ``except ImportError: import json``, ``if TYPE_CHECKING:``):
    what goes there leaves no import below a definition (E402)."""
    for index, statement in enumerate(body):
        if isinstance(statement, cst.SimpleStatementLine):
            if all(isinstance(small, (cst.Import, cst.ImportFrom)) or (
                    index == 0 and isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString))
                    for small in statement.body):
                continue
            return index
        if not _imports_only(statement):
            return index
    return len(body)


def _imports_only(node: cst.CSTNode) -> bool:
    """A line of imports (or ``pass``), or a ``try``/``if`` block whose every branch holds only such lines."""
    if isinstance(node, cst.SimpleStatementLine):
        return all(isinstance(small, (cst.Import, cst.ImportFrom, cst.Pass)) for small in node.body)
    if isinstance(node, cst.IndentedBlock):
        return all(_imports_only(statement) for statement in node.body)
    if isinstance(node, cst.If):
        branches = [node.body, node.orelse]  # (an elif is an If)
    elif isinstance(node, cst.Try):
        branches = [node.body, *node.handlers, node.orelse, node.finalbody]
    elif isinstance(node, (cst.Else, cst.ExceptHandler, cst.Finally)):
        branches = [node.body]
    else:
        return False
    return all(branch is None or _imports_only(branch) for branch in branches)


class _LineEnds(cst.CSTTransformer):
    """The line breaks inside the template's strings (its docstrings) as the fixed file has them:
    LibCST writes every other line break with the module's own."""

    def __init__(self, newline: str) -> None:
        super().__init__()
        self._newline = newline

    def leave_SimpleString(self, original_node: cst.SimpleString, updated_node: cst.SimpleString) -> cst.SimpleString:
        return updated_node.with_changes(value=updated_node.value.replace("\n", self._newline))


def _copies(names: list[str], private: bool, header: bool, newline: str = "\n") -> list[cst.FunctionDef]:
    rename = _Privatise(set(_template()))
    copies = []
    for number, name in enumerate(names):
        function = _template()[name].visit(rename) if private else _template()[name]
        if newline != "\n":
            function = function.visit(_LineEnds(newline))
        lines = _two_lines() + ([cst.EmptyLine(comment=cst.Comment(HEADER))] if header and number == 0 else [])
        copies.append(function.with_changes(leading_lines=lines))
    return copies


def _two_lines() -> list[cst.EmptyLine]:
    """Two blank lines of their own (a node in two places of a tree is unlike a parse of its code)."""
    return [cst.EmptyLine(), cst.EmptyLine()]


def insert_inline(module: cst.Module, names: set[str]) -> cst.Module:
    """``module`` with private copies of the named template functions (and their callees)."""
    present = {node.name.value for node in module.body if isinstance(node, cst.FunctionDef)}
    missing = [n for n in _with_dependencies(names) if local_name(n, None) not in present]
    if not missing:
        return module
    return _insert_after_imports(module, _copies(missing, private=True, header=True, newline=module.default_newline))


def insert_import(module: cst.Module, names: set[str], helper_module: str) -> cst.Module:
    """``module`` importing the named functions from the project's helper module (once)."""
    present = set()
    for line in module.body:
        for small in getattr(line, "body", ()) if isinstance(line, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.ImportFrom) and small.module is not None and not isinstance(
                    small.names, cst.ImportStar) and cst.Module([]).code_for_node(small.module) == helper_module:
                present |= {alias.name.value for alias in small.names if isinstance(alias.name, cst.Name)}
    missing = sorted(set(names) - present)
    if not missing:
        return module
    statement = cst.parse_statement(f"from {helper_module} import {', '.join(missing)}\n")
    body = list(module.body)
    at = _leading_end(body)
    if at and at < len(body) or at == len(body) and body:
        statement = statement.with_changes(leading_lines=[])
    return module.with_changes(body=body[:at] + [statement] + body[at:])


def helper_module_code(existing: bytes | None, names: set[str]) -> bytes:
    """The project's helper module holding the named functions: ``existing`` with what it lacks added."""
    if existing is None:
        module = cst.parse_module(f'"""{HEADER[2:]}\n\nWritten by zlint fix from its territory_jobs.py; yours to keep and edit.\n"""\n')
    else:
        module = cst.parse_module(existing)
    present = {node.name.value for node in module.body if isinstance(node, cst.FunctionDef)}
    missing = [n for n in _with_dependencies(names) if n not in present]
    if not missing:
        return module.bytes
    copies = _copies(missing, private=False, header=False, newline=module.default_newline)
    return module.with_changes(body=list(module.body) + copies).bytes


def _insert_after_imports(module: cst.Module, copies: list[cst.FunctionDef]) -> cst.Module:
    two_lines = _two_lines()
    body = list(module.body)
    at = _leading_end(body)
    if at < len(body):
        follower = body[at]
        blank = sum(1 for line in follower.leading_lines if line.comment is None)
        if blank < 2:
            body[at] = follower.with_changes(leading_lines=two_lines[blank:] + list(follower.leading_lines))
    elif at == 0:
        copies[0] = copies[0].with_changes(leading_lines=copies[0].leading_lines[2:])
    if at == 0:  # the first statement: the lines above it are the module's header, as a parse has them
        header = [*module.header, *copies[0].leading_lines]
        copies[0] = copies[0].with_changes(leading_lines=[])
        return module.with_changes(header=header, body=copies + body)
    return module.with_changes(body=body[:at] + copies + body[at:])
