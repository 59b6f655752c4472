"""GraphQL execution as AppSync does it, over a loaded API (``assembly/``).

Every field is checked against its AppSync auth directives before it resolves (a field
without directives inherits its type's; with none at all, only the default mode gets in);
a denied field is null with ``Not Authorized to access <field> on type <Type>``. Fields with
a resolver run its APPSYNC_JS code in the node host (unit: request, data source, response;
pipeline: request, each function, response) with AppSync's ``ctx``; DynamoDB and Lambda
requests go to their data sources (``dynamodb/``, ``lambdas/datasource.py``). A resolver or
function without code on a Lambda data source invokes its function with AppSync's context
(``lambdas/direct.py``). Errors come out in AppSync's shape (``errorType``, ``data``,
``errorInfo``).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    OperationType,
    build_schema,
    execute_sync,
    get_operation_ast,
    parse,
    validate,
)
from graphql.language import ast

from ..appsync import AuthorizationMode as AuthMode
from ..appsync import appsync_preamble
from .assembly.iam_policies import ROOT_TYPES, role_name_of
from .assembly.template import ACCOUNT, API_ID, REGION, FunctionDef, LoadedApi, ResolverDef
from .dynamodb.source import DynamoDataSource
from .js.runner import (
    HandlerError,
    HandlerOutcome,
    JsSession,
    ResolverAnswer,
    ResolverRun,
    Step,
    Stopwatch,
)
from .lambdas.datasource import LambdaDataSource
from .lambdas.direct import run_direct
from .shapes import (
    AppSyncError,
    Info,
    appended_error,
    auth_table,
    format_error,
    selected_data,
    selection_graphql,
    selection_list,
    unauthorized,
    validation_error,
)

__all__ = [
    "RESOLVER_TIMEOUT_S",
    "Caller",
    "Engine",
    "EngineStats",
    "GraphQLResponse",
    "Published",
]

# AppSync documents one time limit, 30 s for a whole request (APPSYNC.md §8); locally it
# bounds each handler call.
RESOLVER_TIMEOUT_S = 30.0
# What a field whose handler ran out of time reports. AppSync's documentation gives no
# errorType for this; "Execution timed out." is the message its clients report for the
# 30 s limit, and "ExecutionTimeout" names it in the style of its other error types.
EXECUTION_TIMEOUT = HandlerError("Execution timed out.", "ExecutionTimeout")
_CACHED_DOCUMENTS = 256
API_ARN = f"arn:aws:appsync:{REGION}:{ACCOUNT}:apis/{API_ID}"
GRAPHQL = "appsync:GraphQL"  # parsed and validated queries kept, by their text

GraphQLResponse = dict[str, Any]  # AppSync's JSON body: {"data": ..., "errors": [...]}


@dataclass(frozen=True)
class Caller:
    """A verified caller: the mode that admitted the request and ``ctx.identity``."""

    mode: AuthMode
    identity: Mapping[str, Any] | None
    denied_fields: frozenset[str] = frozenset()  # Lambda authorizer's "Type.field" entries
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass
class EngineStats:
    """Where the time goes: whole ``Engine.run`` calls, round trips to the node host
    (the session's own stopwatch) and data-source calls. Cumulative; ``reset()`` zeroes."""

    requests: Stopwatch
    js: Stopwatch
    data_source: Stopwatch

    def reset(self) -> None:
        for watch in (self.requests, self.js, self.data_source):
            watch.reset()


@dataclass
class _Request:
    caller: Caller
    appended: list[tuple[HandlerError, list[str | int]]] = field(default_factory=list)
    # Handler calls that used `extensions` (subscription filters, invalidations).
    extensions: list[HandlerOutcome] = field(default_factory=list)


@dataclass(frozen=True)
class Published:
    """A mutation request's outcome, handed to ``Engine.on_mutation`` (the subscription hub,
    ``subscriptions/hub.py``): the document, its result data, and the handler calls of the
    request that used ``extensions`` (``invalidateSubscriptions``)."""

    document: ast.DocumentNode
    data: Mapping[str, Any]
    outcomes: tuple[HandlerOutcome, ...]


class Engine:
    def __init__(
        self,
        api: LoadedApi,
        dynamodb_client: Any,
        js: JsSession,
        *,
        resolver_timeout: float = RESOLVER_TIMEOUT_S,
    ) -> None:
        self.api = api
        self.timeout_ms = max(1, round(resolver_timeout * 1000))
        self.stats = EngineStats(Stopwatch(), js.timer, Stopwatch())
        self._documents: dict[str, ast.DocumentNode | list[dict[str, Any]]] = {}
        self.schema = build_schema(appsync_preamble() + api.sdl)
        self.auth = auth_table(api.sdl)
        self.js = js
        self.sources: dict[str, DynamoDataSource | LambdaDataSource] = {
            name: DynamoDataSource(dynamodb_client, source.table)
            for name, source in api.data_sources.items()
            if source.kind == "AMAZON_DYNAMODB" and source.table
        }
        self.sources.update(
            (name, LambdaDataSource(source))
            for name, source in api.data_sources.items()
            if source.kind == "AWS_LAMBDA"
        )
        for type_ in self.schema.type_map.values():
            if isinstance(type_, GraphQLObjectType) and not type_.name.startswith("__"):
                for name, field_ in type_.fields.items():
                    field_.resolve = self._resolver(type_.name, name)
        # Called after each mutation request (subscriptions/hub.py installs it).
        self.on_mutation: Callable[[Published], None] | None = None

    # -- execution -------------------------------------------------------------------
    def run(
        self,
        query: str,
        variables: Mapping[str, Any] | None,
        caller: Caller,
        operation_name: str | None = None,
    ) -> GraphQLResponse:
        started = time.perf_counter()
        try:
            return self._execute(query, variables, caller, operation_name)
        finally:
            self.stats.requests.add(started)

    def _document(self, query: str) -> ast.DocumentNode | list[dict[str, Any]]:
        """The parsed query, or its validation errors; the same text is checked once."""
        known = self._documents.get(query)
        if known is not None:
            return known
        try:
            document = parse(query)
        except GraphQLError as error:
            return [validation_error(error)]
        problems = validate(self.schema, document)
        found = [validation_error(e) for e in problems] if problems else document
        if len(self._documents) >= _CACHED_DOCUMENTS:
            self._documents.pop(next(iter(self._documents)))
        self._documents[query] = found
        return found

    def _execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None,
        caller: Caller,
        operation_name: str | None,
    ) -> GraphQLResponse:
        document = self._document(query)
        if isinstance(document, list):
            return {"data": None, "errors": document}
        request = _Request(caller)
        result = execute_sync(
            self.schema,
            document,
            variable_values=dict(variables or {}),
            context_value=request,
            operation_name=operation_name,
        )
        self._publish(document, operation_name, result.data, request)
        return _body(result.data, result.errors, request)

    # -- subscriptions (subscriptions/hub.py) -------------------------------------------
    def _publish(
        self,
        document: ast.DocumentNode,
        operation_name: str | None,
        data: Mapping[str, Any] | None,
        request: _Request,
    ) -> None:
        operation = get_operation_ast(document, operation_name)
        if self.on_mutation is None or not data or operation is None:
            return
        if operation.operation is OperationType.MUTATION:
            # The operation that ran (and the fragments it may spread), not its neighbours.
            ran = tuple(
                d
                for d in document.definitions
                if d is operation or isinstance(d, ast.FragmentDefinitionNode)
            )
            published = dataclasses.replace(document, definitions=ran)
            self.on_mutation(Published(published, data, tuple(request.extensions)))

    def subscribe_field(
        self, document: ast.DocumentNode, variables: Mapping[str, Any] | None, caller: Caller
    ) -> tuple[GraphQLResponse, tuple[HandlerOutcome, ...]]:
        """Subscribe time: execute a validated subscription ``document`` for ``caller`` (its
        field's auth directives, then its resolver), answering the response and the handler
        calls that set ``extensions`` filters."""
        request = _Request(caller)
        result = execute_sync(
            self.schema, document, variable_values=dict(variables or {}), context_value=request
        )
        return _body(result.data, result.errors, request), tuple(request.extensions)

    def resolve_event(
        self,
        schema: GraphQLSchema,
        document: ast.DocumentNode,
        variables: Mapping[str, Any] | None,
        caller: Caller,
        root: Mapping[str, Any],
    ) -> GraphQLResponse:
        """Delivery time: execute ``document`` on ``schema`` (whose resolvers read ``root``,
        the published event) for the subscriber ``caller``."""
        request = _Request(caller)
        result = execute_sync(
            schema,
            document,
            root_value=root,
            variable_values=dict(variables or {}),
            context_value=request,
        )
        return _body(result.data, result.errors, request)

    def _resolver(self, type_name: str, field_name: str) -> Any:
        allowed = self.auth.get((type_name, field_name)) or frozenset({self.api.api.default_mode})
        definition = self.api.resolvers.get((type_name, field_name))
        arn = f"{API_ARN}/types/{type_name}/fields/{field_name}"
        policy_checked = type_name in ROOT_TYPES

        def resolve(source: Any, info: Info, **arguments: Any) -> Any:
            request: _Request = info.context
            caller = request.caller
            if caller.mode not in allowed:
                raise unauthorized(field_name, type_name)
            if (
                policy_checked
                and caller.mode == AuthMode.AWS_IAM
                and not self._iam_allows(caller, arn)
            ):
                raise unauthorized(field_name, type_name)
            if definition is None:
                value = source.get(field_name) if isinstance(source, Mapping) else None
            else:
                value = self._run(definition, source, arguments, info, request)
            if f"{type_name}.{field_name}" in caller.denied_fields:
                return None
            return value

        return resolve

    def _iam_allows(self, caller: Caller, arn: str) -> bool:
        """What the caller's role's IAM policy says of ``appsync:GraphQL`` on the field
        (assembly/iam_policies.py); a role the templates do not define (another account's, say) and
        an IAM user are let through."""
        role = role_name_of((caller.identity or {}).get("userArn"), ACCOUNT)
        decided = None if role is None else self.api.role_policies.decides(role, GRAPHQL, arn)
        return decided is not False

    def _context(
        self, source: Any, arguments: Mapping[str, Any], info: Info, caller: Caller
    ) -> dict[str, Any]:
        return {
            "arguments": dict(arguments),
            "args": dict(arguments),
            "identity": dict(caller.identity) if caller.identity is not None else None,
            "source": source if isinstance(source, Mapping) else None,
            "stash": {},
            "prev": {"result": None},
            "request": {"headers": dict(caller.headers), "domainName": None},
            "info": {
                "fieldName": info.field_name,
                "parentTypeName": info.parent_type.name,
                "variables": dict(info.variable_values.coerced),
                "selectionSetList": selection_list(info.field_nodes, info),
                "selectionSetGraphQL": selection_graphql(info.field_nodes),
            },
        }

    def _steps(self, definition: ResolverDef) -> tuple[Step, ...]:
        """The resolver and its functions as the runner runs them."""
        found = [definition] + [self.api.functions[f] for f in definition.functions]
        return tuple(Step(step.code, self._io(step)) for step in found)

    def _io(self, step: ResolverDef | FunctionDef) -> str:
        if step.codeless:
            return "direct"
        source = self.api.data_sources.get(step.data_source or "")
        return "none" if source is None or source.kind == "NONE" else "source"

    def _data_source(self, name: str | None, request_object: Any) -> tuple[Any, Any]:
        source = self.api.data_sources.get(name or "")
        runner = self.sources.get(source.name) if source is not None else None
        if source is None or runner is None:
            kind = source.kind if source is not None else "unknown"
            raise AppSyncError(
                HandlerError(
                    f"The data source {name} is of type {kind}; the local runtime runs NONE, "
                    f"AMAZON_DYNAMODB and AWS_LAMBDA data sources.",
                    "UnsupportedOperation",
                )
            )
        started = time.perf_counter()
        try:
            outcome = runner.execute(request_object)
        finally:
            self.stats.data_source.add(started)
        return outcome.result, outcome.error.to_json() if outcome.error else None

    def _direct(
        self, step: ResolverDef | FunctionDef, ctx: dict[str, Any], *, function: bool
    ) -> Any:
        name = step.data_source or ""
        runner = self.sources.get(name)
        started = time.perf_counter()
        try:
            return run_direct(
                step,
                self.api.data_sources.get(name),
                runner if isinstance(runner, LambdaDataSource) else None,
                ctx,
                in_pipeline=function,
            )
        finally:
            self.stats.data_source.add(started)

    def _answer(self, run: ResolverRun, request: _Request, info: Info) -> ResolverAnswer:
        answer = self.js.run_resolver(run)
        if answer.timed_out:
            raise AppSyncError(EXECUTION_TIMEOUT)
        if (
            answer.subscription_filter
            or answer.subscription_invalidation_filter
            or answer.invalidations
        ):
            request.extensions.append(
                HandlerOutcome(
                    result=None,
                    subscription_filter=answer.subscription_filter,
                    subscription_invalidation_filter=answer.subscription_invalidation_filter,
                    invalidations=answer.invalidations,
                )
            )
        path = list(info.path.as_list())
        request.appended += [(e, path) for e in answer.errors]
        if answer.error is not None:
            raise AppSyncError(replace(answer.error, data=selected_data(answer.error.data, info)))
        return answer

    def _run(
        self,
        definition: ResolverDef,
        source: Any,
        arguments: Mapping[str, Any],
        info: Info,
        request: _Request,
    ) -> Any:
        """The resolver run in node from request to response; node pauses it at each data
        source that needs I/O here (DynamoDB, Lambda) and at each step without code (a
        direct Lambda resolver, run here). Mapping templates are refused by name."""
        caller = request.caller
        ctx = self._context(source, arguments, info, caller)
        pipeline = definition.is_pipeline
        if definition.templates or (not pipeline and definition.codeless):
            return self._direct(definition, ctx, function=False)
        steps = self._steps(definition)
        step, phase = 0, "start"
        while True:
            answer = self._answer(
                ResolverRun(
                    steps, pipeline, ctx, caller.mode, step, phase, timeout_ms=self.timeout_ms
                ),
                request,
                info,
            )
            ctx["stash"], ctx["prev"] = answer.stash, answer.prev
            ctx.pop("result", None)
            ctx.pop("error", None)
            if answer.done:
                return answer.result
            index = answer.step or 0
            current = (
                definition if index == 0 else self.api.functions[definition.functions[index - 1]]
            )
            if answer.need == "direct":
                ctx["prev"] = {"result": self._direct(current, ctx, function=True)}
                step, phase = index + 1, "start"
            else:
                ctx["result"], ctx["error"] = self._data_source(current.data_source, answer.request)
                if ctx["error"] is None:
                    del ctx["error"]
                step, phase = index, "response"


def _body(data: Any, errors: Any, request: _Request) -> GraphQLResponse:
    found = [format_error(e) for e in errors or ()]
    found += [appended_error(e, path) for e, path in request.appended]
    return {"data": data, "errors": found} if found else {"data": data}
