"""Helpers shared by the type-level rules: a type merged with its ``extend type`` parts
(as the builder merges them), a model's primary key and its implicit fields."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import TypeVar
from weakref import WeakKeyDictionary

from ..raw import RawDirective, RawField, RawType, TypeKind, TypeRef
from ._rules_util import strings
from .context import ValidationContext

__all__ = [
    "NAME",
    "field_types",
    "fields_of",
    "kind_noun",
    "model_directives",
    "primary_key",
    "type_parts",
]

# A GraphQL name: what a field, type or query name must look like.
NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*$")
_ID = TypeRef(name="ID", non_null=True)
_KIND_NOUNS = {
    TypeKind.OBJECT: "an object type",
    TypeKind.INPUT: "an input",
    TypeKind.ENUM: "an enum",
    TypeKind.INTERFACE: "an interface",
    TypeKind.UNION: "a union",
    TypeKind.SCALAR: "a scalar",
}
_TIMESTAMP = TypeRef(name="AWSDateTime", non_null=True)


def kind_noun(kind: TypeKind) -> str:
    """``an object type``, ``an enum``, ... for messages."""
    return _KIND_NOUNS[kind]


# Types grouped by name, computed once per validation run (the context is not ours to extend).
_BY_NAME: WeakKeyDictionary[ValidationContext, dict[str, list[RawType]]] = WeakKeyDictionary()


def _by_name(context: ValidationContext) -> dict[str, list[RawType]]:
    found = _BY_NAME.get(context)
    if found is None:
        found = {}
        for t in context.document.types:
            found.setdefault(t.name, []).append(t)
        _BY_NAME[context] = found
    return found


_Result = TypeVar("_Result")
_MEMO: WeakKeyDictionary[ValidationContext, dict[tuple[str, str], object]] = WeakKeyDictionary()


def _per_type(
    compute: Callable[[ValidationContext, str], _Result],
) -> Callable[[ValidationContext, str], _Result]:
    """Compute once per (validation run, type name): several rules ask for the same type's
    parts, fields and key, and the document does not change during a run. Callers treat
    the results as read-only."""
    key = compute.__name__

    @functools.wraps(compute)
    def cached(context: ValidationContext, name: str) -> _Result:
        memo = _MEMO.get(context)
        if memo is None:
            memo = _MEMO[context] = {}
        if (key, name) not in memo:
            memo[(key, name)] = compute(context, name)
        return memo[(key, name)]  # type: ignore[return-value]  # stored by this wrapper

    return cached


@_per_type
def type_parts(context: ValidationContext, name: str) -> list[RawType]:
    """The (first) definition of ``name`` followed by its extensions of the same kind, as
    the builder merges them; a second definition is a separate error, not a part."""
    named = _by_name(context).get(name, [])
    definition = next((t for t in named if not t.extension), named[0] if named else None)
    if definition is None:
        return []
    extensions = [t for t in named if t.extension and t.kind is definition.kind]
    return [definition, *(t for t in extensions if t is not definition)]


@_per_type
def fields_of(context: ValidationContext, name: str) -> dict[str, RawField]:
    """Declared fields of a type and its extensions, the first of each name."""
    found: dict[str, RawField] = {}
    for part in type_parts(context, name):
        for f in part.fields:
            found.setdefault(f.name, f)
    return found


def model_directives(
    context: ValidationContext, *names: str
) -> Iterator[tuple[RawType, RawField, RawDirective]]:
    """Every directive named one of ``names`` on a field of a ``@model`` type."""
    for model in context.models:
        for f in fields_of(context, model.name).values():
            for d in f.directives:
                if d.name in names:
                    yield model, f, d


@_per_type
def primary_key(context: ValidationContext, model: str) -> tuple[str, tuple[str, ...]]:
    """The partition key field and sort key fields the builder will use."""
    for f in fields_of(context, model).values():
        for d in f.directives_named("primaryKey"):
            arg = d.argument("sortKeyFields")
            return f.name, (strings(arg.value) or ()) if arg else ()
    return "id", ()


@_per_type
def field_types(context: ValidationContext, model: str) -> dict[str, TypeRef]:
    """Types of a model's declared fields plus the implicit ``id`` and timestamps."""
    declared = {name: f.type for name, f in fields_of(context, model).items()}
    implicit: dict[str, TypeRef] = {}
    if primary_key(context, model)[0] == "id":
        implicit["id"] = _ID
    for stamp in _timestamps(context, model):
        implicit[stamp] = _TIMESTAMP
    return implicit | declared


def _timestamps(context: ValidationContext, model: str) -> tuple[str, ...]:
    found: tuple[str, ...] = ("createdAt", "updatedAt")
    for part in type_parts(context, model):
        for d in part.directives_named("model"):
            arg = d.argument("timestamps")
            if arg is None:
                continue
            if not isinstance(arg.value, dict):
                return ()  # null turns timestamps off (other values are reported elsewhere)
            value = arg.value
            found = tuple(
                name
                for key in ("createdAt", "updatedAt")
                if isinstance(name := value.get(key, key), str) and name
            )
    return found
