"""Each ``@auth`` rule argument has the shape the builder reads: strings where a string is
expected, lists of strings (or a single string, as GraphQL coerces it) for ``groups`` and
``operations``, field names for ``ownerField``/``groupsField``. ``null`` is not accepted:
omit the argument to get its default."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..errors import Diagnostic
from ..raw import Value
from ._rules_util import auth_rules, show, strings
from ._types_util import NAME
from .context import ValidationContext

__all__ = ["check"]


def _is_text(value: Value) -> bool:
    return isinstance(value, str) and value != ""


def _is_name(value: Value) -> bool:
    return isinstance(value, str) and NAME.match(value) is not None


def _is_strings(value: Value) -> bool:
    return strings(value) is not None


_TEXT = (_is_text, "a non-empty string")
_NAME = (_is_name, "a field name (letters, digits and '_', not starting with a digit)")
_LIST = (_is_strings, "a list of names such as [read, update]")
_SHAPES: dict[str, tuple[Callable[[Value], bool], str]] = {
    "allow": (_is_text, "a strategy such as owner"),
    "provider": (_is_text, "a provider such as userPools"),
    "ownerField": _NAME,
    "groupsField": _NAME,
    "identityClaim": _TEXT,
    "groupClaim": _TEXT,
    "groups": (_is_strings, 'a list of group names such as ["Admin"]'),
    "operations": _LIST,
}


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for item in auth_rules(context):
        for key, value in item.rule.items():
            shape = _SHAPES.get(key)
            if shape is None or shape[0](value):
                continue
            yield Diagnostic(
                message=f"'{key}' of the @auth rule on {item.where} must be {shape[1]}; "
                f"received {show(value)}.",
                location=item.location(key),
            )
