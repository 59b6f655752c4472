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

from ...authz.api_plan import ApiPlan, FieldAccess, ModelAccess, RelationAccess
from ...errors import JsonValue
from ...schema import names
from ...schema.model import AuthRule, Index, Operation
from ..tables import composite_attribute, table_spec
from .plan import (
    CreatePlan,
    DeletePlan,
    FieldReadPlan,
    GetPlan,
    ListPlan,
    OperationKind,
    QueryIndexPlan,
    ResolverPlan,
    RuleSpec,
    SubscribePlan,
    UpdatePlan,
    rule_spec,
)

__all__ = ["ResolverSpec", "resolver_specs"]

Named = tuple[tuple[str, tuple[RuleSpec, ...]], ...]


@dataclass(frozen=True)
class ResolverSpec:
    type_name: str
    field_name: str
    plan: ResolverPlan
    # The model whose table is the data source; None for the NONE data source.
    data_source: str | None


def _rules(access: ModelAccess, rules: tuple[AuthRule, ...]) -> tuple[RuleSpec, ...]:
    return tuple(rule_spec(r, access.model) for r in rules)


def _specs(access: ModelAccess, operation: Operation) -> tuple[RuleSpec, ...]:
    return _rules(access, access.rules_for(operation))


def _own(access: ModelAccess, operation: Operation) -> Named:
    return tuple(
        (f.name, _rules(access, f.own_rules_for(operation))) for f in access.own_rule_fields
    )


def _read_rules(access: ModelAccess) -> Named:
    """Fields with their own rules -> the rules letting a caller read them (any read
    operation, as the ``<M>.<field>`` guard judges). Every question naming such a field
    (a ``filter``, a ``condition``, a key argument: resolvers/lib/questions.js) is judged
    by them, so every plan taking one carries them."""
    return tuple((f.name, _rules(access, f.read_rules)) for f in access.own_rule_fields)


def _defaults(access: ModelAccess) -> tuple[tuple[str, JsonValue], ...]:
    """``@default(value:)`` per field, for create to fill when the input leaves it out."""
    return tuple((f.name, f.default) for f in access.model.fields if f.has_default)


def _sort_key(fields: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """A key's sort key as its plan says it: the attribute (a field, or the attribute a
    composite key is stored in) and the fields a composite key joins."""
    if len(fields) > 1:
        return composite_attribute(fields), fields
    return (fields[0] if fields else None), ()


def _common(access: ModelAccess, guarded: Named) -> dict[str, Any]:
    """The parts every plan of the model shares (``ResolverPlan``'s fields)."""
    model = access.model
    key = model.primary_key
    sort_key, sort_key_fields = _sort_key(key.sort_key_fields)
    return {
        "model": model.name,
        "partition_key": key.partition_key,
        "sort_key": sort_key,
        "sort_key_fields": sort_key_fields,
        "owner_fields": tuple(dict.fromkeys(_rules(access, access.owner_rules))),
        "protected_fields": access.protected_fields,
        "guarded_fields": guarded,
        "guard_modes": tuple(
            (f.name, tuple(p.value for p in f.guard_error_modes))
            for f in access.guards
            if f.guard_error_modes is not None and any(name == f.name for name, _ in guarded)
        ),
        "created_at": model.options.created_at,
        "updated_at": model.options.updated_at,
        "conflict": access.conflict,
    }


def _reads(access: ModelAccess, operation: Operation) -> dict[str, Any]:
    """The parts of a read of ``operation``: its rules, the fields' read rules, and its
    partial readers with what they are shown (``_with_views``)."""
    return {
        "rules": _specs(access, operation),
        "read_rules": _read_rules(access),
        "partial_rules": _rules(access, access.partial_rules(operation)),
    }


def _queries(access: ModelAccess, common: dict[str, Any]) -> list[ResolverSpec]:
    model = access.model
    owner_indexes = table_spec(access).owner_indexes
    return [
        ResolverSpec(
            "Query",
            names.get_field(model.name),
            GetPlan(**common, **_reads(access, Operation.GET)),
            model.name,
        ),
        ResolverSpec(
            "Query",
            names.list_field(model.name),
            ListPlan(**common, **_reads(access, Operation.LIST), owner_indexes=owner_indexes),
            model.name,
        ),
        ResolverSpec(
            "Query",
            names.sync_field(model.name),
            ListPlan(
                **common,
                **_reads(access, Operation.SYNC),
                owner_indexes=owner_indexes,
                sync=True,
            ),
            model.name,
        ),
    ]


def _index_query(access: ModelAccess, common: dict[str, Any], index: Index) -> QueryIndexPlan:
    sort_key, sort_key_fields = _sort_key(index.sort_key_fields)
    return QueryIndexPlan(
        **common,
        **_reads(access, Operation.LIST),
        index_name=index.name,
        index_partition_key=index.partition_key,
        index_sort_key=sort_key,
        index_sort_key_fields=sort_key_fields,
    )


def _index_queries(access: ModelAccess, common: dict[str, Any]) -> list[ResolverSpec]:
    model = access.model
    return [
        ResolverSpec("Query", index.query_field, _index_query(access, common, index), model.name)
        for index in model.indexes
        if index.query_field is not None
    ]


def _mutations(access: ModelAccess, common: dict[str, Any]) -> list[ResolverSpec]:
    model = access.model
    table = table_spec(access)  # writes keep the owner key and composite key attributes
    owner_indexes, composite_keys = table.owner_indexes, table.composite_keys

    def write(operation: Operation) -> dict[str, Any]:
        return {
            **common,
            "rules": _specs(access, operation),
            "field_rules": _own(access, operation),
        }

    create = CreatePlan(
        **write(Operation.CREATE),
        defaults=_defaults(access),
        owner_indexes=owner_indexes,
        composite_keys=composite_keys,
    )
    update = UpdatePlan(
        **write(Operation.UPDATE),
        delete_rules=_specs(access, Operation.DELETE),
        null_rules=_own(access, Operation.DELETE),
        read_rules=_read_rules(access),
        owner_indexes=owner_indexes,
        composite_keys=composite_keys,
        conflict_handler=access.conflict_handler,
    )
    delete = DeletePlan(
        **write(Operation.DELETE),
        read_rules=_read_rules(access),
        conflict_handler=access.conflict_handler,
    )
    return [
        ResolverSpec("Mutation", names.create_field(model.name), create, model.name),
        ResolverSpec("Mutation", names.update_field(model.name), update, model.name),
        ResolverSpec("Mutation", names.delete_field(model.name), delete, model.name),
    ]


def _subscriptions(access: ModelAccess, common: dict[str, Any]) -> list[ResolverSpec]:
    if not access.listen_needs_resolver:
        return []
    model = access.model
    listen = SubscribePlan(**common, **_reads(access, Operation.LISTEN))
    return [
        ResolverSpec("Subscription", field, listen, None)
        for field in (
            names.on_create_field(model.name),
            names.on_update_field(model.name),
            names.on_delete_field(model.name),
        )
    ]


def _guards(access: ModelAccess) -> Named:
    """Each guarded field -> its read rules."""
    return tuple((f.name, _rules(access, f.read_rules)) for f in access.guards)


def _field_reads(access: ModelAccess, common: dict[str, Any], guards: Named) -> list[ResolverSpec]:
    """A ``<Model>.<field>`` resolver per guarded field (models other fields return)."""
    return [
        ResolverSpec(
            access.model.name,
            name,
            FieldReadPlan(**common, rules=specs, field_name=name),
            None,
        )
        for name, specs in guards
    ]


def _field_modes(fields: tuple[FieldAccess, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((f.name, tuple(sorted(p.value for p in f.modes))) for f in fields)


def _with_views(
    access: ModelAccess, spec: ResolverSpec, resolvers: tuple[str, ...]
) -> ResolverSpec:
    """``spec`` with what it needs to show records to callers the model's get rules do not
    admit: partial readers of get and lists, and writers of update and delete who may not
    read (their response would otherwise show the whole record); and the fields a LAMBDA
    conflict handler's item may name."""
    plan = spec.plan
    modes = _field_modes(access.fields)
    shown: ResolverPlan
    if isinstance(plan, GetPlan) and plan.partial_rules:
        shown = replace(plan, field_modes=modes, field_resolvers=resolvers)
    elif (
        isinstance(plan, UpdatePlan | DeletePlan)
        and (views := access.view_rules(_CHANGES[plan.kind])) is not None
    ):
        shown = replace(
            plan,
            view_rules=tuple(dict.fromkeys(_rules(access, views))),
            field_modes=modes,
            field_resolvers=resolvers,
        )
    elif isinstance(plan, UpdatePlan | DeletePlan) and plan.conflict_handler is not None:
        # A LAMBDA handler's item is checked against the model's fields.
        shown = replace(plan, field_modes=modes)
    else:
        return spec
    return replace(spec, plan=shown)


def _relation_read(
    parent: ModelAccess, relation: RelationAccess, related: ModelAccess
) -> ResolverSpec:
    """``<Parent>.<field>``: the related model's own read (its index query, or its get),
    the key from the parent record (``source_keys``), so it shows what reading the related
    model directly shows."""
    link = relation.link
    common = _common(related, ())  # a relation's target is exposed: its guards are resolvers
    read: GetPlan
    if link.index is not None:
        narrowing = tuple(
            o
            for o in table_spec(related).relation_owner_indexes
            if o.narrows == link.index.name and not link.on_table
        )
        read = replace(
            _index_query(related, common, link.index),
            single=link.single,
            owner_indexes=narrowing if link.many else (),
        )
        if link.on_table:
            read = replace(read, index_name=None)
    else:
        read = GetPlan(**common, **_reads(related, Operation.GET))
    holding = {name for _, name in link.source_keys}
    read = replace(
        read,
        source_keys=link.source_keys,
        source_model=parent.model.name,
        source_rules=tuple((name, rules) for name, rules in _read_rules(parent) if name in holding),
    )
    spec = ResolverSpec(parent.model.name, link.field, read, related.model.name)
    return _with_views(related, spec, tuple(name for name, _ in _guards(related)))


_CHANGES = {OperationKind.UPDATE: Operation.UPDATE, OperationKind.DELETE: Operation.DELETE}


def resolver_specs(plan: ApiPlan) -> tuple[ResolverSpec, ...]:
    """Every resolver of the API's models, in a stable order: one for each root field the
    schema generates (``ModelAccess.operations``; AppSync rejects a resolver on a field the
    schema lacks), for each field-level read guard of an exposed model, and for each
    relation field (``ModelAccess.relations``)."""
    found: list[ResolverSpec] = []
    for access in plan.models:
        generated = {(op.parent, op.name) for op in access.operations.generated}
        guards = _guards(access)
        common = _common(access, () if access.exposed else guards)
        candidates = [
            *_queries(access, common),
            *_index_queries(access, common),
            *_mutations(access, common),
            *_subscriptions(access, common),
        ]
        # Fields with resolvers of their own, which report their errors themselves: the
        # guards of an exposed model, and the relation fields.
        resolvers = tuple(name for name, _ in guards) if access.exposed else ()
        resolvers += tuple(r.name for r in access.relations)
        found += [
            _with_views(access, c, resolvers)
            for c in candidates
            if (c.type_name, c.field_name) in generated
        ]
        if access.exposed:
            found += _field_reads(access, common, guards)
        found += [_relation_read(access, r, plan.model(r.link.related)) for r in access.relations]
    return tuple(found)
