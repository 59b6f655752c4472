"""Helpers shared by the type-level rules: a type merged with its ``extend type`` parts
(as the builder merges them), a model's primary key, its implicit fields, and which field
types may be keys."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import Diagnostic, did_you_mean, quote_list
from ..raw import RawArgument, RawDirective, RawField, RawType, TypeKind, TypeRef
from ..vocabulary import KEY_SCALARS
from ._rules_util import located_strings, strings
from .context import ValidationContext

__all__ = [
    "NAME",
    "field_types",
    "fields_of",
    "key_type_problem",
    "kind_noun",
    "model_directives",
    "primary_key",
    "sort_key_problems",
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


def type_parts(context: ValidationContext, name: str) -> list[RawType]:
    """The (first) definition of ``name`` followed by its extensions of the same kind, as
    the builder merges them; a second definition is a separate error, not a part."""
    named = [t for t in context.document.types if t.name == name]
    definition = next((t for t in named if not t.extension), named[0] if named else None)
    if definition is None:
        return []
    extensions = [t for t in named if t.extension and t.kind is definition.kind]
    return [definition, *(t for t in extensions if t is not definition)]


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


def primary_key(context: ValidationContext, model: str) -> tuple[str, tuple[str, ...]]:
    """The partition key field and sort key fields the builder will use."""
    for f in fields_of(context, model).values():
        for d in f.directives_named("primaryKey"):
            arg = d.argument("sortKeyFields")
            return f.name, (strings(arg.value) or ()) if arg else ()
    return "id", ()


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


def key_type_problem(type_ref: TypeRef, *, non_null: bool) -> str | None:
    """Why a field of this type cannot be a key field, or None if it can."""
    if type_ref.is_list:
        return f"is a list ('{type_ref}'); key fields must be single values"
    if type_ref.name not in KEY_SCALARS:
        return f"has type '{type_ref}'; key fields must be one of {quote_list(KEY_SCALARS)}"
    if non_null and not type_ref.non_null:
        return f"is nullable ('{type_ref}'); key fields must be non-null ('{type_ref}!')"
    return None


def sort_key_problems(
    context: ValidationContext,
    model: str,
    key_field: str,
    argument: RawArgument,
    *,
    owner: str,
    non_null: bool,
) -> Iterator[Diagnostic]:
    """Problems with the ``sortKeyFields`` of a key on ``model.key_field``: each names
    another field of the model, once, whose type can be a key."""
    types = field_types(context, model)
    seen = {key_field}
    for name, location in located_strings(argument):
        what = f"Sort key field '{name}' of the {owner}"
        type_ref = types.get(name)
        if name in seen:
            message = f"{what} is already part of the key; name each key field once."
        elif type_ref is None:
            others = [n for n in types if n not in seen]
            message = f"{what} is not a field of '{model}'.{did_you_mean(name, others)}"
        elif problem := key_type_problem(type_ref, non_null=non_null):
            message = f"{what} {problem}."
        else:
            message = ""
        seen.add(name)
        if message:
            yield Diagnostic(message=message, location=location)
