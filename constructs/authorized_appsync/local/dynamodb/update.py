"""The item an UpdateItem would leave, computed locally.

When an UpdateItem's condition fails, AppSync compares the current item with the result
the update wanted (ignoring ``equalsIgnore``): equal counts as success. That result is the
update expression applied to the current item, which is what :func:`apply_update` does for
DynamoDB's update-expression language: ``SET`` (with ``+``/``-``, ``if_not_exists``,
``list_append``), ``REMOVE``, ``ADD`` and ``DELETE``, on top-level and nested paths
(``a.b[2].c``). As in DynamoDB, every operand reads the item as it was before the update.
An expression it cannot evaluate (bad syntax, a missing placeholder, a type mismatch,
a path through a missing map) gives ``None``: the comparison then fails, so the
condition failure is reported - never a false success.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from .values import Wire, WireItem

__all__ = ["apply_update"]

PathPart = str | int
Path = tuple[PathPart, ...]

_TOKEN = re.compile(
    r"\s*(?:(?P<name>#[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*)|(?P<value>:[A-Za-z0-9_]+)"
    r"|\[\s*(?P<index>\d+)\s*\]|(?P<punct>[,.()=+\-]))"
)
_CLAUSES = ("SET", "REMOVE", "ADD", "DELETE")


class _CannotTellError(Exception):
    """The expression is outside what can be evaluated here."""


@dataclass(frozen=True)
class _PathOperand:
    path: Path


@dataclass(frozen=True)
class _ValueOperand:
    value: Wire


@dataclass(frozen=True)
class _Call:
    function: str  # "if_not_exists" | "list_append" | "+" | "-"
    arguments: tuple[_Operand, ...]


_Operand = _PathOperand | _ValueOperand | _Call


@dataclass(frozen=True)
class _Action:
    clause: str
    path: Path
    operand: _Operand | None = None


class _Parser:
    def __init__(self, text: str, names: Mapping[str, str], values: Mapping[str, Wire]) -> None:
        self._names = names
        self._values = values
        self._tokens: list[tuple[str, str]] = []
        position = 0
        text = text.rstrip()
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                raise _CannotTellError
            kind = cast(str, match.lastgroup)
            self._tokens.append((kind, match.group(kind)))
            position = match.end()
        self._at = 0

    def _peek(self) -> tuple[str, str] | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def _take(self, kind: str, text: str | None = None) -> str:
        token = self._peek()
        if token is None or token[0] != kind or (text is not None and token[1] != text):
            raise _CannotTellError
        self._at += 1
        return token[1]

    def _next_is(self, kind: str, text: str) -> bool:
        return self._peek() == (kind, text)

    def parse(self) -> list[_Action]:
        actions: list[_Action] = []
        while self._peek() is not None:
            clause = self._take("name").upper()
            if clause not in _CLAUSES:
                raise _CannotTellError
            actions.append(self._action(clause))
            while self._next_is("punct", ","):
                self._take("punct")
                actions.append(self._action(clause))
        return actions

    def _action(self, clause: str) -> _Action:
        path = self._path()
        if clause == "REMOVE":
            return _Action(clause, path)
        if clause == "SET":
            self._take("punct", "=")
            return _Action(clause, path, self._sum())
        return _Action(clause, path, self._value())

    def _path(self) -> Path:
        parts: list[PathPart] = [self._name()]
        while True:
            token = self._peek()
            if token == ("punct", "."):
                self._take("punct")
                parts.append(self._name())
            elif token is not None and token[0] == "index":
                parts.append(int(self._take("index")))
            else:
                return tuple(parts)

    def _name(self) -> str:
        text = self._take("name")
        if not text.startswith("#"):
            return text
        if text not in self._names:
            raise _CannotTellError
        return self._names[text]

    def _value(self) -> _ValueOperand:
        ref = self._take("value")
        if ref not in self._values:
            raise _CannotTellError
        return _ValueOperand(self._values[ref])

    def _sum(self) -> _Operand:
        left = self._operand()
        for op in ("+", "-"):
            if self._next_is("punct", op):
                self._take("punct")
                return _Call(op, (left, self._operand()))
        return left

    def _operand(self) -> _Operand:
        token = self._peek()
        if token is not None and token[0] == "value":
            return self._value()
        at = self._at
        name = self._take("name")
        if name in ("if_not_exists", "list_append") and self._next_is("punct", "("):
            self._take("punct")
            first: _Operand = _PathOperand(self._path()) if name == "if_not_exists" else self._sum()
            self._take("punct", ",")
            second = self._sum()
            self._take("punct", ")")
            return _Call(name, (first, second))
        self._at = at
        return _PathOperand(self._path())


def _get(item: Mapping[str, Wire], path: Path) -> Wire | None:
    current: object = {"M": item}
    for part in path:
        if isinstance(part, str):
            children = cast(Mapping[str, object], current).get("M")
            if not isinstance(children, dict) or part not in children:
                return None
            current = children[part]
        else:
            elements = cast(Mapping[str, object], current).get("L")
            if not isinstance(elements, list) or part >= len(elements):
                return None
            current = elements[part]
    return cast(Wire, current)


def _container(item: WireItem, path: Path) -> Wire:
    parent: Wire | None = _get(item, path[:-1]) if len(path) > 1 else {"M": item}
    if parent is None:
        raise _CannotTellError  # DynamoDB: "The document path provided ... is invalid for update"
    return parent


def _put(item: WireItem, path: Path, value: Wire) -> None:
    parent, last = _container(item, path), path[-1]
    if isinstance(last, str) and isinstance(parent.get("M"), dict):
        cast(dict[str, Wire], parent["M"])[last] = value
    elif isinstance(last, int) and isinstance(parent.get("L"), list):
        elements = cast(list[Wire], parent["L"])
        if last < len(elements):
            elements[last] = value
        else:
            elements.append(value)
    else:
        raise _CannotTellError


def _remove(item: WireItem, path: Path) -> None:
    parent, last = _container(item, path), path[-1]
    children = parent.get("M") if isinstance(last, str) else parent.get("L")
    if isinstance(children, dict):
        children.pop(last, None)
    elif isinstance(children, list) and isinstance(last, int) and last < len(children):
        del children[last]


def _number(value: Wire | None) -> Decimal:
    if value is None or "N" not in value:
        raise _CannotTellError
    return Decimal(cast(str, value["N"]))


def _evaluate(operand: _Operand, item: WireItem) -> Wire:
    if isinstance(operand, _ValueOperand):
        return operand.value
    if isinstance(operand, _PathOperand):
        found = _get(item, operand.path)
        if found is None:
            raise _CannotTellError  # DynamoDB: "attribute that does not exist in the item"
        return found
    if operand.function == "if_not_exists":
        path = cast(_PathOperand, operand.arguments[0]).path
        found = _get(item, path)
        return found if found is not None else _evaluate(operand.arguments[1], item)
    first, second = (_evaluate(a, item) for a in operand.arguments)
    if operand.function == "list_append":
        if "L" not in first or "L" not in second:
            raise _CannotTellError
        return {"L": [*cast(list[Wire], first["L"]), *cast(list[Wire], second["L"])]}
    total = _number(first) + _number(second) * (1 if operand.function == "+" else -1)
    return {"N": str(total)}


def _add(current: Wire | None, value: Wire) -> Wire:
    if current is None:
        return value
    if "N" in current and "N" in value:
        return {"N": str(_number(current) + _number(value))}
    kind = next(iter(value))
    if kind in ("SS", "NS", "BS") and kind in current:
        merged = list(cast(list[object], current[kind]))
        merged += [v for v in cast(list[object], value[kind]) if v not in merged]
        return {kind: merged}
    raise _CannotTellError


def _delete(current: Wire | None, value: Wire) -> Wire | None:
    kind = next(iter(value))
    if current is None:
        return None
    if kind not in ("SS", "NS", "BS") or kind not in current:
        raise _CannotTellError
    drop = cast(list[object], value[kind])
    kept = [v for v in cast(list[object], current[kind]) if v not in drop]
    return {kind: kept} if kept else None


def apply_update(
    item: Mapping[str, Wire],
    expression: str,
    names: Mapping[str, str],
    values: Mapping[str, Wire],
) -> WireItem | None:
    """``item`` after the update, or ``None`` when the expression cannot be evaluated."""
    before: WireItem = copy.deepcopy(dict(item))
    after: WireItem = copy.deepcopy(dict(item))
    try:
        for action in _Parser(expression, names, values).parse():
            if action.clause == "REMOVE":
                _remove(after, action.path)
                continue
            operand = cast(_Operand, action.operand)
            if action.clause == "SET":
                _put(after, action.path, _evaluate(operand, before))
                continue
            value = _evaluate(operand, before)
            combine = _add if action.clause == "ADD" else _delete
            changed = combine(_get(before, action.path), value)
            if changed is None:
                _remove(after, action.path)
            else:
                _put(after, action.path, changed)
    except (_CannotTellError, ArithmeticError):
        return None
    return after
