"""What the identity pool's roles may call: ``appsync:GraphQL`` on exactly the fields
their rules reach. ``public`` IAM rules speak for the unauthenticated role, ``private`` IAM
rules for the authenticated role. A type all of whose fields a role may read is granted as
one ARN (``types/Post/fields/*``) so policies stay small. Non-model object types a granted
field returns (an embedded ``address: Address``, a custom query's result type) are granted
whole, with the non-model types they reach in turn: AppSync checks IAM on every field it
resolves, and their reads are governed by the field that returns them."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..schema import names
from ..schema.model import READ_OPERATIONS, AuthRule, Operation, Provider, Schema, Strategy
from .plan import AuthPlan, ModelPlan

__all__ = ["FieldRef", "PoolRole", "pool_role_grants"]


class PoolRole(enum.Enum):
    AUTHENTICATED = "authenticated"
    UNAUTHENTICATED = "unauthenticated"


@dataclass(frozen=True, order=True)
class FieldRef:
    """A GraphQL field (``field == "*"``: every field of the type)."""

    type_name: str
    field: str


_ROLE_STRATEGY = {
    PoolRole.UNAUTHENTICATED: Strategy.PUBLIC,
    PoolRole.AUTHENTICATED: Strategy.PRIVATE,
}


def _speaks_for(rule: AuthRule, role: PoolRole) -> bool:
    return rule.provider is Provider.IAM and rule.strategy is _ROLE_STRATEGY[role]


def _ops(rules: tuple[AuthRule, ...], role: PoolRole) -> frozenset[Operation]:
    found: set[Operation] = set()
    for rule in rules:
        if _speaks_for(rule, role):
            found |= rule.operations
    return frozenset(found)


def _model_grants(plan: ModelPlan, role: PoolRole, versioned: bool) -> list[FieldRef]:
    model = plan.model
    ops = set(_ops(plan.rules, role))
    for f in model.fields:
        # A field's rules let its readers read, its creators create and its updaters update
        # (field_access.py, create.js, update.js); delete needs the model's rules.
        ops |= _ops(f.rules or (), role) & (READ_OPERATIONS | {Operation.CREATE, Operation.UPDATE})
    grants: list[FieldRef] = []
    options = model.options
    if options.queries and Operation.GET in ops:
        grants.append(FieldRef("Query", names.get_field(model.name)))
    if options.queries and Operation.LIST in ops:
        grants.append(FieldRef("Query", names.list_field(model.name)))
    if versioned and options.queries and Operation.SYNC in ops:
        grants.append(FieldRef("Query", names.sync_field(model.name)))
    if Operation.LIST in ops:  # @index queries exist even with queries: null
        grants += [FieldRef("Query", i.query_field) for i in model.indexes if i.query_field]
    if options.mutations:
        for op, name in (
            (Operation.CREATE, names.create_field),
            (Operation.UPDATE, names.update_field),
            (Operation.DELETE, names.delete_field),
        ):
            if op in ops:
                grants.append(FieldRef("Mutation", name(model.name)))
    if options.subscriptions and Operation.LISTEN in ops:
        for name in (names.on_create_field, names.on_update_field, names.on_delete_field):
            grants.append(FieldRef("Subscription", name(model.name)))
    return grants + _type_grants(plan, role, versioned)


def _type_grants(plan: ModelPlan, role: PoolRole, versioned: bool) -> list[FieldRef]:
    """The model's fields ``role`` reads (the type at once when it reads them all), and its
    connection type; a versioned record's version fields with any of its fields."""
    model = plan.model
    readable = [f.name for f in model.fields if _ops(plan.field_rules(f), role) & READ_OPERATIONS]
    if not readable:
        return []
    connection = FieldRef(names.connection_type(model.name), "*")
    if len(readable) == len(model.fields):
        return [FieldRef(model.name, "*"), connection]
    if versioned:
        readable += [names.VERSION_FIELD, names.DELETED_FIELD, names.LAST_CHANGED_FIELD]
    return [*(FieldRef(model.name, f) for f in readable), connection]


def _returned_types(schema: Schema, grants: set[FieldRef]) -> set[str]:
    """The types the granted fields return (a type-level grant: every field's type)."""
    fields = {(m.name, f.name): f.type.name for m in schema.models for f in m.fields}
    fields.update({(t.name, f.name): f.type.name for t in schema.non_models for f in t.fields})
    fields.update({(c.parent, c.name): c.type.name for c in schema.custom_fields})
    found = set()
    for ref in grants:
        if ref.field == "*":
            found |= {name for (owner, _), name in fields.items() if owner == ref.type_name}
        elif (ref.type_name, ref.field) in fields:
            found.add(fields[(ref.type_name, ref.field)])
    return found


def _non_model_grants(schema: Schema, grants: set[FieldRef]) -> set[FieldRef]:
    """``types/<T>/fields/*`` for every non-model type the grants reach, transitively."""
    non_models = {t.name for t in schema.non_models}
    added: set[FieldRef] = set()
    frontier = _returned_types(schema, grants) & non_models
    while frontier:
        refs = {FieldRef(name, "*") for name in frontier} - added
        added |= refs
        frontier = _returned_types(schema, refs) & non_models - {r.type_name for r in added}
    return added


def pool_role_grants(
    plan: AuthPlan, versioned: frozenset[str] = frozenset()
) -> dict[PoolRole, tuple[FieldRef, ...]]:
    """The fields each identity-pool role may call, sorted; roles with none are absent.
    ``versioned``: the models with conflict resolution (their sync query and version
    fields)."""
    result: dict[PoolRole, tuple[FieldRef, ...]] = {}
    for role in PoolRole:
        grants: set[FieldRef] = set()
        for model_plan in plan.models:
            is_versioned = model_plan.model.name in versioned
            grants.update(_model_grants(model_plan, role, is_versioned))
        for custom in plan.schema.custom_fields:
            if any(_speaks_for(r, role) for r in custom.rules):
                grants.add(FieldRef(custom.parent, custom.name))
        grants |= _non_model_grants(plan.schema, grants)
        if grants:
            result[role] = tuple(sorted(grants))
    return result
