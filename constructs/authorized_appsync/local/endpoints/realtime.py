"""The local runtime's real-time endpoint: GraphQL subscriptions over AppSync's WebSocket
protocol (APPSYNC.md §7), so unchanged AppSync clients can subscribe.

    ws://127.0.0.1:<port>/graphql?header=<base64 JSON>&payload=e30=   (subprotocol graphql-ws)

The ``header`` object carries the connection's credentials as AppSync's HTTP headers would
(``x-api-key``; a JWT or Lambda token in ``Authorization``; SigV4 signed over POST
``/graphql/connect`` with the ``payload`` as body); they are verified by the same
:class:`~..identity.authenticator.Authenticator` as HTTP requests. Newer clients may send the
object in a ``header-<base64url JSON>`` subprotocol instead; both are read.
``/graphql/realtime`` (the custom-domain path) is served too. Given a TLS context, the
server also takes TLS connections handed over by the GraphQL port (:meth:`handle_tls`): the
``wss://<host>:<graphql port>/graphql/realtime`` Amplify JS derives from the GraphQL URL
(``tls.py``). Each ``start`` is verified again
with its own ``extensions.authorization`` (SigV4 over POST ``/graphql`` with the ``data``
string as body).

A handshake whose ``Host`` header is not a name of this server is refused with 403 before
anything else (``host_check.HostCheck``, the guard against DNS rebinding).

Mutations publish through the engine (``LocalAppSync.subscriptions``), so mutations sent
over HTTP (``graphql_server.GraphQLServer``) or in-process reach WebSocket subscribers.
"""

from __future__ import annotations

import base64
import binascii
import socket
import ssl
import threading
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.datastructures import Headers
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from .. import json_input
from ..app import LocalAppSync
from ..identity.authenticator import Authenticator
from ..identity.result import Rejected
from .host_check import HostCheck
from .realtime_session import KEEPALIVE_S, Session

__all__ = ["PATHS", "SUBPROTOCOL", "RealtimeServer", "connect_headers"]

SUBPROTOCOL = "graphql-ws"
PATHS = ("/graphql", "/graphql/realtime")
_HEADER_PROTOCOL = "header-"


def _decode_object(text: str) -> dict[str, str] | None:
    """A base64 (standard or URL-safe, padding optional) JSON object of strings."""
    padded = text.strip() + "=" * (-len(text.strip()) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        value = json_input.loads(raw)
    except (binascii.Error, ValueError):
        return None
    if not isinstance(value, dict):
        return None
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str | int | float)}


def connect_headers(request: Request) -> tuple[dict[str, str], bytes]:
    """The credentials of a connection request, and the body its SigV4 signature covers
    (the decoded ``payload`` parameter, ``{}`` when absent)."""
    query = parse_qs(urlsplit(request.path).query)
    headers: dict[str, str] = {}
    for offered in request.headers.get_all("Sec-WebSocket-Protocol"):
        for protocol in (p.strip() for p in offered.split(",")):
            if protocol.startswith(_HEADER_PROTOCOL):
                headers.update(_decode_object(protocol[len(_HEADER_PROTOCOL) :]) or {})
    if query.get("header"):
        headers.update(_decode_object(query["header"][0]) or {})
    body = b"{}"
    if query.get("payload"):
        text = query["payload"][0]
        try:
            body = base64.b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            body = b""
    return headers, body


def _select_subprotocol(connection: ServerConnection, offered: Any) -> Any:
    return SUBPROTOCOL if SUBPROTOCOL in offered else None


def _check_request(hosts: HostCheck) -> Callable[[ServerConnection, Request], Response | None]:
    """The handshake check: a name of this server in ``Host``, then a path served."""

    def check(connection: ServerConnection, request: Request) -> Response | None:
        given = request.headers.get_all("Host")
        host = given[0] if len(given) == 1 else None  # several Host headers: none is trusted
        if not hosts.allows(host):
            return connection.respond(HTTPStatus.FORBIDDEN, f"{hosts.refusal(host)}\n")
        if urlsplit(request.path).path in PATHS:
            return None
        return connection.respond(
            HTTPStatus.NOT_FOUND, f"Connect to {PATHS[0]} with the {SUBPROTOCOL} subprotocol.\n"
        )

    return check


class RealtimeServer:
    """Serve the subscriptions of ``local`` (an entered LocalAppSync) over WebSocket on
    ``host:port`` (port 0: any free port). ``keepalive_s``: seconds between ``ka`` messages
    (AppSync does not document its interval; its ``connectionTimeoutMs`` is 300000);
    ``hosts``: the ``Host`` headers answered (default: those of a server bound to ``host``)."""

    def __init__(
        self,
        local: LocalAppSync,
        authenticator: Authenticator,
        *,
        host: str = "127.0.0.1",
        port: int = 4001,
        keepalive_s: float = KEEPALIVE_S,
        hosts: HostCheck | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.local = local
        self.authenticator = authenticator
        self.keepalive_s = keepalive_s
        self._lock = threading.Lock()
        self._sessions: set[Session] = set()
        self._thread: threading.Thread | None = None
        options: dict[str, Any] = {
            "select_subprotocol": _select_subprotocol,
            "process_request": _check_request(hosts or HostCheck.for_bind(host)),
            "ping_interval": None,  # AppSync keeps connections alive with `ka` messages
            "compression": None,
        }
        self._server: Server = serve(self._handle, host, port, **options)
        # Connections other servers accept and hand over (handle_tls): this server never
        # listens on its socket, it only runs each connection's TLS and WebSocket handshakes.
        self._tls: Server | None = (
            None if tls is None else serve(self._handle, sock=socket.socket(), ssl=tls, **options)
        )
        self._address: tuple[str, int] = self._server.socket.getsockname()[:2]

    @property
    def url(self) -> str:
        host, port = self._address
        return f"ws://{host}:{port}{PATHS[0]}"

    @property
    def connections(self) -> int:
        """Open connections."""
        with self._lock:
            return len(self._sessions)

    def start(self) -> RealtimeServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="realtime-server", daemon=True
        )
        self._thread.start()
        return self

    def handle_tls(self, connection: socket.socket, address: Any) -> None:
        """Run one accepted connection whose first bytes are a TLS handshake (in the caller's
        thread, until it closes). Without a TLS context, the connection is closed."""
        if self._tls is None:
            connection.close()
            return
        wrapped = self._tls.socket
        assert isinstance(wrapped, ssl.SSLSocket)  # serve() wrapped it with the context
        self._tls.handler(
            wrapped.context.wrap_socket(
                connection, server_side=True, do_handshake_on_connect=False
            ),
            address,
        )

    def stop(self) -> None:
        """Close every connection (code 1001, going away) and end its subscriptions, then
        stop listening."""
        with self._lock:
            sessions = list(self._sessions)
        for session in sessions:
            session.close_connection()
        self._server.shutdown()
        if self._tls is not None:
            self._tls.socket.close()
        for session in sessions:
            session.ended.wait(timeout=5)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _handle(self, connection: ServerConnection) -> None:
        request = connection.request
        headers, body = connect_headers(request) if request else ({}, b"{}")
        peer = connection.remote_address[0] if connection.remote_address else "127.0.0.1"
        verdict = self.authenticator.authenticate(
            headers,
            body,
            method="POST",
            path="/graphql/connect",
            host=_host(request.headers if request else Headers()),
            source_ip=str(peer),
        )
        session = Session(self.local, self.authenticator, connection, self.keepalive_s)
        with self._lock:
            self._sessions.add(session)
        try:
            if isinstance(verdict, Rejected):
                session.refuse(verdict)
            else:
                session.serve()
        finally:
            session.finish()
            with self._lock:
                self._sessions.discard(session)
            session.ended.set()


def _host(headers: Headers) -> str:
    return str(headers.get("Host") or "")
