"""Every rule zlint knows, by code and by name, and the selection a config makes of them."""

from __future__ import annotations

from functools import cache

from zlint.findings import RuleInfo


@cache
def all_rules() -> dict[str, RuleInfo]:
    from zlint.checks import ALL_RULES
    from zlint.checks.base import META_RULES
    from zlint.recordings.check import RECORDING_RULES

    infos = list(META_RULES) + [rule.info() for rule in ALL_RULES] + list(RECORDING_RULES)
    return {info.code: info for info in sorted(infos, key=lambda i: i.code)}


def resolve(selector: str) -> list[str] | None:
    """Codes a selector names: a code, a kebab-case name, a code prefix (``ZL1``) or ``ALL``."""
    rules = all_rules()
    text = selector.strip()
    if text.upper() == "ALL":
        return list(rules)
    for info in rules.values():
        if info.name == text.lower():
            return [info.code]
    upper = text.upper()
    matches = [code for code in rules if code.startswith(upper)] if upper.startswith("ZL") else []
    return matches or None


def resolve_one(written: str) -> str | None:
    """The single code a suppression names (a code or a name), or None if unknown."""
    codes = resolve(written)
    return codes[0] if codes and len(codes) == 1 and written.upper() != "ALL" else None
