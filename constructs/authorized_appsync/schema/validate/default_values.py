"""``@default(value:)`` sits on a single-valued scalar or enum field that is not a relation
or key field, and its value reads as the field's type: an Int, Float, Boolean, AWSJSON,
AWSTimestamp or one of the enum's values."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from ..errors import Diagnostic, did_you_mean, quote_list
from ..raw import RawField
from ..vocabulary import RELATION_DIRECTIVES, SCALARS
from ._types_util import model_directives, primary_key, type_parts
from .context import ValidationContext

__all__ = ["check"]

_INT = re.compile(r"^-?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")
_INT_RANGE = range(-(2**31), 2**31)


def _valid_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


_PARSES = {
    "Int": lambda text: bool(_INT.match(text)) and int(text) in _INT_RANGE,
    "AWSTimestamp": lambda text: bool(_INT.match(text)),
    "Float": lambda text: bool(_FLOAT.match(text)),
    "Boolean": lambda text: text in ("true", "false"),
    "AWSJSON": _valid_json,
}


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for model, field, directive in model_directives(context, "default"):
        argument = directive.argument("value")
        if argument is None or not isinstance(argument.value, str):
            continue
        place = f"@default on field '{model.name}.{field.name}'"
        partition, sort = primary_key(context, model.name)
        message = _misplaced(context, field, (partition, *sort))
        if message is None:
            message = _unreadable(context, field, argument.value)
            location = argument.location_of()
        else:
            location = directive.location
        if message:
            yield Diagnostic(message=f"{place} {message}", location=location)


def _misplaced(context: ValidationContext, field: RawField, key: tuple[str, ...]) -> str | None:
    name = field.type.name
    if field.type.is_list:
        return f"cannot be used on a list ('{field.type}'); defaults apply to single values."
    if any(d.name in RELATION_DIRECTIVES for d in field.directives):
        return "cannot be used on a relation field."
    if field.name in key:
        return "cannot be used on a primary key field: every record needs its own key."
    if name not in SCALARS and name not in context.enum_names:
        return f"cannot be used on a field of type '{name}'; only scalars and enums take defaults."
    return None


def _unreadable(context: ValidationContext, field: RawField, text: str) -> str | None:
    name = field.type.name
    if name in context.enum_names:
        values = [v for part in type_parts(context, name) for v in part.enum_values]
        if text in values:
            return None
        return (
            f"has value \"{text}\", which is not a value of enum '{name}'; allowed are "
            f"{quote_list(values)}.{did_you_mean(text, values)}"
        )
    parses = _PARSES.get(name)
    if parses is None or parses(text):
        return None
    return f'has value "{text}", which is not a valid {name}.'
