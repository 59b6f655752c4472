"""What every validation rule gets: the document and quick look-ups over it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from ..errors import Diagnostic
from ..raw import RawDirective, RawDocument, RawField, RawType, TypeKind

__all__ = ["Check", "RuleSite", "ValidationContext"]


@dataclass(frozen=True)
class RuleSite:
    """One ``@auth`` directive and where it sits: on a model type, a model field, or a
    root (Query/Mutation/Subscription) field."""

    type: RawType
    field: RawField | None
    directive: RawDirective


class ValidationContext:
    def __init__(self, document: RawDocument) -> None:
        self.document = document

    @cached_property
    def types(self) -> dict[str, RawType]:
        return self.document.by_name()

    @cached_property
    def models(self) -> tuple[RawType, ...]:
        return tuple(t for t in self.document.types if t.is_model and not t.extension)

    @cached_property
    def model_names(self) -> frozenset[str]:
        return frozenset(t.name for t in self.models)

    @cached_property
    def enum_names(self) -> frozenset[str]:
        return frozenset(t.name for t in self.document.types if t.kind is TypeKind.ENUM)

    def object_types(self) -> Iterator[RawType]:
        return (t for t in self.document.types if t.kind is TypeKind.OBJECT)

    def auth_sites(self) -> Iterator[RuleSite]:
        """Every ``@auth`` directive in the document, on types and on fields."""
        for t in self.object_types():
            for d in t.directives_named("auth"):
                yield RuleSite(t, None, d)
            for f in t.fields:
                for d in f.directives_named("auth"):
                    yield RuleSite(t, f, d)


# A validation rule: reads the context, reports problems.
Check = Callable[[ValidationContext], Iterable[Diagnostic]]
