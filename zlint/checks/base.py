"""The rule base class, its test-case types, and helpers the rules share."""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import ClassVar
from collections.abc import Iterator

import libcst as cst

from zlint.analysis.flow import Flow, Role, View
from zlint.analysis.values import Items, Number, Text
from zlint.catalogue import load_catalogue
from zlint.findings import Finding, RuleInfo


@dataclass(frozen=True)
class Invalid:
    """A snippet the rule must report, with the 1-based place, the exact message, and the code
    ``zlint fix`` makes of it (None: no automatic fix)."""

    code: str
    line: int
    column: int
    message: str
    fixed: str | None = None


class Rule:
    """A Python rule. Its docstring's first line is its summary; rules/<CODE>.md is its doc."""

    CODE: ClassVar[str]
    NAME: ClassVar[str]
    WHY: ClassVar[str]  # why it breaks on v2-v6 and on v7+
    FIX: ClassVar[str]  # what to do instead
    SEVERITY: ClassVar[str] = "error"
    CASE_TARGET: ClassVar[str | None] = None  # the API version the project declares in the rule's cases
    VALID: ClassVar[list[str]] = []
    INVALID: ClassVar[list[Invalid]] = []

    @classmethod
    def info(cls) -> RuleInfo:
        summary = (cls.__doc__ or "").strip().splitlines()[0]
        return RuleInfo(cls.CODE, cls.NAME, summary, cls.WHY, cls.FIX, cls.SEVERITY)

    def check(self, view: View) -> Iterator[Finding]:
        raise NotImplementedError

    def report(self, view: View, node: cst.CSTNode, message: str, flow: Flow | None = None,
               edits: list | None = None, safety: str = "safe", fix: str | None = None) -> Finding:
        """``fix``: this finding's own fix text, where the rule's FIX does not fit it."""
        place = view.ctx.position(node)
        call = flow.call if flow is not None else None
        return Finding(
            fix_safety=safety if edits else None,
            edits=tuple(edits or ()),
            code=self.CODE,
            name=self.NAME,
            path=view.ctx.path,
            line=place.start.line,
            column=place.start.column + 1,
            end_line=place.end.line,
            end_column=place.end.column + 1,
            message=message,
            why=self.WHY,
            fix=fix or self.FIX,
            operation=call.operation if call else None,
            version=call.version if call else None,
            module=call.module if call else None,
            client=call.client if call else None,
        )


META_RULES = (
    RuleInfo("ZL001", "invalid-syntax", "A Python file that does not parse.",
             "zlint cannot see territory calls in a file it cannot parse.", "fix the syntax or exclude the file",
             "warning"),
    RuleInfo("ZL002", "unused-suppression", "A suppression comment that suppresses nothing.",
             "a stale suppression would hide a future finding on that line.", "remove the code from the comment",
             "warning"),
    RuleInfo("ZL003", "invalid-suppression", "A suppression comment without a valid rule code.",
             "a suppression must name the rules it silences.", "name the rule, e.g. # zlint: ignore[ZL101]",
             "warning"),
    RuleInfo("ZL004", "unreadable-file", "A file that cannot be read or decoded, or a folder that cannot be listed.",
             "zlint cannot see territory calls in a file it cannot read.", "fix the encoding or permissions",
             "warning"),
)

EQUALITY = (cst.Equal, cst.NotEqual, cst.Is, cst.IsNot)
MEMBERSHIP = (cst.In, cst.NotIn)


def comparison_pairs(comparison: cst.Comparison) -> Iterator[tuple[cst.BaseExpression, cst.BaseCompOp, cst.BaseExpression]]:
    """Each ``left op right`` of a possibly chained comparison."""
    left = comparison.left
    for target in comparison.comparisons:
        yield left, target.operator, target.comparator
        left = target.comparator


# HTTPStatus's names (http.HTTPStatus.BAD_REQUEST, httpx.codes.BAD_REQUEST) and their lower-case
# spellings (requests.codes.bad_request, httpx.codes.bad_request)
_STATUS_NAMES = {spelling: status.value for status in HTTPStatus for spelling in (status.name, status.name.lower())}


def status_numbers(view: View, expr: cst.BaseExpression) -> set[int | float] | None:
    """The HTTP statuses an expression names: a number, a collection, ``HTTPStatus.OK``, ``codes.ok``."""
    if isinstance(expr, cst.Attribute) and expr.attr.value in _STATUS_NAMES:
        names = view.ctx.qualified_names(expr)
        if any(n.startswith(("http.HTTPStatus", "requests.codes", "requests.status_codes", "httpx.codes"))
               for n in names):
            return {_STATUS_NAMES[expr.attr.value]}
    if isinstance(expr, (cst.Tuple, cst.List, cst.Set)):
        found: set[int | float] = set()
        for element in expr.elements:
            inner = status_numbers(view, element.value)
            if inner is None:
                return None
            found |= inner
        return found
    value = view.analyzer.folder.fold(view.ctx, expr, view.env)
    if isinstance(value, Number):
        return {value.value}
    if isinstance(value, Items):
        return value.numbers()
    return None


def texts(view: View, expr: cst.BaseExpression) -> set[str] | None:
    value = view.analyzer.folder.fold(view.ctx, expr, view.env)
    if isinstance(value, Text) and value.exact:
        return {value.value}
    if isinstance(value, Items):
        return value.texts()
    return None


def role_sides(view: View, role: Role) -> Iterator[tuple[cst.Comparison, Flow, cst.BaseCompOp, cst.BaseExpression, bool]]:
    """(comparison, flow, operator, other side, flow side is left) for comparisons on a role."""
    for comparison in view.body.comparisons:
        for left, operator, right in comparison_pairs(comparison):
            left_flow, right_flow = view.role(left), view.role(right)
            if left_flow is not None and left_flow.role is role:
                yield comparison, left_flow, operator, right, True
            elif right_flow is not None and right_flow.role is role:
                yield comparison, right_flow, operator, left, False


def role_matches(view: View, role: Role) -> Iterator[cst.Match]:
    """``match`` statements in this body on a territory response part of that role."""
    for match in view.body.matches:
        flow = view.role(match.subject)
        if flow is not None and flow.role is role:
            yield match


def case_values(view: View, pattern: cst.MatchPattern, read) -> set | None:
    """The values a case pattern stands for (``200``, ``200 | 201``, ``"SUCCESS" as code``), each
    literal read by ``read(view, expression)`` (status_numbers, texts); None for a capture, a
    wildcard or any other pattern."""
    if isinstance(pattern, cst.MatchValue):
        value = pattern.value
        if isinstance(value, cst.SimpleString) and "b" in value.prefix.lower():
            return None  # b"SUCCESS" never matches the str a JSON body holds
        return read(view, value)
    if isinstance(pattern, cst.MatchOr):
        found: set = set()
        for element in pattern.patterns:
            inner = case_values(view, element.pattern, read)
            if inner is None:
                return None
            found |= inner
        return found
    if isinstance(pattern, cst.MatchAs) and pattern.pattern is not None:
        return case_values(view, pattern.pattern, read)
    return None


def cases_taking(view: View, role: Role, read, value, twin: cst.BaseExpression):
    """(match, flow, case, the edits that put ``twin`` beside its value, or None) for each case of a
    ``match`` on ``role`` whose pattern takes ``value`` (values read by ``read``), except on v2-v6
    calls whose job is handled."""
    from zlint.checks.edits import with_case

    for match in role_matches(view, role):
        flow = view.role(match.subject)
        if era_of(view, flow) == "v2-v6" and view.job_handled():
            continue
        for case in match.cases:
            values = case_values(view, case.pattern, read)
            if values is not None and value in values:
                widened = with_case(view, case.pattern, twin)
                yield match, flow, case, [(view.ctx.path, case.pattern, widened)] if widened is not None else None


def code_cases(view: View) -> Iterator[tuple[cst.Match, Flow, cst.MatchCase, cst.MatchPattern]]:
    """(match, flow, case, the part of the case's pattern the item's "code" meets) for each case of a
    ``match`` on a territory body, data list or item that reaches into the code
    (``case {"data": [{"code": "SUCCESS"}]}:``, ``case {"code": "SUCCESS", **rest}:``)."""
    for match in view.body.matches:
        flow = view.role(match.subject)
        if flow is None or flow.role not in (Role.BODY, Role.DATA, Role.ITEM):
            continue
        for case in match.cases:
            for part in _code_parts(case.pattern, flow.role):
                yield match, flow, case, part


def _code_parts(pattern: cst.MatchPattern, role: Role) -> list[cst.MatchPattern]:
    """The parts of a case pattern on a value of ``role`` that an item's "code" meets: through the
    body's "data" key, each element of the data list, an item's "code" key (``as`` and ``|``
    patterns looked into)."""
    if isinstance(pattern, cst.MatchAs) and pattern.pattern is not None:
        return _code_parts(pattern.pattern, role)
    if isinstance(pattern, cst.MatchOr):
        return [part for element in pattern.patterns for part in _code_parts(element.pattern, role)]
    if isinstance(pattern, cst.MatchMapping) and role in (Role.BODY, Role.ITEM):
        key, below = ("data", Role.DATA) if role is Role.BODY else ("code", None)
        found = [element.pattern for element in pattern.elements
                 if isinstance(element.key, cst.SimpleString) and element.key.evaluated_value == key]
        return found if below is None else [part for inner in found for part in _code_parts(inner, below)]
    if isinstance(pattern, (cst.MatchList, cst.MatchTuple)) and role is Role.DATA:
        return [part for element in pattern.patterns if isinstance(element, cst.MatchSequenceElement)
                for part in _code_parts(element.value, Role.ITEM)]
    return []


def guard_may_accept(case: cst.MatchCase) -> bool:
    """Whether a case's guard may let other values through: one on a case that captures the
    subject (``case code if 200 <= code < 300:``); a guard on a literal case only narrows it."""
    if case.guard is None:
        return False
    pattern = case.pattern
    while isinstance(pattern, cst.MatchAs) and pattern.pattern is not None:
        if pattern.name is not None:
            return True
        pattern = pattern.pattern
    return isinstance(pattern, cst.MatchAs) and pattern.name is not None


def snippet(view: View, node: cst.CSTNode, limit: int = 60) -> str:
    text = " ".join(view.ctx.code(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def era_of(view: View, flow: Flow) -> str | None:
    """"v2-v6" or "v7+" for a flow's call, the project's target version standing in when the URL has none."""
    return load_catalogue().era(flow.call.version or view.analyzer.target_version)
