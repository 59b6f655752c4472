"""The data each APPSYNC_JS resolver receives: which rules apply to its operation, on the
model and on each field, and the table facts it needs.

A resolver's own code is its plan (``const PLAN = {...};``, see ``pipelines.py``), which it
hands to the functions the whole API shares. The JSON shape (camelCase) is the contract
with the JavaScript; ``resolvers/README.md`` documents it field by field. Values equal to
their defaults are left out (``resolvers/lib/stash.js`` fills them in), so a resolver
carries only what is particular to it.
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass

from ..authz.settings import SecuritySettings
from ..errors import JsonValue
from ..schema.model import AuthRule, Model, Strategy
from .tables import OwnerIndex

__all__ = [
    "OperationKind",
    "ResolverPlan",
    "RuleSpec",
    "SecuritySettings",
    "js_literal",
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

    strategy: str  # public | private | owner | groups | custom
    provider: str  # apiKey | iam | userPools | oidc | function
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
            "strategy": self.strategy,
            "provider": self.provider,
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
        strategy=rule.strategy.value,
        provider=rule.provider.value,
        owner_field=rule.owner_field,
        owner_is_list=is_list(rule.owner_field) if rule.strategy is Strategy.OWNER else False,
        identity_claim=rule.identity_claim,
        group_claim=rule.group_claim,
        groups=rule.groups,
        groups_field=rule.groups_field,
        groups_field_is_list=is_list(rule.groups_field),
    )


@dataclass(frozen=True)
class ResolverPlan:
    kind: OperationKind
    model: str
    partition_key: str
    sort_key: str | None
    # Model-level rules that allow this operation.
    rules: tuple[RuleSpec, ...]
    # Fields with their own @auth: field name -> rules allowing this operation on it.
    field_rules: tuple[tuple[str, tuple[RuleSpec, ...]], ...] = ()
    # For update: setting a field to null needs delete on it: the model's rules allowing
    # delete (fields without own rules) and, per field with own rules, its rules allowing
    # delete.
    delete_rules: tuple[RuleSpec, ...] = ()
    null_rules: tuple[tuple[str, tuple[RuleSpec, ...]], ...] = ()
    # list, queryIndex, update, delete: fields with their own @auth -> their read
    # rules; a `filter` / `condition` naming one needs static admission to read it.
    read_rules: tuple[tuple[str, tuple[RuleSpec, ...]], ...] = ()
    # create: `@default(value:)` per field, filled when the input leaves the field out.
    defaults: tuple[tuple[str, JsonValue], ...] = ()
    # Owner fields filled on create, as {field, isList, identityClaim}.
    owner_fields: tuple[RuleSpec, ...] = ()
    # Fields nulled in mutation responses (field-level protected), so subscriptions never leak.
    protected_fields: tuple[str, ...] = ()
    # get, list, queryIndex, mutations: fields whose read rules this resolver applies to the
    # records it returns (lib/fieldGuard.js) -> those read rules. Empty when the model's
    # guards are <Model>.<field> resolvers instead (another field of the schema returns it).
    guarded_fields: tuple[tuple[str, tuple[RuleSpec, ...]], ...] = ()
    # get, list, queryIndex, subscribe: field rules admitting callers no model rule of the
    # operation admits (partial readers: they see the fields whose readRules admit them).
    partial_rules: tuple[RuleSpec, ...] = ()
    # With partial readers: every field -> the modes its directive admits (AppSync reports
    # the others' errors itself), and the fields with <Model>.<field> resolvers.
    field_modes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    field_resolvers: tuple[str, ...] = ()
    # update, delete: the model's get rules and its rules of the operation, when a field
    # rule lets someone else write; the response shows them what their readRules open (and
    # the keys, which they gave).
    view_rules: tuple[RuleSpec, ...] | None = None
    # list, create, update: the owner indexes (list queries one; writes keep its key).
    owner_indexes: tuple[OwnerIndex, ...] = ()
    # queryIndex: the index and its key fields.
    index_name: str | None = None
    index_partition_key: str | None = None
    index_sort_key: str | None = None
    # timestamps (None when turned off).
    created_at: str | None = "createdAt"
    updated_at: str | None = "updatedAt"
    # fieldRead: the field guarded.
    field_name: str | None = None

    def to_json(self) -> dict[str, JsonValue]:
        """The plan as the JavaScript reads it, without the values equal to the defaults
        of ``resolvers/lib/stash.js``."""
        full = self.full_json()
        return {k: v for k, v in full.items() if k in _ALWAYS or _DEFAULTS.get(k, v) != v}

    def full_json(self) -> dict[str, JsonValue]:
        """Every key of the plan, defaults included."""

        def rules(specs: tuple[RuleSpec, ...]) -> list[JsonValue]:
            return [s.to_json() for s in specs]

        return {
            "kind": self.kind.value,
            "model": self.model,
            "partitionKey": self.partition_key,
            "sortKey": self.sort_key,
            "rules": rules(self.rules),
            "fieldRules": {name: rules(specs) for name, specs in self.field_rules},
            "deleteRules": rules(self.delete_rules),
            "nullRules": {name: rules(specs) for name, specs in self.null_rules},
            "readRules": {name: rules(specs) for name, specs in self.read_rules},
            "defaults": dict(self.defaults),
            "ownerFields": rules(self.owner_fields),
            "protectedFields": list(self.protected_fields),
            "guardedFields": {name: rules(specs) for name, specs in self.guarded_fields},
            "partialRules": rules(self.partial_rules),
            **self._modes_json(),
            "fieldResolvers": list(self.field_resolvers),
            "viewRules": None if self.view_rules is None else rules(self.view_rules),
            "ownerIndexes": {
                o.field: {"index": o.index, "keyAttribute": o.key_attribute}
                for o in self.owner_indexes
            },
            "indexName": self.index_name,
            "indexPartitionKey": self.index_partition_key,
            "indexSortKey": self.index_sort_key,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "fieldName": self.field_name,
        }

    def _modes_json(self) -> dict[str, JsonValue]:
        """``field_modes`` compactly: every field's name, the modes most fields share
        (``typeModes``) and the fields with other modes (``fieldModes``)."""
        counts: dict[tuple[str, ...], int] = {}
        for _, modes in self.field_modes:
            counts[modes] = counts.get(modes, 0) + 1
        common = max(counts, key=lambda m: counts[m]) if counts else ()
        return {
            "fields": [name for name, _ in self.field_modes],
            "typeModes": list(common),
            "fieldModes": {n: list(m) for n, m in self.field_modes if m != common},
        }

    def to_js(self) -> str:
        """The ``const PLAN = ...;`` statement of the resolver's code."""
        return "const PLAN = " + js_literal(self.to_json()) + ";"


# The values resolvers/lib/stash.js fills in when a plan leaves them out; `kind` and
# `model` are always written.
_ALWAYS = frozenset({"kind", "model", "partitionKey"})
_DEFAULTS: dict[str, JsonValue] = {
    "sortKey": None,
    "rules": [],
    "fieldRules": {},
    "deleteRules": [],
    "nullRules": {},
    "readRules": {},
    "defaults": {},
    "ownerFields": [],
    "protectedFields": [],
    "guardedFields": {},
    "partialRules": [],
    "fields": [],
    "typeModes": [],
    "fieldModes": {},
    "fieldResolvers": [],
    "viewRules": None,
    "ownerIndexes": {},
    "indexName": None,
    "indexPartitionKey": None,
    "indexSortKey": None,
    "createdAt": "createdAt",
    "updatedAt": "updatedAt",
    "fieldName": None,
}
