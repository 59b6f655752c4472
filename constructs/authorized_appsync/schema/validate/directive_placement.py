"""This project's directives go where they mean something: ``@model`` on an object type's
definition (not a root type, not an ``extend type``), field directives on fields, and
``@primaryKey``/``@index``/``@default`` and the relation directives only on fields of
``@model`` types. None of them on inputs, enums, interfaces, unions or scalars.
(``@auth`` placement is :mod:`.auth_placement`'s.)"""

from __future__ import annotations

from collections.abc import Iterator

from ...appsync import ROOT_TYPES
from ..errors import Diagnostic
from ..raw import RawType, TypeKind
from ..vocabulary import FIELD_DIRECTIVES, TYPE_DIRECTIVES
from .context import ValidationContext

__all__ = ["check"]

_OURS = frozenset((*TYPE_DIRECTIVES, *FIELD_DIRECTIVES))


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for t in context.document.types:
        if t.kind is TypeKind.OBJECT:
            yield from _object(context, t)
            continue
        for d in (*t.directives, *(d for f in t.fields for d in f.directives)):
            if d.name in _OURS:
                yield Diagnostic(
                    message=f"@{d.name} cannot be used on {t.kind.value} '{t.name}'; this "
                    "project's directives apply to object types ('type') and their fields.",
                    location=d.location,
                )


def _object(context: ValidationContext, t: RawType) -> Iterator[Diagnostic]:
    for d in t.directives:
        if d.name in FIELD_DIRECTIVES and d.name not in TYPE_DIRECTIVES:
            yield Diagnostic(
                message=f"@{d.name} belongs on a field, not on type '{t.name}'.",
                location=d.location,
            )
        elif d.name == "model" and t.name in ROOT_TYPES:
            yield Diagnostic(
                message=f"'{t.name}' is a root type and cannot be a @model; declare a separate "
                "model type.",
                location=d.location,
            )
        elif d.name == "model" and t.extension:
            yield Diagnostic(
                message=f"@model belongs on the definition 'type {t.name}', not on "
                f"'extend type {t.name}'.",
                location=d.location,
            )
    is_model = t.name in context.model_names
    for f in t.fields:
        for d in f.directives:
            if d.name in TYPE_DIRECTIVES and d.name not in FIELD_DIRECTIVES:
                message = f"@{d.name} belongs on a type, not on field '{t.name}.{f.name}'."
            elif d.name in FIELD_DIRECTIVES and d.name != "auth" and not is_model:
                message = (
                    f"@{d.name} on field '{t.name}.{f.name}' needs a @model type, but "
                    f"'{t.name}' is not a @model."
                )
            else:
                continue
            yield Diagnostic(message=message, location=d.location)
