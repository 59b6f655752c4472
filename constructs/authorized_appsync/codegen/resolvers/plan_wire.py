"""The JSON edge of the resolver plans (``plan.py``): each plan field as the wire keys and
values the JavaScript reads, and the values ``resolvers/lib/stash.js`` fills in when a plan
leaves them out."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...errors import JsonValue
from ..tables import CompositeKey, OwnerIndex

if TYPE_CHECKING:
    from .plan import Named, Rules

__all__ = ["ALWAYS", "DEFAULTS", "wire"]


# The JSON edge: each plan field as its wire keys and values.
_RULE_LISTS = frozenset({"rules", "delete_rules", "owner_fields", "partial_rules"})
_NAMED_RULES = frozenset(
    {"field_rules", "null_rules", "read_rules", "guarded_fields", "source_rules"}
)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w.capitalize() for w in rest)


def _rule_list(specs: Rules) -> list[JsonValue]:
    return [s.to_json() for s in specs]


def _named(pairs: Named) -> JsonValue:
    return {name: _rule_list(specs) for name, specs in pairs}


def _owner_indexes(indexes: tuple[OwnerIndex, ...]) -> JsonValue:
    return {o.field: {"index": o.index, "keyAttribute": o.key_attribute} for o in indexes}


def _composite_keys(keys: tuple[CompositeKey, ...]) -> JsonValue:
    return {k.index: {"attribute": k.attribute, "fields": list(k.fields)} for k in keys}


_CONVERT: dict[str, Callable[[Any], JsonValue]] = {
    **dict.fromkeys(_RULE_LISTS, _rule_list),
    **dict.fromkeys(_NAMED_RULES, _named),
    "view_rules": lambda value: None if value is None else _rule_list(value),
    "defaults": dict,
    "protected_fields": list,
    "field_resolvers": list,
    "guard_modes": lambda value: {name: list(modes) for name, modes in value},
    "owner_indexes": _owner_indexes,
    "composite_keys": _composite_keys,
    "sort_key_fields": list,
    "index_sort_key_fields": list,
    "source_keys": dict,
    "conflict": lambda value: None if value is None else value.value,
}


def wire(name: str, value: Any) -> dict[str, JsonValue]:
    """One plan field as the wire keys and values the JavaScript reads."""
    if name == "field_modes":
        return _modes_json(value)
    convert = _CONVERT.get(name)
    return {_camel(name): convert(value) if convert else value}


def _modes_json(pairs: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, JsonValue]:
    """``field_modes`` compactly: every field's name, the modes most fields share
    (``typeModes``) and the fields with other modes (``fieldModes``)."""
    counts: dict[tuple[str, ...], int] = {}
    for _, modes in pairs:
        counts[modes] = counts.get(modes, 0) + 1
    common = max(counts, key=lambda m: counts[m]) if counts else ()
    return {
        "fields": [name for name, _ in pairs],
        "typeModes": list(common),
        "fieldModes": {n: list(m) for n, m in pairs if m != common},
    }


# The values resolvers/lib/stash.js fills in when a plan leaves them out; `kind` and
# `model` are always written.
ALWAYS = frozenset({"kind", "model"})
DEFAULTS: dict[str, JsonValue] = {
    "partitionKey": "id",
    "sortKey": None,
    "sortKeyFields": [],
    "rules": [],
    "fieldRules": {},
    "deleteRules": [],
    "nullRules": {},
    "readRules": {},
    "defaults": {},
    "ownerFields": [],
    "protectedFields": [],
    "guardedFields": {},
    "guardModes": {},
    "partialRules": [],
    "fields": [],
    "typeModes": [],
    "fieldModes": {},
    "fieldResolvers": [],
    "viewRules": None,
    "ownerIndexes": {},
    "compositeKeys": {},
    "indexName": None,
    "indexPartitionKey": None,
    "indexSortKey": None,
    "indexSortKeyFields": [],
    "createdAt": "createdAt",
    "updatedAt": "updatedAt",
    "fieldName": None,
    "sourceKeys": {},
    "sourceModel": None,
    "sourceRules": {},
    "single": False,
    "conflict": None,
    "conflictHandler": None,
    "sync": False,
}
