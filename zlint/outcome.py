"""What the per-file units (zlint/work.py) return, as plain data: picklable for the worker
processes, convertible to JSON for the cache. Importing this module imports no parser."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

from zlint.analysis.project import Trace
from zlint.findings import CallRecord, Finding


@dataclass
class IndexOutcome:
    names: dict[str, list[str]]  # name -> the words a user must also mention (sorted)
    trace: Trace
    seconds: float = 0.0


@dataclass
class CheckSettings:
    """What a check unit needs besides its file (picklable)."""

    config: object  # zlint.config.Config
    target: object  # zlint.target.Target
    tokens: tuple[str, ...]  # the words that make a function worth following (catalogue and index)
    plain: bool  # findings as plain data (no edits), for the cache and other processes


@dataclass
class CheckOutcome:
    parsed: bool = False
    findings: list[tuple[tuple, Finding]] = field(default_factory=list)  # (order tag, finding)
    calls: list[CallRecord] = field(default_factory=list)
    errors: list[tuple[tuple, str]] = field(default_factory=list)
    comments: list | None = None  # suppression comments of the file, as plain tuples (None: not read)
    trace: Trace | None = None
    timings: dict[str, float] = field(default_factory=dict)
    clean: bool = True  # no internal error: the outcome may be cached


# -- plain data ------------------------------------------------------------------------------


def plain_finding(finding: Finding) -> Finding:
    """The finding as plain data: without its edits, which point into parsed trees (zlint fix and
    the SARIF output compute findings with the trees at hand; see engine.run_check's keep_contexts)."""
    return replace(finding, edits=()) if finding.edits else finding


_FINDING_FIELDS = [f.name for f in fields(Finding)]


def finding_to_data(finding: Finding) -> dict:
    data = {name: getattr(finding, name) for name in _FINDING_FIELDS if name != "edits"}
    return data


def finding_from_data(data: dict) -> Finding:
    values = {}
    for name in _FINDING_FIELDS:
        if name in data and name != "edits":
            value = data[name]
            values[name] = tuple(value) if isinstance(value, list) else value
    return Finding(**values)
