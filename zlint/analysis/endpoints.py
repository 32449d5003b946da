"""Recognises territory, job-status and record URLs in folded text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from zlint.analysis.values import HOLE, Text
from zlint.catalogue import load_catalogue

_SEGMENT = r"[^/?#]+"


@dataclass(frozen=True)
class Endpoint:
    operation: str  # "assign" | "remove"
    scope: str  # "bulk" | "record"
    version: str | None
    module: str | None
    record_id: str | None  # the record segment as folded text (may hold holes)


@cache
def _action_pattern() -> re.Pattern[str]:
    actions = "|".join(re.escape(a) for a in load_catalogue().actions)
    return re.compile(rf"^(?:(?P<path>.*)/)?actions/(?P<action>{actions})/?(?:[?#].*)?$", re.DOTALL)


def _known(segment: str | None) -> str | None:
    return segment if segment and HOLE not in segment else None


def _is_module_name(segment: str) -> bool:
    return HOLE not in segment and segment[:1].isalpha() and not _VERSION_SEGMENT.fullmatch(segment)


_VERSION_SEGMENT = re.compile(r"v\d+(?:\.\d+)?")


def match_territory(text: Text) -> Endpoint | None:
    """The territory endpoint a URL calls, or None. Unknown parts may stand for domain or path."""
    match = _action_pattern().match(text.value)
    if not match:
        return None
    operation = match.group("action").split("_", 1)[0]
    segments = [s for s in (match.group("path") or "").split("/") if s]
    version = None
    if "crm" in segments:
        at = len(segments) - 1 - segments[::-1].index("crm")
        rest = segments[at + 1 :]
        if rest:
            version = _known(rest[0]) if _VERSION_SEGMENT.fullmatch(rest[0]) else None
            segments = rest[1:]
    if not segments:
        return Endpoint(operation, "bulk", version, None, None)
    if len(segments) == 2 and "crm" in match.group("path").split("/"):  # crm/{v}/{Module}/{id}/actions
        return Endpoint(operation, "record", version, _known(segments[0]), segments[1])
    last = segments[-1]
    if _is_module_name(last):
        return Endpoint(operation, "bulk", version, last, None)
    before = segments[-2] if len(segments) > 1 else None
    if before is not None and _is_module_name(before):
        return Endpoint(operation, "record", version, before, last)
    if last.isdigit():
        return Endpoint(operation, "record", version, None, last)
    return Endpoint(operation, "bulk", version, None, None)


def version_in(text: Text) -> str | None:
    """The version segment of ``.../crm/{version}/...``, when it is known."""
    found = re.search(r"(?:^|/)crm/(v\d+(?:\.\d+)?)/", text.value)
    return found.group(1) if found else None


def without_version(text: Text) -> Text:
    """``text`` with the version segment of ``.../crm/{version}/...`` made unknown."""
    return Text(re.sub(r"(^|/)crm/v\d+(?:\.\d+)?/", lambda m: f"{m.group(1)}crm/{HOLE}/", text.value))


def is_job_status(text: Text) -> bool:
    """A URL of the feature-specific-info call that reports a record's pending territory job (not
    one that asks for another feature: ``features=layout_rules``)."""
    catalogue = load_catalogue()
    feature = catalogue.job_status_feature
    if re.search(rf"/actions/{catalogue.job_status_action}(?:[/?#]|$)", text.value) is None and (
            feature not in text.value):
        return False
    asked = re.search(r"[?&]features=([^&#]*)", text.value)
    return asked is None or HOLE in asked.group(1) or feature in asked.group(1)


_RECORD_URL = re.compile(rf"(?:^|/)crm/{_SEGMENT}/(?P<module>{_SEGMENT})/(?P<record>{_SEGMENT})/?(?:[?#].*)?$")
_RECORDS_BY_ID_URL = re.compile(rf"(?:^|/)crm/{_SEGMENT}/(?P<module>{_SEGMENT})/?\?(?:[^#]*&)?ids=")


# a search of the module's records by their id: ``.../Leads/search?criteria=(id:equals:123)``
_SEARCH_BY_ID_URL = re.compile(rf"(?:^|/)crm/{_SEGMENT}/(?P<module>{_SEGMENT})/search\?(?:[^#]*&)?criteria="
                               r"[^#&]*?(?:\(|%28)id(?::|%3A)equals(?::|%3A)", re.IGNORECASE)  # not Owner.id


def _record_read(text: Text) -> re.Match | None:
    return (_SEARCH_BY_ID_URL.search(text.value) or _RECORD_URL.search(text.value)
            or _RECORDS_BY_ID_URL.search(text.value))


def record_read_module(text: Text) -> str | None:
    """The module of a record read's URL (``Leads`` of ``/crm/v7/Leads/123``), None when not known."""
    match = _record_read(text)
    return _known(match.group("module")) if match else None


def is_record_read(text: Text) -> bool:
    """A URL that fetches one record (``/crm/{v}/{Module}/{id}``) or records by id
    (``/crm/{v}/{Module}?ids=...``, ``/crm/{v}/{Module}/search?criteria=(id:equals:...)``), which
    return their Territories."""
    match = _record_read(text)
    if not match:
        return False
    if "record" not in match.groupdict():
        return match.group("module") not in {"settings", "actions", "__features"}
    return match.group("record") not in {"actions", "search", "settings"} and match.group(
        "module"
    ) not in {"settings", "actions", "__features"}
