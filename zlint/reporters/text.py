"""The human output: ``path:line:col: CODE [name] message``, with why and fix, and a summary."""

from __future__ import annotations

from zlint.result import CheckResult


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render(result: CheckResult, concise: bool = False) -> str:
    lines = []
    shown = [f for f in result.findings if f.suppressed is None]
    fixme = [f for f in result.findings if f.suppressed == "fixme"]
    for finding in shown:
        lines.append(f"{finding.path}:{finding.line}:{finding.column}: {finding.code} [{finding.name}] {finding.message}")
        if not concise:
            if finding.why:
                lines.append(f"  why: {finding.why}")
            if finding.fix:
                lines.append(f"  fix: {finding.fix}")
    if shown:
        files = len({f.path for f in shown})
        lines.append(f"Found {_plural(len(shown), 'finding')} in {_plural(files, 'file')} "
                     f"({_plural(result.files, 'file')} checked).")
    elif result.errors:  # not "passed": some files were not (fully) checked
        lines.append(f"No findings ({_plural(result.files, 'file')} checked).")
    else:
        lines.append(f"All checks passed ({_plural(result.files, 'file')} checked).")
    if result.errors:
        lines.append(f"{_plural(len(result.errors), 'internal error')} (on stderr): those files were not fully "
                     "checked.")
    if fixme:
        lines.append(f"{_plural(len(fixme), 'finding')} marked `zlint: fixme` (known migration debt) not shown.")
    if result.target is not None:
        lines.append(f"Target API version: {result.target.describe()}.")
    return "\n".join(lines) + "\n"


def render_calls(result: CheckResult) -> str:
    lines = []
    for call in result.calls:
        via = f" via {', '.join(call.via)}" if call.via else ""
        lines.append(
            f"{call.path}:{call.line}:{call.column}: {call.operation}_territories ({call.scope}) "
            f"version={call.version or '?'} module={call.module or '?'} client={call.client} {call.status}{via}"
        )
    counts = {status: sum(1 for c in result.calls if c.status == status) for status in ("unhandled", "handled", "returned")}
    lines.append(f"{_plural(len(result.calls), 'territory call')}: {counts['unhandled']} unhandled, "
                 f"{counts['handled']} handled, {counts['returned']} returned to callers.")
    return "\n".join(lines) + "\n"


def render_statistics(result: CheckResult) -> str:
    """Findings per rule, most frequent first (fixme-marked ones counted apart)."""
    from collections import Counter

    shown = Counter((f.code, f.name) for f in result.findings if f.suppressed is None)
    fixme = Counter(f.code for f in result.findings if f.suppressed == "fixme")
    lines = [f"{count:>5}  {code} [{name}]" + (f"  (+{fixme[code]} fixme)" if fixme[code] else "")
             for (code, name), count in sorted(shown.items(), key=lambda item: (-item[1], item[0]))]
    lines.append(f"{sum(shown.values())} findings in {result.files} files checked.")
    return "\n".join(lines) + "\n"
