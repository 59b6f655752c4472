"""GraphQL subscriptions in the local runtime, as AppSync runs them (APPSYNC.md §7).

Subscribing runs the subscription field like a query, for the subscriber: its auth
directives first, then its resolver (request and response handlers at subscribe time);
``util.error``/``util.unauthorized`` refuse the subscription (:class:`SubscriptionRefusedError`),
and what the handlers give ``extensions.setSubscriptionFilter`` /
``setSubscriptionInvalidationFilter`` is kept with it.

Each mutation request run by the engine is then published (``Engine.on_mutation``): every
top-level mutation field named in a subscription field's ``@aws_subscribe(mutations: [...])``
publishes its result (the fields the mutation selected), and each subscriber on that field
whose arguments and enhanced filter match (``filter.py``) receives it, shaped by
its own selection set (``payload.py``). A mutation response handler's
``extensions.invalidateSubscriptions({subscriptionField, payload})`` ends every subscription
on that field whose invalidation filter matches ``payload``.

:class:`SubscriptionHub` is the registry; :class:`Subscription` is the in-process handle
``LocalAppSync.subscribe`` returns (the WebSocket endpoint, ``endpoints/realtime.py``, passes
callbacks instead of reading it).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLField,
    OperationType,
    get_nullable_type,
    is_input_object_type,
    parse,
    validate,
)
from graphql.execution.values import get_argument_values, get_variable_values
from graphql.language import ast

from ...errors import AuthorizedAppSyncError
from ..engine import Caller, Engine, GraphQLResponse, Published
from ..js.runner import HandlerOutcome
from .filter import arguments_match, filter_matches, filter_problem
from .payload import EventShaper, published

__all__ = ["Listener", "Subscription", "SubscriptionHub", "SubscriptionRefusedError"]

AppSyncErrors = list[dict[str, Any]]  # [{"errorType", "message"}], as a refused `start` carries


class SubscriptionRefusedError(AuthorizedAppSyncError):
    """The subscription did not start; ``errors`` is AppSync's error list for it."""

    def __init__(self, errors: AppSyncErrors) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e.get("message")) for e in errors))


def _refused(error_type: str, message: str) -> SubscriptionRefusedError:
    return SubscriptionRefusedError([{"errorType": error_type, "message": message}])


@dataclass(eq=False)
class Listener:
    """One live subscription, as the hub keeps it (``SubscriptionHub.subscribe``)."""

    field_name: str
    document: ast.DocumentNode
    variables: Mapping[str, Any]
    caller: Caller
    arguments: Mapping[str, Any]  # compared by basic filtering
    event_filter: Mapping[str, Any] | None
    invalidation_filter: Mapping[str, Any] | None
    deliver: Callable[[GraphQLResponse], None]
    complete: Callable[[], None]


def _listened(engine: Engine) -> dict[str, tuple[str, ...]]:
    """mutation field -> the subscription fields whose ``@aws_subscribe`` names it."""
    found: dict[str, list[str]] = {}
    subscription = engine.schema.subscription_type
    for name, field_ in subscription.fields.items() if subscription else ():
        for directive in field_.ast_node.directives if field_.ast_node else ():
            if directive.name.value != "aws_subscribe":
                continue
            for argument in directive.arguments:
                if argument.name.value == "mutations" and isinstance(
                    argument.value, ast.ListValueNode
                ):
                    for value in argument.value.values:
                        if isinstance(value, ast.StringValueNode):
                            found.setdefault(value.value, []).append(name)
    return {mutation: tuple(fields) for mutation, fields in found.items()}


def _compared_arguments(
    field_: GraphQLField, node: ast.FieldNode, variables: Any
) -> dict[str, Any]:
    values = get_argument_values(field_, node, variables)
    return {
        name: value
        for name, value in values.items()
        if name in field_.args
        and not is_input_object_type(get_nullable_type(field_.args[name].type))
    }


def _last_filter(outcomes: tuple[HandlerOutcome, ...], attribute: str) -> Any:
    chosen = None
    for outcome in outcomes:
        chosen = getattr(outcome, attribute) or chosen
    return chosen


class SubscriptionHub:
    """The subscriptions of one engine. Thread-safe for registration; ``subscribe`` runs the
    engine, so callers serialize it with the engine's other work (``LocalAppSync``'s lock)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.shaper = EventShaper(engine)
        self.listens = _listened(engine)
        self._lock = threading.Lock()
        self._listeners: dict[str, list[Listener]] = {}
        engine.on_mutation = self.publish

    # -- subscribing ---------------------------------------------------------------------
    def _parse(self, query: str) -> tuple[ast.DocumentNode, ast.OperationDefinitionNode]:
        try:
            document = parse(query)
        except GraphQLError as error:
            raise _refused("ValidationError", error.message) from None
        problems = validate(self.engine.schema, document)
        if problems:
            raise SubscriptionRefusedError(
                [{"errorType": "ValidationError", "message": e.message} for e in problems]
            )
        operations = [d for d in document.definitions if isinstance(d, ast.OperationDefinitionNode)]
        if len(operations) != 1 or operations[0].operation is not OperationType.SUBSCRIPTION:
            # [unverified text] AppSync's answer to a query or mutation sent as a `start`.
            raise _refused(
                "UnsupportedOperation",
                "Only one subscription operation can be started per request; "
                "send queries and mutations over HTTP.",
            )
        return document, operations[0]

    def _field(
        self, operation: ast.OperationDefinitionNode, variables: Mapping[str, Any]
    ) -> tuple[str, dict[str, Any]]:
        subscription = self.engine.schema.subscription_type
        node = operation.selection_set.selections[0]
        if subscription is None or not isinstance(node, ast.FieldNode):
            raise _refused(
                "ValidationError", "A subscription must select one Subscription field directly."
            )
        coerced = get_variable_values(
            self.engine.schema, operation.variable_definitions or (), dict(variables)
        )
        if isinstance(coerced, list):
            raise SubscriptionRefusedError(
                [{"errorType": "ValidationError", "message": e.message} for e in coerced]
            )
        field_ = subscription.fields[node.name.value]
        return node.name.value, _compared_arguments(field_, node, coerced)

    def subscribe(
        self,
        query: str,
        variables: Mapping[str, Any] | None,
        caller: Caller,
        *,
        deliver: Callable[[GraphQLResponse], None],
        complete: Callable[[], None] = lambda: None,
    ) -> Listener:
        """Start a subscription for ``caller``, or raise :class:`SubscriptionRefusedError`.
        ``deliver`` gets each event's payload, ``complete`` is called if an invalidation ends
        it; both run on the thread that ran the mutation and must not block."""
        document, operation = self._parse(query)
        given = dict(variables or {})
        field_name, arguments = self._field(operation, given)
        if f"Subscription.{field_name}" in caller.denied_fields:
            # [Decision] A Lambda authorizer's deniedFields nulls a query field; a
            # subscription it denies is refused rather than started with no events.
            raise _refused(
                "Unauthorized", f"Not Authorized to access {field_name} on type Subscription"
            )
        response, outcomes = self.engine.subscribe_field(document, given, caller)
        errors = response.get("errors")
        if errors:
            raise SubscriptionRefusedError(
                [{"errorType": e.get("errorType"), "message": e.get("message")} for e in errors]
            )
        event_filter = _last_filter(outcomes, "subscription_filter")
        invalidation_filter = _last_filter(outcomes, "subscription_invalidation_filter")
        for spec in (event_filter, invalidation_filter):
            problem = None if spec is None else filter_problem(spec)
            if problem is not None:
                raise _refused("ValidationException", problem)
        listener = Listener(
            field_name,
            document,
            given,
            caller,
            arguments,
            event_filter,
            invalidation_filter,
            deliver,
            complete,
        )
        with self._lock:
            self._listeners.setdefault(field_name, []).append(listener)
        return listener

    def unsubscribe(self, listener: Listener) -> bool:
        """End ``listener``; ``False`` when it had already ended."""
        with self._lock:
            listeners = self._listeners.get(listener.field_name, [])
            if listener not in listeners:
                return False
            listeners.remove(listener)
            return True

    def count(self, field_name: str | None = None) -> int:
        """Live subscriptions (on ``field_name``, or on every field)."""
        with self._lock:
            if field_name is not None:
                return len(self._listeners.get(field_name, ()))
            return sum(len(listeners) for listeners in self._listeners.values())

    # -- publishing (Engine.on_mutation) -------------------------------------------------
    def publish(self, event: Published) -> None:
        with self._lock:
            listening = any(self._listeners.values())
        if not listening:
            return
        for mutation_field, payload in published(event.document, event.data):
            for field_name in self.listens.get(mutation_field, ()):
                with self._lock:
                    listeners = list(self._listeners.get(field_name, ()))
                for listener in listeners:
                    self._offer(listener, payload)
        for outcome in event.outcomes:
            for invalidation in outcome.invalidations:
                self._invalidate(invalidation)

    def _offer(self, listener: Listener, payload: Mapping[str, Any]) -> None:
        if not arguments_match(listener.arguments, payload):
            return
        if listener.event_filter is not None and not filter_matches(listener.event_filter, payload):
            return
        listener.deliver(
            self.shaper.payload(
                listener.document, listener.variables, listener.caller, listener.field_name, payload
            )
        )

    def _invalidate(self, invalidation: Any) -> None:
        if not isinstance(invalidation, Mapping):
            return
        field_name, payload = invalidation.get("subscriptionField"), invalidation.get("payload")
        if not isinstance(field_name, str) or not isinstance(payload, Mapping):
            return
        with self._lock:
            listeners = list(self._listeners.get(field_name, ()))
        for listener in listeners:
            spec = listener.invalidation_filter
            if spec is not None and filter_matches(spec, payload) and self.unsubscribe(listener):
                listener.complete()


class Subscription:
    """An in-process subscription (``LocalAppSync.subscribe``): events arrive as the
    mutations that publish them run. Use as a context manager, or call :meth:`close`."""

    def __init__(
        self, hub: SubscriptionHub, query: str, variables: Mapping[str, Any] | None, caller: Caller
    ) -> None:
        """Subscribe (see :meth:`SubscriptionHub.subscribe`); raises
        :class:`SubscriptionRefusedError` when the subscription does not start."""
        self._hub = hub
        self._queue: queue.Queue[GraphQLResponse | None] = queue.Queue()
        self._events: list[GraphQLResponse] = []
        self.completed = False
        self._listener = hub.subscribe(
            query, variables, caller, deliver=self._deliver, complete=self._complete
        )
        self.field_name = self._listener.field_name

    def _deliver(self, payload: GraphQLResponse) -> None:
        self._events.append(payload)
        self._queue.put(payload)

    def _complete(self) -> None:
        self.completed = True
        self._queue.put(None)

    @property
    def events(self) -> list[GraphQLResponse]:
        """Every event received so far, oldest first (``{"data": {<field>: {...}}}``)."""
        return list(self._events)

    def next(self, timeout: float = 5.0) -> GraphQLResponse:
        """The next event not yet taken; raises ``TimeoutError`` when none arrives in time
        and ``EOFError`` once the subscription has ended (closed or invalidated)."""
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(
                f"No event arrived on subscription {self.field_name} within {timeout} s."
            ) from None
        if item is None:
            self._queue.put(None)  # stays ended for later calls
            raise EOFError(f"The subscription {self.field_name} has ended.")
        return item

    def close(self) -> None:
        """Stop receiving events (as the `stop` message does)."""
        if self._hub.unsubscribe(self._listener):
            self._complete()

    def __enter__(self) -> Subscription:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
