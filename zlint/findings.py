"""What a check reports: findings and the rule metadata they point to.

Named tuples rather than dataclasses: a run the cache answers (zlint/quick.py) builds these and
little else, and importing ``dataclasses`` (which imports ``inspect``) cost about a tenth of it.
"""

from __future__ import annotations

from collections import namedtuple

_FINDING = namedtuple("Finding", [
    "code", "name", "path",
    "line", "column", "end_line", "end_column",  # 1-based
    "message", "why", "fix",
    "operation", "version", "module", "client",
    "suppressed",  # None, or "fixme" for known migration debt
    "severity",  # error | warning | info, from the rule's default or the config
    "fingerprint",  # stable identity for baselines and SARIF (see zlint.baseline)
    "fix_safety",  # "safe" or "unsafe" when zlint fix can rewrite it
    "edits",  # (path, old node, new node) for zlint fix: not part of the finding's identity
], defaults=("", "", None, None, None, None, None, "error", "", None, ()))


class Finding(_FINDING):
    __slots__ = ()

    def __eq__(self, other) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self[:-1] == other[:-1]

    def __ne__(self, other) -> bool:
        same = self.__eq__(other)
        return same if same is NotImplemented else not same

    def __hash__(self) -> int:
        return hash(self[:-1])

    def __repr__(self) -> str:
        return "Finding(" + ", ".join(f"{name}={value!r}" for name, value in zip(self._fields[:-1], self)) + ")"

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)


RuleInfo = namedtuple("RuleInfo", ["code", "name", "summary", "why", "fix",
                                   "severity"],  # the default; config may override it
                      defaults=("", "", "error"))

SEVERITIES = ("info", "warning", "error")  # in rising order

CallRecord = namedtuple("CallRecord", [  # one territory call for the inventory (``zlint check --list-calls``)
    "path", "line", "column", "operation", "scope", "version", "module", "client",
    "status",  # handled | unhandled | returned
    "via",  # list of "path:line" of the wrapper calls it was reached through
], defaults=((),))


# -- as plain data, for the cache (JSON) and the worker processes ----------------------------------

_STORED = Finding._fields[:-1]  # edits point into parsed trees
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
