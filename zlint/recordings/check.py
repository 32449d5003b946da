"""Checks one recording file: every territory exchange in it against its version's contracts."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import cache
from pathlib import Path, PurePosixPath

from zlint.analysis.endpoints import is_job_status, match_territory, version_in
from zlint.analysis.values import Text
from zlint.catalogue import load_catalogue
from zlint.findings import Finding, RuleInfo
from zlint.recordings.contracts import Verdict, classify, held_to_contracts
from zlint.recordings.documents import DocumentError, Locator, line_column, load
from zlint.recordings.exchange import Exchange
from zlint.recordings.formats import format_of

RECORDING_SUFFIXES = (".yaml", ".yml", ".json", ".har")
MAX_RECORDING_BYTES = 64 * 1024 * 1024
_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),  # UTF-32's first: FF FE 00 00
              (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))
_NAME_HINTS = ("cassette", "postman_collection", "vcr", "recording", "betamax")

RULES = {
    "ZL201": ("legacy-recording",
              "the API now schedules a job: on v2-v6 a 200 SUCCESS carries details.job_id, on v7+ the answer is "
              "202 SCHEDULED; tests that replay this answer stay green while the code they cover breaks",
              "re-record against the current API, or edit the body to the scheduled shape of its version"),
    "ZL202": ("recording-contract-mismatch",
              "no version of the API answers this way: v2-v6 answer 200 SUCCESS with job_id, v7+ 202 SCHEDULED "
              "with job_id; the test replays an answer production never sees",
              "re-record against the API, or correct the recorded status and body to a contract of the version"),
    "ZL203": ("unreadable-recording",
              "zlint cannot check what it cannot read, on any API version",
              "repair or re-record the file, or exclude it"),
}


RECORDING_RULES = (
    RuleInfo("ZL201", RULES["ZL201"][0], "A recording of the legacy synchronous answer.", *RULES["ZL201"][1:]),
    RuleInfo("ZL202", RULES["ZL202"][0], "A recorded answer that fits no contract of its version.",
             *RULES["ZL202"][1:]),
    RuleInfo("ZL203", RULES["ZL203"][0], "A recording, or a recorded body, that cannot be read.",
             *RULES["ZL203"][1:], "warning"),
)


@dataclass(frozen=True)
class FixtureRule:
    """``[[tool.zlint.recordings]]``: plain JSON bodies matched to an endpoint by a glob."""

    glob: str
    operation: str  # assign | remove | job-status
    version: str | None = None
    status: int | None = None


def looks_like_recording(display: str) -> bool:
    path = PurePosixPath(display.lower())
    return path.suffix == ".har" or any(hint in part for part in path.parts for hint in _NAME_HINTS)


def _finding(code: str, display: str, place: tuple[int, int], message: str, exchange_info=None) -> Finding:
    name, why, fix = RULES[code]
    operation, version, module, client = exchange_info or (None, None, None, None)
    return Finding(code, name, display, place[0], place[1], place[0], place[1], message, why, fix,
                   operation, version, module, client)


@cache
def _recording_words() -> re.Pattern[bytes]:
    catalogue = load_catalogue()
    words = [*catalogue.actions, catalogue.job_status_action]
    return re.compile(b"|".join(re.escape(w.encode()) for w in words))


def _wide_encoding(source: bytes) -> str | None:
    """"UTF-16" or "UTF-32" for a file that starts with its byte order mark (iconv and Windows
    tools write one), else None."""
    return next((name for bom, name in _WIDE_BOMS if source.startswith(bom)), None)


def _names_an_endpoint(source: bytes) -> bool:
    """Whether a file names a territory endpoint; a UTF-16 or UTF-32 one is decoded to tell, so that
    it is reported as not UTF-8 rather than skipped."""
    wide = _wide_encoding(source)
    if wide is not None:
        source = source.decode(wide, "replace").encode("utf-8", "replace")
    return _recording_words().search(source) is not None


def _not_utf8(source: bytes, error: UnicodeDecodeError) -> tuple[tuple[int, int], str]:
    """Where and why a recording is not UTF-8: the encoding its byte order mark names, else the
    line and column of its first byte that is not UTF-8 (what comes before it is)."""
    wide = _wide_encoding(source)
    if wide is not None:
        return (1, 1), f"not UTF-8 text: {wide} (it starts with a {wide} byte order mark)"
    before = error.object[:error.start].decode("utf-8")  # utf-8-sig's object: the bytes after a BOM
    return line_column(before, len(before)), f"not UTF-8 text: {error.reason} (byte 0x{error.object[error.start]:02x})"


def check_file(display: str, path: Path, fixtures: list[FixtureRule] = (),
               default_version: str | None = None, source: bytes | None = None,
               relative: str | None = None) -> list[Finding]:
    """Findings of a possible recording on disk (``source``: its bytes, when already read):
    nothing for a file that names no territory endpoint (unless a fixture glob names it); ZL203
    for a recording that cannot be read. ``relative``: its path from the project root, which
    the fixture globs and the name hints are about (default: ``display``)."""
    relative = relative or display
    fixture = next((f for f in fixtures if fnmatch(relative, f.glob)), None)
    try:
        source = path.read_bytes() if source is None else source
    except OSError as error:
        if fixture or looks_like_recording(relative):
            return [_finding("ZL203", display, (1, 1), f"cannot read file: {error.strerror or error}")]
        return []
    if fixture is None and not _names_an_endpoint(source):
        return []
    return check_recording(display, source, fixture, default_version, relative)


def check_recording(display: str, source: bytes, fixture: FixtureRule | None = None,
                    default_version: str | None = None, relative: str | None = None) -> list[Finding]:
    """Findings of one recording; ``fixture`` says what a plain JSON body stands for, and
    ``default_version`` stands in for URLs without a version."""
    named = looks_like_recording(relative or display)
    if len(source) > MAX_RECORDING_BYTES:
        if named or fixture:
            return [_finding("ZL203", display, (1, 1), f"recording of {len(source) // (1024 * 1024)} MiB is over the "
                                                       f"{MAX_RECORDING_BYTES // (1024 * 1024)} MiB zlint reads")]
        return []
    try:
        text = source.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [_finding("ZL203", display, *_not_utf8(source, error))] if named or fixture else []
    is_yaml = display.lower().endswith((".yaml", ".yml"))
    if fixture is not None and fixture.status == 204 and not text.strip():
        return _check_fixture(display, None, fixture, Locator(text))  # a 204 has no body: an empty file
    try:
        doc = load(text, is_yaml)
    except DocumentError as error:
        if named or fixture or _shaped_like_recording(text):
            return [_finding("ZL203", display, (error.line, error.column), f"cannot read recording: {error}")]
        return []
    locator = Locator(text)
    if fixture is not None:
        return _check_fixture(display, doc, fixture, locator)
    loader = format_of(doc)
    if loader is None:
        if named:
            return [_finding("ZL203", display, (1, 1), "not a recording zlint knows (VCR.py, betamax, HAR 1.2, "
                                                       "Postman v2.1, responses)")]
        return []
    findings: list[Finding] = []
    for exchange in loader.exchanges(doc):
        findings.extend(_check_exchange(display, loader.name, exchange, locator, default_version))
    return findings


_RECORDING_SHAPE = re.compile(
    r'"(?:http_)?interactions"\s*:|^interactions:|"log"\s*:\s*\{|schema\.getpostman\.com|^responses:\s*\n-\s+response:',
    re.MULTILINE)


def _shaped_like_recording(text: str) -> bool:
    """Whether the start of a file reads like a recording, even if the rest is broken."""
    return _RECORDING_SHAPE.search(text[:4096]) is not None


def _endpoint(exchange: Exchange):
    """(operation, version, module, is job status) of an exchange, or None when it is not ours."""
    url = Text(exchange.url)
    endpoint = match_territory(url)
    if endpoint is not None and exchange.method in ("POST", ""):
        return endpoint.operation, endpoint.version, endpoint.module, False
    if is_job_status(url) and exchange.method in ("GET", ""):
        return "job-status", version_in(url), None, True
    return None


def _check_exchange(display: str, format_name: str, exchange: Exchange, locator: Locator,
                    default_version: str | None) -> list[Finding]:
    endpoint = _endpoint(exchange)
    if endpoint is None:
        return []
    operation, version, module, job_status = endpoint
    version = version or default_version
    info = (None if job_status else operation, version, module, format_name)
    what = "get_feature_specific_info" if job_status else f"{operation}_territories"
    what += f" ({', '.join(x for x in (version, module) if x)})" if (version or module) else ""
    status = exchange.status
    if exchange.body_error and (not held_to_contracts(status, job_status)
                                or exchange.body_is_page and status is not None and status >= 500):
        return []  # not an answer the contracts judge: a gateway's error page, an error of the wait's call
    if exchange.body_error:
        place = locator.position(exchange.body_at or exchange.where)
        return [_finding("ZL203", display, place, f"body of {what} cannot be decoded: {exchange.body_error}", info)]
    if not held_to_contracts(exchange.status, job_status):
        return []
    verdict = classify(version, exchange.status, exchange.body, job_status, operation)
    return verdict_findings(display, what, verdict, _exchange_locator(exchange, locator), info, version, "recorded",
                            exchange.status)


def _exchange_locator(exchange: Exchange, locator: Locator):
    """Maps a path in the checked exchange (("status",) or ("body", ...)) to a file position."""
    def locate(path: tuple) -> tuple[int, int]:
        if path[:1] == ("status",):
            return locator.position(exchange.status_at) if exchange.status_at else (1, 1)
        if exchange.body_is_text:  # positions stop at the JSON string holding the body
            return locator.position(exchange.body_at or exchange.where)
        return locator.position((*(exchange.body_at or ()), *path[1:]))
    return locate


def verdict_findings(display: str, what: str, verdict: Verdict, locate, info, version: str | None,
                     noun: str, status: int | None) -> list[Finding]:
    """ZL201 for a stale answer, or one ZL202 per schema error; ``noun`` is "recorded" or "mocked",
    ``status`` the answer's (None: none was recorded, and only its body was judged)."""
    if verdict.stale:
        never = "; v7+ never answer this" if load_catalogue().era(version) == "v7+" else ""
        shape = "200 SUCCESS without job_id" if status is not None else "SUCCESS without job_id; no status given"
        return [_finding("ZL201", display, locate(("body",)),
                         f"{what} {noun} with the legacy synchronous answer ({shape}){never}",
                         info)]
    findings = []
    for error in verdict.errors:
        where = "status" if error.path[:1] == ("status",) else "body " + _json_path(error.path[1:])
        findings.append(_finding(
            "ZL202", display, locate(error.path),
            f"{what} answer fits no contract of {version or 'its version'}; against {verdict.closest}: "
            f"{where}: {error.message}", info))
    return findings


def _json_path(path: tuple) -> str:
    out = "$"
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else f".{step}"
    return out


def _check_fixture(display: str, doc, fixture: FixtureRule, locator: Locator) -> list[Finding]:
    job_status = fixture.operation == "job-status"
    exchange = Exchange("", "", fixture.status, doc, None, (), None, (), False)
    info = (None if job_status else fixture.operation, fixture.version, None, "JSON fixture")
    what = "get_feature_specific_info" if job_status else f"{fixture.operation}_territories"
    what += f" ({fixture.version})" if fixture.version else ""
    if not held_to_contracts(fixture.status, job_status):
        return []
    verdict = classify(fixture.version, fixture.status, doc, job_status, fixture.operation)
    return verdict_findings(display, what, verdict, _exchange_locator(exchange, locator), info, fixture.version,
                            "recorded", fixture.status)

