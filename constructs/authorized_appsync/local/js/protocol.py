"""What passes between the local runtime and its node process (js/run_resolver.mjs,
js/pipeline.mjs): handler calls and their outcomes, resolver runs and their answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import cast

from ...errors import JsonObject, JsonValue

__all__ = [
    "DEFAULT_TIMEOUT_MS",
    "HandlerCall",
    "HandlerError",
    "HandlerOutcome",
    "JsonObject",
    "JsonValue",
    "ResolverAnswer",
    "ResolverRun",
    "Step",
]


# A handler that loops is stopped after this long (AppSync's whole request has 30 s).
DEFAULT_TIMEOUT_MS = 5_000


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


@dataclass(frozen=True)
class Step:
    """A resolver or function as the runner runs it: its code and where its data source is
    (``"none"``: answered in node; ``"source"``: the caller does the I/O; ``"direct"``: a
    step without code, which the caller runs)."""

    code: str
    io: str


@dataclass(frozen=True)
class ResolverRun:
    """Run a resolver (``steps[0]``) and its functions from ``step`` / ``phase`` until a
    data source needs the caller (see js/pipeline.mjs)."""

    steps: tuple[Step, ...]
    pipeline: bool
    ctx: Mapping[str, JsonValue]
    auth_type: str | None
    step: int = 0
    phase: str = "start"  # or "response": ctx holds the data source's result / error
    now: str | None = None
    timeout_ms: int = DEFAULT_TIMEOUT_MS


@dataclass(frozen=True)
class ResolverAnswer:
    """How far a :class:`ResolverRun` got: ``done`` with ``result``, or paused at ``step``
    with ``need`` (``"source"``: send ``request`` to its data source; ``"direct"``: run the
    step), or stopped by ``error``. ``stash`` / ``prev`` are the context to continue with."""

    done: bool
    need: str | None = None
    step: int | None = None
    request: JsonValue = None
    result: JsonValue = None
    error: HandlerError | None = None
    errors: tuple[HandlerError, ...] = ()
    subscription_filter: JsonValue = None
    subscription_invalidation_filter: JsonValue = None
    invalidations: tuple[JsonValue, ...] = ()
    stash: JsonObject = field(default_factory=dict)
    prev: JsonValue = None
    timed_out: bool = False

    @classmethod
    def from_json(cls, raw: JsonObject) -> ResolverAnswer:
        error = raw.get("error")
        ctx = raw.get("ctx") if isinstance(raw.get("ctx"), dict) else {}
        assert isinstance(ctx, dict)
        stash = ctx.get("stash")
        step = raw.get("step")
        need = raw.get("need")
        return cls(
            done=raw.get("done") is True,
            need=need if isinstance(need, str) else None,
            step=step if isinstance(step, int) else None,
            request=raw.get("request"),
            result=raw.get("result"),
            error=HandlerError.from_json(error) if isinstance(error, dict) else None,
            errors=tuple(
                HandlerError.from_json(e) for e in cast(list[JsonObject], raw.get("errors") or [])
            ),
            subscription_filter=raw.get("subscriptionFilter"),
            subscription_invalidation_filter=raw.get("subscriptionInvalidationFilter"),
            invalidations=tuple(cast(list[JsonValue], raw.get("invalidations") or [])),
            stash=stash if isinstance(stash, dict) else {},
            prev=ctx.get("prev"),
            timed_out=raw.get("timedOut") is True,
        )
