"""``extend <kind> X`` extends a defined ``<kind> X``. Query, Mutation and Subscription may
be extended without a definition: the generated schema always defines them."""

from __future__ import annotations

from collections.abc import Iterator

from ...appsync import ROOT_TYPES
from ..errors import Diagnostic, did_you_mean
from ..raw import RawType, TypeKind
from .context import ValidationContext

__all__ = ["check"]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    definitions: dict[str, RawType] = {}
    for t in context.document.types:
        if not t.extension:
            definitions.setdefault(t.name, t)
    for t in context.document.types:
        if not t.extension:
            continue
        kind = t.kind.value
        base = definitions.get(t.name)
        if base is None:
            if t.kind is TypeKind.OBJECT and t.name in ROOT_TYPES:
                continue
            yield Diagnostic(
                message=f"'extend {kind} {t.name}' extends a type that is not defined; define "
                f"'{kind} {t.name}' first.{did_you_mean(t.name, list(definitions))}",
                location=t.location,
            )
        elif base.kind is not t.kind:
            yield Diagnostic(
                message=f"'extend {kind} {t.name}' does not match the definition "
                f"'{base.kind.value} {t.name}'; an extension must be of the same kind.",
                location=t.location,
                related=(base.location,),
            )
