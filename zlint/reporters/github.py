"""GitHub Actions workflow commands: one annotation per finding, on the file (relative to the
repository's root, as GitHub places it) and span, and one per internal error."""

from __future__ import annotations

from zlint.result import CheckResult

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: CheckResult, located) -> str:
    """``located``: a finding's path as GitHub names the file."""
    lines = []
    for f in result.findings:
        if f.suppressed is not None:
            continue
        properties = ",".join([
            f"file={_property(located(f.path))}", f"line={f.line}", f"col={f.column}", f"endLine={f.end_line}",
            f"endColumn={f.end_column}", f"title={_property(f'{f.code} {f.name}')}",
        ])
        message = f.message + (f"\n\nwhy: {f.why}\nfix: {f.fix}" if f.why else "")
        lines.append(f"::{_LEVEL[f.severity]} {properties}::{_data(message)}")
    for error in result.errors:  # a file zlint could not fully check: on the run's summary, not a line
        lines.append(f"::error title={_property('zlint internal error')}::{_data(error)}")
    return "".join(line + "\n" for line in lines)
