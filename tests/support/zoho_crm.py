"""A loopback HTTP server that behaves like Zoho CRM's territory endpoints, for the behaviour tests.

The other stub (``zoho_server.ZohoStub``) replays canned answers; this one keeps state, because the
proof that ``zlint fix`` works is behavioural: a fixed program must see its territory applied when
it reads the record back, and must never resubmit while a job is pending. So the server remembers
each record's territories and each pending job, and answers like Zoho in one of three modes
(see ``/work/shared/zoho-territory-api.md`` for where each shape comes from):

- ``"legacy"``: the old synchronous answer (200 ``SUCCESS``, no ``job_id``); applied at once.
- ``"v2-v6"``: 200 ``SUCCESS`` with ``details.job_id`` and the "scheduled successfully" message.
- ``"v7"``: 202 ``SCHEDULED`` with ``details.id`` and ``details.job_id``.

The mode alone decides the answer; any version segment from v2 to v8 is accepted in the URL, so a
program built for v2.1 can be confronted with the scheduled behaviour. A job is applied once
``job_delay`` seconds (measured with ``clock``) have passed, checked on every request, so no timer
thread is needed. While a job is pending, a new call for that record answers 400
``ALREADY_SCHEDULED`` per item, and the feature-specific-info call lists the job.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, NamedTuple
from urllib.parse import parse_qs

MODES = ("legacy", "v2-v6", "v7")
VERSIONS = ("v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8")

# The job status answer: the wrapper key is not documented (only "job_id" and "source" per entry
# are), so its shape lives here and nowhere else. Nothing pending for the asked records: 204.
JOBS_KEY = "territory_scheduled_jobs"


def job_status_body(pending: dict[str, tuple[str, str]]) -> dict:
    """``{record id: (job id, source)}`` as the feature-specific-info call lists it."""
    return {JOBS_KEY: [{"id": rid, "jobs": [{"job_id": job, "source": source}]}
                       for rid, (job, source) in pending.items()]}


LEGACY_MESSAGE = {"assign": "the territories data updated successfully",
                  "remove": "the territories are removed successfully"}
SCHEDULED_MESSAGE = {"assign": "Territory assignment process scheduled successfully",
                     "remove": "Territory removal process scheduled successfully"}
SOURCE = {"assign": "manual_territory_assignment", "remove": "manual_territory_removal"}

_VER = r"(?P<ver>v\d+(?:\.\d+)?)"
_CHANGE = re.compile(rf"^/crm/{_VER}/(?P<module>\w+)(?:/(?P<record>\d+))?/actions/(?P<op>assign|remove)_territories$")
_JOBS = re.compile(rf"^/crm/{_VER}/(?P<module>\w+)(?:/(?P<record>\d+))?/actions/get_feature_specific_info$")
_READ = re.compile(rf"^/crm/{_VER}/(?P<module>\w+)/(?P<record>\d+)$")


class Request(NamedTuple):
    """One logged exchange. ``codes``: each ``data[i].code`` of the answer, or its top-level code."""

    method: str
    path: str  # with the query string
    status: int
    codes: tuple[str, ...]


@dataclass
class _Job:
    job_id: str
    op: str  # "assign" or "remove"
    territories: list[str]
    due: float


def _error(code: str, message: str, **details) -> dict:
    return {"code": code, "details": details, "message": message, "status": "error"}


class ZohoCrm:
    """Zoho CRM's territory endpoints in one mode, on 127.0.0.1 at a free port (``base``).

    Every record id made of digits exists (with no territories until assigned); every territory
    id is valid and is named ``"Territory <id>"``. Use as a context manager; ``log`` lists the
    requests served, ``territories()`` and ``pending()`` show the true state of a record.
    """

    def __init__(self, mode: str = "v7", *, job_delay: float = 0.3, token: str = "test-token",
                 clock: Callable[[], float] = time.monotonic, gateway: str | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.mode, self.job_delay, self.token, self.clock = mode, job_delay, token, clock
        self.gateway = gateway  # a path prefix that stands for /crm/v7 (an API gateway in front of Zoho)
        self.log: list[Request] = []
        self._records: dict[str, list[str]] = {}
        self._jobs: dict[str, _Job] = {}
        self._job_count = 0
        self._lock = threading.Lock()
        crm = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, body = crm.answer(self.command, self.path, self.headers.get("Authorization"), raw)
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                if body is not None:
                    self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "ZohoCrm":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # what the tests look at

    def territories(self, record_id) -> list[str]:
        """The territory ids applied to the record now (pending jobs not yet counted)."""
        with self._lock:
            self._finish_due_jobs()
            return list(self._records.get(str(record_id), []))

    def pending(self, record_id) -> str | None:
        """The job id still pending for the record, if any."""
        with self._lock:
            self._finish_due_jobs()
            job = self._jobs.get(str(record_id))
            return job.job_id if job else None

    def met(self, code: str) -> list[Request]:
        """The logged requests whose answer carried this code (such as ``ALREADY_SCHEDULED``)."""
        return [r for r in list(self.log) if code in r.codes]

    # the protocol

    def answer(self, method: str, target: str, authorization: str | None, raw: bytes) -> tuple[int, dict | None]:
        """The (status, JSON body or None) Zoho would give; the exchange is logged."""
        path, _, query = target.partition("?")
        if self.gateway is not None and path.startswith(self.gateway + "/"):
            path = "/crm/v7" + path[len(self.gateway):]
        route = next(((name, m) for name, rx, verb in (("change", _CHANGE, "POST"), ("jobs", _JOBS, "GET"),
                                                        ("read", _READ, "GET"))
                      if (m := rx.match(path)) and verb == method), None)
        if route is None or route[1]["ver"] not in VERSIONS:
            status, body = 404, _error("INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one")
        elif authorization != f"Zoho-oauthtoken {self.token}":
            status, body = 401, _error("INVALID_TOKEN", "invalid oauth token")
        else:
            name, match = route
            with self._lock:
                self._finish_due_jobs()
                if name == "change":
                    status, body = self._change(match["op"], match["record"], raw)
                elif name == "jobs":
                    status, body = self._job_status(match["record"], parse_qs(query))
                else:
                    status, body = self._read(match["record"])
        if body is None:
            codes: tuple[str, ...] = ()
        elif isinstance(body.get("data"), list) and all("code" in i for i in body["data"]):
            codes = tuple(i["code"] for i in body["data"])
        else:
            codes = (body["code"],) if "code" in body else ()
        self.log.append(Request(method, target, status, codes))
        return status, body

    def _change(self, op: str, url_record: str | None, raw: bytes) -> tuple[int, dict]:
        try:
            data = json.loads(raw or b"null")
        except ValueError:
            return 400, _error("INVALID_DATA", "body is not a valid JSON")
        items = data.get("data") if isinstance(data, dict) else None
        if not isinstance(items, list) or not items:
            return 400, _error("MANDATORY_NOT_FOUND", "required field not found", api_name="data", json_path="$.data")
        answers = [self._change_one(op, url_record, item, i) for i, item in enumerate(items)]
        failed = sum(a["status"] == "error" for a in answers)
        if not failed:
            status = 202 if self.mode == "v7" else 200
        elif failed == len(answers):
            status = 400
        else:  # v7 documents 207 for a partly failed remove, 400 for assign
            status = 207 if op == "remove" and self.mode == "v7" else 400
        return status, {"data": answers}

    def _change_one(self, op: str, url_record: str | None, item, i: int) -> dict:
        item = item if isinstance(item, dict) else {}
        record = url_record or (str(item["id"]) if item.get("id") is not None else None)
        if record is None:
            return _error("MANDATORY_NOT_FOUND", "required field not found", api_name="id", json_path=f"$.data[{i}].id")
        wanted = item.get("Territories")
        if not isinstance(wanted, list) or not wanted or not all(isinstance(t, dict) and "id" in t for t in wanted):
            return _error("MANDATORY_NOT_FOUND", "required field not found", api_name="Territories",
                          json_path=f"$.data[{i}].Territories")
        territories = [str(t["id"]) for t in wanted]
        if record in self._jobs:
            return _error("ALREADY_SCHEDULED", "a territory job is already scheduled for this record",
                          id=record, job_id=self._jobs[record].job_id)
        if self.mode == "legacy":
            self._apply(record, op, territories)
            return {"code": "SUCCESS", "details": {"id": record}, "message": LEGACY_MESSAGE[op], "status": "success"}
        self._job_count += 1
        job_id = str(4876876000001000000 + self._job_count)
        self._jobs[record] = _Job(job_id, op, territories, self.clock() + self.job_delay)
        return {"code": "SCHEDULED" if self.mode == "v7" else "SUCCESS", "details": {"id": record, "job_id": job_id},
                "message": SCHEDULED_MESSAGE[op], "status": "success"}

    def _job_status(self, url_record: str | None, query: dict[str, list[str]]) -> tuple[int, dict | None]:
        if JOBS_KEY not in ",".join(query.get("features", [])).split(","):
            return 400, _error("INVALID_DATA", "invalid value for features", param_name="features")
        ids = [url_record] if url_record else [i for v in query.get("ids", []) for i in v.split(",") if i]
        if not ids:
            return 400, _error("MANDATORY_NOT_FOUND", "required param not found", param_name="ids")
        if len(ids) > 100:
            return 400, _error("LIMIT_EXCEEDED", "at most 100 ids", param_name="ids")
        pending = {rid: (self._jobs[rid].job_id, SOURCE[self._jobs[rid].op]) for rid in ids if rid in self._jobs}
        return (200, job_status_body(pending)) if pending else (204, None)

    def _read(self, record: str) -> tuple[int, dict]:
        territories = [{"id": t, "name": f"Territory {t}"} for t in self._records.get(record, [])]
        return 200, {"data": [{"id": record, "Territories": territories}]}

    def _finish_due_jobs(self) -> None:
        now = self.clock()
        for record, job in list(self._jobs.items()):
            if job.due <= now:
                self._apply(record, job.op, job.territories)
                del self._jobs[record]

    def _apply(self, record: str, op: str, territories: list[str]) -> None:
        current = self._records.setdefault(record, [])
        if op == "assign":
            current.extend(t for t in territories if t not in current)
        else:
            current[:] = [t for t in current if t not in territories]
