"""What a check reports: findings and the rule metadata they point to."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    path: str
    line: int  # 1-based
    column: int  # 1-based
    end_line: int
    end_column: int
    message: str
    why: str = ""
    fix: str = ""
    operation: str | None = None
    version: str | None = None
    module: str | None = None
    client: str | None = None
    suppressed: str | None = None  # None, or "fixme" for known migration debt
    severity: str = "error"  # error | warning | info, from the rule's default or the config
    fingerprint: str = ""  # stable identity for baselines and SARIF (see zlint.baseline)
    fix_safety: str | None = None  # "safe" or "unsafe" when zlint fix can rewrite it
    edits: tuple = field(default=(), compare=False, repr=False)  # (path, old node, new node) for zlint fix

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    summary: str
    why: str = ""
    fix: str = ""
    severity: str = "error"  # the default; config may override it


SEVERITIES = ("info", "warning", "error")  # in rising order


@dataclass
class CallRecord:
    """One territory call for the inventory (``zlint check --list-calls``)."""

    path: str
    line: int
    column: int
    operation: str
    scope: str
    version: str | None
    module: str | None
    client: str
    status: str  # handled | unhandled | returned
    via: list[str] = field(default_factory=list)


# -- as plain data, for the cache (JSON) and the worker processes ----------------------------------

_STORED = tuple(item.name for item in fields(Finding) if item.name != "edits")  # edits point into parsed trees
_INTS = ("line", "column", "end_line", "end_column")
_TEXTS = ("code", "name", "path", "message", "why", "fix", "severity", "fingerprint")


def finding_to_data(finding: Finding) -> dict:
    return {name: getattr(finding, name) for name in _STORED}


def finding_from_data(data: dict) -> Finding:
    """The finding stored as ``data``; ValueError when it is not the shape finding_to_data makes
    (a cache file of valid JSON but another shape must not reach the report)."""
    if not isinstance(data, dict):
        raise ValueError("not a finding")
    values = {name: data[name] for name in _STORED if name in data}
    if any(type(values.get(name)) is not int for name in _INTS) or any(
            not isinstance(values.get(name, ""), str) for name in _TEXTS) or values.get(
            "severity", "error") not in SEVERITIES:
        raise ValueError("not a finding")
    return Finding(**values)


def call_to_data(call: CallRecord) -> list:
    return [call.path, call.line, call.column, call.operation, call.scope, call.version, call.module, call.client,
            call.status, list(call.via)]


def call_from_data(data: list) -> CallRecord:
    """The call stored as ``data``; ValueError when it is not the shape call_to_data makes."""
    if not isinstance(data, list) or len(data) != 10 or type(data[1]) is not int or type(data[2]) is not int or any(
            not isinstance(data[n], str) for n in (0, 3, 4, 7, 8)) or not isinstance(data[9], list):
        raise ValueError("not a call")
    return CallRecord(*data[:9], [str(step) for step in data[9]])
