"""Helpers shared by several validation rules: walking ``@auth`` rule objects, reading a
rule's effective strategy and provider, merging a type with its ``extend type`` parts,
and describing values and places in messages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import Location
from ..model import Provider, Strategy
from ..raw import RawArgument, RawField, RawType, TypeRef, Value
from ..vocabulary import PROVIDER_NAMES, ROOT_TYPES, STRATEGY_NAMES, STRATEGY_PROVIDERS
from .context import RuleSite, ValidationContext

NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*$")
ID_TYPE = TypeRef(name="ID", non_null=True)
TIMESTAMP_TYPE = TypeRef(name="AWSDateTime", non_null=True)


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


@dataclass(frozen=True)
class RuleItem:
    """One rule object ``rules[index]`` of an ``@auth`` directive."""

    site: RuleSite
    argument: RawArgument
    index: int
    rule: dict[str, Value]

    def location(self, *path: int | str) -> Location:
        return self.argument.location_of(self.index, *path)

    @property
    def where(self) -> str:
        return where(self.site.type.name, self.site.field)

    @property
    def on_root_field(self) -> bool:
        return self.site.field is not None and self.site.type.name in ROOT_TYPES


def auth_rules(context: ValidationContext) -> Iterator[RuleItem]:
    """Every well-shaped rule object (a dict inside a ``rules`` list) of every ``@auth``."""
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


def type_parts(context: ValidationContext, name: str) -> list[RawType]:
    """The definition of ``name`` followed by its extensions of the same kind."""
    first = context.types.get(name)
    if first is None:
        return []
    parts = [t for t in context.document.types if t.name == name and t.kind is first.kind]
    return sorted(parts, key=lambda t: t.extension)


def fields_of(context: ValidationContext, name: str) -> dict[str, RawField]:
    """Declared fields of a type and its extensions, the first of each name."""
    found: dict[str, RawField] = {}
    for part in type_parts(context, name):
        for f in part.fields:
            found.setdefault(f.name, f)
    return found


def primary_key(context: ValidationContext, model: str) -> tuple[str, tuple[str, ...]]:
    """The partition key field and sort key fields the builder will use."""
    for f in fields_of(context, model).values():
        for d in f.directives_named("primaryKey"):
            arg = d.argument("sortKeyFields")
            return f.name, (strings(arg.value) or ()) if arg else ()
    return "id", ()


def field_types(context: ValidationContext, model: str) -> dict[str, TypeRef]:
    """Types of a model's declared fields plus the implicit ``id`` and timestamps."""
    declared = {name: f.type for name, f in fields_of(context, model).items()}
    implicit: dict[str, TypeRef] = {}
    if primary_key(context, model)[0] == "id":
        implicit["id"] = ID_TYPE
    for stamp in _timestamps(context, model):
        implicit[stamp] = TIMESTAMP_TYPE
    return implicit | declared


def _timestamps(context: ValidationContext, model: str) -> tuple[str, ...]:
    found = ["createdAt", "updatedAt"]
    for part in type_parts(context, model):
        for d in part.directives_named("model"):
            arg = d.argument("timestamps")
            if arg is None:
                continue
            value = arg.value if isinstance(arg.value, dict) else {}
            found = [
                name
                for key in ("createdAt", "updatedAt")
                if isinstance(name := value.get(key, key), str) and name
            ]
    return tuple(found)
