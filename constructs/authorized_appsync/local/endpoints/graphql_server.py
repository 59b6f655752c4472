"""The local runtime over HTTP: ``POST /graphql`` with AppSync's request and response
shapes, so unchanged clients (gql's AppSync transports, Amplify JS) can point at it.

Credentials are verified first (``identity/authenticator.py``): a rejected request gets
AppSync's 401/403 body and ``x-amzn-ErrorType`` header, and no resolver runs. Requests run
one at a time against the engine (its node host is one process).

CORS as AppSync answers it, so a browser front end on any origin can call it: a preflight
(``OPTIONS``) gets 200 with the headers of :func:`preflight_headers`, and every response
carries :data:`CORS_HEADERS` (values and sources in docs/semantics.md, "The local runtime").

A connection whose first byte opens a TLS handshake is handed to ``tls_handoff`` (the
real-time server: Amplify JS connects to ``wss://`` on the GraphQL URL's host and port,
``tls.py``); without one, it is closed.

Requests whose ``Host`` header is not a name of this server are refused first (HTTP 403,
``host_check.HostCheck``): the guard against DNS rebinding.

Whatever a client sends, it gets an answer in AppSync's error shape and the server keeps
serving: a body without ``Content-Length`` is refused (411), one that does not arrive in
``request_timeout`` seconds too (408), and a failure of the runtime itself is a 500 with
``InternalFailureException``. A client that goes away mid-request is let go quietly.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
import uuid
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .. import json_input
from ..app import LocalAppSync
from ..engine import Caller
from ..identity.authenticator import Authenticator
from ..identity.result import Rejected
from .host_check import HostCheck
from .tls import TLS_HANDSHAKE

__all__ = [
    "CORS_HEADERS",
    "MAX_BODY_BYTES",
    "PREFLIGHT_MAX_AGE_S",
    "REQUEST_TIMEOUT_S",
    "GraphQLServer",
]

# AppSync does not publish its request size limit; 1 MiB keeps a runaway client harmless.
MAX_BODY_BYTES = 1 << 20
DRAIN_LIMIT_BYTES = 16 << 20
# How long a connection may stall while sending its request (each socket read).
REQUEST_TIMEOUT_S = 60.0
# A client that went away while it was being answered: nothing to answer, nothing to log.
_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)

# What AppSync's GraphQL endpoint adds to every response, preflights included.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": (
        "x-amzn-RequestId,x-amzn-ErrorType,x-amz-user-agent,x-amzn-ErrorMessage,Date,"
        "x-amz-schema-version"
    ),
}
PREFLIGHT_MAX_AGE_S = 172800  # AppSync's Access-Control-Max-Age: two days
FORBIDDEN = "ForbiddenException"  # a Host header that is not a name of this server
BAD_REQUEST = "BadRequestException"


def preflight_headers(request_headers: Any) -> dict[str, str]:
    """AppSync's answer to a preflight: any origin, the headers asked for (a browser sends
    custom headers such as ``x-api-key`` and ``authorization`` only when they are allowed),
    cached for two days. No ``Access-Control-Allow-Methods``: AppSync sends none, and POST,
    the one method it serves, needs none."""
    headers = {**CORS_HEADERS, "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE_S)}
    asked = request_headers.get("Access-Control-Request-Headers")
    if asked and asked.strip():
        headers["Access-Control-Allow-Headers"] = asked.strip()
    return headers


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
        hosts: HostCheck | None = None,
        request_timeout: float = REQUEST_TIMEOUT_S,
        tls_handoff: Callable[[socket.socket, Any], None] | None = None,
    ) -> None:
        """``hosts``: the ``Host`` headers answered (default: those of a server bound to
        ``host``); ``request_timeout``: seconds a client may stall while sending;
        ``tls_handoff``: runs a connection that starts a TLS handshake."""
        self.local = local
        self.authenticator = authenticator
        self.hosts = hosts or HostCheck.for_bind(host)
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: without this, Nagle's algorithm and
            # the client's delayed ACK hold every keep-alive response back ~40 ms.
            disable_nagle_algorithm = True
            timeout = request_timeout  # each read and write of the connection

            def log_message(self, format: str, *args: Any) -> None:
                return  # quiet: tests and `serve` print their own lines

            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                if server._host_allowed(self):
                    _guarded(self, lambda: server._post(self))

            def do_GET(self) -> None:  # noqa: N802
                if server._host_allowed(self):
                    _guarded(self, lambda: _not_found(self))

            def do_OPTIONS(self) -> None:  # noqa: N802 - a CORS preflight
                if server._host_allowed(self):
                    _guarded(self, lambda: _preflight(self))

            def send_error(
                self, code: int, message: str | None = None, explain: str | None = None
            ) -> None:
                # The stdlib's own refusals (a method without do_*, a bad request line,
                # headers too long) in AppSync's JSON shape instead of an HTML page.
                status = HTTPStatus(code)
                text = f"{message or status.phrase}. Use POST /graphql."
                if status is HTTPStatus.NOT_IMPLEMENTED:  # this request's headers were read
                    with contextlib.suppress(*_GONE, TimeoutError):
                        _drain(self)
                _send(self, status, _error(BAD_REQUEST, text), close=True)

        self.httpd = _Server((host, port), Handler)
        self.httpd.tls_handoff = tls_handoff
        self.httpd.first_byte_timeout = request_timeout
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

    def _host_allowed(self, handler: BaseHTTPRequestHandler) -> bool:
        """Whether the request's ``Host`` is a name of this server; if not, it is answered
        (403, the connection closed: its body is not read)."""
        host = handler.headers.get("Host")
        if self.hosts.allows(host):
            return True
        body = _error(FORBIDDEN, self.hosts.refusal(host))
        _send(handler, HTTPStatus.FORBIDDEN, body, {"x-amzn-ErrorType": FORBIDDEN}, close=True)
        return False

    def _post(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.path.split("?")[0] != "/graphql":
            _not_found(handler)
            return
        body = _body(handler)
        if body is None:
            return
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
        request = _graphql_request(body)
        if isinstance(request, dict):
            _send(handler, HTTPStatus.BAD_REQUEST, request)
            return
        caller = Caller(
            result.mode,
            result.to_context(),
            result.denied_fields,
            {k.lower(): v for k, v in headers.items()},
        )
        _send(handler, *self._execute(*request, caller))

    def _execute(
        self, query: str, variables: dict[str, Any] | None, operation: str | None, caller: Caller
    ) -> tuple[HTTPStatus, Any]:
        try:
            with self._lock:
                answer = self.local.graphql(query, variables, auth=caller, operation_name=operation)
            return HTTPStatus.OK, answer
        except Exception as error:  # a bug of the runtime: answer in shape, keep serving
            return HTTPStatus.INTERNAL_SERVER_ERROR, _failure(error)


class _Server(ThreadingHTTPServer):
    tls_handoff: Callable[[socket.socket, Any], None] | None = None
    first_byte_timeout: float = REQUEST_TIMEOUT_S

    def finish_request(self, request: Any, client_address: Any) -> None:
        """HTTP, unless the connection opens with a TLS handshake (see the module)."""
        if _first_byte(request, self.first_byte_timeout) == TLS_HANDSHAKE:
            if self.tls_handoff is None:
                return  # closed by the caller, shutdown_request
            request.settimeout(None)
            self.tls_handoff(request, client_address)
            return
        super().finish_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away or stalled is no error of the server's; anything else
        (the stdlib's own request parsing) is reported as usual."""
        if isinstance(sys.exc_info()[1], (*_GONE, TimeoutError)):
            return
        super().handle_error(request, client_address)


def _first_byte(connection: socket.socket, timeout: float) -> int | None:
    """The connection's first byte, left to be read; ``None`` when none came in time."""
    connection.settimeout(timeout)
    try:
        first = connection.recv(1, socket.MSG_PEEK)
    except OSError:
        return None
    return first[0] if first else None


def _body(handler: BaseHTTPRequestHandler) -> bytes | None:
    """The request body, or ``None`` after answering why there is none to run: sent
    without ``Content-Length`` (411), too large (413), or not sent in time (408)."""
    if handler.headers.get("Transfer-Encoding"):
        message = (
            "Send the request body with a Content-Length header; the local server does not "
            "read a Transfer-Encoding body."
        )
        _send(handler, HTTPStatus.LENGTH_REQUIRED, _error(BAD_REQUEST, message), close=True)
        return None
    try:
        length = int(handler.headers.get("Content-Length") or 0)
    except ValueError:
        length = -1
    if 0 <= length <= MAX_BODY_BYTES:
        return _read(handler, length)
    _drain(handler)
    message = f"The request body must be a JSON document of at most {MAX_BODY_BYTES} bytes."
    _send(handler, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _error(BAD_REQUEST, message), close=True)
    return None


def _drain(handler: BaseHTTPRequestHandler) -> None:
    """Read (and drop) the body the client is sending, up to a bound, so that it sees the
    answer rather than a reset connection; what is left unread closes the connection."""
    try:
        length = int(handler.headers.get("Content-Length") or 0)
    except ValueError:
        length = -1
    remaining = min(max(length, 0), DRAIN_LIMIT_BYTES)
    while remaining > 0:
        chunk = handler.rfile.read(min(remaining, 65536))
        if not chunk:
            break
        remaining -= len(chunk)
    if (
        remaining
        or not 0 <= length <= DRAIN_LIMIT_BYTES
        or handler.headers.get("Transfer-Encoding")
    ):
        handler.close_connection = True


def _not_found(handler: BaseHTTPRequestHandler) -> None:
    _drain(handler)
    _send(handler, HTTPStatus.NOT_FOUND, _error("NotFoundException", "Use POST /graphql."))


def _graphql_request(
    body: bytes,
) -> tuple[str, dict[str, Any] | None, str | None] | dict[str, Any]:
    """``(query, variables, operationName)`` of a request body, or the error body that
    says what is wrong with it."""
    try:
        request = json_input.loads(body or b"null")
    except ValueError:
        return _error("MalformedHttpRequestException", "The request body is not valid JSON.")
    if not isinstance(request, dict):
        request = {}
    query, variables, operation = (request.get(k) for k in ("query", "variables", "operationName"))
    if not isinstance(query, str) or not query.strip():
        return _error(BAD_REQUEST, "The request body needs a 'query' string.")
    if variables is not None and not isinstance(variables, dict):
        return _error(BAD_REQUEST, "'variables' must be a JSON object.")
    if operation is not None and not isinstance(operation, str):
        return _error(
            BAD_REQUEST, "'operationName' must be a string naming an operation of the query."
        )
    return query, variables, operation


def _failure(error: BaseException) -> dict[str, Any]:
    message = f"The local runtime failed on this request ({type(error).__name__}: {error})."
    return _error("InternalFailureException", message)


def _guarded(handler: BaseHTTPRequestHandler, answer: Callable[[], None]) -> None:
    """Run ``answer``; a failure in it is answered with a 500 in AppSync's shape (when no
    answer has started) and the connection closed, so the server keeps serving."""
    handler._answered = False  # type: ignore[attr-defined]  # set by _send
    try:
        answer()
    except _GONE:
        handler.close_connection = True
    except Exception as error:  # a bug of the runtime: answer in shape, keep serving
        handler.close_connection = True
        if not getattr(handler, "_answered", False):
            with contextlib.suppress(*_GONE, TimeoutError):
                _send(handler, HTTPStatus.INTERNAL_SERVER_ERROR, _failure(error), close=True)


def _read(handler: BaseHTTPRequestHandler, length: int) -> bytes | None:
    """The request body, or ``None`` after answering a client that stalled (408)."""
    try:
        return handler.rfile.read(length)
    except TimeoutError:
        message = (
            f"The request body did not arrive within {handler.timeout:g} s "
            f"(Content-Length: {length})."
        )
        with contextlib.suppress(*_GONE, TimeoutError):
            _send(handler, HTTPStatus.REQUEST_TIMEOUT, _error(BAD_REQUEST, message))
        handler.close_connection = True
        return None


def _preflight(handler: BaseHTTPRequestHandler) -> None:
    if handler.path.split("?")[0] != "/graphql":
        _send(handler, HTTPStatus.NOT_FOUND, _error("NotFoundException", "Use POST /graphql."))
        return
    try:
        length = int(handler.headers.get("Content-Length") or 0)
    except ValueError:
        length = -1
    if 0 < length <= MAX_BODY_BYTES:
        handler.rfile.read(length)  # a preflight has no body; drop one if sent
    handler.send_response(HTTPStatus.OK)
    for name, value in preflight_headers(handler.headers).items():
        handler.send_header(name, value)
    handler.send_header("x-amzn-RequestId", str(uuid.uuid4()))
    handler.send_header("Content-Length", "0")
    if not 0 <= length <= MAX_BODY_BYTES:  # a body not read: the connection cannot go on
        handler.send_header("Connection", "close")
        handler.close_connection = True
    handler.end_headers()


def _send(
    handler: BaseHTTPRequestHandler,
    status: HTTPStatus,
    body: Any,
    headers: dict[str, str] | None = None,
    *,
    close: bool = False,
) -> None:
    data = json.dumps(body).encode("utf-8")
    handler._answered = True  # type: ignore[attr-defined]  # read by _guarded
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json; charset=UTF-8")
    handler.send_header("Content-Length", str(len(data)))
    handler.send_header("x-amzn-RequestId", str(uuid.uuid4()))
    for name, value in {**CORS_HEADERS, **(headers or {})}.items():
        handler.send_header(name, value)
    if close:
        handler.send_header("Connection", "close")
        handler.close_connection = True
    handler.end_headers()
    handler.wfile.write(data)
