"""What the per-file units (zlint/work.py) return, as plain data: picklable for the worker
processes, convertible to JSON for the cache. Importing this module imports no parser."""

from __future__ import annotations

from dataclasses import dataclass, field

from zlint.analysis.project import Trace
from zlint.findings import CallRecord, Finding


@dataclass
class IndexOutcome:
    names: dict[str, list[str]]  # name -> the words a user must also mention (sorted)
    trace: Trace
    error: str | None = None  # an internal error, with the file (the outcome is then not cached)


@dataclass
class FixOptions:
    """What ``zlint fix`` was asked to do (picklable)."""

    allowed: set[str]  # the files a fix may change (the ones the user named)
    unsafe: bool
    helper: object = None  # fixes.HelperModule, or None for inline copies
    check_ahead: bool = False  # check each fixed file's code before it is written, for the cache
    # (fixwork.check_fixed; engine._check_units sets it when there is a cache to keep the checks in)


@dataclass
class CheckSettings:
    """What a check unit needs besides its file (picklable)."""

    config: object  # zlint.config.Config
    target: object  # zlint.target.Target
    tokens: tuple[str, ...]  # the words that make a function worth following (catalogue and index)
    plain: bool  # findings as plain data (no edits), for the cache and other processes
    fix: FixOptions | None = None  # zlint fix: also plan the fixes of the file's own findings (``planned``)


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
    planned: tuple | None = None  # with CheckSettings.fix: (the findings planned (path, line, column,
    # code), those applied, the fixed bytes or None, (path, why) failed, helper functions imported)
    fixed_check: tuple | None = None  # with CheckSettings.fix: the check of the fixed code, made
    # ahead (fixwork.check_fixed)


# -- plain data ------------------------------------------------------------------------------


def plain_finding(finding: Finding) -> Finding:
    """The finding as plain data: without its edits, which point into parsed trees (zlint fix and
    the SARIF output compute findings with the trees at hand; see engine.run_check's keep_contexts)."""
    return finding._replace(edits=()) if finding.edits else finding
