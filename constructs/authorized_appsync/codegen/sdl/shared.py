"""The inputs and enums Amplify shares between models, with Amplify's exact fields.

``ModelStringInput``, ``ModelIDInput``, ``ModelIntInput``, ``ModelFloatInput``,
``ModelBooleanInput``, their ``ModelSubscription...Input`` variants, ``ModelSizeInput``,
``ModelAttributeTypes``, ``ModelSortDirection``, the sort-key ``Model...KeyConditionInput``
and the enum filters ``Model<Enum>Input`` / ``Model<Enum>ListInput``. All are built as
candidates; :func:`~.printer.prune` keeps the ones something refers to.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from ...schema import names
from .printer import Definition, FieldDef, Kind

__all__ = ["enum_filter_definitions", "shared_definitions"]

_COMPARE: Final = ("ne", "eq", "le", "lt", "ge", "gt")
_TEXT: Final = ("contains", "notContains", "between", "beginsWith")
_CONDITIONS: Final = {
    "String": (*_COMPARE, *_TEXT),
    "ID": (*_COMPARE, *_TEXT),
    "Int": (*_COMPARE, "between"),
    "Float": (*_COMPARE, "between"),
    "Boolean": ("ne", "eq"),
}
# Functions a condition may test, after the comparisons (not in subscription filters).
_FUNCTIONS: Final = {
    "String": ("attributeExists", "attributeType", "size"),
    "ID": ("attributeExists", "attributeType", "size"),
    "Int": ("attributeExists", "attributeType"),
    "Float": ("attributeExists", "attributeType"),
    "Boolean": ("attributeExists", "attributeType"),
}
_FUNCTION_TYPES: Final = {
    "attributeExists": "Boolean",
    "attributeType": names.ATTRIBUTE_TYPES_ENUM,
    "size": names.SIZE_INPUT,
}
_KEY_CONDITIONS: Final = {
    "String": ("eq", "le", "lt", "ge", "gt", "between", "beginsWith"),
    "ID": ("eq", "le", "lt", "ge", "gt", "between", "beginsWith"),
    "Int": ("eq", "le", "lt", "ge", "gt", "between"),
    "Float": ("eq", "le", "lt", "ge", "gt", "between"),
}
_LISTS: Final = frozenset({"between", "in", "notIn"})
_ATTRIBUTE_TYPES: Final = (
    "binary",
    "binarySet",
    "bool",
    "list",
    "map",
    "number",
    "numberSet",
    "string",
    "stringSet",
    "_null",
)


def _conditions(name: str, scalar: str, conditions: Iterable[str]) -> Definition:
    fields = tuple(FieldDef(c, f"[{scalar}]" if c in _LISTS else scalar) for c in conditions)
    return Definition(Kind.INPUT, name, fields)


def _filter_input(scalar: str) -> Definition:
    base = _conditions(names.scalar_filter_input(scalar), scalar, _CONDITIONS[scalar])
    extra = tuple(FieldDef(f, _FUNCTION_TYPES[f]) for f in _FUNCTIONS[scalar])
    return Definition(Kind.INPUT, base.name, base.fields + extra)


def _subscription_input(scalar: str) -> Definition:
    conditions = _CONDITIONS[scalar]
    if scalar != "Boolean":
        conditions = (*conditions, "in", "notIn")
    return _conditions(names.subscription_scalar_filter_input(scalar), scalar, conditions)


def shared_definitions() -> tuple[Definition, ...]:
    """Every shared candidate, in the order they are printed when used."""
    scalars = tuple(_CONDITIONS)
    found = [_filter_input(s) for s in scalars]
    found += [_subscription_input(s) for s in scalars]
    found += [
        _conditions(names.key_condition_input(s), s, conditions)
        for s, conditions in _KEY_CONDITIONS.items()
    ]
    found += [
        _conditions(names.SIZE_INPUT, "Int", (*_COMPARE, "between")),
        Definition(Kind.ENUM, names.ATTRIBUTE_TYPES_ENUM, values=_ATTRIBUTE_TYPES),
        Definition(Kind.ENUM, names.SORT_DIRECTION_ENUM, values=("ASC", "DESC")),
    ]
    return tuple(found)


def enum_filter_definitions(enum: str) -> tuple[Definition, ...]:
    """``Model<Enum>Input`` and ``Model<Enum>ListInput`` for one enum."""
    return (
        Definition(
            Kind.INPUT, names.enum_filter_input(enum), (FieldDef("eq", enum), FieldDef("ne", enum))
        ),
        Definition(
            Kind.INPUT,
            names.enum_list_filter_input(enum),
            (
                FieldDef("eq", f"[{enum}]"),
                FieldDef("ne", f"[{enum}]"),
                FieldDef("contains", enum),
                FieldDef("notContains", enum),
            ),
        ),
    )
