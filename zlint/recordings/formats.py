"""The recording formats zlint reads, one loader each: which documents they own and the
exchanges they hold. Every loader returns plain Exchange values with paths into the document."""

from __future__ import annotations

from collections.abc import Iterator

from zlint.recordings.exchange import BodyError, Exchange, PageBody, decode_body, header


def _exchange(method, url, status, raw, where, status_at, body_at, *, base64_encoded=False, encoding=None,
              body_is_text=True) -> Exchange:
    body, error, page = None, None, False
    try:
        body = decode_body(raw, base64_encoded=base64_encoded, encoding=encoding)
    except BodyError as problem:
        error, page = str(problem), isinstance(problem, PageBody)
    code = _status(status)
    return Exchange(str(method or "").upper(), str(url or ""), code, body, error, where, status_at, body_at,
                    body_is_text, page)


def _status(value) -> int | None:
    """A recorded status as a number: an integer, or text of one; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdecimal():
        return int(value)
    return None


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _cassette_exchanges(doc: dict, key: str) -> Iterator[Exchange]:
    """VCR.py and betamax store an interaction alike: request.uri, response.status.code, and the
    body under response.body as ``string`` or ``base64_string``."""
    for i, interaction in enumerate(_list(doc.get(key))):
        request, response = _dict(_dict(interaction).get("request")), _dict(_dict(interaction).get("response"))
        body = _dict(response.get("body"))
        where = (key, i)
        raw, is_b64, body_key = body.get("string"), False, "string"
        if body.get("base64_string") is not None:
            raw, is_b64, body_key = body["base64_string"], True, "base64_string"
        yield _exchange(request.get("method"), request.get("uri"), _dict(response.get("status")).get("code"), raw,
                        where, (*where, "response", "status", "code"), (*where, "response", "body", body_key),
                        base64_encoded=is_b64, encoding=header(response.get("headers"), "content-encoding"))


class VcrCassette:
    """VCR.py and pytest-recording cassettes, YAML or JSON serializer."""

    name = "VCR.py cassette"

    @staticmethod
    def owns(doc) -> bool:
        return isinstance(doc, dict) and isinstance(doc.get("interactions"), list)

    @staticmethod
    def exchanges(doc) -> Iterator[Exchange]:
        return _cassette_exchanges(doc, "interactions")


class BetamaxCassette:
    """betamax JSON cassettes."""

    name = "betamax cassette"

    @staticmethod
    def owns(doc) -> bool:
        return isinstance(doc, dict) and isinstance(doc.get("http_interactions"), list)

    @staticmethod
    def exchanges(doc) -> Iterator[Exchange]:
        return _cassette_exchanges(doc, "http_interactions")


class Har:
    """HAR 1.2 archives (browser and proxy exports)."""

    name = "HAR archive"

    @staticmethod
    def owns(doc) -> bool:
        return isinstance(doc, dict) and isinstance(_dict(doc.get("log")).get("entries"), list)

    @staticmethod
    def exchanges(doc) -> Iterator[Exchange]:
        for i, entry in enumerate(_list(_dict(doc.get("log")).get("entries"))):
            request, response = _dict(_dict(entry).get("request")), _dict(_dict(entry).get("response"))
            content = _dict(response.get("content"))
            status = _status(response.get("status"))
            if status is not None and status <= 0 or not content.get("text"):
                continue  # the request got no answer (0, or -1: blocked, aborted), or the export left the body out
            where = ("log", "entries", i)
            yield _exchange(request.get("method"), request.get("url"), response.get("status"), content.get("text"),
                            where, (*where, "response", "status"), (*where, "response", "content", "text"),
                            base64_encoded=content.get("encoding") == "base64",
                            encoding=header(response.get("headers"), "content-encoding"))


class PostmanCollection:
    """Postman collection v2.1: the saved example responses of each request."""

    name = "Postman collection"

    @staticmethod
    def owns(doc) -> bool:
        info = _dict(doc.get("info")) if isinstance(doc, dict) else {}
        return "schema.getpostman.com" in str(info.get("schema", "")) and isinstance(doc.get("item"), list)

    @classmethod
    def exchanges(cls, doc) -> Iterator[Exchange]:
        yield from cls._items(_list(doc.get("item")), ("item",))

    @classmethod
    def _items(cls, items: list, at: tuple) -> Iterator[Exchange]:
        for i, item in enumerate(items):
            item = _dict(item)
            where = (*at, i)
            if isinstance(item.get("item"), list):
                yield from cls._items(item["item"], (*where, "item"))
                continue
            for j, response in enumerate(_list(item.get("response"))):
                response = _dict(response)
                request = _dict(response.get("originalRequest")) or _dict(item.get("request"))
                here = (*where, "response", j)
                yield _exchange(request.get("method"), _postman_url(request.get("url")), response.get("code"),
                                response.get("body"), here, (*here, "code"), (*here, "body"))


def _postman_url(url):
    """A Postman request's URL: its ``raw`` text, or, where the collection left that out, the URL
    put together from its parts."""
    if not isinstance(url, dict):
        return url
    if url.get("raw"):
        return url["raw"]
    protocol, port = url.get("protocol"), url.get("port")
    text = (f"{protocol}://" if protocol else "") + _postman_joined(url.get("host"), ".")
    text += (f":{port}" if port else "") + "/" + _postman_joined(url.get("path"), "/").lstrip("/")
    query = "&".join(f"{q.get('key') or ''}={q.get('value') or ''}" for q in _list(url.get("query"))
                     if isinstance(q, dict) and not q.get("disabled"))
    return f"{text}?{query}" if query else text


def _postman_joined(parts, separator: str) -> str:
    """A Postman URL's host or path: one text, or a list of segments (text or ``{"value": ...}``)."""
    if isinstance(parts, list):
        return separator.join(str(p.get("value", "")) if isinstance(p, dict) else str(p) for p in parts)
    return str(parts or "")


class ResponsesRecording:
    """Files written by the ``responses`` library's recorder (``responses._recorder``)."""

    name = "responses recording"

    @staticmethod
    def owns(doc) -> bool:
        return isinstance(doc, dict) and isinstance(doc.get("responses"), list) and all(
            isinstance(r, dict) and "response" in r for r in doc["responses"])

    @staticmethod
    def exchanges(doc) -> Iterator[Exchange]:
        for i, entry in enumerate(_list(doc.get("responses"))):
            response = _dict(_dict(entry).get("response"))
            where = ("responses", i, "response")
            yield _exchange(response.get("method"), response.get("url"), response.get("status"), response.get("body"),
                            where, (*where, "status"), (*where, "body"))


FORMATS = (VcrCassette, BetamaxCassette, Har, PostmanCollection, ResponsesRecording)


def format_of(doc):
    return next((f for f in FORMATS if f.owns(doc)), None)
