"""The root fields generated for each model: which exist, with which arguments and modes.

This is the one list of generated ``Query``/``Mutation``/``Subscription`` fields; the
resolver assembly must attach resolvers to exactly these (AppSync rejects a resolver on
a field the schema lacks).

What exists:

- ``@model(queries: null)`` drops get and list, ``mutations: null`` create, update and
  delete, ``subscriptions: null`` the three subscriptions. An ``@index(queryField:)`` query
  is generated even with ``queries: null``, as Amplify does: the user asked for it by name.
- A subscription exists only when its mutation does (``@aws_subscribe`` names it).
- **An operation that no rule allows, for any mode, is not generated** (deny by default):
  there is no AppSync directive meaning "nobody", and a field without one would admit
  the API's default mode. The model type's SDL carries a comment naming what was left
  out. With ``admin_iam`` every operation exists, admitting at least IAM. One exception
  keeps the schema valid: when nothing at all could be queried, the closed models' get
  and list queries are generated without a directive (:func:`api_operations`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..schema import names
from ..schema.model import Index, Model, Operation, Provider
from .modes import operation_providers
from .plan import AuthPlan, ModelPlan

__all__ = [
    "ModelOperations",
    "RootKind",
    "RootOperation",
    "model_operations",
]


class RootKind(enum.Enum):
    GET = "get"
    LIST = "list"
    SYNC = "sync"
    QUERY_INDEX = "queryIndex"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    ON_CREATE = "onCreate"
    ON_UPDATE = "onUpdate"
    ON_DELETE = "onDelete"


# The model operation whose rules decide each root field.
_GOVERNED_BY = {
    RootKind.GET: Operation.GET,
    RootKind.LIST: Operation.LIST,
    RootKind.SYNC: Operation.SYNC,
    RootKind.QUERY_INDEX: Operation.LIST,
    RootKind.CREATE: Operation.CREATE,
    RootKind.UPDATE: Operation.UPDATE,
    RootKind.DELETE: Operation.DELETE,
    RootKind.ON_CREATE: Operation.LISTEN,
    RootKind.ON_UPDATE: Operation.LISTEN,
    RootKind.ON_DELETE: Operation.LISTEN,
}
_PARENT = {
    RootKind.CREATE: "Mutation",
    RootKind.UPDATE: "Mutation",
    RootKind.DELETE: "Mutation",
    RootKind.ON_CREATE: "Subscription",
    RootKind.ON_UPDATE: "Subscription",
    RootKind.ON_DELETE: "Subscription",
}
_SUBSCRIPTION_MUTATION = {
    RootKind.ON_CREATE: RootKind.CREATE,
    RootKind.ON_UPDATE: RootKind.UPDATE,
    RootKind.ON_DELETE: RootKind.DELETE,
}


@dataclass(frozen=True)
class RootOperation:
    """One generated root field of a model."""

    kind: RootKind
    model: str
    name: str
    providers: frozenset[Provider]
    index: Index | None = None  # QUERY_INDEX only

    @property
    def parent(self) -> str:
        return _PARENT.get(self.kind, "Query")

    @property
    def operation(self) -> Operation:
        """The model operation whose rules govern this field."""
        return _GOVERNED_BY[self.kind]


@dataclass(frozen=True)
class ModelOperations:
    model: str
    generated: tuple[RootOperation, ...]
    # Root fields left out because no rule allows them (names, in generation order).
    denied: tuple[str, ...]

    def get(self, kind: RootKind) -> RootOperation | None:
        return next((op for op in self.generated if op.kind is kind), None)


def _candidates(model: Model, versioned: bool) -> list[tuple[RootKind, str, Index | None]]:
    options = model.options
    name = model.name
    found: list[tuple[RootKind, str, Index | None]] = []
    if options.queries:
        found += [
            (RootKind.GET, names.get_field(name), None),
            (RootKind.LIST, names.list_field(name), None),
        ]
        if versioned:
            found.append((RootKind.SYNC, names.sync_field(name), None))
    found += [
        (RootKind.QUERY_INDEX, index.query_field, index)
        for index in model.indexes
        if index.query_field
    ]
    if options.mutations:
        found += [
            (RootKind.CREATE, names.create_field(name), None),
            (RootKind.UPDATE, names.update_field(name), None),
            (RootKind.DELETE, names.delete_field(name), None),
        ]
        if options.subscriptions:
            found += [
                (RootKind.ON_CREATE, names.on_create_field(name), None),
                (RootKind.ON_UPDATE, names.on_update_field(name), None),
                (RootKind.ON_DELETE, names.on_delete_field(name), None),
            ]
    return found


def model_operations(
    plan: ModelPlan, *, admin_iam: bool, keep_queries: bool = False, versioned: bool = False
) -> ModelOperations:
    """The root fields generated for one model, and those denied to everyone.

    ``versioned``: the model has conflict resolution, so its ``sync<Plural>`` query is a
    candidate (governed by the rules' ``sync`` operation, as list is by ``list``).
    ``keep_queries``: generate get and list even when no rule allows them (with no
    modes: no directive, and resolvers that deny every caller); see :func:`api_operations`.
    """
    generated: list[RootOperation] = []
    denied: list[str] = []
    kinds: set[RootKind] = set()
    for kind, name, index in _candidates(plan.model, versioned):
        providers = operation_providers(plan, _GOVERNED_BY[kind], admin_iam)
        mutation = _SUBSCRIPTION_MUTATION.get(kind)
        kept = keep_queries and kind in (RootKind.GET, RootKind.LIST)
        if (not providers and not kept) or (mutation is not None and mutation not in kinds):
            denied.append(name)
            continue
        kinds.add(kind)
        generated.append(RootOperation(kind, plan.model.name, name, providers, index))
    return ModelOperations(plan.model.name, tuple(generated), tuple(denied))


def api_operations(
    plan: AuthPlan, *, admin_iam: bool, versioned: frozenset[str] = frozenset()
) -> tuple[ModelOperations, ...]:
    """:func:`model_operations` of every model, in schema order.

    AppSync needs a ``Query`` type with at least one field. When every model is closed
    and the user declared no query of their own, the models' get and list queries are
    generated after all, with no directive (so only the default mode reaches them) and
    resolvers whose empty rules deny every caller: ``RootOperation.providers`` is empty.
    """
    found = tuple(
        model_operations(m, admin_iam=admin_iam, versioned=m.model.name in versioned)
        for m in plan.models
    )
    has_query = any(op.parent == "Query" for m in found for op in m.generated) or any(
        c.parent == "Query" for c in plan.schema.custom_fields
    )
    if has_query:
        return found
    return tuple(
        model_operations(
            m, admin_iam=admin_iam, keep_queries=True, versioned=m.model.name in versioned
        )
        for m in plan.models
    )
