"""Fingerprints of findings, and the baseline file of known ones.

A finding is identified by its rule, its path (relative to the project root), the normalized
code it points at and its occurrence among identical ones, never by its line number, so moving
code around does not bring a known finding back.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from zlint.findings import Finding

BASELINE_VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be used; the message names it."""


def fingerprint_all(findings: list[Finding], lines_of, relative_path) -> list[Finding]:
    """Findings with ``fingerprint`` set. ``lines_of(path)`` gives a file's lines (or []), and
    ``relative_path(display)`` the path as the baseline stores it."""
    seen: Counter = Counter()
    out = []
    for finding in findings:
        lines = lines_of(finding.path)
        text = " ".join(" ".join(lines[finding.line - 1 : finding.end_line]).split()) if lines else finding.message
        key = (finding.code, relative_path(finding.path), text)
        occurrence = seen[key]
        seen[key] += 1
        digest = hashlib.sha256("\0".join([*key, str(occurrence)]).encode("utf-8", "surrogatepass")).hexdigest()
        out.append(finding._replace(fingerprint=digest[:32]))
    return out


@dataclass(frozen=True)
class BaselineEntry:
    fingerprint: str
    code: str
    path: str
    line: int
    message: str


def write(path: Path, findings: list[Finding], relative_path) -> None:
    entries = [{"fingerprint": f.fingerprint, "code": f.code, "path": relative_path(f.path), "line": f.line,
                "message": f.message} for f in findings if f.suppressed is None]
    document = {"zlint_baseline": BASELINE_VERSION, "findings": entries}
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)


def read(path: Path) -> list[BaselineEntry]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BaselineError(f"{path}: cannot read baseline: {error.strerror}") from None
    except ValueError as error:
        raise BaselineError(f"{path}: not a zlint baseline (invalid JSON: {error})") from None
    if not isinstance(document, dict) or document.get("zlint_baseline") != BASELINE_VERSION:
        raise BaselineError(f"{path}: not a zlint baseline of version {BASELINE_VERSION}")
    try:
        return [BaselineEntry(e["fingerprint"], e["code"], e["path"], int(e.get("line", 0)), e.get("message", ""))
                for e in document["findings"]]
    except (KeyError, TypeError, ValueError) as error:
        raise BaselineError(f"{path}: malformed baseline entry: {error}") from None


def apply(findings: list[Finding], entries: list[BaselineEntry]) -> tuple[list[Finding], list[BaselineEntry]]:
    """The findings not in the baseline, and the baseline entries no finding matched (stale)."""
    remaining = Counter(e.fingerprint for e in entries)
    kept = []
    for finding in findings:
        if finding.suppressed is None and remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
            continue
        kept.append(finding)
    stale = []
    for entry in entries:
        if remaining[entry.fingerprint] > 0:
            remaining[entry.fingerprint] -= 1
            stale.append(entry)
    return kept, stale
