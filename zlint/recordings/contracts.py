"""The response contracts as JSON Schemas, loaded from the package with ``referencing``.

``classify`` tells which contract a recorded exchange follows, or, when it follows none of
those its version may answer with, every error against the closest one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from zlint.catalogue import load_catalogue
from zlint.resources import data_dir, load_json

JOB_STATUS = "job-status"
MAX_MESSAGE = 300  # characters of a schema error's message (jsonschema quotes the whole value)
_VERDICTS: dict[tuple, Verdict] = {}  # by exchange: a recording often replays one answer many times
_MAX_VERDICTS, _MAX_REMEMBERED_BODY = 4096, 65536


@dataclass(frozen=True)
class SchemaError:
    path: tuple  # into the exchange: ("status",) or ("body", "data", 0, "code")
    message: str


@dataclass(frozen=True)
class Verdict:
    contract: str | None  # the contract followed, if any
    stale: bool  # the contract pins behaviour the API no longer has
    closest: str | None = None  # when none is followed: the one the errors are about
    errors: tuple[SchemaError, ...] = ()


@cache
def _validators():
    import jsonschema
    import referencing
    from referencing.jsonschema import DRAFT202012

    folder = data_dir("schemas") / "responses"
    resources = []
    for path in sorted(folder.glob("*.schema.json")):
        contents = load_json("schemas", f"responses/{path.name}")
        resources.append((contents["$id"], DRAFT202012.create_resource(contents)))
    registry = referencing.Registry().with_resources(resources)  # no retrieval: nothing is fetched
    validators = {}
    for contract, schema_file in load_catalogue().contract_schemas.items():
        schema = load_json("schemas", schema_file)
        validators[contract] = jsonschema.Draft202012Validator(schema, registry=registry)
    return validators


def _errors(contract: str, exchange: dict, ignore_status: bool) -> list[SchemaError]:
    found = []
    try:
        for error in _validators()[contract].iter_errors(exchange):
            path = tuple(error.absolute_path)
            if ignore_status and path[:1] == ("status",):
                continue
            message = error.message
            if len(message) > MAX_MESSAGE:
                message = message[:MAX_MESSAGE // 2] + " ... " + message[-MAX_MESSAGE // 2:]
            found.append(SchemaError(path, message))
    except RecursionError:  # a value nested nearly as deep as JSON can be read: its message cannot be made
        found.append(SchemaError(("body",), "the body is nested too deeply to check"))
    return sorted(found, key=lambda e: [str(p) for p in e.path])


def held_to_contracts(status: int | None, job_status: bool) -> bool:
    """Whether a recorded or mocked answer is checked: not the job status call's error answers (a
    bad token, a bad record id), which tests of the wait record on purpose."""
    return not (job_status and status is not None and status >= 400)


def classify(version: str | None, status: int | None, body: object, job_status: bool = False,
             operation: str | None = None) -> Verdict:
    """The contract an answer follows (``operation``: assign or remove, when known: a partial
    failure answers 400 to one and 207 to the other)."""
    try:
        text = json.dumps(body, sort_keys=True)
    except (TypeError, ValueError, RecursionError):  # YAML can hold what JSON cannot
        text = None
    if text is None or len(text) > _MAX_REMEMBERED_BODY:
        return _classify(version, status, body, job_status, operation)
    key = (version, status, job_status, operation, text)
    verdict = _VERDICTS.get(key)
    if verdict is None:
        if len(_VERDICTS) >= _MAX_VERDICTS:
            _VERDICTS.clear()
        verdict = _VERDICTS[key] = _classify(version, status, body, job_status, operation)
    return verdict


_ERROR_CONTRACTS = frozenset({"record-errors", "url-error"})  # what an error status answers
_SUCCESS_CONTRACTS = frozenset({"legacy-sync", "scheduled-v2-v6", "scheduled-v7"})


def _other_kind(contract: str, status: int | None) -> bool:
    """Whether ``contract`` is of another kind than the answer's status (an error contract for a
    2xx, a success one for a 4xx or 5xx): the errors against it would send the reader the wrong way."""
    if status is None:
        return False
    return contract in (_ERROR_CONTRACTS if status < 300 else _SUCCESS_CONTRACTS if status >= 400 else ())


def _classify(version: str | None, status: int | None, body: object, job_status: bool,
              operation: str | None = None) -> Verdict:
    catalogue = load_catalogue()
    exchange = {"status": status if status is not None else 0, "body": body}
    if operation in ("assign", "remove") and not job_status:
        exchange["operation"] = operation
    ignore_status = status is None
    if job_status:
        candidates: tuple[str, ...] = (JOB_STATUS,)
    else:
        stale = [c for c in catalogue.contract_schemas if c in catalogue.stale_contracts]
        for contract in stale:
            if not _errors(contract, exchange, ignore_status):
                return Verdict(contract, stale=True)
        candidates = tuple(c for c in catalogue.contracts_for(version) if c not in catalogue.stale_contracts)
    ranked = []
    for order, contract in enumerate(candidates):
        errors = _errors(contract, exchange, ignore_status)
        if not errors:
            return Verdict(contract, stale=False)
        status_wrong = any(e.path[:1] == ("status",) for e in errors)
        ranked.append(((status_wrong, _other_kind(contract, status), len(errors), order), contract, errors))
    _, closest, errors = min(ranked)
    return Verdict(None, stale=False, closest=closest, errors=tuple(errors))
