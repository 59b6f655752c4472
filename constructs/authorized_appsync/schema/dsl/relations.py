"""Relationship fields and secondary indexes, as Amplify Gen 2 writes them.

``a.has_many("Comment", "postId")`` is ``[Comment] @hasMany(references: ["postId"])``,
``a.has_one`` and ``a.belongs_to`` likewise, and ``a.many_to_many("Tag", "PostTags")`` is
``[Tag] @manyToMany(relationName: "PostTags")`` (Gen 2 writes the join model out as a model
with two ``belongs_to``; both ways work). ``.secondary_indexes(lambda index: [...])`` on a
model puts ``@index`` on each index's partition key field, named and queried as Gen 2 does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..errors import Location
from ..raw import RawArgument, RawDirective, Value
from .errors import DslError, caller_location, check_name, describe

__all__ = [
    "IndexBuilder",
    "Related",
    "index",
    "query_field_of",
    "related",
]


@dataclass(frozen=True, kw_only=True)
class Related:
    """The type of a relationship field: the related model and the relation's directive."""

    name: str
    directive: str  # hasMany | hasOne | belongsTo | manyToMany
    arguments: tuple[tuple[str, Value], ...]
    location: Location

    @property
    def is_list(self) -> bool:
        return self.directive in ("hasMany", "manyToMany")

    def raw_directive(self) -> RawDirective:
        return RawDirective(
            name=self.directive,
            arguments=tuple(
                RawArgument(name=name, value=value, location=self.location)
                for name, value in self.arguments
            ),
            location=self.location,
        )


def _names(value: object, what: str, context: str) -> list[str]:
    """One name or a non-empty list of names, as a list."""
    if isinstance(value, str):
        return [check_name(value, what, context)]
    if not isinstance(value, Sequence) or not value:
        raise DslError(
            f"{context}: {what} must be a field name or a non-empty list of them; "
            f"got {describe(value)}."
        )
    return [check_name(v, what, context) for v in value]


def related(directive: str, label: str, model: object, *, references: object) -> Related:
    """``a.has_many`` / ``a.has_one`` / ``a.belongs_to``: the related model and the
    reference fields (on the related model for has_many and has_one, on this one for
    belongs_to)."""
    name = check_name(model, "the related model", label)
    keys: list[Value] = [*_names(references, "the reference field", label)]
    return Related(
        name=name,
        directive=directive,
        arguments=(("references", keys),),
        location=caller_location(),
    )


def many_to_many(model: object, relation_name: object) -> Related:
    label = "a.many_to_many()"
    name = check_name(model, "the related model", label)
    join = check_name(relation_name, "the relation name (the join model)", label)
    return Related(
        name=name,
        directive="manyToMany",
        arguments=(("relationName", join),),
        location=caller_location(),
    )


@dataclass(frozen=True, kw_only=True)
class IndexBuilder:
    """``index("field")`` inside ``.secondary_indexes(...)``, with its modifiers."""

    partition_key: str
    sort_key_fields: tuple[str, ...] = ()
    index_name: str | None = None
    query: str | None = None
    location: Location

    def sort_keys(self, fields: Sequence[str]) -> IndexBuilder:
        where = f"index({self.partition_key!r}).sort_keys()"
        names = _names(fields, "the sort key field", where)
        return dataclasses.replace(self, sort_key_fields=tuple(names))

    def name(self, index_name: str) -> IndexBuilder:
        where = f"index({self.partition_key!r}).name()"
        return dataclasses.replace(self, index_name=check_name(index_name, "the name", where))

    def query_field(self, field: str) -> IndexBuilder:
        where = f"index({self.partition_key!r}).query_field()"
        return dataclasses.replace(self, query=check_name(field, "the query field", where))

    def directive(self, model_name: str) -> RawDirective:
        """``@index`` as Gen 2 writes it: the name when given, the sort keys, and the query
        field (``list<Model>By<Key>And<SortKey>...`` unless given)."""
        arguments: list[tuple[str, Value]] = []
        if self.index_name is not None:
            arguments.append(("name", self.index_name))
        if self.sort_key_fields:
            arguments.append(("sortKeyFields", [*self.sort_key_fields]))
        query = self.query or query_field_of(model_name, self.partition_key, self.sort_key_fields)
        arguments.append(("queryField", query))
        return RawDirective(
            name="index",
            arguments=tuple(
                RawArgument(name=n, value=v, location=self.location) for n, v in arguments
            ),
            location=self.location,
        )


def _capitalize(name: str) -> str:
    return name[:1].upper() + name[1:]


def query_field_of(model_name: str, partition_key: str, sort_keys: Sequence[str]) -> str:
    """Gen 2's default query field of a secondary index: ``listTodoByStatusAndCreatedAt``."""
    suffix = "".join("And" + _capitalize(k) for k in sort_keys)
    return f"list{_capitalize(model_name)}By{_capitalize(partition_key)}{suffix}"


def index(field: str) -> IndexBuilder:
    """The ``index`` a ``.secondary_indexes`` function receives: ``index("status")``."""
    key = check_name(field, "the partition key field", "index()")
    return IndexBuilder(partition_key=key, location=caller_location())


IndexFunction = Callable[[Callable[[str], IndexBuilder]], Sequence[IndexBuilder]]
