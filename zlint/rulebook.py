"""Every rule zlint knows, by code and by name, and the selection a config makes of them."""

from __future__ import annotations

from functools import cache

from zlint.findings import RuleInfo


_PRELOADED: dict[str, RuleInfo] = {}


def preload(infos: list[RuleInfo]) -> None:
    """The rules as a cache recorded them for this very code (zlint/cache.py's code key), so that
    a run with nothing to parse does not import the rule modules (and LibCST with them)."""
    _PRELOADED.clear()
    _PRELOADED.update({info.code: info for info in sorted(infos, key=lambda i: i.code)})


def loaded_from_code() -> bool:
    """Whether the rules were read from the rule modules (not preloaded)."""
    return all_rules.cache_info().currsize > 0 and not _PRELOADED


@cache
def all_rules() -> dict[str, RuleInfo]:
    if _PRELOADED:
        return dict(_PRELOADED)
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
