"""One WebSocket connection of the real-time endpoint (``realtime.py``): AppSync's
``graphql-ws`` messages (APPSYNC.md §7).

    C→S connection_init        S→C connection_ack {connectionTimeoutMs}, then ka periodically
    C→S start {id, payload: {data: "<JSON {query, variables}>", extensions: {authorization}}}
    S→C start_ack {id} | error {id, payload: {errors}}; then data {id, payload: {data}}
    C→S stop {id}              S→C complete {id}

The reading thread (the server's, one per connection) handles client messages; a sender
thread writes every outgoing message from a queue and the keep-alives, so a mutation that
publishes (on whichever thread ran it) never waits on a socket.
"""

from __future__ import annotations

import contextlib
import json
import queue
import threading
import time
from collections.abc import Mapping
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection

from .. import json_input
from ..app import LocalAppSync
from ..engine import Caller, GraphQLResponse
from ..identity.authenticator import Authenticator
from ..identity.result import Rejected
from ..subscriptions.hub import Listener, SubscriptionRefusedError

__all__ = ["CONNECTION_TIMEOUT_MS", "KEEPALIVE_S", "Session"]

# What AppSync's connection_ack carries (the client closes after this long without a `ka`).
CONNECTION_TIMEOUT_MS = 300_000
# [unverified] AppSync does not document how often it sends `ka`; about once a minute is
# what clients observe, well inside connectionTimeoutMs.
KEEPALIVE_S = 60.0
# A refused connection waits this long for the client's first message (connection_init)
# before answering connection_error, so the client is still sending when the answer comes.
_REFUSE_WAIT_S = 2.0
_KA: Mapping[str, str] = {"type": "ka"}
Message = Mapping[str, Any]


def _error(error_type: str, message: str, **extra: Any) -> dict[str, list[dict[str, Any]]]:
    return {"errors": [{"errorType": error_type, "message": message, **extra}]}


def _rejection(verdict: Rejected) -> dict[str, list[dict[str, Any]]]:
    return _error(verdict.error_type, verdict.message, errorCode=verdict.status)


class Session:
    """The protocol state of one connection: its subscriptions by client id."""

    def __init__(
        self,
        local: LocalAppSync,
        authenticator: Authenticator,
        connection: ServerConnection,
        keepalive_s: float,
    ) -> None:
        self.local = local
        self.authenticator = authenticator
        self.connection = connection
        self.keepalive_s = keepalive_s
        self._outbox: queue.Queue[Message | None] = queue.Queue()
        self._listeners: dict[str, Listener] = {}  # client id -> its subscription
        self._keepalive_at: float | None = None
        self.ended = threading.Event()  # set by the server once the connection is gone
        self._sender = threading.Thread(target=self._send_loop, name="realtime-send", daemon=True)
        self._sender.start()

    # -- lifetime --------------------------------------------------------------------------
    def serve(self) -> None:
        """Answer the client's messages until it (or the server) closes the connection."""
        try:
            for raw in self.connection:
                self._receive(raw)
        except ConnectionClosed:
            pass

    def refuse(self, verdict: Rejected) -> None:
        """The connection's credentials were rejected: connection_error, then close."""
        with contextlib.suppress(TimeoutError, ConnectionClosed):
            self.connection.recv(timeout=_REFUSE_WAIT_S)
        self.post({"type": "connection_error", "payload": _rejection(verdict)})
        self._drain()
        self.connection.close()

    def finish(self) -> None:
        """End this connection's subscriptions and the sender thread."""
        with self.local.lock:
            listeners, self._listeners = list(self._listeners.values()), {}
            for listener in listeners:
                self.local.subscriptions.unsubscribe(listener)
        self._outbox.put(None)
        self._sender.join(timeout=5)

    def close_connection(self) -> None:
        """Close from the server's side (server stop): code 1001, going away."""
        self.connection.close(code=1001, reason="server stopping")

    # -- outgoing --------------------------------------------------------------------------
    def post(self, message: Message) -> None:
        self._outbox.put(message)

    def _drain(self) -> None:
        """Wait until the sender has written everything queued so far."""
        done = threading.Event()
        self._outbox.put({"__done__": done})
        done.wait(timeout=5)

    def _send_loop(self) -> None:
        while True:
            due = self._keepalive_at
            wait = None if due is None else max(0.0, due - time.monotonic())
            try:
                message = self._outbox.get(timeout=wait)
            except queue.Empty:
                message = _KA
                self._keepalive_at = time.monotonic() + self.keepalive_s
            if message is None:
                return
            marker = message.get("__done__")
            if isinstance(marker, threading.Event):
                marker.set()
                continue
            try:
                self.connection.send(json.dumps(message))
            except ConnectionClosed:
                continue  # keep draining until finish() ends the loop

    # -- incoming --------------------------------------------------------------------------
    def _receive(self, raw: str | bytes) -> None:
        try:
            message = json_input.loads(raw)
        except (ValueError, UnicodeDecodeError):
            message = None
        if not isinstance(message, dict):
            self.post({"type": "error", "payload": _error("BadRequestException", _NOT_JSON)})
            return
        kind = message.get("type")
        if kind == "connection_init":
            self.post(
                {
                    "type": "connection_ack",
                    "payload": {"connectionTimeoutMs": CONNECTION_TIMEOUT_MS},
                }
            )
            self.post(_KA)
            self._keepalive_at = time.monotonic() + self.keepalive_s
        elif kind == "start":
            self._start(message)
        elif kind == "stop":
            self._stop(message.get("id"))
        else:
            # [unverified text] AppSync's answer to a message type it does not take.
            self.post(
                {
                    "type": "error",
                    "payload": _error(
                        "UnsupportedOperation", f"{kind} not supported through the realtime channel"
                    ),
                }
            )

    def _start(self, message: Mapping[str, Any]) -> None:
        sub_id = message.get("id")
        if not isinstance(sub_id, str) or not sub_id:
            self.post({"type": "error", "payload": _error("BadRequestException", _NO_ID)})
            return
        payload = message.get("payload")
        payload = payload if isinstance(payload, dict) else {}
        data = payload.get("data")
        extensions = payload.get("extensions")
        authorization = extensions.get("authorization") if isinstance(extensions, dict) else None
        headers = {
            str(k): str(v) for k, v in (authorization or {}).items() if isinstance(v, str | int)
        }
        request = _request_of(data)
        if isinstance(request, str):
            self._fail(sub_id, _error("BadRequestException", request))
            return
        verdict = self.authenticator.authenticate(
            headers,
            str(data).encode("utf-8"),
            method="POST",
            path="/graphql",
            source_ip=self._peer(),
        )
        if isinstance(verdict, Rejected):
            self._fail(sub_id, _rejection(verdict))
            return
        caller = Caller(
            verdict.mode,
            verdict.to_context(),
            verdict.denied_fields,
            {k.lower(): v for k, v in headers.items()},
        )
        self._subscribe(sub_id, request, caller)

    def _subscribe(self, sub_id: str, request: Mapping[str, Any], caller: Caller) -> None:
        # Under the engine's lock: no event can be published between the registration and
        # the start_ack, and none after a stop's complete.
        with self.local.lock:
            if sub_id in self._listeners:
                # AppSync refuses a second `start` with a live id; the text is the one
                # Amplify JS users report (amplify-js issue 12818).
                message = f"Duplicated operation with id {sub_id}"
                self._fail(sub_id, _error("DuplicatedOperationError", message))
                return
            try:
                listener = self.local.subscriptions.subscribe(
                    request["query"],
                    request.get("variables"),
                    caller,
                    deliver=lambda payload: self._data(sub_id, payload),
                    complete=lambda: self._completed(sub_id),
                )
            except SubscriptionRefusedError as refused:
                self._fail(sub_id, {"errors": refused.errors})
                return
            self._listeners[sub_id] = listener
            self.post({"type": "start_ack", "id": sub_id})

    def _stop(self, sub_id: Any) -> None:
        with self.local.lock:
            listener = self._listeners.pop(sub_id, None) if isinstance(sub_id, str) else None
            if listener is not None:
                self.local.subscriptions.unsubscribe(listener)
            self.post({"type": "complete", "id": sub_id})

    def _data(self, sub_id: str, payload: GraphQLResponse) -> None:
        self.post({"type": "data", "id": sub_id, "payload": payload})

    def _completed(self, sub_id: str) -> None:
        """An invalidation ended the subscription."""
        self._listeners.pop(sub_id, None)
        self.post({"type": "complete", "id": sub_id})

    def _fail(self, sub_id: str, payload: Mapping[str, Any]) -> None:
        self.post({"type": "error", "id": sub_id, "payload": payload})

    def _peer(self) -> str:
        address = self.connection.remote_address
        return str(address[0]) if address else "127.0.0.1"


_NOT_JSON = "A message must be a JSON object with a 'type'."
_NO_ID = "A 'start' message needs an 'id' string that names the subscription."


def _request_of(data: Any) -> Mapping[str, Any] | str:
    """``payload.data`` of a start: a JSON string of ``{query, variables}``, or what is wrong."""
    if not isinstance(data, str):
        return "'payload.data' must be a string holding the JSON of {query, variables}."
    try:
        request = json_input.loads(data)
    except ValueError:
        return "'payload.data' is not valid JSON."
    if not isinstance(request, dict) or not isinstance(request.get("query"), str):
        return "'payload.data' needs a 'query' string."
    variables = request.get("variables")
    if variables is not None and not isinstance(variables, dict):
        return "'variables' must be a JSON object."
    return request
