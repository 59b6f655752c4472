"""Run one APPSYNC_JS handler in node, with the local ``@aws-appsync/utils`` shim.

``run_handler(code, "request", ctx, "AMAZON_COGNITO_USER_POOLS")`` evaluates ``code`` (a
bundled resolver, see ``codegen/resolvers/bundle.py``) in a fresh ``node:vm`` context and
reports what the handler did: its return value, a thrown
``util.error``/``util.unauthorized``, appended errors, an early return, subscription
filters, and the stash afterwards. One node process per call (``run_handlers`` runs several
calls in one process; a :class:`JsSession` keeps one process for many calls and one context
per distinct code).
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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, cast

from ...errors import AuthorizedAppSyncError
from .protocol import (
    DEFAULT_TIMEOUT_MS,
    HandlerCall,
    HandlerError,
    HandlerOutcome,
    JsonObject,
    JsonValue,
    ResolverAnswer,
    ResolverRun,
    Step,
)

__all__ = [
    "DEFAULT_TIMEOUT_MS",
    "RUNNER",
    "HandlerCall",
    "HandlerError",
    "HandlerOutcome",
    "JsRuntimeError",
    "JsSession",
    "JsonValue",
    "ResolverAnswer",
    "ResolverRun",
    "Step",
    "Stopwatch",
    "run_handler",
    "run_handlers",
]


RUNNER = Path(__file__).resolve().parent / "run_resolver.mjs"


class JsRuntimeError(AuthorizedAppSyncError, RuntimeError):
    """node is missing, or the runner itself failed (not an error of the handler)."""


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

    def _code(self, code: str, message: JsonObject) -> JsonObject:
        """``message`` with ``code`` sent as an id the runner keeps (the text only once)."""
        known = self._ids.get(code)
        if known is None:
            known = self._ids[code] = self._next_id
            self._next_id += 1
            message["code"] = code
            if len(self._ids) > self.keep:
                self._dropped.append(self._ids.popitem(last=False)[1])
        else:
            self._ids.move_to_end(code)
            message.pop("code", None)
        message["codeId"] = known
        return message

    def _message(self, call: HandlerCall) -> JsonObject:
        message = self._code(call.code, call.to_json())
        message["timeoutMs"] = 0  # timed here (_exchange), not by vm: see the runner
        return self._with_drops(message)

    def _with_drops(self, message: JsonObject) -> JsonObject:
        if self._dropped:
            message["drop"] = cast(JsonValue, self._dropped[:])
            self._dropped.clear()
        return message

    def run_resolver(self, run: ResolverRun) -> ResolverAnswer:
        """One stretch of a resolver's run in node (see :class:`ResolverRun`)."""

        def message() -> JsonValue:
            return self._with_drops(
                {
                    "run": "resolver",
                    "pipeline": run.pipeline,
                    "steps": [self._code(s.code, {"io": s.io}) for s in run.steps],
                    "at": {"step": run.step, "phase": run.phase},
                    "ctx": dict(run.ctx),
                    "authType": run.auth_type,
                    "now": run.now,
                    "timeoutMs": 0,  # timed here, as for handler calls
                }
            )

        with self._lock:
            started = time.perf_counter()
            try:
                raw = self._send(message, run.timeout_ms / 1000)
            finally:
                self.timer.add(started)
        if raw is None:
            return ResolverAnswer(
                done=False,
                error=HandlerError(
                    f"The handler timed out after {run.timeout_ms} ms (the resolver host was "
                    "restarted).",
                    "Code",
                ),
                stash=dict(cast(JsonObject, run.ctx.get("stash") or {})),
                timed_out=True,
            )
        assert isinstance(raw, dict)
        return ResolverAnswer.from_json(raw)

    def run_many(self, calls: Sequence[HandlerCall]) -> list[HandlerOutcome]:
        with self._lock:
            started = time.perf_counter()
            try:
                return self._exchange(calls)
            finally:
                self.timer.add(started)

    def _exchange(self, calls: Sequence[HandlerCall]) -> list[HandlerOutcome]:
        raw = self._send(
            lambda: [self._message(c) for c in calls], sum(c.timeout_ms for c in calls) / 1000
        )
        if raw is None:
            return [_timed_out(c) for c in calls]
        return [HandlerOutcome.from_json(o) for o in cast(list[JsonObject], raw)]

    def _send(self, message: Callable[[], JsonValue], deadline: float) -> JsonValue:
        """One line to node (built by ``message`` once node is known to run: a restarted
        node knows no code ids), one line back (None: not answered by ``deadline`` seconds;
        node was restarted)."""
        if self._stderr.closed:
            raise JsRuntimeError("The resolver runner session is closed.")
        if self._process.poll() is not None:  # died since the last call
            self._restart()
        process = self._process
        stdin, stdout = process.stdin, process.stdout
        if stdin is None or stdout is None:  # pragma: no cover - Popen was given PIPEs
            raise JsRuntimeError("The resolver runner has no pipes.")
        try:
            stdin.write(json.dumps(message()) + "\n")
            stdin.flush()
        except (BrokenPipeError, OSError) as e:
            self._restart()
            raise JsRuntimeError(f"The resolver runner stopped: {self._tail()}") from e
        ready, _, _ = select.select([stdout], [], [], deadline)
        if not ready:
            self._restart()
            return None
        line = stdout.readline()
        if not line:
            tail = self._tail()
            self._restart()
            raise JsRuntimeError(f"The resolver runner stopped:\n{tail}")
        return cast(JsonValue, json.loads(line))

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
