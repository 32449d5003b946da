"""A loopback HTTP server that answers territory calls with chosen shapes, for recording tests."""

from __future__ import annotations

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ZohoStub:
    """Answers ``path -> (status, body)``; a path listed in ``gzipped`` is sent gzip-compressed."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, object]] = {}
        self.gzipped: set[str] = set()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                path = self.path.split("?", 1)[0]
                status, body = stub.answers.get(path, (404, {"code": "INVALID_URL_PATTERN", "status": "error"}))
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                if path in stub.gzipped:
                    data = gzip.compress(data)
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "ZohoStub":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
