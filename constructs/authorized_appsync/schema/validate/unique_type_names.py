"""Each type name is defined once (``extend type X`` adds to a type, it does not define
one), and no type takes the name of a built-in or AWS scalar or a reserved ``__`` name."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ..raw import RawType, TypeKind
from ..vocabulary import SCALARS
from .context import ValidationContext

__all__ = ["check"]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    first: dict[str, RawType] = {}
    for t in context.document.types:
        if t.extension:
            continue
        if t.name.startswith("__"):
            yield Diagnostic(
                message=f"Type name '{t.name}' is reserved: names starting with '__' belong to "
                "GraphQL introspection.",
                location=t.location,
            )
        if t.name in SCALARS and t.kind is not TypeKind.SCALAR:
            yield Diagnostic(
                message=f"Type name '{t.name}' is the name of a built-in scalar; choose another "
                "name.",
                location=t.location,
            )
        earlier = first.setdefault(t.name, t)
        if earlier is t:
            continue
        kind = earlier.kind.value
        yield Diagnostic(
            message=f"There can be only one type named '{t.name}'; it is already defined as "
            f"'{kind} {t.name}'. Rename one, or write 'extend {kind} {t.name}' to add fields.",
            location=t.location,
            related=(earlier.location,),
        )
