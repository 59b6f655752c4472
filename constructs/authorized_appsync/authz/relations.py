"""How each relation field is read: which model's records it returns, by which key, and
the related model's read operation whose rules decide.

Reading through a relation is reading the related model directly, with the key values
taken from the record holding the relation field (``ctx.source``) instead of the
arguments:

- ``@hasMany`` (implicit keys, ``references``, or ``indexName``): the related model's
  index query — ``gsi-<Parent>.<field>`` on the foreign key, or the named ``@index`` —
  under the related model's ``list`` rules, which filter the connected items;
  ``@hasMany(fields:)`` without ``indexName`` queries the related table's primary key.
  A key of several fields (a composite primary key, or ``fields`` naming several) is
  matched part by part: the first on the partition key, the others on the sort key.
- ``@hasOne`` with ``references`` (the related model stores this model's key): the same
  index query, returning its first readable item or null (``single``).
- ``@belongsTo`` and ``@hasOne`` whose key fields are on this model: the related model's
  ``get`` by those values, under its ``get`` rules.
- ``@manyToMany``: as in Amplify, the join records, a ``@hasMany`` to the join model on
  its index holding this model's key (``byPost``), under the join model's ``list`` rules;
  each join record's ``@belongsTo`` fields (``post``, ``tag``) are gets of each side.

:func:`relation_problem` says, for the relations not generated yet, why (synthesis refuses
them, located).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema.model import Field, Index, Model, Operation, RelationKind, Schema

__all__ = ["RelationLink", "relation_link", "relation_links", "relation_problem"]


@dataclass(frozen=True)
class RelationLink:
    """One relation field and how it reads the related model."""

    field: str
    kind: RelationKind
    related: str
    # The related model's index the relation queries; None: a get by its primary key.
    index: Index | None
    # Each key field of the related model (an index's partition key, or every part of its
    # primary key) with the field of this model holding its value.
    source_keys: tuple[tuple[str, str], ...]
    # An index query returning one item or null (@hasOne with references).
    single: bool = False
    # The query is on the related table's primary key (``index`` names its key fields):
    # ``@hasMany(fields:)`` without ``indexName``.
    on_table: bool = False

    @property
    def many(self) -> bool:
        return self.index is not None and not self.single

    @property
    def operation(self) -> Operation:
        """The related model's operation whose rules decide: list for an index query."""
        return Operation.LIST if self.index is not None else Operation.GET


def _key_parts(model: Model) -> tuple[str, ...]:
    return (model.primary_key.partition_key, *model.primary_key.sort_key_fields)


def _queried_key(model: Model, field: Field, related: Model) -> tuple[Index | None, bool]:
    """The related model's key a relation stored there queries, and whether it is the
    table's own primary key: the named ``@index``; the primary key for ``@hasMany(fields:)``
    without ``indexName`` (as Amplify's transformer v2 reads it); else the
    ``gsi-<Parent>.<field>`` index on the foreign key."""
    relation = field.relation
    assert relation is not None
    if relation.index_name is not None:
        return next((i for i in related.indexes if i.name == relation.index_name), None), False
    if relation.fields:
        pk = related.primary_key
        key = Index(
            name=related.name, partition_key=pk.partition_key, sort_key_fields=pk.sort_key_fields
        )
        return key, True
    name = f"gsi-{model.name}.{field.name}"
    return next((i for i in related.indexes if i.name == name), None), False


def _by_index(model: Model, field: Field, related: Model) -> RelationLink | str:
    """A relation whose related model stores this model's key: a query of that key, every
    key part given matched by equality (the first on the partition key, the others on the
    sort key, as Amplify matches them)."""
    relation = field.relation
    assert relation is not None
    index, on_table = _queried_key(model, field, related)
    if index is None:
        return f"a relation without its index on '{related.name}' is not generated yet"
    values = relation.fields or _key_parts(model)
    keys = (index.partition_key, *index.sort_key_fields)
    if len(values) != 1 and len(values) != len(keys):
        listed = ", ".join(f"'{k}'" for k in keys)
        return (
            f"a key of {len(values)} field(s) against the key of '{related.name}' it queries "
            f"({listed}), neither its partition key alone nor all of it, is not generated yet"
        )
    return RelationLink(
        field=field.name,
        kind=relation.kind,
        related=related.name,
        index=index,
        source_keys=tuple(zip(keys, values, strict=False)),
        single=relation.kind is RelationKind.HAS_ONE,
        on_table=on_table,
    )


def _local_keys(field: Field, related: Model) -> RelationLink | str:
    relation = field.relation
    assert relation is not None
    local = relation.references or relation.fields
    parts = _key_parts(related)
    if len(local) != len(parts):
        return f"its key fields do not match the primary key of '{related.name}'"
    return RelationLink(
        field=field.name,
        kind=relation.kind,
        related=related.name,
        index=None,
        source_keys=tuple(zip(parts, local, strict=True)),
    )


def _through_join(model: Model, field: Field, schema: Schema) -> RelationLink:
    """A ``@manyToMany``: the join model's index query on this model's key (every part of
    a composite one)."""
    relation = field.relation
    assert relation is not None
    assert relation.relation_name is not None
    join = schema.model(relation.relation_name)
    index = next(i for i in join.indexes if i.name == relation.index_name)
    keys = (index.partition_key, *index.sort_key_fields)
    return RelationLink(
        field=field.name,
        kind=relation.kind,
        related=join.name,
        index=index,
        source_keys=tuple(zip(keys, _key_parts(model), strict=True)),
    )


def relation_link(schema: Schema, model: Model, field: Field) -> RelationLink | str:
    """How ``model.field`` reads its related model, or why that is not generated yet."""
    relation = field.relation
    assert relation is not None
    related = schema.model(relation.related_model)
    if field.rules is not None:
        return "@auth on a relation field is not generated yet (the related model's rules decide)"
    if relation.kind is RelationKind.MANY_TO_MANY:
        return _through_join(model, field, schema)
    if relation.kind is RelationKind.HAS_MANY or (
        relation.kind is RelationKind.HAS_ONE and relation.references
    ):
        return _by_index(model, field, related)
    return _local_keys(field, related)


def relation_links(schema: Schema, model: Model) -> tuple[RelationLink, ...]:
    """The relation fields of ``model`` that are generated (declared, or a join model's,
    and not refused)."""
    found: list[RelationLink] = []
    for f in model.fields:
        if f.relation is None:
            continue
        link = relation_link(schema, model, f)
        if isinstance(link, RelationLink):
            found.append(link)
    return tuple(found)


def relation_problem(schema: Schema, model: Model, field: Field) -> str | None:
    """Why a declared relation field is not generated, or None when it is."""
    link = relation_link(schema, model, field)
    return link if isinstance(link, str) else None
