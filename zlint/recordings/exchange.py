"""One recorded request/response pair, and the decoding of its body."""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from dataclasses import dataclass
from functools import partial

from zlint.recordings.documents import PythonObject

MAX_BODY_BYTES = 16 * 1024 * 1024  # decoded (and decompressed) body size checked at most

Path_ = tuple  # a path into the loaded document: keys and list indexes


class BodyError(ValueError):
    """A body that cannot be decoded; the message says why."""


class PageBody(BodyError):
    """Text that is not JSON and does not start like JSON either: a page (a gateway's HTML)."""


@dataclass(frozen=True)
class Exchange:
    method: str
    url: str
    status: int | None  # None when the recording does not say (a plain fixture without status)
    body: object  # the decoded JSON body, or None when absent
    body_error: str | None  # why the body could not be decoded, if it could not
    where: Path_  # the interaction in the document, for findings about it as a whole
    status_at: Path_ | None  # the status value in the document
    body_at: Path_ | None  # the body value in the document
    body_is_text: bool  # the body is a JSON string inside the document (positions stop at it)
    body_is_page: bool = False  # the body cannot be decoded and is not JSON at all (PageBody)


def decode_body(raw: object, *, base64_encoded: bool = False, encoding: str | None = None) -> object:
    """JSON from a recorded body: base64 and gzip/deflate undone, bounded in size. A body stored as
    a JSON object or list (not as text) is taken as it is; any other value cannot be a body."""
    if raw is None:
        return None
    if isinstance(raw, (dict, list)) and not base64_encoded:
        return raw
    if isinstance(raw, str):
        data = raw.encode("utf-8", "surrogatepass")
    elif isinstance(raw, bytes):  # YAML's !!binary
        data = raw
    else:
        raise BodyError(f"the body is {_kind(raw)}, not text")
    if base64_encoded:
        try:
            data = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError) as error:
            raise BodyError(f"invalid base64 body: {error}") from None
    data = _decompress(data, (encoding or "").lower())
    if len(data) > MAX_BODY_BYTES:
        raise BodyError(f"body larger than {MAX_BODY_BYTES // (1024 * 1024)} MiB")
    if not data.strip():
        return None
    try:
        return json.loads(data)
    except RecursionError:
        raise BodyError("body nested too deeply to read") from None
    except (UnicodeDecodeError, ValueError) as error:
        looks_like_json = data.lstrip()[:1] in (b"{", b"[", b'"')
        raise (BodyError if looks_like_json else PageBody)(f"body is not JSON: {error}") from None


def _kind(value: object) -> str:
    """What a recorded value is, in the words of the formats that hold it."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (dict, list)):
        return "a JSON object or list"
    if isinstance(value, PythonObject):
        return f"a !!{value.tag} value"
    return f"a {type(value).__name__} value"  # YAML reads dates and timestamps as such


def _decompress(data: bytes, encoding: str) -> bytes:
    """Undo gzip or deflate. Recorders often store the decoded body but keep the header, so the
    header alone does not decide: a body that already reads as JSON text is left as it is."""
    gzipped = data[:2] == b"\x1f\x8b"
    looks_decoded = data.lstrip()[:1] in (b"{", b"[", b"")
    if gzipped:
        inflate = partial(_inflate, wbits=16 + zlib.MAX_WBITS)
    elif looks_decoded:
        return data
    elif "gzip" in encoding:
        raise BodyError("body marked gzip is neither gzip data nor JSON text")
    elif "deflate" in encoding:
        inflate = _inflate_deflate
    elif "br" in encoding or "zstd" in encoding:
        raise BodyError(f"body compressed with {encoding}, which zlint cannot read")
    else:
        return data
    try:
        out = inflate(data)
    except zlib.error as error:
        raise BodyError(f"broken {'gzip' if gzipped else 'deflate'} body: {error}") from None
    if len(out) > MAX_BODY_BYTES:
        raise BodyError(f"body larger than {MAX_BODY_BYTES // (1024 * 1024)} MiB once decompressed")
    return out


def _inflate(data: bytes, wbits: int) -> bytes:
    """At most one byte more than a body may have, so that a bomb stops there."""
    return zlib.decompressobj(wbits).decompress(data, MAX_BODY_BYTES + 1)


def _inflate_deflate(data: bytes) -> bytes:
    """A "deflate" body: zlib data as the RFC says, else raw deflate, which some servers send and
    urllib3 (so requests, so the replaying tests) falls back to. The zlib error is the one told."""
    try:
        return _inflate(data, zlib.MAX_WBITS)
    except zlib.error as error:
        try:
            return _inflate(data, -zlib.MAX_WBITS)
        except zlib.error:
            raise error from None


def header(headers: object, name: str) -> str | None:
    """A header value from the shapes recorders use: dict of str or list, or a list of pairs."""
    wanted = name.lower()
    if isinstance(headers, dict):
        for key, value in headers.items():
            if str(key).lower() == wanted:
                return str(value[0]) if isinstance(value, list) and value else str(value)
    if isinstance(headers, list):
        for item in headers:
            if isinstance(item, dict) and str(item.get("name", item.get("key", ""))).lower() == wanted:
                return str(item.get("value"))
    return None

