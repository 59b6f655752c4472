"""A type (with its extensions) has each field name once; an enum has each value once."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ..raw import RawField, TypeKind
from ._types_util import type_parts
from .context import ValidationContext

__all__ = ["check"]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for name in dict.fromkeys(t.name for t in context.document.types):
        parts = type_parts(context, name)
        seen: dict[str, RawField] = {}
        for part in parts:
            for f in part.fields:
                first = seen.setdefault(f.name, f)
                if first is f:
                    continue
                yield Diagnostic(
                    message=f"Type '{name}' has more than one field named '{f.name}'; remove "
                    "or rename one.",
                    location=f.location,
                    related=(first.location,),
                )
        if parts and parts[0].kind is TypeKind.ENUM:
            values = [v for part in parts for v in part.enum_values]
            for value in sorted({v for v in values if values.count(v) > 1}):
                yield Diagnostic(
                    message=f"Enum '{name}' lists the value '{value}' more than once.",
                    location=parts[0].location,
                )
