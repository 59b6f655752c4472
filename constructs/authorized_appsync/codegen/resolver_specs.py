"""Which resolvers an API needs, each with its plan. Every one is an APPSYNC_JS unit
resolver: no operation takes a pipeline function (owner lists are one Query on the owner
index, keyed by a normalized owner key; see ``tables.py``).

Per model: get, list, create, update, delete, a query per ``@index(queryField:)``, a
subscription resolver per ``on*`` field when some listen rule needs the caller's claims
(owner, groups) — the other rules are enforced by AppSync's directives and the identity
pool's IAM policies.

A field some reader of the record may not read (``_needs_guard``) is guarded by the
resolvers that return the record (``guardedFields``, resolvers/lib/fieldGuard.js): no
resource, no resolver call per item. Only when another field of the schema returns the
model (a custom query, a non-model type, a relation) — records reaching the client
through code this library did not write — does the field get its own ``<Model>.<field>``
resolver instead, which AppSync runs on every path.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..authz.plan import AuthPlan, ModelPlan
from ..schema.model import (
    READ_OPERATIONS,
    AuthRule,
    Field,
    Operation,
    Provider,
    Schema,
    Strategy,
)
from . import names
from .resolver_plan import (
    JsonValue,
    OperationKind,
    ResolverPlan,
    RuleSpec,
    SecuritySettings,
    rule_spec,
)
from .sdl_directives import field_providers
from .sdl_operations import root_operations
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
    operation, as the ``<M>.<field>`` guard judges). A ``filter`` or ``condition`` naming
    such a field is refused unless one of them admits the caller statically."""
    model = plan.model
    return tuple(
        (f.name, tuple(rule_spec(r, model) for r in f.rules if r.operations & READ_OPERATIONS))
        for f in model.fields
        if f.rules is not None
    )


def _defaults(plan: ModelPlan) -> tuple[tuple[str, JsonValue], ...]:
    """``@default(value:)`` per field, for create to fill when the input leaves it out."""
    return tuple((f.name, f.default) for f in plan.model.fields if f.has_default)


def _protected_fields(plan: ModelPlan) -> tuple[str, ...]:
    """Fields nulled in mutation responses: those some subscriber may not read (seed 003:
    "To prevent sensitive data from being sent over subscriptions, the GraphQL Transformer
    needs to alter the response of mutations for those fields by setting them to null").
    A field every listener may read (an owner field protected only from reassignment)
    stays, so owner subscriptions still see who owns the record. A model without
    subscriptions (``@model(subscriptions: null)``) has no listener to hide it from."""
    options = plan.model.options
    if not (options.subscriptions and options.mutations):
        return ()
    listeners = {_who(r) for r in plan.rules_for(Operation.LISTEN)}
    protected = []
    for f in plan.model.fields:
        if f.rules is None:
            continue
        readers = {_who(r) for r in f.rules if r.operations & READ_OPERATIONS}
        if not listeners <= readers:
            protected.append(f.name)
    return tuple(protected)


def _base(
    plan: ModelPlan,
    kind: OperationKind,
    security: SecuritySettings,
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
        protected_fields=_protected_fields(plan),
        guarded_fields=guarded,
        created_at=model.options.created_at,
        updated_at=model.options.updated_at,
        security=security,
    )


def _queries(plan: ModelPlan, base: ResolverPlan) -> list[ResolverSpec]:
    model = plan.model
    found = [
        ResolverSpec(
            "Query",
            names.get_field(model.name),
            replace(base, kind=OperationKind.GET, rules=_specs(plan, Operation.GET)),
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
    every_field_delete = tuple(
        (f.name, tuple(rule_spec(r, model) for r in plan.field_rules_for(f, Operation.DELETE)))
        for f in model.fields
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
            null_rules=every_field_delete,
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


def _needs_resolver_check(plan: ModelPlan, operation: Operation) -> bool:
    """Whether AppSync's directives (one per mode) cannot enforce the rules alone: owner and
    group rules need the caller's claims, unless a ``private`` rule of the same provider
    already admits everyone they could admit; IAM rules need the caller's role checked."""
    rules = plan.rules_for(operation)
    everyone = {r.provider for r in rules if r.strategy is Strategy.PRIVATE}
    claims = any(
        r.strategy in (Strategy.OWNER, Strategy.GROUPS) and r.provider not in everyone
        for r in rules
    )
    # @aws_iam admits any IAM principal whose own policy allows the field; only a resolver
    # can tell the identity pool's roles (and admin roles) from the rest.
    return claims or any(r.provider is Provider.IAM for r in rules)


def _subscriptions(plan: ModelPlan, base: ResolverPlan) -> list[ResolverSpec]:
    if not _needs_resolver_check(plan, Operation.LISTEN):
        return []
    model = plan.model
    listen = replace(base, kind=OperationKind.SUBSCRIBE, rules=_specs(plan, Operation.LISTEN))
    return [
        ResolverSpec("Subscription", field, listen, None)
        for field in (
            names.on_create_field(model.name),
            names.on_update_field(model.name),
            names.on_delete_field(model.name),
        )
    ]


def _needs_guard(plan: ModelPlan, f: Field, admin_iam: bool) -> bool:
    """Whether a caller who got the record through get or list could read ``f`` although
    its read rules do not admit them. Callers whose mode the field's own directive leaves
    out are refused by AppSync itself (with the same ``Not Authorized to access`` error);
    for the modes it admits, every model rule that reads the record must also read the
    field, or the field needs its resolver. (Field rules name `read` whole: validation
    refuses get/list/listen there.)"""
    read_rules = [r for r in f.rules or () if r.operations & READ_OPERATIONS]
    field_readers = {_who(r) for r in read_rules}
    admitted = field_providers(plan, f, admin_iam) or frozenset()
    model_readers = {
        _who(r) for r in (*plan.rules_for(Operation.GET), *plan.rules_for(Operation.LIST))
    }
    return any(r.provider in admitted and r not in field_readers for r in model_readers)


def _guards(plan: ModelPlan, admin_iam: bool) -> tuple[tuple[str, tuple[RuleSpec, ...]], ...]:
    """Each field some caller could read through the record without a read rule of the
    field admitting them (see ``_needs_guard``) -> the field's read rules."""
    model = plan.model
    return tuple(
        (f.name, tuple(rule_spec(r, model) for r in f.rules if r.operations & READ_OPERATIONS))
        for f in model.fields
        if f.rules is not None and _needs_guard(plan, f, admin_iam)
    )


def _hidden_from_readers(plan: ModelPlan, f: Field) -> bool:
    """Whether some caller the model's get or list rules admit may not read ``f`` (whether
    its resolver or AppSync's directive nulls it)."""
    readers = {_who(r) for r in (*plan.rules_for(Operation.GET), *plan.rules_for(Operation.LIST))}
    field_readers = {_who(r) for r in f.rules or () if r.operations & READ_OPERATIONS}
    return not readers <= field_readers


def required_field_problems(plan: AuthPlan) -> list[str]:
    """Sentences for each required field (``T!``) that the resolvers would have to null:
    a protected field (every mutation response would then fail) or, on a model with
    subscriptions, a guarded one (the record would fail for the callers refused the field).
    AppSync answers a null non-null field by nulling the whole object with an error."""
    problems = []
    for model_plan in plan.models:
        model = model_plan.model
        protected = _protected_fields(model_plan)
        subscribed = model.options.subscriptions and model.options.mutations
        for f in model.fields:
            if f.rules is None or not f.type.non_null:
                continue
            if f.name in protected:
                why = (
                    "some subscribers, so every create, update and delete response returns "
                    "it as null and would fail"
                )
            elif subscribed and _hidden_from_readers(model_plan, f):
                why = f"some callers who may read {model.name} records, whose reads would fail"
            else:
                continue
            problems.append(
                f"field '{model.name}.{f.name}' ({f.location}) is required ('{f.type}') but "
                f"its own @auth rules hide it from {why}. Make it nullable "
                f"('{f.type.name}'), let every reader of {model.name} read it, or turn "
                f"subscriptions off with @model(subscriptions: null)."
            )
    return problems


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


def _exposed_models(schema: Schema) -> frozenset[str]:
    """Models some field of the schema returns besides the generated operations: a custom
    ``Query``/``Mutation``/``Subscription`` field, a field of a non-model type or of a model
    (relations) typed as the model. (The compiler refuses generated types such as
    connections in the user's fields.) Their records can reach a client through resolvers
    this library did not write, so their field guards are resolvers."""
    models = {m.name for m in schema.models}
    types = [c.type.name for c in schema.custom_fields]
    types += [f.type.name for t in schema.non_models for f in t.fields]
    types += [f.type.name for m in schema.models for f in m.fields]
    return frozenset(t for t in types if t in models)


def _who(rule: AuthRule) -> AuthRule:
    """A rule with its operations set aside: who it admits."""
    return replace(rule, operations=frozenset())


def resolver_specs(plan: AuthPlan, security: SecuritySettings) -> tuple[ResolverSpec, ...]:
    """Every resolver of the API's models, in a stable order: one for each root field the
    schema generates (see ``sdl_operations``; AppSync rejects a resolver on a field the
    schema lacks) and for each field-level read guard of an exposed model."""
    admin_iam = bool(security.admin_roles) or security.iam_authorization_mode
    generated = {(op.parent, op.name) for op in root_operations(plan, admin_iam=admin_iam)}
    exposed = _exposed_models(plan.schema)
    found: list[ResolverSpec] = []
    for model_plan in plan.models:
        guards = _guards(model_plan, admin_iam)
        own_resolvers = model_plan.model.name in exposed
        base = _base(model_plan, OperationKind.GET, security, () if own_resolvers else guards)
        candidates = [
            *_queries(model_plan, base),
            *_index_queries(model_plan, base),
            *_mutations(model_plan, base),
            *_subscriptions(model_plan, base),
        ]
        found += [c for c in candidates if (c.type_name, c.field_name) in generated]
        if own_resolvers:
            found += _field_reads(model_plan, base, guards)
    return tuple(found)
