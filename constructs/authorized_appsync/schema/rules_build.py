"""Turning one raw ``@auth`` rule object into a typed :class:`~.model.AuthRule`.

Runs only on validated input: every lookup here is known to succeed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .errors import Location
from .model import (
    DEFAULT_GROUP_CLAIM,
    DEFAULT_IDENTITY_CLAIM,
    DEFAULT_OWNER_FIELD,
    MODEL_OPERATIONS,
    AuthRule,
    Operation,
    Strategy,
)
from .raw import RawDirective, Value
from .vocabulary import OPERATION_NAMES, PROVIDER_NAMES, STRATEGY_NAMES, STRATEGY_PROVIDERS

__all__ = ["as_strings", "build_rule", "rules_of"]


def as_strings(value: Value) -> tuple[str, ...]:
    """A list-of-strings argument; a single string is read as a one-item list."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    assert isinstance(value, list)
    return tuple(str(v) for v in value)


def _operations(value: Value) -> frozenset[Operation]:
    if value is None:
        return MODEL_OPERATIONS
    found: set[Operation] = set()
    for name in as_strings(value):
        found |= OPERATION_NAMES[name]
    return frozenset(found)


def _text(rule: dict[str, Value], key: str) -> str | None:
    value = rule.get(key)
    return value if isinstance(value, str) else None


def build_rule(rule: dict[str, Value], location: Location) -> AuthRule:
    strategy = STRATEGY_NAMES[str(rule["allow"])]
    provider_name = _text(rule, "provider")
    provider = PROVIDER_NAMES[provider_name] if provider_name else STRATEGY_PROVIDERS[strategy][0]
    operations = _operations(rule.get("operations"))
    if strategy is Strategy.OWNER:
        return AuthRule(
            strategy=strategy,
            provider=provider,
            operations=operations,
            owner_field=_text(rule, "ownerField") or DEFAULT_OWNER_FIELD,
            identity_claim=_text(rule, "identityClaim") or DEFAULT_IDENTITY_CLAIM,
            location=location,
        )
    if strategy is Strategy.GROUPS:
        return AuthRule(
            strategy=strategy,
            provider=provider,
            operations=operations,
            group_claim=_text(rule, "groupClaim") or DEFAULT_GROUP_CLAIM,
            groups=as_strings(rule.get("groups")),
            groups_field=_text(rule, "groupsField"),
            location=location,
        )
    return AuthRule(strategy=strategy, provider=provider, operations=operations, location=location)


def rules_of(directives: Sequence[RawDirective]) -> Iterable[AuthRule]:
    """The rules of every ``@auth`` directive among ``directives``."""
    for directive in directives:
        if directive.name != "auth":
            continue
        argument = directive.argument("rules")
        if argument is None or not isinstance(argument.value, list):
            continue
        for index, item in enumerate(argument.value):
            assert isinstance(item, dict)
            yield build_rule(item, argument.location_of(index))
