"""Finds the string literal that puts the API version into a territory URL, to move it to the target.

The version may sit in the URL literal itself (``".../crm/v2.1/Leads/..."``), in an f-string part, or
in a constant the URL is built from (``API_VERSION = "v2.1"``), also in another scanned module or a
parameter's default. The rewrite is offered only when exactly one literal carries it.
"""

from __future__ import annotations

import re

import libcst as cst

from zlint.analysis.flow import View
from zlint.analysis.module import ModuleContext

_IN_URL = re.compile(r"(?:(?<=/crm/)|^)v\d+(?:\.\d+)?(?=/|$)")
_MAX_DEPTH = 6


def version_literals(view: View, expr: cst.BaseExpression, version: str) -> list[tuple[ModuleContext, cst.CSTNode]]:
    """The string literals (and f-string parts) from which ``expr`` gets the version segment."""
    found: list[tuple[ModuleContext, cst.CSTNode]] = []
    _collect(view, view.ctx, expr, version, found, set(), 0)
    return found


def _collect(view: View, ctx: ModuleContext, node: cst.CSTNode, version: str, found: list, seen: set,
             depth: int) -> None:
    if id(node) in seen or depth > _MAX_DEPTH:
        return
    seen.add(id(node))
    if isinstance(node, (cst.SimpleString, cst.FormattedStringText)):
        if any(m.group(0) == version for m in _IN_URL.finditer(_text(node))):
            found.append((ctx, node))
        return
    resolver = view.analyzer.resolver
    bounds = []
    if isinstance(node, cst.Name):
        bounds = resolver.bindings(ctx, node)
    elif isinstance(node, cst.Attribute):
        bounds = resolver.attribute(ctx, node)
    for bound in bounds:
        definition = bound.definition
        if definition.kind == "assign" and definition.index is None and definition.value is not None:
            _collect(view, bound.ctx, definition.value, version, found, seen, depth + 1)
        elif definition.kind == "param" and isinstance(definition.value, cst.Param) and definition.value.default:
            _collect(view, bound.ctx, definition.value.default, version, found, seen, depth + 1)
    if isinstance(node, cst.Attribute):
        return  # the object of ``settings.API`` is not part of the URL
    for child in node.children:
        _collect(view, ctx, child, version, found, seen, depth)


def _text(node: cst.SimpleString | cst.FormattedStringText) -> str:
    if isinstance(node, cst.FormattedStringText):
        return node.value
    value = node.evaluated_value
    return value if isinstance(value, str) else value.decode("latin-1")


def moved(node: cst.SimpleString | cst.FormattedStringText, old: str, new: str) -> cst.CSTNode:
    """The literal with its version segment ``old`` replaced by ``new`` (quotes and prefix kept)."""
    pattern = re.compile(r"(?:(?<=/crm/)|^)" + re.escape(old) + r"(?=/|$)")
    if isinstance(node, cst.FormattedStringText):
        return node.with_changes(value=pattern.sub(new, node.value))
    quote = node.quote
    prefix = node.value[: node.value.index(quote[0])]
    body = node.value[len(prefix) + len(quote): -len(quote)]
    return node.with_changes(value=prefix + quote + pattern.sub(new, body) + quote)
