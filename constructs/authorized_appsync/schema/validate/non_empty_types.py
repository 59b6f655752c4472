"""An object type, interface or input (with its extensions) declares at least one field,
and an enum at least one value: GraphQL has no empty types, and AppSync refuses a schema
with one. Models are exempt (they get ``id`` and timestamps), and so are the root types
(the generated operations fill them)."""

from __future__ import annotations

from collections.abc import Iterator

from ...appsync import ROOT_TYPES
from ..errors import Diagnostic
from ..raw import TypeKind
from ._types_util import type_parts
from .context import ValidationContext

__all__ = ["check"]

_WITH_FIELDS = {TypeKind.OBJECT: "Type", TypeKind.INTERFACE: "Interface", TypeKind.INPUT: "Input"}


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for name in dict.fromkeys(t.name for t in context.document.types):
        parts = type_parts(context, name)
        if not parts or name in ROOT_TYPES or name in context.model_names:
            continue
        first = parts[0]
        if first.kind in _WITH_FIELDS and not any(p.fields for p in parts):
            yield Diagnostic(
                message=f"{_WITH_FIELDS[first.kind]} '{name}' has no fields; declare at least "
                f"one, as in '{first.kind.value} {name} {{ value: String }}', or remove it.",
                location=first.location,
            )
        elif first.kind is TypeKind.ENUM and not any(p.enum_values for p in parts):
            yield Diagnostic(
                message=f"Enum '{name}' has no values; list at least one, as in "
                f"'enum {name} {{ A B }}', or remove it.",
                location=first.location,
            )
