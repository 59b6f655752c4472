"""``.authorization(...)`` of models and fields: the rules given, as an ``@auth`` directive."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..errors import Location
from ..raw import RawArgument, RawDirective, Value, ValuePath
from .allow import ALLOW, Allow
from .errors import DslError, caller_location, describe
from .rules import ImpliedField, RuleBuilder

__all__ = ["Authorization", "RulesSpec", "authorization"]


RulesSpec = Sequence[RuleBuilder] | Callable[[Allow], Sequence[RuleBuilder]]


@dataclass(frozen=True, kw_only=True)
class Authorization:
    """The rules given to one ``.authorization(...)`` call, and where it was made."""

    rules: tuple[RuleBuilder, ...]
    location: Location

    def directive(self) -> RawDirective:
        rules: list[Value] = [rule.rule_value() for rule in self.rules]
        where: list[tuple[ValuePath, Location]] = [((), self.location)]
        for index, rule in enumerate(self.rules):
            where += rule.value_locations(index)
        argument = RawArgument(
            name="rules", value=rules, location=self.location, value_locations=tuple(where)
        )
        return RawDirective(name="auth", arguments=(argument,), location=self.location)

    def implied_fields(self) -> tuple[ImpliedField, ...]:
        return tuple(rule.implies for rule in self.rules if rule.implies is not None)


def authorization(spec: object, where: str) -> Authorization:
    """Read ``.authorization(...)``'s argument: a list of rules or ``lambda allow: [...]``."""
    location = caller_location()
    rules = spec(ALLOW) if callable(spec) else spec
    if isinstance(rules, RuleBuilder):
        raise DslError(f"{where} takes a list of rules; wrap the rule in [...]: [{rules.label}].")
    if isinstance(rules, str) or not isinstance(rules, Sequence):
        got = "a function returning " + describe(rules) if callable(spec) else describe(spec)
        raise DslError(
            f"{where} takes a list of rules or a function returning one, e.g. "
            f"lambda allow: [allow.owner()]; got {got}."
        )
    for rule in rules:
        if not isinstance(rule, RuleBuilder):
            raise DslError(
                f"{where}: every rule must be built by allow (e.g. allow.owner()); "
                f"got {describe(rule)}."
            )
    return Authorization(rules=tuple(rules), location=location)
