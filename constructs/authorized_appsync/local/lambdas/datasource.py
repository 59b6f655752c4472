"""``AWS_LAMBDA`` data sources: the function of the template run in this process
(``run.py``) with AppSync's Lambda request object.

The request handler returns ``{operation: "Invoke" | "BatchInvoke", payload,
invocationType?}``. The function receives ``payload`` (for ``BatchInvoke``, a list of the
batch's payloads: locally every batch holds one field, so ``[payload]``, and the function's
list answer's one entry is that field's result). Its return value is ``ctx.result``; an
exception it raises is ``ctx.error`` with type ``Lambda:Unhandled`` and the exception's
message (APPSYNC.md §4: AppSync reports the function's own error type as
``Lambda:Unhandled``). ``invocationType: "Event"`` runs the function and answers a null
result without waiting for it [unverified: AppSync's result for Event invocations]. A
malformed request object is ``ctx.error`` of type ``MappingTemplate``, as for DynamoDB.

A function this process cannot run (another runtime, code not in the assembly) fails the
field with an ``UnsupportedOperation`` error naming the function and why, whatever the
response handler does. Lambda's timeout is not enforced here.

Direct Lambda resolvers and functions (no code, no mapping templates) call the same function
through :meth:`LambdaDataSource.invoke` with AppSync's context as the event
(``direct.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from ..assembly.template import DataSourceDef
from ..dynamodb.errors import MAPPING_TEMPLATE, DataSourceError, DataSourceResult
from ..js.runner import HandlerError, JsonValue
from ..shapes import AppSyncError
from .run import Handler, LambdaInitError, LambdaUnavailableError, load_function

__all__ = ["LAMBDA_UNHANDLED", "MARSHAL_ERROR", "LambdaDataSource", "LambdaFailure"]

LAMBDA_UNHANDLED = "Lambda:Unhandled"
# Lambda's errorType for an answer its Python runtime cannot serialize to JSON.
MARSHAL_ERROR = "Runtime.MarshalError"
_OPERATIONS = ("Invoke", "BatchInvoke")
_INVOCATION_TYPES = ("RequestResponse", "Event")
_FIELDS = frozenset({"operation", "payload", "invocationType", "version"})


@dataclass(frozen=True)
class LambdaFailure:
    """The function failed: Lambda's ``errorType`` (for Python, the class of the exception
    it raised) and ``errorMessage``."""

    error_type: str
    message: str


def _unhandled(message: str) -> DataSourceResult:
    return DataSourceResult(None, DataSourceError(message, LAMBDA_UNHANDLED))


def _malformed(message: str) -> DataSourceResult:
    return DataSourceResult(None, DataSourceError(message, MAPPING_TEMPLATE))


class LambdaDataSource:
    """One ``AWS_LAMBDA`` data source; its function loads on first use."""

    def __init__(self, source: DataSourceDef) -> None:
        self.source = source
        self._handler: Handler | None = None
        self._failure: LambdaInitError | None = None

    def _load(self) -> Handler:
        """The function's handler; raises ``AppSyncError`` when it cannot run here and
        ``LambdaInitError`` when its code failed to load (every call, as Lambda's init)."""
        if self._handler is not None:
            return self._handler
        if self._failure is not None:
            raise self._failure
        function = self.source.function
        try:
            if function is None:
                raise LambdaUnavailableError(
                    f"its function {self.source.function_arn!r} is not an "
                    f"AWS::Lambda::Function of the loaded stack or its nested stacks"
                )
            self._handler = load_function(function)
        except LambdaUnavailableError as error:
            raise AppSyncError(
                HandlerError(
                    f"The Lambda data source {self.source.name} cannot run locally: {error}.",
                    "UnsupportedOperation",
                )
            ) from None
        except LambdaInitError as error:
            self._failure = error
            raise
        return self._handler

    def invoke(self, event: JsonValue) -> JsonValue | LambdaFailure:
        """Run the function on ``event``: its answer as Lambda marshals it (JSON), or how it
        failed. Raises ``AppSyncError`` when the function cannot run here."""
        try:
            handler = self._load()
        except LambdaInitError as error:
            return LambdaFailure(error.error_type, str(error))
        try:
            answer = handler(event)
        except Exception as error:  # the function's own failure, as Lambda reports it
            return LambdaFailure(type(error).__name__, str(error) or type(error).__name__)
        try:
            marshalled: JsonValue = json.loads(json.dumps(answer))
        except (TypeError, ValueError) as error:
            return LambdaFailure(MARSHAL_ERROR, f"Unable to marshal response: {error}")
        return marshalled

    def execute(self, request: object) -> DataSourceResult:
        """Run one request object: ``ctx.result`` and ``ctx.error`` for the response handler."""
        read = _read_request(request)
        if isinstance(read, DataSourceResult):
            return read
        operation, invocation, event = read
        answer = self.invoke(event)  # AppSyncError when it cannot run here: the field fails
        if isinstance(answer, LambdaFailure):
            return _unhandled(answer.message)
        if invocation == "Event":
            return DataSourceResult(None, None)
        return _answer(operation, answer)


def _read_request(request: object) -> tuple[str, str, JsonValue] | DataSourceResult:
    """(operation, invocationType, the function's event), or ctx.error for a bad request."""
    if not isinstance(request, Mapping):
        return _malformed("The Lambda request must be an object with an 'operation'.")
    unknown = sorted(set(request) - _FIELDS)
    operation = request.get("operation")
    invocation = request.get("invocationType", "RequestResponse")
    if unknown:
        return _malformed(f"The Lambda request has unknown fields: {', '.join(unknown)}.")
    if operation not in _OPERATIONS:
        return _malformed(
            f"The Lambda request's operation is {operation!r}; it is one of "
            f"{', '.join(_OPERATIONS)}."
        )
    if invocation not in _INVOCATION_TYPES:
        return _malformed(
            f"The Lambda request's invocationType is {invocation!r}; it is one of "
            f"{', '.join(_INVOCATION_TYPES)}."
        )
    payload = request.get("payload")
    event = json.loads(json.dumps([payload] if operation == "BatchInvoke" else payload))
    return str(operation), str(invocation), event


def _answer(operation: str, answer: JsonValue) -> DataSourceResult:
    """``ctx.result`` of the function's (marshalled) answer."""
    if operation != "BatchInvoke":
        return DataSourceResult(answer, None)
    if not isinstance(answer, list) or len(answer) != 1:
        return _unhandled(
            f"The function answered a BatchInvoke of 1 payload with "
            f"{json.dumps(answer)[:80]}, not a list of 1 result."
        )
    return DataSourceResult(answer[0], None)
