"""Direct Lambda resolvers: a resolver or pipeline function on an ``AWS_LAMBDA`` data source
with neither code nor mapping templates. AppSync then invokes the function itself, as the
AWS AppSync Developer Guide describes under "Direct Lambda resolvers" (resolver mapping
template reference for Lambda):

- The event is AppSync's context object: ``arguments``, ``identity``, ``source``,
  ``request`` (``headers``, ``domainName``), ``prev`` (null for a unit resolver, the previous
  step's ``{"result": ...}`` in a pipeline), ``info`` (``fieldName``, ``parentTypeName``,
  ``variables``, ``selectionSetList``, ``selectionSetGraphQL``) and ``stash``.
- The function's return value is the field's value (in a pipeline, ``ctx.prev.result`` of
  the next step).
- A function that fails fails the field: ``errorType`` is the function's error type (for a
  Python function, the class name of the exception it raised), ``message`` its message. For
  ``UnauthorizedException`` AppSync sends its own message, "You are not authorized to make
  this call.".
- With ``MaxBatchSize`` above 0 the event is a list of context objects (``BatchInvoke``) and
  the function answers a list in the same order, one ``{"data", "errorMessage",
  "errorType"}`` per context: an entry with an ``errorMessage`` fails its field with that
  message, ``errorType`` and ``data``; otherwise its ``data`` is the field's value. AppSync
  puts up to ``MaxBatchSize`` contexts in a batch; locally every batch holds one, since
  fields resolve one at a time.

Mapping templates (VTL) do not run locally: a resolver or function that has them fails its
field with ``UnsupportedOperation`` naming it, as does a step without code on a data source
that is not ``AWS_LAMBDA`` (AppSync itself refuses to deploy one).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..assembly.template import DataSourceDef, FunctionDef, ResolverDef
from ..js.runner import HandlerError, JsonValue
from ..shapes import AppSyncError
from .datasource import LAMBDA_UNHANDLED, LambdaDataSource, LambdaFailure

__all__ = ["CONTEXT_KEYS", "UNAUTHORIZED_MESSAGE", "UNSUPPORTED", "direct_event", "run_direct"]

# The keys of the context object AppSync sends a direct Lambda resolver, in its order.
CONTEXT_KEYS = ("arguments", "identity", "source", "request", "prev", "info", "stash")
UNAUTHORIZED_EXCEPTION = "UnauthorizedException"
UNAUTHORIZED_MESSAGE = "You are not authorized to make this call."
UNSUPPORTED = "UnsupportedOperation"

Step = ResolverDef | FunctionDef


def _named(step: Step) -> str:
    if isinstance(step, ResolverDef):
        return f"The resolver {step.type_name}.{step.field_name}"
    return f"The pipeline function {step.name}"


def direct_event(ctx: Mapping[str, Any], *, in_pipeline: bool) -> JsonValue:
    """The context object of ``ctx`` (the engine's) as AppSync sends it to the function."""
    event = {key: ctx.get(key) for key in CONTEXT_KEYS}
    if not in_pipeline:
        event["prev"] = None
    marshalled: JsonValue = json.loads(json.dumps(event))
    return marshalled


def _refusal(step: Step, source: DataSourceDef | None) -> HandlerError | None:
    if step.templates:
        return HandlerError(
            f"{_named(step)} uses VTL mapping templates ({', '.join(step.templates)}); the "
            f"local runtime runs APPSYNC_JS code and direct Lambda resolvers (no code and no "
            f"templates, on an AWS_LAMBDA data source).",
            UNSUPPORTED,
        )
    if source is None or source.kind != "AWS_LAMBDA":
        if step.data_source is None:
            which = "it names no data source"
        elif source is None:
            which = f"its data source {step.data_source!r} is not in the templates"
        else:
            which = f"its data source {step.data_source!r} is of type {source.kind}"
        return HandlerError(
            f"{_named(step)} has neither code nor mapping templates, which AppSync allows "
            f"only on an AWS_LAMBDA data source (a direct Lambda resolver); {which}.",
            UNSUPPORTED,
        )
    return None


def _failed(failure: LambdaFailure) -> AppSyncError:
    if failure.error_type == UNAUTHORIZED_EXCEPTION:
        return AppSyncError(HandlerError(UNAUTHORIZED_MESSAGE, UNAUTHORIZED_EXCEPTION))
    return AppSyncError(HandlerError(failure.message, failure.error_type))


def _batch_entry(step: Step, answer: JsonValue) -> JsonValue:
    """The field's value from a batch answer of one context; raises its error."""
    if not isinstance(answer, list) or len(answer) != 1:
        raise AppSyncError(
            HandlerError(
                f"{_named(step)} (MaxBatchSize {step.max_batch_size}) sent its function a "
                f"batch of 1 context, and it answered {json.dumps(answer)[:80]}: a batched "
                f"direct Lambda function answers a list of one "
                f'{{"data", "errorMessage", "errorType"}} per context, in their order.',
                LAMBDA_UNHANDLED,
            )
        )
    (entry,) = answer
    if not isinstance(entry, dict):
        return None  # AppSync reads the entry's "data"; a bare value has none
    message = entry.get("errorMessage")
    if message:
        error_type = entry.get("errorType")
        raise AppSyncError(
            HandlerError(
                message if isinstance(message, str) else json.dumps(message),
                error_type if isinstance(error_type, str) else None,
                data=entry.get("data"),
            )
        )
    return entry.get("data")


def run_direct(
    step: Step,
    source: DataSourceDef | None,
    runner: LambdaDataSource | None,
    ctx: Mapping[str, Any],
    *,
    in_pipeline: bool,
) -> JsonValue:
    """The value of a step without code (``step.codeless``) or with mapping templates: its
    data source's function invoked with AppSync's context. Raises ``AppSyncError`` for the
    field's error."""
    refused = _refusal(step, source)
    if refused is not None or runner is None:
        raise AppSyncError(refused or HandlerError(f"{_named(step)} cannot run.", UNSUPPORTED))
    event = direct_event(ctx, in_pipeline=in_pipeline)
    batched = step.max_batch_size > 0
    answer = runner.invoke([event] if batched else event)
    if isinstance(answer, LambdaFailure):
        raise _failed(answer)
    return _batch_entry(step, answer) if batched else answer
