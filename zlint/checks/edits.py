"""Small CST edits the rules offer as fixes: widen an accepted-status or accepted-code test
(a comparison, a membership test, a ``case`` pattern).

An edit is ``(path, old node, new node)``: the node to replace in that file's parsed module.
"""

from __future__ import annotations

import libcst as cst

from zlint.analysis.flow import View

Edit = tuple[str, cst.CSTNode, cst.CSTNode]
_ACCEPTED_NAMES = {"OK": "ACCEPTED", "ok": "accepted", "SUCCESS": "SCHEDULED"}


def _space() -> cst.SimpleWhitespace:
    """A space of its own: a node used in two places would make the fixed tree unlike a parse of
    its code (fixwork.check_fixed relies on the likeness)."""
    return cst.SimpleWhitespace(" ")


def _comma() -> cst.Comma:
    return cst.Comma(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=_space())


def pair(first: cst.BaseExpression, second: cst.BaseExpression) -> cst.Tuple:
    return cst.Tuple([cst.Element(first, comma=_comma()), cst.Element(second)])


def append(collection: cst.Tuple | cst.List | cst.Set, member: cst.BaseExpression):
    """The collection literal with one more member, written the way its others are."""
    elements = list(collection.elements)
    last = elements[-1]
    if isinstance(last.comma, cst.Comma):
        comma = last.comma
        if isinstance(comma.whitespace_after, cst.SimpleWhitespace) and not comma.whitespace_after.value:
            comma = comma.with_changes(whitespace_after=_space())  # "(200,)" -> "(200, 202)"
        elements[-1] = last.with_changes(comma=comma)
        elements.append(cst.Element(member))
    else:
        elements[-1] = last.with_changes(comma=_comma())
        elements.append(cst.Element(member))
    return collection.with_changes(elements=elements)


def accepted_twin(view: View, known: cst.BaseExpression, literal: cst.BaseExpression) -> cst.BaseExpression:
    """What to accept beside ``known``: ``HTTPStatus.ACCEPTED`` beside ``HTTPStatus.OK``, else ``literal``."""
    if isinstance(known, cst.Attribute) and known.attr.value in _ACCEPTED_NAMES:
        return known.with_changes(attr=cst.Name(_ACCEPTED_NAMES[known.attr.value]))
    if isinstance(known, cst.SimpleString) and isinstance(literal, cst.SimpleString):
        quote = known.quote
        return cst.SimpleString(f"{quote}{literal.evaluated_value}{quote}")
    return literal


def widen(view: View, comparison: cst.Comparison, subject: cst.BaseExpression, operator: cst.BaseCompOp,
          other: cst.BaseExpression, extra: cst.BaseExpression) -> list[Edit] | None:
    """Edits that make ``subject <op> other`` also accept ``extra``; None when no plain edit does it."""
    if len(comparison.comparisons) != 1:
        return None
    path = view.ctx.path
    if isinstance(operator, (cst.Equal, cst.Is, cst.NotEqual, cst.IsNot)):
        negative = isinstance(operator, (cst.NotEqual, cst.IsNot))
        target = cst.ComparisonTarget(
            operator=cst.NotIn(whitespace_before=_space(), whitespace_between=_space(), whitespace_after=_space())
            if negative else cst.In(whitespace_before=_space(), whitespace_after=_space()),
            comparator=pair(other, accepted_twin(view, other, extra)))
        new = comparison.with_changes(left=subject, comparisons=[target])
        return [(path, comparison, new)]
    if isinstance(operator, (cst.In, cst.NotIn)):
        literal, where = collection(view, other)
        if literal is None or not literal.elements:
            return None
        return [(where, literal, append(literal, accepted_twin(view, literal.elements[0].value, extra)))]
    return None


_COLLECTION_BUILTINS = {"builtins.frozenset", "builtins.set", "builtins.tuple", "builtins.list"}


def collection(view: View, expr: cst.BaseExpression):
    """The literal tuple/list/set a membership test uses, inline or as a constant of a scanned module
    (also inside ``frozenset({...})`` and the like)."""
    ctx = view.ctx
    if isinstance(expr, cst.Name):
        bounds = view.analyzer.resolver.bindings(ctx, expr)
        if len(bounds) != 1 or bounds[0].definition.kind != "assign" or bounds[0].definition.index is not None:
            return None, None
        ctx, expr = bounds[0].ctx, bounds[0].definition.value
    if (isinstance(expr, cst.Call) and len(expr.args) == 1 and not expr.args[0].keyword and not expr.args[0].star
            and ctx.qualified_names(expr.func) & _COLLECTION_BUILTINS):
        expr = expr.args[0].value
    if isinstance(expr, (cst.Tuple, cst.List, cst.Set)):
        return expr, ctx.path
    return None, None


def with_case(view: View, pattern: cst.MatchPattern, extra: cst.BaseExpression) -> cst.MatchPattern | None:
    """The case pattern that also matches ``extra``: ``case 200:`` -> ``case 200 | 202:`` (its twin
    beside a named value, as accepted_twin); None for a pattern no plain edit widens."""
    if isinstance(pattern, cst.MatchAs) and pattern.pattern is not None:
        inner = with_case(view, pattern.pattern, extra)
        return pattern.with_changes(pattern=inner) if inner is not None else None
    bar = cst.BitOr(whitespace_before=_space(), whitespace_after=_space())
    if isinstance(pattern, cst.MatchValue):
        twin = cst.MatchValue(accepted_twin(view, pattern.value, extra))
        return cst.MatchOr([cst.MatchOrElement(pattern, separator=bar), cst.MatchOrElement(twin)])
    if isinstance(pattern, cst.MatchOr) and isinstance(pattern.patterns[0].pattern, cst.MatchValue):
        elements = list(pattern.patterns)
        twin = cst.MatchValue(accepted_twin(view, elements[0].pattern.value, extra))
        elements[-1] = elements[-1].with_changes(separator=bar)
        return pattern.with_changes(patterns=[*elements, cst.MatchOrElement(twin)])
    return None
