"""Run one APPSYNC_JS handler in node, with the local ``@aws-appsync/utils`` shim.

``run_handler(code, "request", ctx, "AMAZON_COGNITO_USER_POOLS")`` evaluates ``code`` (a
bundled resolver, see ``codegen/bundle.py``) in a fresh ``node:vm`` context and reports what
the handler did: its return value, a thrown ``util.error``/``util.unauthorized``, appended
errors, an early return, subscription filters, and the stash afterwards. One node process
per call (``run_handlers`` runs several calls in one process; a :class:`JsSession` keeps
one process for many calls).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, cast

__all__ = [
    "RUNNER",
    "HandlerCall",
    "HandlerError",
    "HandlerOutcome",
    "JsRuntimeError",
    "JsSession",
    "JsonValue",
    "run_handler",
    "run_handlers",
]

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]
JsonObject = dict[str, JsonValue]

RUNNER = Path(__file__).resolve().parent / "js" / "run_resolver.mjs"
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
        )


@dataclass(frozen=True)
class HandlerCall:
    code: str
    handler: str  # "request" | "response"
    ctx: Mapping[str, JsonValue]
    # An AppSync mode (API_KEY, AWS_IAM, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT,
    # AWS_LAMBDA) or util.authType()'s text.
    auth_type: str | None
    now: str | None = None  # a fixed clock for util.time, ISO 8601
    timeout_ms: int = DEFAULT_TIMEOUT_MS

    def to_json(self) -> JsonObject:
        return {
            "code": self.code,
            "handler": self.handler,
            "ctx": dict(self.ctx),
            "authType": self.auth_type,
            "now": self.now,
            "timeoutMs": self.timeout_ms,
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


class JsSession:
    """One long-lived node process running handler calls one after another (each still in
    a fresh context). Use as a context manager, or call :meth:`close`."""

    def __init__(self) -> None:
        # A file, not a pipe: a chatty handler (console.log) must not block the runner.
        self._stderr: IO[str] = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
        self._process = subprocess.Popen(
            [_node(), str(RUNNER), "--lines"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
        )

    def run_many(self, calls: Sequence[HandlerCall]) -> list[HandlerOutcome]:
        process = self._process
        if process.stdin is None or process.stdout is None or process.poll() is not None:
            raise JsRuntimeError("The resolver runner session is closed.")
        process.stdin.write(json.dumps([c.to_json() for c in calls]) + "\n")
        process.stdin.flush()
        line = process.stdout.readline()
        if not line:
            self._stderr.seek(0)
            raise JsRuntimeError(f"The resolver runner stopped:\n{self._stderr.read()}")
        return [HandlerOutcome.from_json(o) for o in cast(list[JsonObject], json.loads(line))]

    def run(self, call: HandlerCall) -> HandlerOutcome:
        return self.run_many([call])[0]

    def close(self) -> None:
        if self._process.stdin is not None and not self._process.stdin.closed:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
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
