"""Table specs: one DynamoDB table per model, its key, a GSI per ``@index``, and an owner
index wherever an owner rule on a scalar owner field allows ``list``, so owner lists are a
Query on that index rather than a Scan with a filter.

The owner index is keyed on a normalized **owner key** attribute (``__ownerKey_<field>``)
that create and update write beside the owner field: the username part of a stored
``<sub>::<username>`` or bare ``<username>``, so one Query finds the caller's items in every
form they are stored in (``resolvers/lib/ownerKey.js``). GraphQL names cannot start with
``__``, so the attribute never meets a field of the schema."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..authz.api_plan import ModelAccess
from ..schema.model import Model

__all__ = [
    "AttributeType",
    "Gsi",
    "KeyAttribute",
    "OwnerIndex",
    "TableSpec",
    "owner_index_name",
    "owner_key_attribute",
    "table_spec",
]

_NUMERIC = frozenset({"Int", "Float", "AWSTimestamp"})


class AttributeType(enum.Enum):
    STRING = "S"
    NUMBER = "N"


@dataclass(frozen=True)
class KeyAttribute:
    name: str
    type: AttributeType


@dataclass(frozen=True)
class Gsi:
    name: str
    partition_key: KeyAttribute
    sort_key: KeyAttribute | None = None


@dataclass(frozen=True)
class OwnerIndex:
    """The owner index of a scalar owner field, keyed by that field's owner key."""

    field: str
    index: str
    key_attribute: str


@dataclass(frozen=True)
class TableSpec:
    model: str
    partition_key: KeyAttribute
    sort_key: KeyAttribute | None
    indexes: tuple[Gsi, ...]
    owner_indexes: tuple[OwnerIndex, ...]


def owner_index_name(field: str) -> str:
    return f"{field}OwnerIndex"


def owner_key_attribute(field: str) -> str:
    return f"__ownerKey_{field}"


def _attribute(model: Model, field: str) -> KeyAttribute:
    f = model.field(field)
    kind = (
        AttributeType.NUMBER if f is not None and f.type.name in _NUMERIC else AttributeType.STRING
    )
    return KeyAttribute(field, kind)


def _single_sort_key(model: Model, fields: tuple[str, ...]) -> KeyAttribute | None:
    # The construct rejects composite sort keys before codegen runs (not supported yet).
    return _attribute(model, fields[0]) if fields else None


def table_spec(access: ModelAccess) -> TableSpec:
    model = access.model
    indexes = [
        Gsi(
            name=index.name,
            partition_key=_attribute(model, index.partition_key),
            sort_key=_single_sort_key(model, index.sort_key_fields),
        )
        for index in model.indexes
    ]
    owner_indexes: list[OwnerIndex] = []
    for field in access.owner_list_fields:
        owner = OwnerIndex(field, owner_index_name(field), owner_key_attribute(field))
        key = KeyAttribute(owner.key_attribute, AttributeType.STRING)
        indexes.append(Gsi(name=owner.index, partition_key=key))
        owner_indexes.append(owner)
    return TableSpec(
        model=model.name,
        partition_key=_attribute(model, model.primary_key.partition_key),
        sort_key=_single_sort_key(model, model.primary_key.sort_key_fields),
        indexes=tuple(indexes),
        owner_indexes=tuple(owner_indexes),
    )
