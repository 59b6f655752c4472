"""Directives on object types and their fields are ones this project understands (or
AppSync's ``@aws_*``, or ``@deprecated`` on a field), and those of this project are given
only the arguments they take, each once. An Amplify directive this project does not
implement (``@searchable``, ``@function`` ...) is named as such, with what it does.
Misplaced known directives are reported by :mod:`.directive_placement`; transformer v1
directives (``@key``, ``@connection``, ``@versioned``) by :mod:`.transformer_v1_directives`."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic, did_you_mean, quote_list
from ..raw import RawDirective
from ..vocabulary import (
    APPSYNC_DIRECTIVES,
    FIELD_DIRECTIVES,
    TRANSFORMER_V1_DIRECTIVES,
    TYPE_DIRECTIVES,
    UNSUPPORTED_AMPLIFY_DIRECTIVES,
)
from ._rules_util import where
from .context import ValidationContext

__all__ = ["check"]

_ON_TYPE = (*TYPE_DIRECTIVES, *APPSYNC_DIRECTIVES)
_ON_FIELD = (*FIELD_DIRECTIVES, *APPSYNC_DIRECTIVES, "deprecated")
_KNOWN = frozenset((*_ON_TYPE, *_ON_FIELD))
_ANSWERED_ELSEWHERE = frozenset(TRANSFORMER_V1_DIRECTIVES)
_ARGUMENTS = {**TYPE_DIRECTIVES, **FIELD_DIRECTIVES}


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for t in context.object_types():
        for d in t.directives:
            yield from _directive(d, where(t.name, None), _ON_TYPE)
        for f in t.fields:
            for d in f.directives:
                yield from _directive(d, where(t.name, f), _ON_FIELD)


def _directive(
    directive: RawDirective, place: str, allowed: tuple[str, ...]
) -> Iterator[Diagnostic]:
    if directive.name in _ANSWERED_ELSEWHERE:
        return
    choices = [f"@{name}" for name in allowed]
    purpose = UNSUPPORTED_AMPLIFY_DIRECTIVES.get(directive.name)
    if purpose is not None:
        yield Diagnostic(
            message=f"@{directive.name} on {place} is Amplify's directive for {purpose}, which "
            f"authorized-appsync does not support yet; remove it (allowed here are "
            f"{quote_list(choices)}).",
            location=directive.location,
        )
        return
    if directive.name not in _KNOWN:
        yield Diagnostic(
            message=f"Unknown directive '@{directive.name}' on {place}; allowed here are "
            f"{quote_list(choices)}.{did_you_mean('@' + directive.name, choices)}",
            location=directive.location,
        )
        return
    takes = _ARGUMENTS.get(directive.name)
    if takes is None:
        return  # AppSync's own directives pass through unchecked
    seen: set[str] = set()
    for argument in directive.arguments:
        if argument.name in seen:
            yield Diagnostic(
                message=f"@{directive.name} on {place} is given '{argument.name}' more than "
                "once.",
                location=argument.location,
            )
        elif argument.name not in takes:
            yield Diagnostic(
                message=f"@{directive.name} on {place} has an unknown argument "
                f"'{argument.name}'; it takes {quote_list(takes)}."
                f"{did_you_mean(argument.name, takes)}",
                location=argument.location,
            )
        seen.add(argument.name)
