"""The API's access plan: every decision of this package, made once and eagerly for one
schema and one set of API settings, as frozen data that codegen only reads.

``plan_api(schema, settings)`` answers, per model: which modes AppSync admits on the type,
on each field and on each root operation (``modes.py``); which root operations exist
(``operations.py``); who reads which field — the rules of each field, the partial readers
of each read operation, the fields the resolvers guard or null, whom a mutation's response
shows the record, which subscriptions need a record check (``readers.py``); the owner
fields with an owner index (``owner_lists.py``); and, for the whole API, what each
identity-pool role may reach (``grants.py``) and the access-control matrix (``acm.py``),
all from the same :class:`~.plan.ModelPlan` rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema.model import (
    AuthRule,
    CustomField,
    Field,
    Index,
    Model,
    Operation,
    Provider,
    Schema,
    Strategy,
)
from .acm import AccessControlMatrix
from .grants import FieldRef, PoolRole, pool_role_grants
from .modes import field_providers, operation_providers, rule_providers, type_providers
from .operations import ModelOperations, api_operations
from .owner_lists import owner_list_fields, relation_owner_indexes
from .plan import AuthPlan, ModelPlan, plan_schema
from .readers import (
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
from .relations import RelationLink, relation_links
from .settings import ApiSettings, ConflictHandler

__all__ = [
    "ApiPlan",
    "FieldAccess",
    "FieldRef",
    "ModelAccess",
    "PoolRole",
    "RelationAccess",
    "plan_api",
    "plan_of",
]

_PARTIAL = (Operation.GET, Operation.LIST, Operation.LISTEN)
_WRITES = (Operation.CREATE, Operation.UPDATE, Operation.DELETE)
_CHANGES = (Operation.UPDATE, Operation.DELETE)


@dataclass(frozen=True)
class FieldAccess:
    """Who reads and writes one field of a model."""

    field: Field
    # The rules letting a caller read it: its own read rules, else the model's.
    read_rules: tuple[AuthRule, ...]
    # Per write operation, the rules allowing it on this field when the field has rules
    # of its own (the model's rules decide the others).
    own_write_rules: tuple[tuple[Operation, tuple[AuthRule, ...]], ...]
    # The modes of the field's own AppSync directive; None when it follows the type's.
    directive_modes: frozenset[Provider] | None
    # The modes AppSync admits on it (its own directive, else the type's), sorted.
    modes: tuple[Provider, ...]
    # Whether the resolvers returning the record guard it (see ``ModelAccess.guards``).
    guarded: bool
    # Whether mutation responses null it (some subscriber may not read it).
    protected: bool
    # The modes whose callers a guard refusing them must tell (AppSync's directive let them
    # through, so the error is the guard's to give), when they are not simply the providers
    # of the read rules (and IAM with admin roles): a field rule allowing only writes brings
    # its provider into the directive. None: the read rules' providers say it.
    guard_error_modes: tuple[Provider, ...] | None = None

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def has_own_rules(self) -> bool:
        return self.field.rules is not None

    def own_rules_for(self, operation: Operation) -> tuple[AuthRule, ...]:
        return dict(self.own_write_rules).get(operation, ())


@dataclass(frozen=True)
class RelationAccess:
    """A relation field of the model: read as the related model's ``link.operation``, by
    the key values of the record holding it (``relations.py``)."""

    link: RelationLink
    # The modes AppSync admits on the relation field: those of the related model's
    # operation, so AppSync itself refuses the others (empty: nobody reads the related
    # model that way; the field follows the type's modes and its resolver refuses).
    modes: frozenset[Provider]

    @property
    def name(self) -> str:
        return self.link.field


@dataclass(frozen=True)
class ModelAccess:
    """Every decision about one model."""

    rules: ModelPlan
    # The modes AppSync admits on the object type (and its connection type).
    type_modes: frozenset[Provider]
    fields: tuple[FieldAccess, ...]
    operations: ModelOperations
    # Another field of the schema returns the model: its guards are <Model>.<field>
    # resolvers rather than checks in the resolvers returning the record.
    exposed: bool
    # get, list, listen -> the field rules admitting callers no model rule of the
    # operation admits (partial readers).
    partial: tuple[tuple[Operation, tuple[AuthRule, ...]], ...]
    # update, delete -> whom the response shows the whole record, when a field rule lets
    # someone else write (None: the response needs no view).
    views: tuple[tuple[Operation, tuple[AuthRule, ...] | None], ...]
    # Whether the subscriptions need a resolver (AppSync's directives cannot decide alone).
    listen_needs_resolver: bool
    # Scalar owner fields of owner rules allowing list: each gets an owner index.
    owner_list_fields: tuple[str, ...]
    # Scalar owner fields of owner rules allowing listen: each a subscription argument.
    listen_owner_fields: tuple[str, ...]
    # The owner and dynamic-groups fields of every rule (model and field rules), in rule
    # order: records carry who may reach them there, so subscription filters leave them
    # to the resolvers; and the owner fields among them, which create may leave out.
    record_auth_fields: tuple[str, ...]
    owner_field_names: frozenset[str]
    # The relation fields generated, each resolved with the related model's rules.
    relations: tuple[RelationAccess, ...] = ()
    # This model's indexes a @hasMany of the schema reads, each with an owner field whose
    # relation owner index narrows it (``owner_lists.py``).
    relation_owner_indexes: tuple[tuple[Index, str], ...] = ()
    # Conflict resolution (``settings.ConflictResolution``): None, or the handler of a
    # versioned model (``_version``, ``_deleted``, ``_lastChangedAt``, tombstones, sync).
    conflict: ConflictHandler | None = None
    # A LAMBDA model's handler: the name of its Lambda data source.
    conflict_handler: str | None = None

    @property
    def versioned(self) -> bool:
        return self.conflict is not None

    @property
    def model(self) -> Model:
        return self.rules.model

    def rules_for(self, operation: Operation) -> tuple[AuthRule, ...]:
        return self.rules.rules_for(operation)

    def partial_rules(self, operation: Operation) -> tuple[AuthRule, ...]:
        return dict(self.partial).get(operation, ())

    def view_rules(self, operation: Operation) -> tuple[AuthRule, ...] | None:
        return dict(self.views).get(operation)

    @property
    def owner_rules(self) -> tuple[AuthRule, ...]:
        return tuple(r for r in self.rules.rules if r.strategy is Strategy.OWNER)

    @property
    def guards(self) -> tuple[FieldAccess, ...]:
        """The fields whose read rules some reader of the record could otherwise pass by:
        for the model readers the resolvers show records whole to, the fields with own
        rules; for an exposed model (every reader, every field) its field resolvers."""
        return tuple(f for f in self.fields if f.guarded)

    @property
    def protected_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.protected)

    @property
    def own_rule_fields(self) -> tuple[FieldAccess, ...]:
        return tuple(f for f in self.fields if f.has_own_rules)


@dataclass(frozen=True)
class ApiPlan:
    """Every access decision of the API."""

    auth: AuthPlan
    settings: ApiSettings
    # Admin roles or the IAM authorization mode: IAM is admitted everywhere and the
    # resolvers let only those principals (and the pool's roles) through.
    admin_iam: bool
    models: tuple[ModelAccess, ...]
    # Each custom root field with the modes its directive admits (None: no rules, so
    # it follows the API's default mode).
    custom_modes: tuple[tuple[CustomField, frozenset[Provider] | None], ...]
    pool_grants: tuple[tuple[PoolRole, tuple[FieldRef, ...]], ...]

    @property
    def schema(self) -> Schema:
        return self.auth.schema

    @property
    def acm(self) -> AccessControlMatrix:
        return self.auth.acm

    def model(self, name: str) -> ModelAccess:
        for m in self.models:
            if m.model.name == name:
                return m
        raise KeyError(f"No model named '{name}' in the schema.")


def plan_api(schema: Schema, settings: ApiSettings) -> ApiPlan:
    """Plan every model of ``schema`` under ``settings``."""
    return plan_of(plan_schema(schema, sandbox=settings.sandbox), settings)


def plan_of(auth: AuthPlan, settings: ApiSettings) -> ApiPlan:
    """The access plan of rules already planned (``plan_schema``)."""
    security = settings.security
    admin_iam = bool(security.admin_roles) or security.iam_authorization_mode
    exposed = exposed_models(auth.schema)
    conflict = settings.conflict_resolution
    versioned = frozenset(
        m.model.name for m in auth.models if conflict.handler_of(m.model.name) is not None
    )
    operations = api_operations(auth, admin_iam=admin_iam, versioned=versioned)
    plans = {m.model.name: m for m in auth.models}
    relations = {
        m.model.name: _relations(auth.schema, m.model, plans, admin_iam) for m in auth.models
    }
    links = tuple(r.link for found in relations.values() for r in found)
    models = tuple(
        _model_access(
            m,
            ops,
            admin_iam,
            exposed=m.model.name in exposed,
            relations=relations[m.model.name],
            relation_owners=relation_owner_indexes(m, links),
            conflict=conflict.handler_of(m.model.name),
            conflict_handler=conflict.lambda_of(m.model.name),
        )
        for m, ops in zip(auth.models, operations, strict=True)
    )
    custom = tuple(
        (c, rule_providers(c.rules, admin_iam) if c.rules else None)
        for c in auth.schema.custom_fields
    )
    grants = tuple(pool_role_grants(auth, versioned).items())
    return ApiPlan(auth, settings, admin_iam, models, custom, grants)


def _relations(
    schema: Schema, model: Model, plans: dict[str, ModelPlan], admin_iam: bool
) -> tuple[RelationAccess, ...]:
    return tuple(
        RelationAccess(link, operation_providers(plans[link.related], link.operation, admin_iam))
        for link in relation_links(schema, model)
    )


def _model_access(
    plan: ModelPlan,
    operations: ModelOperations,
    admin_iam: bool,
    *,
    exposed: bool,
    relations: tuple[RelationAccess, ...],
    relation_owners: tuple[tuple[Index, str], ...],
    conflict: ConflictHandler | None = None,
    conflict_handler: str | None = None,
) -> ModelAccess:
    protected = set(protected_fields(plan))
    modes = dict(field_modes(plan, admin_iam))
    related = {r.name: r.modes for r in relations}
    fields = tuple(
        FieldAccess(
            field=f,
            read_rules=field_read_rules(plan, f),
            own_write_rules=tuple((op, plan.field_rules_for(f, op)) for op in _WRITES)
            if f.rules is not None
            else (),
            directive_modes=related.get(f.name) or field_providers(plan, f, admin_iam),
            modes=tuple(sorted(related[f.name], key=lambda p: p.value))
            if related.get(f.name)
            else tuple(Provider(v) for v in modes[f.name]),
            # A relation field is the related model's to guard (its own plan and resolvers).
            guarded=f.relation is None
            and (exposed or f.rules is not None)
            and needs_guard(plan, f, admin_iam, partial=exposed),
            protected=f.name in protected and f.relation is None,
            guard_error_modes=_guard_error_modes(plan, f, admin_iam),
        )
        for f in plan.model.fields
    )
    return ModelAccess(
        rules=plan,
        type_modes=type_providers(plan, admin_iam),
        fields=fields,
        operations=operations,
        exposed=exposed,
        partial=tuple((op, partial_rules(plan, op)) for op in _PARTIAL),
        views=tuple(
            (op, view_rules(plan, op) if unread_writers(plan, op) else None) for op in _CHANGES
        ),
        # With admin_iam, @aws_iam is on every subscription: only a resolver refuses the IAM
        # principals that are neither admin roles nor identity-pool roles.
        listen_needs_resolver=admin_iam or needs_resolver_check(plan, Operation.LISTEN),
        owner_list_fields=owner_list_fields(plan),
        listen_owner_fields=_listen_owner_fields(plan),
        record_auth_fields=_record_auth_fields(plan),
        owner_field_names=frozenset(
            r.owner_field
            for r in _every_rule(plan)
            if r.strategy is Strategy.OWNER and r.owner_field
        ),
        relations=relations,
        relation_owner_indexes=relation_owners,
        conflict=conflict,
        conflict_handler=conflict_handler,
    )


def _guard_error_modes(plan: ModelPlan, f: Field, admin_iam: bool) -> tuple[Provider, ...] | None:
    directive = field_providers(plan, f, admin_iam)
    if f.rules is None or directive is None:
        return None
    reads = {r.provider for r in field_read_rules(plan, f)}
    if admin_iam:
        reads.add(Provider.IAM)
    return None if reads == set(directive) else tuple(sorted(directive, key=lambda p: p.value))


def _every_rule(plan: ModelPlan) -> tuple[AuthRule, ...]:
    """The model's declared rules, then every field's (the sandbox rule excluded)."""
    model = plan.model
    return (*model.rules, *(r for f in model.fields for r in f.rules or ()))


def _record_auth_fields(plan: ModelPlan) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for rule in _every_rule(plan):
        if rule.strategy is Strategy.OWNER and rule.owner_field:
            found[rule.owner_field] = None
        elif rule.is_dynamic_group and rule.groups_field:
            found[rule.groups_field] = None
    return tuple(found)


def _listen_owner_fields(plan: ModelPlan) -> tuple[str, ...]:
    """One subscription argument per scalar owner field of an owner rule allowing listen
    (model or field rule), as Amplify does; multi-owner (list) fields take none."""
    rules = list(plan.rules_for(Operation.LISTEN))
    for f in plan.model.fields:
        rules += [r for r in f.rules or () if Operation.LISTEN in r.operations]
    found: dict[str, None] = {}
    for rule in rules:
        if rule.strategy is not Strategy.OWNER or not rule.owner_field:
            continue
        owner = plan.model.field(rule.owner_field)
        if owner is not None and not owner.type.is_list:
            found[rule.owner_field] = None
    return tuple(found)
