"""The local runtime over HTTP: ``POST /graphql`` with AppSync's request and response
shapes, so unchanged clients (gql's AppSync transports, Amplify JS) can point at it.

Credentials are verified first (``identity.Authenticator``): a rejected request gets
AppSync's 401/403 body and ``x-amzn-ErrorType`` header, and no resolver runs. Requests run
one at a time against the engine (its node host is one process).
"""

from __future__ import annotations

import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .app import LocalAppSync
from .engine import Caller
from .identity import Authenticator
from .identity_result import Rejected

__all__ = ["MAX_BODY_BYTES", "GraphQLServer"]

# AppSync does not publish its request size limit; 1 MiB keeps a runaway client harmless.
MAX_BODY_BYTES = 1 << 20
DRAIN_LIMIT_BYTES = 16 << 20


def _error(error_type: str, message: str) -> dict[str, Any]:
    return {"errors": [{"errorType": error_type, "message": message}]}


class GraphQLServer:
    """Serve ``local`` (an entered LocalAppSync) on ``host:port`` (port 0: any free port)."""

    def __init__(
        self,
        local: LocalAppSync,
        authenticator: Authenticator,
        *,
        host: str = "127.0.0.1",
        port: int = 4000,
    ) -> None:
        self.local = local
        self.authenticator = authenticator
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: without this, Nagle's algorithm and
            # the client's delayed ACK hold every keep-alive response back ~40 ms.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                return  # quiet: tests and `serve` print their own lines

            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                server._post(self)

            def do_GET(self) -> None:  # noqa: N802
                _send(self, HTTPStatus.NOT_FOUND, _error("NotFoundException", "Use POST /graphql."))

            def send_error(
                self, code: int, message: str | None = None, explain: str | None = None
            ) -> None:
                # The stdlib's own refusals (a method without do_*, a bad request line,
                # headers too long) in AppSync's JSON shape instead of an HTML page.
                status = HTTPStatus(code)
                text = f"{message or status.phrase}. Use POST /graphql."
                _send(self, status, _error("BadRequestException", text), close=True)

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        return f"http://{name}:{port}/graphql"

    def start(self) -> GraphQLServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _post(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.path.split("?")[0] != "/graphql":
            _send(handler, HTTPStatus.NOT_FOUND, _error("NotFoundException", "Use POST /graphql."))
            return
        try:
            length = int(handler.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_BYTES:
            # Read (and drop) what the client is sending, up to a bound, so it sees the
            # answer rather than a reset connection.
            remaining = min(max(length, 0), DRAIN_LIMIT_BYTES)
            while remaining > 0:
                chunk = handler.rfile.read(min(remaining, 65536))
                if not chunk:
                    break
                remaining -= len(chunk)
            _send(
                handler,
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                _error(
                    "BadRequestException",
                    f"The request body must be a JSON document of at most {MAX_BODY_BYTES} bytes.",
                ),
                close=True,
            )
            return
        body = handler.rfile.read(length)
        headers = dict(handler.headers.items())
        result = self.authenticator.authenticate(
            headers,
            body,
            method="POST",
            path="/graphql",
            host=headers.get("Host", ""),
            source_ip=handler.client_address[0],
        )
        if isinstance(result, Rejected):
            _send(handler, HTTPStatus(result.status), result.body(), dict(result.headers()))
            return
        try:
            request = json.loads(body or b"null")
        except (ValueError, UnicodeDecodeError):
            _send(
                handler,
                HTTPStatus.BAD_REQUEST,
                _error("MalformedHttpRequestException", "The request body is not valid JSON."),
            )
            return
        query = request.get("query") if isinstance(request, dict) else None
        variables = request.get("variables") if isinstance(request, dict) else None
        if not isinstance(query, str) or not query.strip():
            _send(
                handler,
                HTTPStatus.BAD_REQUEST,
                _error("BadRequestException", "The request body needs a 'query' string."),
            )
            return
        if variables is not None and not isinstance(variables, dict):
            _send(
                handler,
                HTTPStatus.BAD_REQUEST,
                _error("BadRequestException", "'variables' must be a JSON object."),
            )
            return
        caller = Caller(
            str(result.mode),
            result.to_context(),
            result.denied_fields,
            {k.lower(): v for k, v in headers.items()},
        )
        _send(handler, *self._execute(query, variables, caller))

    def _execute(
        self, query: str, variables: dict[str, Any] | None, caller: Caller
    ) -> tuple[HTTPStatus, Any]:
        try:
            with self._lock:
                return HTTPStatus.OK, self.local.graphql(query, variables, auth=caller)
        except Exception as error:  # a bug of the runtime: answer in shape, keep serving
            message = f"The local runtime failed on this request ({type(error).__name__}: {error})."
            return HTTPStatus.INTERNAL_SERVER_ERROR, _error("InternalFailureException", message)


def _send(
    handler: BaseHTTPRequestHandler,
    status: HTTPStatus,
    body: Any,
    headers: dict[str, str] | None = None,
    *,
    close: bool = False,
) -> None:
    data = json.dumps(body).encode("utf-8")
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json; charset=UTF-8")
    handler.send_header("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    if close:
        handler.send_header("Connection", "close")
        handler.close_connection = True
    handler.end_headers()
    handler.wfile.write(data)
