"""Helpers shared by the ``@auth`` rules: walking rule objects with their indexes, a rule's
effective strategy and provider, and describing values and places in messages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from ...appsync import ROOT_TYPES
from ..errors import Location
from ..model import Provider, Strategy
from ..raw import RawArgument, RawField, Value
from ..vocabulary import PROVIDER_NAMES, STRATEGY_NAMES, STRATEGY_PROVIDERS
from .context import RuleSite, ValidationContext

__all__ = [
    "RuleItem",
    "auth_rules",
    "located_strings",
    "provider_of",
    "show",
    "strategy_of",
    "strings",
    "where",
]


def where(type_name: str, field: RawField | None) -> str:
    """``type 'Todo'`` or ``field 'Todo.content'``."""
    return f"type '{type_name}'" if field is None else f"field '{type_name}.{field.name}'"


def show(value: Value) -> str:
    """A value as it would be written in GraphQL, for 'received ...' clauses."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return json.dumps(value)


def strings(value: Value) -> tuple[str, ...] | None:
    """A list of strings (or a single string, as GraphQL coerces it); None if neither."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v for v in value if isinstance(v, str))
    return None


def located_strings(argument: RawArgument, *path: int | str) -> list[tuple[str, Location]]:
    """The strings of the list (or single string) at ``path`` in an argument's value, each
    with where it was written."""
    value: Value = argument.value
    for step in path:
        if isinstance(value, list) and isinstance(step, int) and step < len(value):
            value = value[step]
        elif isinstance(value, dict) and isinstance(step, str):
            value = value.get(step)
        else:
            return []
    if isinstance(value, str):
        return [(value, argument.location_of(*path))]
    if isinstance(value, list):
        return [
            (v, argument.location_of(*path, j)) for j, v in enumerate(value) if isinstance(v, str)
        ]
    return []


@dataclass(frozen=True)
class RuleItem:
    """One rule object ``rules[index]`` of an ``@auth`` directive."""

    site: RuleSite
    argument: RawArgument
    index: int
    rule: dict[str, Value]

    def location(self, *path: int | str) -> Location:
        """Where the rule (or the value at ``path`` inside it) was written."""
        return self.argument.location_of(self.index, *path)

    def strings(self, key: str) -> list[tuple[str, Location]]:
        """The strings of a list-valued key (``operations``, ``groups``) with locations."""
        return located_strings(self.argument, self.index, key)

    @property
    def where(self) -> str:
        return where(self.site.type.name, self.site.field)

    @property
    def on_root_field(self) -> bool:
        return self.site.field is not None and self.site.type.name in ROOT_TYPES


_RULE_ITEMS: WeakKeyDictionary[ValidationContext, tuple[RuleItem, ...]] = WeakKeyDictionary()


def auth_rules(context: ValidationContext) -> Iterator[RuleItem]:
    """Every well-shaped rule object (a dict inside a ``rules`` list) of every ``@auth``
    (collected once per validation: most rules walk them)."""
    items = _RULE_ITEMS.get(context)
    if items is None:
        items = _RULE_ITEMS[context] = tuple(_collect(context))
    return iter(items)


def _collect(context: ValidationContext) -> Iterator[RuleItem]:
    for site in context.auth_sites():
        argument = site.directive.argument("rules")
        if argument is None or not isinstance(argument.value, list):
            continue
        for index, rule in enumerate(argument.value):
            if isinstance(rule, dict):
                yield RuleItem(site, argument, index, rule)


def strategy_of(rule: dict[str, Value]) -> Strategy | None:
    allow = rule.get("allow")
    return STRATEGY_NAMES.get(allow) if isinstance(allow, str) else None


def provider_of(rule: dict[str, Value]) -> Provider | None:
    """The rule's provider, explicit or defaulted; None when it cannot be known."""
    if "provider" in rule:
        name = rule["provider"]
        return PROVIDER_NAMES.get(name) if isinstance(name, str) else None
    strategy = strategy_of(rule)
    return STRATEGY_PROVIDERS[strategy][0] if strategy else None
