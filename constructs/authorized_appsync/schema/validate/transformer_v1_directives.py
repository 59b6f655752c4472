"""Directives of Amplify's GraphQL transformer v1 are answered with what replaced them in v2
(Amplify docs, "GraphQL Transformer v1 to v2 migration"), written out from the arguments
given:

- ``@key(fields: [a, b])`` (no ``name``) on a type: ``@primaryKey(sortKeyFields: [b])`` on
  field ``a``;
- ``@key(name: n, fields: [a, b], queryField: q)``: ``@index(name: n, sortKeyFields: [b],
  queryField: q)`` on field ``a``;
- ``@connection`` on a field: ``@hasMany`` for a list (``keyName`` becomes ``indexName``),
  ``@belongsTo`` for the reverse of a list on the related model, else ``@hasOne``;
- ``@versioned``: no equivalent (v2 moved to AppSync's conflict resolution).

:mod:`.known_directives` leaves these names to this rule, so each gets one message.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ..raw import RawDirective, RawField, RawType, Value
from ..vocabulary import TRANSFORMER_V1_DIRECTIVES
from ._rules_util import show, strings, where
from .context import ValidationContext

__all__ = ["check"]

_KEY = (
    "@key is GraphQL transformer v1 syntax (v2 writes a key on its first field: @primaryKey, "
    "or @index for a named key)"
)
_CONNECTION = (
    "@connection is GraphQL transformer v1 syntax (v2 has @hasOne, @hasMany, @belongsTo and "
    "@manyToMany)"
)
# v1 @connection arguments and their v2 names on @hasMany / on @hasOne and @belongsTo.
_HAS_MANY_ARGUMENTS = (("keyName", "indexName"), ("fields", "fields"), ("limit", "limit"))
_SINGLE_ARGUMENTS = (("fields", "fields"),)
_PAIRING = (
    " v1's 'name' and 'sortField' pairing has no v2 argument: the other side of the relation "
    "is its @belongsTo, and a sort order is the sortKeyFields of the related model's @index."
)


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for t in context.object_types():
        for d in t.directives:
            if d.name in TRANSFORMER_V1_DIRECTIVES:
                yield _diagnostic(d, _on_type(t, d))
        for f in t.fields:
            for d in f.directives:
                if d.name in TRANSFORMER_V1_DIRECTIVES:
                    yield _diagnostic(d, _on_field(context, t, f, d))


def _diagnostic(directive: RawDirective, message: str) -> Diagnostic:
    return Diagnostic(message=message, location=directive.location)


def _on_type(model: RawType, directive: RawDirective) -> str:
    if directive.name == "versioned":
        return _versioned(where(model.name, None))
    if directive.name == "connection":
        return f"{_CONNECTION}; remove @connection from {where(model.name, None)}."
    fields = _argument_strings(directive, "fields")
    if not fields:
        return f"{_KEY}; remove @key from type '{model.name}'."
    first = fields[0]
    sort_keys: Value = list(fields[1:]) or None
    name = directive.argument("name")
    if name is None:
        replacement = _written("primaryKey", [("sortKeyFields", sort_keys)])
    else:
        query_field = directive.argument("queryField")
        replacement = _written(
            "index",
            [
                ("name", name.value),
                ("sortKeyFields", sort_keys),
                ("queryField", query_field.value if query_field else None),
            ],
        )
    return (
        f"{_KEY}: remove @key from type '{model.name}' and write {replacement} on field "
        f"'{model.name}.{first}'."
    )


def _on_field(
    context: ValidationContext, model: RawType, field: RawField, directive: RawDirective
) -> str:
    place = where(model.name, field)
    if directive.name == "versioned":
        return _versioned(place)
    if directive.name == "key":
        return f"{_KEY}; remove @key from {place}."
    target = field.type.name
    pairing = _PAIRING if directive.argument("name") or directive.argument("sortField") else ""
    if field.type.is_list:
        replacement = _renamed("hasMany", directive, _HAS_MANY_ARGUMENTS)
        return f"{_CONNECTION}: {place} lists '{target}', so write {replacement} instead.{pairing}"
    has_one = _renamed("hasOne", directive, _SINGLE_ARGUMENTS)
    belongs_to = _renamed("belongsTo", directive, _SINGLE_ARGUMENTS)
    back = _back_references(context, model.name, target)
    if any(f.type.is_list for f in back):
        lists = next(f for f in back if f.type.is_list)
        return (
            f"{_CONNECTION}: {place} is the way back from the list "
            f"'{target}.{lists.name}', so write {belongs_to} instead.{pairing}"
        )
    if back:
        return (
            f"{_CONNECTION}: {place} and '{target}.{back[0].name}' point at each other, so "
            f"write {has_one} on one side and {belongs_to} on the other.{pairing}"
        )
    return f"{_CONNECTION}: {place} holds one '{target}', so write {has_one} instead.{pairing}"


def _versioned(place: str) -> str:
    return (
        f"@versioned on {place} is GraphQL transformer v1 syntax with no v2 equivalent: v2 "
        "uses AppSync's conflict detection and resolution instead, which authorized-appsync "
        "does not generate; remove @versioned."
    )


def _back_references(context: ValidationContext, source: str, target: str) -> list[RawField]:
    """Fields of ``target`` whose type is ``source`` (the other side of a relation)."""
    related = context.types.get(target)
    if related is None or source == target:
        return []
    return [f for f in related.fields if f.type.name == source]


def _argument_strings(directive: RawDirective, name: str) -> tuple[str, ...] | None:
    argument = directive.argument(name)
    return None if argument is None else strings(argument.value)


def _renamed(name: str, directive: RawDirective, renames: tuple[tuple[str, str], ...]) -> str:
    """``@name(...)`` with the v1 arguments that carry over, under their v2 names."""
    given: list[tuple[str, Value]] = []
    for old, new in renames:
        argument = directive.argument(old)
        if argument is not None:
            given.append((new, argument.value))
    return _written(name, given)


def _written(name: str, arguments: list[tuple[str, Value]]) -> str:
    """A directive as it would be written in the schema, leaving out absent arguments."""
    present = [f"{key}: {show(value)}" for key, value in arguments if value is not None]
    return f"@{name}({', '.join(present)})" if present else f"@{name}"
