"""What a check reports: findings and the rule metadata they point to."""

from __future__ import annotations

from dataclasses import dataclass, field


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
