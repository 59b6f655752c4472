"""A directive of this project appears at most once on a type or field (``@index`` may
repeat), and a field carries at most one relation directive."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ..raw import RawDirective
from ..vocabulary import FIELD_DIRECTIVES, RELATION_DIRECTIVES, TYPE_DIRECTIVES
from ._rules_util import where
from .context import ValidationContext

__all__ = ["check"]

_REPEATABLE = frozenset({"index"})
_OURS = frozenset((*TYPE_DIRECTIVES, *FIELD_DIRECTIVES)) - _REPEATABLE


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for t in context.document.types:
        yield from _site(t.directives, where(t.name, None))
        for f in t.fields:
            yield from _site(f.directives, where(t.name, f))


def _site(directives: tuple[RawDirective, ...], place: str) -> Iterator[Diagnostic]:
    seen: dict[str, RawDirective] = {}
    relation: RawDirective | None = None
    for d in directives:
        if d.name in _OURS and d.name in seen:
            hint = " (combine the rules into one @auth)" if d.name == "auth" else ""
            yield Diagnostic(
                message=f"@{d.name} is used more than once on {place}{hint}.",
                location=d.location,
                related=(seen[d.name].location,),
            )
            continue
        seen.setdefault(d.name, d)
        if d.name not in RELATION_DIRECTIVES:
            continue
        if relation is not None:
            yield Diagnostic(
                message=f"The {place} has both @{relation.name} and @{d.name}; a relation field "
                "takes exactly one relation directive.",
                location=d.location,
                related=(relation.location,),
            )
        relation = relation or d
