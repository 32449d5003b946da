"""``# zlint: ignore[...]`` and ``# zlint: fixme[...]`` comments, and how they apply to findings."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

from zlint.findings import Finding

_COMMENT = re.compile(r"#\s*zlint:\s*(?P<kind>ignore|fixme)\b(?:\[(?P<codes>[^\]]*)\])?")


@dataclass
class Suppression:
    kind: str  # ignore | fixme
    codes: list[str]  # as written
    line: int  # where the comment is
    column: int  # 1-based
    applies_to: int  # the line whose findings it covers
    used: set[str] = field(default_factory=set)


def parse(source: bytes) -> list[Suppression]:
    """Suppression comments of a file; a file that does not tokenize has none."""
    if b"zlint:" not in source:
        return []
    found: list[Suppression] = []
    try:
        tokens = list(tokenize.tokenize(io.BytesIO(source).readline))
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError, LookupError):
        return []
    code_lines = {t.start[0] for t in tokens if t.type not in {
        tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.ENCODING, tokenize.INDENT, tokenize.DEDENT,
        tokenize.ENDMARKER}}
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        match = _COMMENT.search(token.string)
        if not match:
            continue
        line, column = token.start
        codes = [c.strip() for c in (match.group("codes") or "").split(",") if c.strip()]
        if match.group("codes") is None:
            codes = []
        applies_to = line
        if line not in code_lines:  # alone on its line: covers the next line of code
            later = [n for n in code_lines if n > line]
            applies_to = min(later) if later else line
        found.append(Suppression(match.group("kind"), codes, line, column + 1 + match.start(), applies_to))
    return found


def apply(path: str, findings: list[Finding], suppressions: list[Suppression], resolve_code, selected) -> list[Finding]:
    """Drop ignored findings, mark fixme ones, and add findings for unused or invalid suppressions.

    ``resolve_code`` maps a code or rule name to a code (or None); ``selected`` tells whether a
    code is enabled (suppressions of disabled rules are not reported as unused).
    """
    kept: list[Finding] = []
    for finding in findings:
        outcome = None
        for suppression in suppressions:
            if suppression.applies_to != finding.line:
                continue
            for written in suppression.codes:
                if resolve_code(written) == finding.code:
                    suppression.used.add(written)
                    outcome = outcome or suppression.kind
        if outcome == "ignore":
            continue
        kept.append(finding._replace(suppressed="fixme") if outcome == "fixme" else finding)
    for suppression in suppressions:
        if not suppression.codes:
            kept.append(_problem(path, suppression, "ZL003", f"`zlint: {suppression.kind}` needs rule codes, e.g. "
                                                            f"`# zlint: {suppression.kind}[ZL101]`"))
            continue
        for written in suppression.codes:
            code = resolve_code(written)
            if code is None:
                kept.append(_problem(path, suppression, "ZL003", f"unknown rule `{written}` in `zlint: {suppression.kind}`"))
            elif written not in suppression.used and selected(code) and selected("ZL002"):
                kept.append(_problem(path, suppression, "ZL002", f"unused suppression of `{written}`"))
    return kept


def _problem(path: str, suppression: Suppression, code: str, message: str) -> Finding:
    from zlint.checks.base import META_RULES

    info = next(r for r in META_RULES if r.code == code)
    return Finding(code, info.name, path, suppression.line, suppression.column, suppression.line,
                   suppression.column, message, info.why, info.fix)
