"""The data each APPSYNC_JS resolver receives: which rules apply to its operation, on the
model and on each field, and the table facts it needs.

A resolver's own code is its plan (``const PLAN = {...};``, see ``pipelines.py``), which it
hands to the functions the whole API shares. Each operation kind has its own small plan type
(``GetPlan``, ``ListPlan``, ..., ``FieldReadPlan``) holding only what that kind's
JavaScript reads; enums stay enums until ``to_json``, the one edge where they become the
wire strings. The JSON shape (camelCase) is the contract with the JavaScript;
``resolvers/README.md`` documents it field by field. Values equal to their defaults are
left out (``resolvers/lib/stash.js`` fills them in), so a resolver carries only what is
particular to it.
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from ...authz.settings import ConflictHandler, SecuritySettings
from ...errors import JsonValue
from ...schema.model import AuthRule, Model, Provider, Strategy
from ..tables import CompositeKey, OwnerIndex
from .plan_wire import ALWAYS, DEFAULTS, wire

__all__ = [
    "PLAN_TYPES",
    "ConflictHandler",
    "CreatePlan",
    "DeletePlan",
    "FieldReadPlan",
    "GetPlan",
    "ListPlan",
    "OperationKind",
    "QueryIndexPlan",
    "ResolverPlan",
    "RuleSpec",
    "SecuritySettings",
    "SubscribePlan",
    "UpdatePlan",
    "js_literal",
    "plan_of_kind",
    "rule_spec",
]


_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


def js_key(name: str) -> str:
    """An object key as written in a JavaScript literal: bare when it is an identifier."""
    return name if _IDENTIFIER.fullmatch(name) else json.dumps(name)


def js_literal(value: object) -> str:
    """``value`` (JSON data) as a compact JavaScript literal: JSON, but object keys that are
    identifiers written bare (a resolver's code is counted in characters, and a template
    escapes every quote)."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{js_key(k)}:{js_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(js_literal(v) for v in value) + "]"
    return json.dumps(value)


def security_js(security: SecuritySettings) -> str:
    """The ``const SECURITY = ...;`` statement of the shared functions' code."""
    return "const SECURITY = " + js_literal(security.to_json()) + ";"


class OperationKind(enum.Enum):
    """Which generic resolver source a plan drives (``resolvers/<value>.js``)."""

    GET = "get"
    LIST = "list"
    QUERY_INDEX = "queryIndex"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    SUBSCRIBE = "subscribe"
    FIELD_READ = "fieldRead"


@dataclass(frozen=True)
class RuleSpec:
    """One rule as the JavaScript evaluates it."""

    strategy: Strategy
    provider: Provider
    owner_field: str | None = None
    owner_is_list: bool = False
    identity_claim: str | None = None
    group_claim: str | None = None
    groups: tuple[str, ...] = ()
    groups_field: str | None = None
    groups_field_is_list: bool = False

    def to_json(self) -> dict[str, JsonValue]:
        """The rule without its empty parts (the JavaScript reads an absent one as null,
        false or []) and without the claims equal to Amplify's defaults, which the
        JavaScript assumes when they are absent."""
        full: dict[str, JsonValue] = {
            "strategy": self.strategy.value,
            "provider": self.provider.value,
            "ownerField": self.owner_field,
            "ownerIsList": self.owner_is_list,
            "identityClaim": self.identity_claim,
            "groupClaim": self.group_claim,
            "groups": list(self.groups),
            "groupsField": self.groups_field,
            "groupsFieldIsList": self.groups_field_is_list,
        }
        return {
            k: v
            for k, v in full.items()
            if v not in (None, False, []) and _RULE_DEFAULTS.get(k) != v
        }


# resolvers/lib/identity.js: an absent identityClaim is "sub::username", an absent
# groupClaim "cognito:groups".
_RULE_DEFAULTS: dict[str, JsonValue] = {
    "identityClaim": "sub::username",
    "groupClaim": "cognito:groups",
}


def rule_spec(rule: AuthRule, model: Model) -> RuleSpec:
    def is_list(name: str | None) -> bool:
        f = model.field(name) if name else None
        return bool(f and f.type.is_list)

    return RuleSpec(
        strategy=rule.strategy,
        provider=rule.provider,
        owner_field=rule.owner_field,
        owner_is_list=is_list(rule.owner_field) if rule.strategy is Strategy.OWNER else False,
        identity_claim=rule.identity_claim,
        group_claim=rule.group_claim,
        groups=rule.groups,
        groups_field=rule.groups_field,
        groups_field_is_list=is_list(rule.groups_field),
    )


Rules = tuple[RuleSpec, ...]
Named = tuple[tuple[str, Rules], ...]


@dataclass(frozen=True, kw_only=True)
class ResolverPlan:
    """What every resolver of a model carries: the record's keys and timestamps, the
    model rules allowing the operation, the owner fields, and what the record shows."""

    kind: ClassVar[OperationKind]
    model: str
    partition_key: str
    # The table's sort key attribute: a field, or the attribute joining `sort_key_fields`.
    sort_key: str | None = None
    # The fields a composite sort key joins, in order; () when `sort_key` is a field.
    sort_key_fields: tuple[str, ...] = ()
    # Model-level rules that allow this operation.
    rules: Rules = ()
    # Owner fields filled on create and judged by owner rules.
    owner_fields: Rules = ()
    # Fields nulled in mutation responses (field-level protected), so subscriptions never leak.
    protected_fields: tuple[str, ...] = ()
    # Fields whose read rules this resolver applies to the records it returns
    # (lib/fieldGuard.js) -> those read rules. Empty when the model's guards are
    # <Model>.<field> resolvers instead (another field of the schema returns it).
    guarded_fields: Named = ()
    # Guarded fields whose directive admits modes their read rules do not name -> those
    # modes: a caller of one the guard refuses gets the field's error from the guard.
    guard_modes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Timestamps (None when turned off).
    created_at: str | None = "createdAt"
    updated_at: str | None = "updatedAt"
    # Conflict resolution: None, or the handler of a versioned model (writes keep
    # `_version` and `_lastChangedAt`, deletes leave tombstones, reads hide them).
    conflict: ConflictHandler | None = None

    def to_json(self) -> dict[str, JsonValue]:
        """The plan as the JavaScript reads it, without the values equal to the defaults
        of ``resolvers/lib/stash.js``."""
        full = self.full_json()
        return {k: v for k, v in full.items() if k in ALWAYS or DEFAULTS.get(k, v) != v}

    def full_json(self) -> dict[str, JsonValue]:
        """Every key of the wire plan, defaults included for what this kind lacks."""
        found: dict[str, JsonValue] = {
            "kind": self.kind.value,
            "model": self.model,
            **DEFAULTS,
            "partitionKey": self.partition_key,
        }
        for f in fields(self):
            if f.name not in ("model", "partition_key"):
                found.update(wire(f.name, getattr(self, f.name)))
        return found

    def to_js(self) -> str:
        """The ``const PLAN = ...;`` statement of the resolver's code."""
        return "const PLAN = " + js_literal(self.to_json()) + ";"


@dataclass(frozen=True, kw_only=True)
class _Shown(ResolverPlan):
    """A plan returning records to callers who may see only part of them."""

    # Fields with their own @auth -> their read rules: a `filter`, `condition` or key
    # argument naming one needs static admission to read it (lib/questions.js).
    read_rules: Named = ()
    # Every field -> the modes its directive admits (AppSync reports the others' errors
    # itself), and the fields with <Model>.<field> resolvers.
    field_modes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    field_resolvers: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class GetPlan(_Shown):
    kind = OperationKind.GET
    # Field rules admitting callers no model rule of the operation admits (partial
    # readers: they see the fields whose readRules admit them).
    partial_rules: Rules = ()
    # A relation field's read: each key field of this model (the index's partition key, or
    # the primary key's fields) -> the field of the record holding the relation
    # (`ctx.source`) whose value it takes instead of an argument.
    source_keys: tuple[tuple[str, str], ...] = ()
    # The model holding the relation, and those of its fields above with rules of their
    # own -> their read rules: a caller they do not admit on the record, or whom the Lambda
    # authorizer denied such a field, is not shown the key, so the relation is null for
    # them, as for a record without it (stages/relation.js).
    source_model: str | None = None
    source_rules: Named = ()

    @property
    def is_relation(self) -> bool:
        return bool(self.source_keys)


@dataclass(frozen=True, kw_only=True)
class ListPlan(GetPlan):
    kind = OperationKind.LIST
    # The owner indexes: a list only an owner rule admits queries one.
    owner_indexes: tuple[OwnerIndex, ...] = ()
    # `sync<Plural>`: a list of a versioned model showing tombstones, changed since
    # `lastSync` when given, with the page's `startedAt`.
    sync: bool = False


@dataclass(frozen=True, kw_only=True)
class QueryIndexPlan(GetPlan):
    kind = OperationKind.QUERY_INDEX
    # None: the table's own primary key (a @hasMany(fields:) without indexName).
    index_name: str | None
    index_partition_key: str
    index_sort_key: str | None = None
    index_sort_key_fields: tuple[str, ...] = ()
    # A relation returning one record (@hasOne with references): the first readable item
    # of the query, or null, instead of a page.
    single: bool = False
    # A @hasMany's read: the relation owner indexes narrowing its index (``tables.py``);
    # a page only an owner rule admits queries one.
    owner_indexes: tuple[OwnerIndex, ...] = ()


@dataclass(frozen=True, kw_only=True)
class SubscribePlan(ResolverPlan):
    kind = OperationKind.SUBSCRIBE
    read_rules: Named = ()
    partial_rules: Rules = ()


@dataclass(frozen=True, kw_only=True)
class _Write(ResolverPlan):
    # Fields with their own @auth -> their rules allowing this operation.
    field_rules: Named = ()


@dataclass(frozen=True, kw_only=True)
class CreatePlan(_Write):
    kind = OperationKind.CREATE
    # `@default(value:)` per field, filled when the input leaves the field out.
    defaults: tuple[tuple[str, JsonValue], ...] = ()
    # Writes keep the owner indexes' key attributes ...
    owner_indexes: tuple[OwnerIndex, ...] = ()
    # ... and the composite sort keys of the @indexes.
    composite_keys: tuple[CompositeKey, ...] = ()


@dataclass(frozen=True, kw_only=True)
class _Change(_Write, _Shown):
    # The model's get rules and its rules of the operation, when a field rule lets
    # someone else write; the response shows them what their readRules open (and the
    # keys, which they gave). None: the response needs no view.
    view_rules: Rules | None = None
    # A LAMBDA model's conflict handler: the name of its Lambda data source, which the
    # pipeline's conflict function is bound to and errors name.
    conflict_handler: str | None = None


@dataclass(frozen=True, kw_only=True)
class UpdatePlan(_Change):
    kind = OperationKind.UPDATE
    # Setting a field to null needs delete on it: the model's rules allowing delete
    # (fields without own rules) and, per field with own rules, its rules allowing delete.
    delete_rules: Rules = ()
    null_rules: Named = ()
    owner_indexes: tuple[OwnerIndex, ...] = ()
    composite_keys: tuple[CompositeKey, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DeletePlan(_Change):
    kind = OperationKind.DELETE


@dataclass(frozen=True, kw_only=True)
class FieldReadPlan(ResolverPlan):
    """A ``<Model>.<field>`` guard: ``rules`` are the field's read rules."""

    kind = OperationKind.FIELD_READ
    field_name: str


PLAN_TYPES: dict[OperationKind, type[ResolverPlan]] = {
    t.kind: t
    for t in (
        GetPlan,
        ListPlan,
        QueryIndexPlan,
        SubscribePlan,
        CreatePlan,
        UpdatePlan,
        DeletePlan,
        FieldReadPlan,
    )
}


def plan_of_kind(kind: OperationKind, **parts: Any) -> ResolverPlan:
    """The plan type of ``kind`` built from ``parts`` (a part it lacks is a TypeError)."""
    return PLAN_TYPES[kind](**parts)
