"""Which published events a subscriber receives (APPSYNC.md §7).

Two filters apply, both to the mutation's result as published: the fields the mutation
selected, keyed by field name. [Decision: APPSYNC.md §7 says filters see "the mutation's
result payload"; reading it as the selected result, a mutation that does not select
``owner`` reaches no owner-filtered subscriber - never the other way round.]

* **basic** (:func:`arguments_match`): every argument the client gave the subscription field
  (a ``null`` argument is ignored) must equal the same-named top-level field of the result.
  Input-object arguments (the generated ``filter: ModelSubscription<Model>FilterInput``) are
  not compared: they have no counterpart in the result, and the subscription resolver turns
  them into an enhanced filter. [Decision: AppSync does not document how such arguments take
  part in basic filtering; comparing them would drop every event of a filtered subscription.]
* **enhanced** (:func:`filter_matches`): the object given to
  ``extensions.setSubscriptionFilter`` - ``{"filterGroup": [{"filters": [{fieldName,
  operator, value}, ...]}, ...]}``: filters within a group are AND-ed, groups are OR-ed.

A field the result lacks (or holds ``null``) satisfies no positive operator; ``ne``, ``notIn``
and ``notContains`` are the negations of ``eq``, ``in`` and ``contains`` and so hold for it.
``attributeExists: true`` means the field holds a value. [Decision: AppSync's docs do not
spell out missing fields; this never delivers an event on an absent owner or group field,
the fields authorization filters test.]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["OPERATORS", "arguments_match", "filter_matches", "filter_problem"]

_MAX_DEPTH = 5  # dot-path levels of a fieldName
_MAX_NAME = 256  # characters of a fieldName
_MAX_VALUES = {"in": 5, "notIn": 5, "containsAny": 20}
_PAIR = 2


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(left: Any, right: Any) -> bool:
    """Equality that keeps booleans apart from numbers (``True`` is not ``1``)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if _number(left) and _number(right):
        return bool(left == right)
    return type(left) is type(right) and bool(left == right)


def _comparable(left: Any, right: Any) -> bool:
    both_numbers = _number(left) and _number(right)
    return both_numbers or (isinstance(left, str) and isinstance(right, str))


def _ordered(check: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    return lambda value, arg: _comparable(value, arg) and check(value, arg)


def _contains(value: Any, arg: Any) -> bool:
    if isinstance(value, str):
        return isinstance(arg, str) and arg in value
    if isinstance(value, list):
        return any(_same(item, arg) for item in value)
    return False


def _in(value: Any, arg: Any) -> bool:
    return isinstance(arg, list) and value is not None and any(_same(value, v) for v in arg)


def _between(value: Any, arg: Any) -> bool:
    if not isinstance(arg, list) or len(arg) != _PAIR:
        return False
    low, high = arg
    return _comparable(value, low) and _comparable(value, high) and bool(low <= value <= high)


def _contains_any(value: Any, arg: Any) -> bool:
    return (
        isinstance(value, list)
        and isinstance(arg, list)
        and any(_same(item, wanted) for item in value for wanted in arg)
    )


OPERATORS: Mapping[str, Callable[[Any, Any], bool]] = {
    "eq": lambda value, arg: value is not None and _same(value, arg),
    "ne": lambda value, arg: not (value is not None and _same(value, arg)),
    "le": _ordered(lambda value, arg: bool(value <= arg)),
    "lt": _ordered(lambda value, arg: bool(value < arg)),
    "ge": _ordered(lambda value, arg: bool(value >= arg)),
    "gt": _ordered(lambda value, arg: bool(value > arg)),
    "contains": _contains,
    "notContains": lambda value, arg: not _contains(value, arg),
    "beginsWith": lambda value, arg: (
        isinstance(value, str) and isinstance(arg, str) and value.startswith(arg)
    ),
    "in": _in,
    "notIn": lambda value, arg: not _in(value, arg),
    "between": _between,
    "attributeExists": lambda value, arg: (value is not None) == bool(arg),
    "containsAny": _contains_any,
}


def _value_at(payload: Mapping[str, Any], field_name: str) -> Any:
    value: Any = payload
    for part in field_name.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _filter_problem(entry: Any) -> str | None:
    if not isinstance(entry, Mapping):
        return f"A subscription filter must be an object, got {entry!r}."
    name, operator = entry.get("fieldName"), entry.get("operator")
    if not isinstance(name, str) or not name:
        return f"A subscription filter needs a 'fieldName' string, got {name!r}."
    if len(name) > _MAX_NAME or name.count(".") >= _MAX_DEPTH:
        return (
            f"The filter field '{name[:40]}' is too deep or too long: at most {_MAX_DEPTH} "
            f"levels and {_MAX_NAME} characters."
        )
    if operator not in OPERATORS:
        allowed = ", ".join(OPERATORS)
        return f"The filter on '{name}' has the unknown operator {operator!r}; allowed: {allowed}."
    limit = _MAX_VALUES.get(str(operator))
    value = entry.get("value")
    if limit is not None and (not isinstance(value, list) or len(value) > limit):
        return f"The filter '{operator}' on '{name}' takes a list of at most {limit} values."
    return None


def filter_problem(spec: Any) -> str | None:
    """What is wrong with a ``setSubscriptionFilter`` object, or ``None`` when it is valid
    (the shim already checks the number of groups and values; this checks the rest)."""
    groups = spec.get("filterGroup") if isinstance(spec, Mapping) else None
    if not isinstance(groups, list):
        return "A subscription filter needs a 'filterGroup' list."
    for group in groups:
        filters = group.get("filters") if isinstance(group, Mapping) else None
        if not isinstance(filters, list):
            return "Each entry of 'filterGroup' needs a 'filters' list."
        for entry in filters:
            problem = _filter_problem(entry)
            if problem is not None:
                return problem
    return None


def filter_matches(spec: Mapping[str, Any], payload: Mapping[str, Any]) -> bool:
    """Whether ``payload`` passes a (valid, see :func:`filter_problem`) enhanced filter."""
    return any(
        all(
            OPERATORS[f["operator"]](_value_at(payload, f["fieldName"]), f.get("value"))
            for f in group["filters"]
        )
        for group in spec["filterGroup"]
    )


def arguments_match(arguments: Mapping[str, Any], payload: Mapping[str, Any]) -> bool:
    """Basic filtering: each given (non-null) argument equals the same-named field."""
    return all(
        name in payload and payload[name] is not None and _same_value(payload[name], value)
        for name, value in arguments.items()
        if value is not None
    )


def _same_value(left: Any, right: Any) -> bool:
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_same_value, left, right))
    return _same(left, right)
