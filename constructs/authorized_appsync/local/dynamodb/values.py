"""DynamoDB attribute values in their three forms.

- *typed JSON*: what request objects carry (``{"S": "x"}``, ``{"N": "1"}``,
  ``{"B": "<base64>"}``) - ``util.dynamodb.toMapValues`` output;
- *wire*: what the boto3 client takes and returns (the same, but binary as ``bytes``);
- *plain*: what AppSync hands the response handler (``"x"``, ``1``, ``"<base64>"``; sets
  as lists, ``NULL`` as null).

Converting typed JSON to wire validates it: a malformed value is a
:class:`MappingTemplateError`, raised before anything is sent.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import cast

from ...errors import JsonValue
from .errors import MappingTemplateError, describe

__all__ = [
    "Wire",
    "WireItem",
    "canonical",
    "canonical_item",
    "item_to_plain",
    "item_to_typed",
    "item_to_wire",
    "same_item",
    "to_plain",
    "to_wire",
]

# One attribute value as boto3 takes it: {"S": "x"}, {"B": b"..."}, {"L": [...]}, ...
Wire = dict[str, object]
WireItem = dict[str, Wire]

_SCALARS = ("S", "N", "B", "BOOL", "NULL")
_SETS = ("SS", "NS", "BS")
TYPES = (*_SCALARS, *_SETS, "L", "M")


def _number(text: object, where: str) -> str:
    if not isinstance(text, str):
        raise MappingTemplateError(
            f"{where}: a number ('N') must be given as a string, got {describe(text)}."
        )
    try:
        Decimal(text)
    except InvalidOperation:
        raise MappingTemplateError(f"{where}: {text!r} is not a number.") from None
    return text


def _binary(text: object, where: str) -> bytes:
    if not isinstance(text, str):
        raise MappingTemplateError(
            f"{where}: binary ('B') must be a base64 string, got {describe(text)}."
        )
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise MappingTemplateError(f"{where}: {text!r} is not base64.") from None


def _string(text: object, where: str) -> str:
    if not isinstance(text, str):
        raise MappingTemplateError(f"{where}: 'S' must be a string, got {describe(text)}.")
    return text


def _set_of(kind: str, values: object, where: str) -> list[object]:
    if not isinstance(values, list):
        raise MappingTemplateError(f"{where}: {kind!r} must be a list, got {describe(values)}.")
    member = {"SS": _string, "NS": _number, "BS": _binary}[kind]
    return [member(v, f"{where}[{i}]") for i, v in enumerate(values)]


def _boolean(kind: str) -> _Reader:
    def read(inner: object, where: str) -> object:
        if not isinstance(inner, bool):
            raise MappingTemplateError(f"{where}: {kind!r} takes a boolean, got {describe(inner)}.")
        return inner

    return read


def _list(inner: object, where: str) -> object:
    if not isinstance(inner, list):
        raise MappingTemplateError(f"{where}: 'L' must be a list, got {describe(inner)}.")
    return [to_wire(v, f"{where}[{i}]") for i, v in enumerate(inner)]


def _sets(kind: str) -> _Reader:
    return lambda inner, where: _set_of(kind, inner, where)


_Reader = Callable[[object, str], object]
_READERS: Mapping[str, _Reader] = {
    "S": _string,
    "N": _number,
    "B": _binary,
    "BOOL": _boolean("BOOL"),
    "NULL": _boolean("NULL"),
    "SS": _sets("SS"),
    "NS": _sets("NS"),
    "BS": _sets("BS"),
    "L": _list,
    "M": lambda inner, where: item_to_wire(inner, where),
}


def to_wire(value: object, where: str) -> Wire:
    """One typed-JSON attribute value as boto3 takes it (validated)."""
    if not isinstance(value, dict) or len(value) != 1:
        raise MappingTemplateError(
            f"{where}: expected a DynamoDB attribute value with exactly one type key "
            f"({', '.join(TYPES)}), got {describe(value)} {_short(value)}."
        )
    ((kind, inner),) = value.items()
    read = _READERS.get(kind)
    if read is None:
        raise MappingTemplateError(
            f"{where}: unknown attribute value type {kind!r}; expected one of {', '.join(TYPES)}."
        )
    return {kind: read(inner, where)}


def item_to_wire(values: object, where: str) -> WireItem:
    """A map of typed-JSON attribute values (a key, an item, expressionValues)."""
    if not isinstance(values, dict):
        raise MappingTemplateError(
            f"{where}: expected an object of DynamoDB attribute values, got {describe(values)}."
        )
    return {str(name): to_wire(v, f"{where}.{name}") for name, v in values.items()}


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _plain_number(text: str) -> int | float:
    number = Decimal(text)
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def _b64(data: object) -> str:
    return base64.b64encode(cast(bytes, data)).decode("ascii")


_PLAIN: Mapping[str, Callable[[object], JsonValue]] = {
    "S": lambda v: cast(str, v),
    "BOOL": lambda v: cast(bool, v),
    "NULL": lambda _v: None,
    "N": lambda v: _plain_number(cast(str, v)),
    "B": _b64,
    "SS": lambda v: list(cast(list[str], v)),
    "NS": lambda v: [_plain_number(n) for n in cast(list[str], v)],
    "BS": lambda v: [_b64(b) for b in cast(list[bytes], v)],
    "L": lambda v: [to_plain(x) for x in cast(list[Wire], v)],
    "M": lambda v: item_to_plain(cast(WireItem, v)),
}


def to_plain(value: Mapping[str, object]) -> JsonValue:
    """A wire value as AppSync converts it for the response handler."""
    ((kind, inner),) = value.items()
    return _PLAIN[kind](inner)


def item_to_plain(item: Mapping[str, Mapping[str, object]]) -> dict[str, JsonValue]:
    return {name: to_plain(v) for name, v in item.items()}


def to_typed(value: Mapping[str, object]) -> JsonValue:
    """A wire value back in typed JSON (binary as base64), e.g. for a page token."""
    ((kind, inner),) = value.items()
    if kind == "B":
        return {"B": _b64(inner)}
    if kind == "BS":
        return {"BS": [_b64(b) for b in cast(list[bytes], inner)]}
    if kind == "L":
        return {"L": [to_typed(x) for x in cast(list[Wire], inner)]}
    if kind == "M":
        return {"M": item_to_typed(cast(WireItem, inner))}
    return {kind: cast(JsonValue, inner)}


def item_to_typed(item: Mapping[str, Mapping[str, object]]) -> dict[str, JsonValue]:
    return {name: to_typed(v) for name, v in item.items()}


def canonical(value: Mapping[str, object]) -> object:
    """A hashable form for comparing values: numbers by value, sets unordered."""
    ((kind, inner),) = value.items()
    if kind == "N":
        return ("N", Decimal(cast(str, inner)))
    if kind == "NS":
        return ("NS", frozenset(Decimal(n) for n in cast(list[str], inner)))
    if kind in ("SS", "BS"):
        return (kind, frozenset(cast(list[object], inner)))
    if kind == "L":
        return ("L", tuple(canonical(x) for x in cast(list[Wire], inner)))
    if kind == "M":
        return ("M", canonical_item(cast(WireItem, inner)))
    return (kind, inner)


def canonical_item(
    item: Mapping[str, Mapping[str, object]], ignore: frozenset[str] = frozenset()
) -> frozenset[tuple[str, object]]:
    return frozenset((name, canonical(v)) for name, v in item.items() if name not in ignore)


def same_item(
    a: Mapping[str, Mapping[str, object]],
    b: Mapping[str, Mapping[str, object]],
    ignore: frozenset[str] = frozenset(),
) -> bool:
    """Whether two wire items hold the same attributes, apart from ``ignore``."""
    return canonical_item(a, ignore) == canonical_item(b, ignore)
