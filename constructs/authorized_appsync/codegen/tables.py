"""Table specs: one DynamoDB table per model, its key, a GSI per ``@index``, and an owner
index wherever an owner rule on a scalar owner field allows ``list``, so owner lists are a
Query on that index rather than a Scan with a filter.

The owner index is keyed on a normalized **owner key** attribute (``__ownerKey_<field>``)
that create and update write beside the owner field: the username part of a stored
``<sub>::<username>`` or bare ``<username>``, so one Query finds the caller's items in every
form they are stored in (``resolvers/lib/ownerKey.js``). GraphQL names cannot start with
``__``, so the attribute never meets a field of the schema.

A **relation owner index** narrows an index a ``@hasMany`` reads (the foreign key's
``gsi-<Parent>.<field>``, or its ``@index`` without a sort key) to one owner: named
``<index>.<field>OwnerIndex``, partition key the index's (the foreign key), sort key the
owner key attribute. A relation page only the owner rule admits is then one Query
``<foreign key> = :parent AND __ownerKey_<field> = :ownerKey``. It needs no attribute of
its own: DynamoDB keeps the index from the two attributes writes already keep, so moving a
record to another parent or owner, or removing either, moves it (or drops it from the
index) in the same write.

A **composite sort key** (``sortKeyFields`` naming several fields, of a ``@primaryKey`` or
an ``@index``) is one string attribute named as Amplify names it, the field names joined
with ``#`` (``status#createdAt``), holding the field values joined with ``#``
(``OPEN#2024-05-01T...``). Create and update write it beside the fields (as they write the
owner key); GraphQL names cannot hold ``#``, so it never meets a field either.

A **versioned** model (conflict resolution) has a **delta-sync index** ``_deltaSync``:
partition key ``__deltaSync`` (``S``), which every write of a versioned record (create,
update, delete's tombstone, an AUTOMERGE retry) sets to the model's name, sort key
``_lastChangedAt`` (``N``), projection ALL. A sync with a recent ``lastSync`` is then one
Query ``__deltaSync = :model AND _lastChangedAt > :lastSync`` that reads only the records
changed since, instead of a Scan of the table (``resolvers/list.js``). Records without the
attribute (written before the index existed) are not in it until their next write."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..authz.api_plan import ModelAccess
from ..schema import names
from ..schema.model import Model

__all__ = [
    "AttributeType",
    "CompositeKey",
    "Gsi",
    "KeyAttribute",
    "OwnerIndex",
    "TableSpec",
    "composite_attribute",
    "owner_index_name",
    "owner_key_attribute",
    "relation_owner_index_name",
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
    """The owner index of a scalar owner field, keyed by that field's owner key; or, with
    ``narrows``, the relation owner index of that field on the index a @hasMany reads."""

    field: str
    index: str
    key_attribute: str
    # The index whose partition key (a foreign key) this one shares, its sort key being
    # the owner key; None: the owner index, keyed by the owner key alone.
    narrows: str | None = None


@dataclass(frozen=True)
class CompositeKey:
    """The composite sort key of an ``@index``: its attribute and the fields it joins."""

    index: str
    attribute: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    model: str
    partition_key: KeyAttribute
    sort_key: KeyAttribute | None
    indexes: tuple[Gsi, ...]
    owner_indexes: tuple[OwnerIndex, ...]
    # The @indexes whose sort key joins several fields (create and update keep them).
    composite_keys: tuple[CompositeKey, ...] = ()
    # The relation owner indexes (``OwnerIndex.narrows`` set), after the owner indexes.
    relation_owner_indexes: tuple[OwnerIndex, ...] = ()
    # A versioned model's tombstones expire by this attribute (the table's TTL attribute).
    ttl_attribute: str | None = None
    # A versioned model's delta-sync index (last of ``indexes``).
    delta_sync_index: str | None = None


def owner_index_name(field: str) -> str:
    return f"{field}OwnerIndex"


def owner_key_attribute(field: str) -> str:
    return f"__ownerKey_{field}"


def relation_owner_index_name(index: str, field: str) -> str:
    """``gsi-Blog.posts`` narrowed to owner field ``owner``: ``gsi-Blog.posts.ownerOwnerIndex``."""
    return f"{index}.{owner_index_name(field)}"


def _attribute(model: Model, field: str) -> KeyAttribute:
    f = model.field(field)
    kind = (
        AttributeType.NUMBER if f is not None and f.type.name in _NUMERIC else AttributeType.STRING
    )
    return KeyAttribute(field, kind)


def composite_attribute(fields: tuple[str, ...]) -> str:
    """A composite sort key's attribute: ``("status", "createdAt")`` -> ``status#createdAt``."""
    return "#".join(fields)


def _sort_key(model: Model, fields: tuple[str, ...]) -> KeyAttribute | None:
    if len(fields) > 1:
        return KeyAttribute(composite_attribute(fields), AttributeType.STRING)
    return _attribute(model, fields[0]) if fields else None


def table_spec(access: ModelAccess) -> TableSpec:
    model = access.model
    indexes = [
        Gsi(
            name=index.name,
            partition_key=_attribute(model, index.partition_key),
            sort_key=_sort_key(model, index.sort_key_fields),
        )
        for index in model.indexes
    ]
    composite_keys = tuple(
        CompositeKey(index.name, composite_attribute(index.sort_key_fields), index.sort_key_fields)
        for index in model.indexes
        if len(index.sort_key_fields) > 1
    )
    owner_indexes: list[OwnerIndex] = []
    for field in access.owner_list_fields:
        owner = OwnerIndex(field, owner_index_name(field), owner_key_attribute(field))
        key = KeyAttribute(owner.key_attribute, AttributeType.STRING)
        indexes.append(Gsi(name=owner.index, partition_key=key))
        owner_indexes.append(owner)
    relation_owners: list[OwnerIndex] = []
    for index, field in access.relation_owner_indexes:
        narrowed = OwnerIndex(
            field,
            relation_owner_index_name(index.name, field),
            owner_key_attribute(field),
            narrows=index.name,
        )
        key = KeyAttribute(narrowed.key_attribute, AttributeType.STRING)
        partition = _attribute(model, index.partition_key)
        indexes.append(Gsi(name=narrowed.index, partition_key=partition, sort_key=key))
        relation_owners.append(narrowed)
    if access.versioned:
        indexes.append(_delta_sync_index())
    return TableSpec(
        model=model.name,
        partition_key=_attribute(model, model.primary_key.partition_key),
        sort_key=_sort_key(model, model.primary_key.sort_key_fields),
        indexes=tuple(indexes),
        owner_indexes=tuple(owner_indexes),
        composite_keys=composite_keys,
        relation_owner_indexes=tuple(relation_owners),
        ttl_attribute=names.TTL_ATTRIBUTE if access.versioned else None,
        delta_sync_index=names.DELTA_SYNC_INDEX if access.versioned else None,
    )


def _delta_sync_index() -> Gsi:
    return Gsi(
        name=names.DELTA_SYNC_INDEX,
        partition_key=KeyAttribute(names.DELTA_SYNC_ATTRIBUTE, AttributeType.STRING),
        sort_key=KeyAttribute(names.LAST_CHANGED_FIELD, AttributeType.NUMBER),
    )
