"""The machine output, defined by schemas/output.schema.json (versioned)."""

from __future__ import annotations

import json

from zlint import __version__
from zlint.result import CheckResult

SCHEMA_VERSION = 1


def _finding(finding) -> dict:
    return {
        "code": finding.code,
        "name": finding.name,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "message": finding.message,
        "why": finding.why,
        "fix": finding.fix,
        "call": None if finding.operation is None else {
            "operation": finding.operation,
            "version": finding.version,
            "module": finding.module,
            "client": finding.client,
        },
        "severity": finding.severity,
        "fix_safety": finding.fix_safety,
        "suppressed": finding.suppressed,
    }


def render(result: CheckResult, include_calls: bool = False) -> str:
    shown = [f for f in result.findings if f.suppressed is None]
    document = {
        "schema_version": SCHEMA_VERSION,
        "zlint_version": __version__,
        "target": {"version": result.target.version if result.target else None,
                   "source": result.target.source if result.target else None},
        "findings": [_finding(f) for f in result.findings],
        "summary": {
            "files_checked": result.files,
            "findings": len(shown),
            "fixme": len(result.findings) - len(shown),
        },
    }
    if include_calls:
        document["calls"] = [{**c._asdict(), "via": list(c.via)} for c in result.calls]
    if result.errors:  # only then: a consumer of the version-1 schema without this key still reads clean runs
        document["errors"] = list(result.errors)
    return json.dumps(document, indent=2) + "\n"
