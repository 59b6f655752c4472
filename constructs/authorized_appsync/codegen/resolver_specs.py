"""Which resolvers an API needs, each with its plan. Each is a pipeline of functions the
API shares (``pipelines.py``); owner lists are one Query on the owner index, keyed by a
normalized owner key (see ``tables.py``).

Per model: get, list, create, update, delete, a query per ``@index(queryField:)``, a
subscription resolver per ``on*`` field when some listen rule needs the caller's claims
(owner, groups) — the other rules are enforced by AppSync's directives and the identity
pool's IAM policies.

A field some reader of the record may not read (``field_access.needs_guard``) is
guarded by the resolvers that return the record (``guardedFields``,
resolvers/lib/fieldGuard.js): no resource, no resolver call per item. Only when another
field of the schema returns the model (a custom query, a non-model type, a relation) —
records reaching the client through code this library did not write — does the field get
its own ``<Model>.<field>`` resolver instead, which AppSync runs on every path.

Callers only field rules admit (partial readers, see ``field_access``) pass get, list,
the index queries and the subscriptions through ``partialRules`` and see the fields whose
rules admit them (``readRules``); ``fieldModes`` and ``fieldResolvers`` say which of the
other fields' errors AppSync or a field resolver reports instead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..authz.operations import root_operations
from ..authz.plan import AuthPlan, ModelPlan
from ..authz.readers import (
    exposed_models,
    field_modes,
    field_read_rules,
    needs_guard,
    needs_resolver_check,
    partial_rules,
    protected_fields,
    unread_writers,
    view_rules,
)
from ..errors import JsonValue
from ..schema import names
from ..schema.model import READ_OPERATIONS, Operation, Strategy
from .resolver_plan import (
    OperationKind,
    ResolverPlan,
    RuleSpec,
    SecuritySettings,
    rule_spec,
)
from .tables import table_spec

__all__ = ["ResolverSpec", "resolver_specs"]


@dataclass(frozen=True)
class ResolverSpec:
    type_name: str
    field_name: str
    plan: ResolverPlan
    # The model whose table is the data source; None for the NONE data source.
    data_source: str | None


def _specs(plan: ModelPlan, operation: Operation) -> tuple[RuleSpec, ...]:
    return tuple(rule_spec(r, plan.model) for r in plan.rules_for(operation))


def _own(plan: ModelPlan, operation: Operation) -> tuple[tuple[str, tuple[RuleSpec, ...]], ...]:
    model = plan.model
    return tuple(
        (f.name, tuple(rule_spec(r, model) for r in plan.field_rules_for(f, operation)))
        for f in model.fields
        if f.rules is not None
    )


def _read_rules(plan: ModelPlan) -> tuple[tuple[str, tuple[RuleSpec, ...]], ...]:
    """Fields with their own rules -> the rules letting a caller read them (any read
    operation, as the ``<M>.<field>`` guard judges). Every question naming such a field
    (a ``filter``, a ``condition``, a key argument: resolvers/lib/questions.js) is judged
    by them, so every plan taking one carries them."""
    model = plan.model
    return tuple(
        (f.name, tuple(rule_spec(r, model) for r in f.rules if r.operations & READ_OPERATIONS))
        for f in model.fields
        if f.rules is not None
    )


def _defaults(plan: ModelPlan) -> tuple[tuple[str, JsonValue], ...]:
    """``@default(value:)`` per field, for create to fill when the input leaves it out."""
    return tuple((f.name, f.default) for f in plan.model.fields if f.has_default)


def _base(
    plan: ModelPlan,
    kind: OperationKind,
    guarded: tuple[tuple[str, tuple[RuleSpec, ...]], ...],
) -> ResolverPlan:
    model = plan.model
    owner_rules = [r for r in plan.rules if r.strategy is Strategy.OWNER]
    return ResolverPlan(
        kind=kind,
        model=model.name,
        partition_key=model.primary_key.partition_key,
        sort_key=model.primary_key.sort_key_fields[0]
        if model.primary_key.sort_key_fields
        else None,
        rules=(),
        owner_fields=tuple(dict.fromkeys(rule_spec(r, model) for r in owner_rules)),
        protected_fields=protected_fields(plan),
        guarded_fields=guarded,
        created_at=model.options.created_at,
        updated_at=model.options.updated_at,
    )


def _partial(plan: ModelPlan, base: ResolverPlan, operation: Operation) -> ResolverPlan:
    """``base`` with the partial readers of ``operation`` (none: unchanged)."""
    rules = partial_rules(plan, operation)
    if not rules:
        return base
    return replace(
        base,
        partial_rules=tuple(rule_spec(r, plan.model) for r in rules),
        read_rules=_read_rules(plan),
    )


def _queries(plan: ModelPlan, base: ResolverPlan) -> list[ResolverSpec]:
    model = plan.model
    get_plan = replace(
        base,
        kind=OperationKind.GET,
        rules=_specs(plan, Operation.GET),
        read_rules=_read_rules(plan),
    )
    found = [
        ResolverSpec(
            "Query",
            names.get_field(model.name),
            _partial(plan, get_plan, Operation.GET),
            model.name,
        )
    ]
    list_plan = replace(
        base,
        kind=OperationKind.LIST,
        rules=_specs(plan, Operation.LIST),
        read_rules=_read_rules(plan),
        owner_indexes=table_spec(plan).owner_indexes,
    )
    list_plan = _partial(plan, list_plan, Operation.LIST)
    found.append(ResolverSpec("Query", names.list_field(model.name), list_plan, model.name))
    return found


def _index_queries(plan: ModelPlan, base: ResolverPlan) -> list[ResolverSpec]:
    model = plan.model
    list_plan = replace(
        base,
        kind=OperationKind.LIST,
        rules=_specs(plan, Operation.LIST),
        read_rules=_read_rules(plan),
    )
    list_plan = _partial(plan, list_plan, Operation.LIST)
    found: list[ResolverSpec] = []
    for index in model.indexes:
        if index.query_field is None:
            continue
        found.append(
            ResolverSpec(
                "Query",
                index.query_field,
                replace(
                    list_plan,
                    kind=OperationKind.QUERY_INDEX,
                    owner_indexes=(),
                    index_name=index.name,
                    index_partition_key=index.partition_key,
                    index_sort_key=index.sort_key_fields[0] if index.sort_key_fields else None,
                ),
                model.name,
            )
        )
    return found


def _mutations(plan: ModelPlan, base: ResolverPlan) -> list[ResolverSpec]:
    model = plan.model
    own_field_delete = tuple(
        (f.name, tuple(rule_spec(r, model) for r in plan.field_rules_for(f, Operation.DELETE)))
        for f in model.fields
        if f.rules is not None
    )
    read_rules = _read_rules(plan)
    owner_indexes = table_spec(plan).owner_indexes  # writes keep the owner key attributes

    def mutation(
        field: str, kind: OperationKind, operation: Operation, **extra: Any
    ) -> ResolverSpec:
        plan_ = replace(
            base,
            kind=kind,
            rules=_specs(plan, operation),
            field_rules=_own(plan, operation),
            **extra,
        )
        return ResolverSpec("Mutation", field, plan_, model.name)

    return [
        mutation(
            names.create_field(model.name),
            OperationKind.CREATE,
            Operation.CREATE,
            defaults=_defaults(plan),
            owner_indexes=owner_indexes,
        ),
        mutation(
            names.update_field(model.name),
            OperationKind.UPDATE,
            Operation.UPDATE,
            delete_rules=_specs(plan, Operation.DELETE),
            null_rules=own_field_delete,
            read_rules=read_rules,
            owner_indexes=owner_indexes,
        ),
        mutation(
            names.delete_field(model.name),
            OperationKind.DELETE,
            Operation.DELETE,
            read_rules=read_rules,
        ),
    ]


def _subscriptions(plan: ModelPlan, base: ResolverPlan, admin_iam: bool) -> list[ResolverSpec]:
    # With admin_iam, @aws_iam is on every subscription: only a resolver refuses the IAM
    # principals that are neither admin roles nor identity-pool roles.
    if not admin_iam and not needs_resolver_check(plan, Operation.LISTEN):
        return []
    model = plan.model
    listen = replace(
        base,
        kind=OperationKind.SUBSCRIBE,
        rules=_specs(plan, Operation.LISTEN),
        read_rules=_read_rules(plan),
    )
    listen = replace(listen, partial_rules=_partial(plan, listen, Operation.LISTEN).partial_rules)
    return [
        ResolverSpec("Subscription", field, listen, None)
        for field in (
            names.on_create_field(model.name),
            names.on_update_field(model.name),
            names.on_delete_field(model.name),
        )
    ]


def _guards(
    plan: ModelPlan, admin_iam: bool, *, exposed: bool
) -> tuple[tuple[str, tuple[RuleSpec, ...]], ...]:
    """Each field needing a guard -> its read rules. The resolvers returning the record
    guard only fields with own rules, for the model readers they show records whole to (a
    partial reader's view nulls the rest itself); an exposed model's field resolvers guard
    every field, for every reader."""
    return tuple(
        (f.name, tuple(rule_spec(r, plan.model) for r in field_read_rules(plan, f)))
        for f in plan.model.fields
        if (exposed or f.rules is not None) and needs_guard(plan, f, admin_iam, partial=exposed)
    )


def _field_reads(
    plan: ModelPlan, base: ResolverPlan, guards: tuple[tuple[str, tuple[RuleSpec, ...]], ...]
) -> list[ResolverSpec]:
    """A ``<Model>.<field>`` resolver per guarded field (models other fields return)."""
    return [
        ResolverSpec(
            plan.model.name,
            name,
            replace(base, kind=OperationKind.FIELD_READ, rules=specs, field_name=name),
            None,
        )
        for name, specs in guards
    ]


_READS = (OperationKind.GET, OperationKind.LIST, OperationKind.QUERY_INDEX)
_CHANGES = {OperationKind.UPDATE: Operation.UPDATE, OperationKind.DELETE: Operation.DELETE}


def _with_views(
    model_plan: ModelPlan,
    spec: ResolverSpec,
    modes: tuple[tuple[str, tuple[str, ...]], ...],
    resolvers: tuple[str, ...],
) -> ResolverSpec:
    """``spec`` with what it needs to show records to callers the model's get rules do not
    admit: partial readers of get and lists, and writers of update and delete who may not
    read (their response would otherwise show the whole record)."""
    plan = spec.plan
    if plan.kind in _READS and plan.partial_rules:
        views = replace(plan, field_modes=modes, field_resolvers=resolvers)
    elif plan.kind in _CHANGES and unread_writers(model_plan, _CHANGES[plan.kind]):
        views = replace(
            plan,
            view_rules=tuple(
                dict.fromkeys(
                    rule_spec(r, model_plan.model)
                    for r in view_rules(model_plan, _CHANGES[plan.kind])
                )
            ),
            read_rules=_read_rules(model_plan),
            field_modes=modes,
            field_resolvers=resolvers,
        )
    else:
        return spec
    return replace(spec, plan=views)


def resolver_specs(plan: AuthPlan, security: SecuritySettings) -> tuple[ResolverSpec, ...]:
    """Every resolver of the API's models, in a stable order: one for each root field the
    schema generates (see ``sdl_operations``; AppSync rejects a resolver on a field the
    schema lacks) and for each field-level read guard of an exposed model."""
    admin_iam = bool(security.admin_roles) or security.iam_authorization_mode
    generated = {(op.parent, op.name) for op in root_operations(plan, admin_iam=admin_iam)}
    exposed = exposed_models(plan.schema)
    found: list[ResolverSpec] = []
    for model_plan in plan.models:
        own_resolvers = model_plan.model.name in exposed
        guards = _guards(model_plan, admin_iam, exposed=own_resolvers)
        base = _base(model_plan, OperationKind.GET, () if own_resolvers else guards)
        candidates = [
            *_queries(model_plan, base),
            *_index_queries(model_plan, base),
            *_mutations(model_plan, base),
            *_subscriptions(model_plan, base, admin_iam),
        ]
        modes = field_modes(model_plan, admin_iam)
        resolvers = tuple(name for name, _ in guards) if own_resolvers else ()
        found += [
            _with_views(model_plan, c, modes, resolvers)
            for c in candidates
            if (c.type_name, c.field_name) in generated
        ]
        if own_resolvers:
            found += _field_reads(model_plan, base, guards)
    return tuple(found)
