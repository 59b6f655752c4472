"""``AWS_LAMBDA``: the authorizer called in-process with AppSync's event (APPSYNC.md §2).

A token that does not fully match ``identityValidationExpression`` is refused without a call.
The answer (``isAuthorized``, ``resolverContext``, ``deniedFields``, ``ttlOverride``) is cached
by token for ``ttlOverride`` or else the API's TTL; denials are cached like grants. A call that
raises, runs past the timeout or answers out of shape is a 401 and is not cached.
"""

from __future__ import annotations

import copy
import json
import re
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from ...errors import JsonObject, JsonValue
from .. import json_input
from .config import LambdaAuth
from .result import MSG_NOT_AUTHORIZED, Authorized, AuthResult, Rejected, unauthorized
from .types import AuthMode, LambdaIdentity

__all__ = ["MAX_TTL_SECONDS", "LambdaAuthorizerRunner", "denied_field_names", "lambda_event"]

MAX_TTL_SECONDS = 3600
_NAME = r"[_A-Za-z][_0-9A-Za-z]*"
_SHORT_FIELD = re.compile(rf"(?P<type>{_NAME})\.(?P<field>{_NAME})")
_FIELD_ARN = re.compile(
    rf"arn:aws[a-z-]*:appsync:[a-z0-9-]+:\d{{12}}:apis/(?P<api>[^/]+)"
    rf"/types/(?P<type>{_NAME})/fields/(?P<field>{_NAME})"
)


@dataclass(frozen=True)
class _Answer:
    is_authorized: bool
    resolver_context: JsonObject
    denied_fields: frozenset[str]


def denied_field_names(entries: list[str], api_id: str) -> frozenset[str]:
    """``Type.field`` for each entry: short forms as they are, field ARNs of this API
    converted; ARNs of other APIs (an authorizer shared by several) and anything else dropped."""
    names: set[str] = set()
    for entry in entries:
        short = _SHORT_FIELD.fullmatch(entry)
        arn = _FIELD_ARN.fullmatch(entry)
        match = short or (arn if arn is not None and arn["api"] == api_id else None)
        if match is not None:
            names.add(f"{match['type']}.{match['field']}")
    return frozenset(names)


def lambda_event(
    token: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    api_id: str,
    account_id: str,
    request_id: str,
) -> dict[str, object]:
    """AppSync's authorizer event. ``operationName`` is left out when the request has none.
    ``requestHeaders`` holds the request's headers but ``authorization`` (the token is
    ``authorizationToken``), as in the documented example [unverified which ones AppSync
    passes]."""
    try:
        request = json_input.loads(body) if body else {}
    except ValueError:
        request = {}
    if not isinstance(request, dict):
        request = {}
    query, operation, variables = (request.get(k) for k in ("query", "operationName", "variables"))
    context: dict[str, object] = {
        "apiId": api_id,
        "accountId": account_id,
        "requestId": request_id,
        "queryString": query if isinstance(query, str) else "",
    }
    if isinstance(operation, str):
        context["operationName"] = operation
    context["variables"] = variables if isinstance(variables, dict) else {}
    return {
        "authorizationToken": token,
        "requestContext": context,
        "requestHeaders": {k: v for k, v in headers.items() if k.lower() != "authorization"},
    }


def _resolver_context(answer: Mapping[str, object]) -> JsonObject | str:
    context = answer.get("resolverContext")
    try:
        parsed: JsonValue = json.loads(json.dumps({} if context is None else context))
    except (TypeError, ValueError):
        return "resolverContext is not JSON"
    if not isinstance(parsed, dict):
        return f"resolverContext is {type(context).__name__}, not an object"
    return parsed


def _denied(answer: Mapping[str, object]) -> list[str] | str:
    denied = answer.get("deniedFields")
    if denied is None:
        return []
    if not isinstance(denied, list) or not all(isinstance(item, str) for item in denied):
        return "deniedFields is not a list of strings"
    return denied


def _ttl(answer: Mapping[str, object], default_ttl: int) -> int | str:
    ttl = answer.get("ttlOverride")
    if ttl is None:
        return default_ttl
    if isinstance(ttl, bool) or not isinstance(ttl, int):
        return f"ttlOverride is {ttl!r}, not a whole number of seconds"
    return min(max(ttl, 0), MAX_TTL_SECONDS)


def _read(answer: object, default_ttl: int, api_id: str) -> tuple[_Answer, int] | str:
    """The answer and its cache TTL, or why the answer is unusable."""
    if not isinstance(answer, Mapping):
        return f"the authorizer answered {type(answer).__name__}, not an object"
    allowed = answer.get("isAuthorized")
    if not isinstance(allowed, bool):
        return f"isAuthorized is {allowed!r}, not a boolean"
    context = _resolver_context(answer)
    if isinstance(context, str):
        return context
    denied = _denied(answer)
    if isinstance(denied, str):
        return denied
    ttl = _ttl(answer, default_ttl)
    if isinstance(ttl, str):
        return ttl
    return _Answer(allowed, context, denied_field_names(denied, api_id)), ttl


def _call(config: LambdaAuth, event: dict[str, object]) -> tuple[object, str | None]:
    """Run the function on a daemon thread, so one that hangs neither blocks the request past
    the timeout nor keeps the process alive."""
    outcome: list[object] = []
    failure: list[str] = []

    def run() -> None:
        try:
            outcome.append(config.function(event))
        except Exception as error:  # any failure of the authorizer is a 401
            failure.append(f"the authorizer raised {type(error).__name__}: {error}")

    worker = threading.Thread(target=run, name="lambda-authorizer", daemon=True)
    worker.start()
    worker.join(config.timeout_seconds)
    if worker.is_alive():
        return None, f"the authorizer did not answer within {config.timeout_seconds} s"
    if failure:
        return None, failure[0]
    return outcome[0], None


class LambdaAuthorizerRunner:
    """Calls one API's authorizer and caches its answers by token (thread-safe)."""

    def __init__(self, config: LambdaAuth, *, api_id: str, account_id: str) -> None:
        self._config = config
        self._api_id = api_id
        self._account_id = account_id
        self._cache: dict[str, tuple[float, _Answer]] = {}
        self._lock = threading.Lock()
        self.calls = 0  # how many times the function ran (tests read it)

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def _cached(self, token: str, now: float) -> _Answer | None:
        with self._lock:
            for key in [k for k, (until, _) in self._cache.items() if until <= now]:
                del self._cache[key]
            entry = self._cache.get(token)
        return None if entry is None else entry[1]

    def _ask(
        self, token: str, headers: Mapping[str, str], body: bytes, now: float, request_id: str
    ) -> _Answer | Rejected:
        event = lambda_event(
            token,
            headers,
            body,
            api_id=self._api_id,
            account_id=self._account_id,
            request_id=request_id,
        )
        with self._lock:
            self.calls += 1
        answer, problem = _call(self._config, copy.deepcopy(event))
        if problem is not None:
            return unauthorized(MSG_NOT_AUTHORIZED, problem)
        read = _read(answer, self._config.result_ttl_seconds, self._api_id)
        if isinstance(read, str):
            return unauthorized(MSG_NOT_AUTHORIZED, read)
        result, ttl = read
        if ttl > 0:
            with self._lock:
                self._cache[token] = (now + ttl, result)
        return result

    def authorize(
        self,
        token: str,
        headers: Mapping[str, str],
        body: bytes,
        *,
        now: float,
        request_id: str | None = None,
    ) -> AuthResult:
        pattern = self._config.validation_pattern
        if pattern is not None and not pattern.fullmatch(token):
            return unauthorized(
                MSG_NOT_AUTHORIZED, f"the token does not match {pattern.pattern!r}; not called"
            )
        answer = self._cached(token, now)
        if answer is None:
            asked = self._ask(token, headers, body, now, request_id or str(uuid.uuid4()))
            if isinstance(asked, Rejected):
                return asked
            answer = asked
        if not answer.is_authorized:
            return unauthorized(MSG_NOT_AUTHORIZED, "the authorizer answered isAuthorized: false")
        return Authorized(
            mode=AuthMode.AWS_LAMBDA,
            identity=LambdaIdentity(resolver_context=answer.resolver_context),
            denied_fields=answer.denied_fields,
        )
