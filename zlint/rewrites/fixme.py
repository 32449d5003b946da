"""``zlint fix --add-fixme``: a ``# zlint: fixme[CODE] what to do`` line above each finding that no
rewrite could fix, so the remaining migration work is visible in the code and counted by
``zlint check`` (which then reports the finding as known debt, not as a new problem).

The marker is a comment line of its own, indented like the line it covers, so no code line
changes; a file whose marked version would not parse (a line continued with a backslash) keeps
its code and the finding is reported as not marked.
"""

from __future__ import annotations

from zlint.findings import Finding
from zlint.fixes import parse_problem


def add_markers(source: bytes, findings: list[Finding]) -> tuple[bytes, list[Finding]]:
    """``source`` with a marker above the line of each finding, and the findings that got one."""
    lines = source.splitlines(keepends=True)
    by_line: dict[int, list[Finding]] = {}
    for finding in findings:
        by_line.setdefault(finding.line, []).append(finding)
    marked: list[Finding] = []
    for number in sorted(by_line, reverse=True):
        if not 1 <= number <= len(lines):
            continue
        target = lines[number - 1]
        indent = target[: len(target) - len(target.lstrip(b" \t"))]
        ending = target[len(target.rstrip(b"\r\n")):] or _ending(lines)
        here = sorted(by_line[number], key=lambda f: f.code)
        codes = ", ".join(dict.fromkeys(f.code for f in here))
        text = f"# zlint: fixme[{codes}] " + "; ".join(dict.fromkeys(f.fix for f in here))
        candidate = lines[: number - 1] + [indent + text.encode("utf-8") + ending] + lines[number - 1:]
        if parse_problem(b"".join(candidate), source) is None:
            lines = candidate
            marked += by_line[number]
    return b"".join(lines), marked


def _ending(lines: list[bytes]) -> bytes:
    for line in lines:
        if line.endswith(b"\r\n"):
            return b"\r\n"
        if line.endswith(b"\n"):
            return b"\n"
    return b"\n"
