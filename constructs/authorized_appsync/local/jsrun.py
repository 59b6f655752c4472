"""Run one APPSYNC_JS handler in node, with the local ``@aws-appsync/utils`` shim.

``run_handler(code, "request", ctx, "AMAZON_COGNITO_USER_POOLS")`` evaluates ``code`` (a
bundled resolver, see ``codegen/bundle.py``) in a fresh ``node:vm`` context and reports what
the handler did: its return value, a thrown ``util.error``/``util.unauthorized``, appended
errors, an early return, subscription filters, and the stash afterwards. One node process
per call (``run_handlers`` runs several calls in one process; a :class:`JsSession` keeps
one process for many calls and one context per distinct code).
"""

from __future__ import annotations

import contextlib
import json
import select
import shutil
import subprocess
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, cast

__all__ = [
    "NONE_STEP",
    "RUNNER",
    "HandlerCall",
    "HandlerError",
    "HandlerOutcome",
    "JsRuntimeError",
    "JsSession",
    "JsonValue",
    "Stopwatch",
    "run_handler",
    "run_handlers",
]

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]
JsonObject = dict[str, JsonValue]

RUNNER = Path(__file__).resolve().parent / "js" / "run_resolver.mjs"
# A whole step on a NONE data source (request, its payload as ctx.result, response) in one
# call: what two calls would do, with no I/O between them.
NONE_STEP = "request+none"
# A handler that loops is stopped after this long (AppSync's whole request has 30 s).
DEFAULT_TIMEOUT_MS = 5_000


class JsRuntimeError(RuntimeError):
    """node is missing, or the runner itself failed (not an error of the handler)."""


@dataclass(frozen=True)
class HandlerError:
    """An error as AppSync reports it: ``util.error``'s arguments, ``Unauthorized``, or
    ``Code`` for a JavaScript exception."""

    message: str
    error_type: str | None = None
    data: JsonValue = None
    error_info: JsonValue = None

    @classmethod
    def from_json(cls, raw: JsonObject) -> HandlerError:
        error_type = raw.get("errorType")
        return cls(
            message=str(raw.get("message", "")),
            error_type=error_type if isinstance(error_type, str) else None,
            data=raw.get("data"),
            error_info=raw.get("errorInfo"),
        )


@dataclass(frozen=True)
class HandlerOutcome:
    result: JsonValue  # the handler's return value, or earlyReturn's argument
    error: HandlerError | None = None  # thrown by util.error / util.unauthorized / the code
    errors: tuple[HandlerError, ...] = ()  # util.appendError
    early_return: bool = False
    subscription_filter: JsonValue = None
    subscription_invalidation_filter: JsonValue = None
    invalidations: tuple[JsonValue, ...] = ()
    stash: JsonObject = field(default_factory=dict)
    timed_out: bool = False  # stopped after its timeout (``error`` says so, as ``Code``)

    @classmethod
    def from_json(cls, raw: JsonObject) -> HandlerOutcome:
        error = raw.get("error")
        errors = raw.get("errors") or []
        invalidations = raw.get("invalidations") or []
        stash = raw.get("stash")
        return cls(
            result=raw.get("result"),
            error=HandlerError.from_json(error) if isinstance(error, dict) else None,
            errors=tuple(HandlerError.from_json(e) for e in cast(list[JsonObject], errors)),
            early_return=raw.get("earlyReturn") is True,
            subscription_filter=raw.get("subscriptionFilter"),
            subscription_invalidation_filter=raw.get("subscriptionInvalidationFilter"),
            invalidations=tuple(cast(list[JsonValue], invalidations)),
            stash=stash if isinstance(stash, dict) else {},
            timed_out=raw.get("timedOut") is True,
        )


@dataclass(frozen=True)
class HandlerCall:
    code: str
    handler: str  # "request" | "response" | NONE_STEP
    ctx: Mapping[str, JsonValue]
    # An AppSync mode (API_KEY, AWS_IAM, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT,
    # AWS_LAMBDA) or util.authType()'s text.
    auth_type: str | None
    now: str | None = None  # a fixed clock for util.time, ISO 8601
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    # With handler NONE_STEP: whether the step is a pipeline function (an early return in
    # its request skips its response) rather than a unit resolver.
    in_function: bool = False

    def to_json(self) -> JsonObject:
        return {
            "code": self.code,
            "handler": self.handler,
            "ctx": dict(self.ctx),
            "authType": self.auth_type,
            "now": self.now,
            "timeoutMs": self.timeout_ms,
            "inFunction": self.in_function,
        }


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise JsRuntimeError(
            "Running APPSYNC_JS resolvers locally needs Node.js 18 or later on PATH ('node' "
            "was not found). Install Node.js, or run `make setup` in a checkout."
        )
    return node


def run_handlers(calls: Sequence[HandlerCall]) -> list[HandlerOutcome]:
    """Run ``calls`` in order in one node process, each in its own fresh context."""
    if not calls:
        return []
    payload = json.dumps([c.to_json() for c in calls])
    timeout_s = sum(c.timeout_ms for c in calls) / 1000 + 10
    try:
        done = subprocess.run(
            [_node(), str(RUNNER)],
            input=payload,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired as e:
        raise JsRuntimeError(f"The resolver runner did not finish within {timeout_s:.0f} s.") from e
    if done.returncode != 0:
        raise JsRuntimeError(
            f"The resolver runner {RUNNER.name} failed (exit {done.returncode}):\n{done.stderr}"
        )
    try:
        raw = json.loads(done.stdout)
    except json.JSONDecodeError as e:
        raise JsRuntimeError(f"The resolver runner printed no JSON: {done.stdout[:200]!r}") from e
    return [HandlerOutcome.from_json(o) for o in cast(list[JsonObject], raw)]


def run_handler(
    code: str,
    handler: str,
    ctx: Mapping[str, JsonValue],
    auth_type: str | None,
    *,
    now: str | None = None,
    timeout_ms: int = DEFAULT_TIMEOUT_MS,
) -> HandlerOutcome:
    """Run one handler of ``code`` with ``ctx`` as AppSync's context."""
    call = HandlerCall(code, handler, ctx, auth_type, now=now, timeout_ms=timeout_ms)
    return run_handlers([call])[0]


@dataclass
class Stopwatch:
    """Cumulative wall time of one kind of call (``perf_counter`` seconds)."""

    calls: int = 0
    seconds: float = 0.0

    def add(self, started: float) -> None:
        self.calls += 1
        self.seconds += time.perf_counter() - started

    def reset(self) -> None:
        self.calls, self.seconds = 0, 0.0


def _timed_out(call: HandlerCall) -> HandlerOutcome:
    return HandlerOutcome(
        result=None,
        error=HandlerError(
            f"The handler timed out after {call.timeout_ms} ms (the resolver host was "
            "restarted).",
            "Code",
        ),
        timed_out=True,
        stash=dict(cast(JsonObject, call.ctx.get("stash") or {})),
    )


class JsSession:
    """One long-lived node process running handler calls one after another. Each distinct
    ``code`` is evaluated once in its own context and kept (up to ``keep`` of them, least
    recently used first out); every call gets fresh utils and ``ctx``.

    A call not answered within its ``timeout_ms`` (a handler that loops, or a wedged node)
    comes back ``timed_out``: node is killed and started again, so later calls work (node's
    own per-call ``vm`` timeout costs a thread per call, more than the call itself). If
    node dies, it is started again too. Thread-safe (calls are serialized). Use as a context
    manager, or call :meth:`close`. ``timer`` accumulates the time of round trips to node.
    """

    def __init__(self, *, keep: int = 512) -> None:
        self.keep = keep
        self.timer = Stopwatch()
        self.restarts = 0
        self._lock = threading.Lock()
        self._ids: OrderedDict[str, int] = OrderedDict()  # code -> id node keeps it under
        self._next_id = 0
        self._dropped: list[int] = []
        # A file, not a pipe: a chatty handler (console.log) must not block the runner.
        self._stderr: IO[str] = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
        self._process = self._start()

    def _start(self) -> subprocess.Popen[str]:
        self._ids.clear()
        self._dropped.clear()
        return subprocess.Popen(
            [_node(), str(RUNNER), "--lines"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
        )

    def _restart(self) -> None:
        self._stop(kill=True)
        self.restarts += 1
        self._process = self._start()

    def _message(self, call: HandlerCall) -> JsonObject:
        message = call.to_json()
        known = self._ids.get(call.code)
        if known is None:
            known = self._ids[call.code] = self._next_id
            self._next_id += 1
            if len(self._ids) > self.keep:
                self._dropped.append(self._ids.popitem(last=False)[1])
        else:
            self._ids.move_to_end(call.code)
            del message["code"]
        message["codeId"] = known
        message["timeoutMs"] = 0  # timed here (_exchange), not by vm: see the runner
        if self._dropped:
            message["drop"] = cast(JsonValue, self._dropped[:])
            self._dropped.clear()
        return message

    def run_many(self, calls: Sequence[HandlerCall]) -> list[HandlerOutcome]:
        with self._lock:
            started = time.perf_counter()
            try:
                return self._exchange(calls)
            finally:
                self.timer.add(started)

    def _exchange(self, calls: Sequence[HandlerCall]) -> list[HandlerOutcome]:
        if self._stderr.closed:
            raise JsRuntimeError("The resolver runner session is closed.")
        if self._process.poll() is not None:  # died since the last call
            self._restart()
        process = self._process
        stdin, stdout = process.stdin, process.stdout
        if stdin is None or stdout is None:  # pragma: no cover - Popen was given PIPEs
            raise JsRuntimeError("The resolver runner has no pipes.")
        try:
            stdin.write(json.dumps([self._message(c) for c in calls]) + "\n")
            stdin.flush()
        except (BrokenPipeError, OSError) as e:
            self._restart()
            raise JsRuntimeError(f"The resolver runner stopped: {self._tail()}") from e
        deadline = sum(c.timeout_ms for c in calls) / 1000
        ready, _, _ = select.select([stdout], [], [], deadline)
        if not ready:
            self._restart()
            return [_timed_out(c) for c in calls]
        line = stdout.readline()
        if not line:
            tail = self._tail()
            self._restart()
            raise JsRuntimeError(f"The resolver runner stopped:\n{tail}")
        return [HandlerOutcome.from_json(o) for o in cast(list[JsonObject], json.loads(line))]

    def run(self, call: HandlerCall) -> HandlerOutcome:
        return self.run_many([call])[0]

    def _tail(self) -> str:
        self._stderr.seek(0)
        text = self._stderr.read()[-4000:]
        self._stderr.seek(0, 2)
        return text

    def _stop(self, *, kill: bool) -> None:
        process = self._process
        if kill:
            process.kill()
        if process.stdin is not None and not process.stdin.closed:
            with contextlib.suppress(OSError):  # node is gone already
                process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def close(self) -> None:
        with self._lock:
            self._stop(kill=False)
            self._stderr.close()

    def __enter__(self) -> JsSession:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
