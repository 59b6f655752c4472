"""The arguments of ``@model``, ``@primaryKey``, ``@index``, the relation directives and
``@default`` have the shapes the builder reads, and the required ones are present.
(``@auth(rules:)`` is :mod:`.auth_directive_arguments`' job.)"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..errors import Diagnostic, did_you_mean, quote_list
from ..raw import RawArgument, RawDirective, Value
from ._rules_util import show, strings, where
from ._types_util import NAME
from .context import ValidationContext

__all__ = ["check"]

_TIMESTAMP_KEYS = ("createdAt", "updatedAt")


def _text(value: Value) -> bool:
    return isinstance(value, str) and value != ""


def _names(value: Value) -> bool:
    return strings(value) is not None


def _object_or_null(value: Value) -> bool:
    return value is None or isinstance(value, dict)


def _positive_int(value: Value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


_TEXT = (_text, "a non-empty string")
_NAMES = (_names, 'a field name or a list of field names such as ["a", "b"]')
_OPTIONS = (_object_or_null, "null or an object")
_LIMIT = (_positive_int, "a positive Int")
_SHAPES: dict[tuple[str, str], tuple[Callable[[Value], bool], str]] = {
    ("model", "queries"): _OPTIONS,
    ("model", "mutations"): _OPTIONS,
    ("model", "subscriptions"): _OPTIONS,
    ("model", "timestamps"): _OPTIONS,
    ("primaryKey", "sortKeyFields"): _NAMES,
    ("index", "name"): _TEXT,
    ("index", "sortKeyFields"): _NAMES,
    ("index", "queryField"): _TEXT,
    ("hasOne", "fields"): _NAMES,
    ("hasOne", "references"): _NAMES,
    ("hasMany", "indexName"): _TEXT,
    ("hasMany", "fields"): _NAMES,
    ("hasMany", "references"): _NAMES,
    ("hasMany", "limit"): _LIMIT,
    ("belongsTo", "fields"): _NAMES,
    ("belongsTo", "references"): _NAMES,
    ("manyToMany", "relationName"): _TEXT,
    ("manyToMany", "limit"): _LIMIT,
    ("default", "value"): (lambda v: isinstance(v, str), 'a string such as "42"'),
}
_REQUIRED = {"manyToMany": "relationName", "default": "value"}


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for t in context.object_types():
        for d in t.directives:
            yield from _directive(d, where(t.name, None))
        for f in t.fields:
            for d in f.directives:
                yield from _directive(d, where(t.name, f))


def _directive(directive: RawDirective, place: str) -> Iterator[Diagnostic]:
    required = _REQUIRED.get(directive.name)
    if required and directive.argument(required) is None:
        yield Diagnostic(
            message=f"@{directive.name} on {place} needs the argument '{required}'.",
            location=directive.location,
        )
    for argument in directive.arguments:
        shape = _SHAPES.get((directive.name, argument.name))
        if shape is None:
            continue
        if not shape[0](argument.value):
            yield Diagnostic(
                message=f"'{argument.name}' of @{directive.name} on {place} must be "
                f"{shape[1]}; received {show(argument.value)}.",
                location=argument.location_of(),
            )
        elif argument.name == "timestamps":
            yield from _timestamps(argument, place)


def _timestamps(argument: RawArgument, place: str) -> Iterator[Diagnostic]:
    value = argument.value if isinstance(argument.value, dict) else {}
    named = [value.get(key, key) for key in _TIMESTAMP_KEYS]
    if named[0] == named[1] and isinstance(named[0], str):
        yield Diagnostic(
            message=f"'timestamps' of @model on {place} names '{named[0]}' for both createdAt "
            "and updatedAt; give each its own field name, or null to leave one out.",
            location=argument.location_of(),
        )
    for key, stamp in value.items():
        if key not in _TIMESTAMP_KEYS:
            yield Diagnostic(
                message=f"'timestamps' of @model on {place} has an unknown key '{key}'; it "
                f"takes {quote_list(_TIMESTAMP_KEYS)}.{did_you_mean(key, _TIMESTAMP_KEYS)}",
                location=argument.location_of(key),
            )
        elif stamp is not None and not (isinstance(stamp, str) and NAME.match(stamp)):
            yield Diagnostic(
                message=f"'timestamps.{key}' of @model on {place} must be a field name "
                "(letters, digits and '_', not starting with a digit), or null to leave it "
                f"out; received {show(stamp)}.",
                location=argument.location_of(key),
            )
