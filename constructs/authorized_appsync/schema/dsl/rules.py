"""One ``@auth`` rule being built: :class:`RuleBuilder` and its modifiers.

A rule renders to the rule the equivalent SDL would hold, with only what the user said:
defaults (provider, operations, claims) are filled later by the schema builder for both
front ends alike.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import Location, did_you_mean, quote_list
from ..model import Strategy
from ..raw import TypeRef, Value, ValuePath
from ..vocabulary import OPERATION_NAMES, PROVIDER_NAMES, STRATEGY_PROVIDERS
from .errors import DslError, caller_location, describe

__all__ = ["ImpliedField", "RuleBuilder", "rule"]


@dataclass(frozen=True, kw_only=True)
class ImpliedField:
    """A field a rule needs, declared on the model when the user did not declare it."""

    name: str
    type: TypeRef
    location: Location


@dataclass(frozen=True, kw_only=True)
class RuleBuilder:
    """One ``@auth`` rule. Modifiers return a new builder; each may be used once."""

    label: str
    strategy: Strategy
    provider: str | None = None
    owner_field: str | None = None
    groups_list: tuple[str, ...] = ()
    groups_field: str | None = None
    claim: str | None = None
    operations: tuple[str, ...] | None = None
    implies: ImpliedField | None = None
    location: Location
    # Where each argument was set, when not by the rule call itself (``.to`` ...).
    set_at: tuple[tuple[str, Location], ...] = ()

    def to(self, operations: Sequence[str]) -> RuleBuilder:
        """Restrict the rule to ``operations`` (``create``, ``read``, ``get`` ...)."""
        where = f"{self.label}.to()"
        self._once("operations", where)
        if isinstance(operations, str) or not isinstance(operations, Sequence):
            raise DslError(
                f"{where} takes a list of operations, e.g. .to(['read']); "
                f"got {describe(operations)}."
            )
        if not operations:
            raise DslError(f"{where} needs at least one operation; allowed: {_OPERATIONS}.")
        for op in operations:
            if not isinstance(op, str) or op not in OPERATION_NAMES:
                shown = f"'{op}'" if isinstance(op, str) else describe(op)
                raise DslError(
                    f"{where}: {shown} is not an operation; allowed: {_OPERATIONS}."
                    + (did_you_mean(op, list(OPERATION_NAMES)) if isinstance(op, str) else "")
                )
        return dataclasses.replace(
            self, operations=tuple(operations), set_at=self._mark("operations")
        )

    def identity_claim(self, claim: str) -> RuleBuilder:
        """The token claim holding the owner's identity (owner rules only)."""
        where = f"{self.label}.identity_claim()"
        if self.strategy is not Strategy.OWNER:
            raise DslError(
                f"{where}: only owner rules (allow.owner(), allow.owner_defined_in(), "
                "allow.owners_defined_in()) have an identity claim."
            )
        return dataclasses.replace(
            self, claim=_claim(claim, where, self), set_at=self._mark("identityClaim")
        )

    def with_claim_in(self, claim: str) -> RuleBuilder:
        """The token claim holding the caller's groups (group rules only)."""
        where = f"{self.label}.with_claim_in()"
        if self.strategy is not Strategy.GROUPS:
            raise DslError(
                f"{where}: only group rules (allow.group(), allow.groups(), "
                "allow.group_defined_in(), allow.groups_defined_in()) have a group claim."
            )
        return dataclasses.replace(
            self, claim=_claim(claim, where, self), set_at=self._mark("groupClaim")
        )

    def rule_value(self) -> dict[str, Value]:
        """The rule as the SDL front end reads ``{allow: ..., ...}``."""
        groups: list[Value] | None = [*self.groups_list] if self.groups_list else None
        ops: list[Value] | None = None if self.operations is None else [*self.operations]
        claim_key = "identityClaim" if self.strategy is Strategy.OWNER else "groupClaim"
        candidates: tuple[tuple[str, Value], ...] = (
            ("allow", self.strategy.value),
            ("provider", self.provider),
            ("ownerField", self.owner_field),
            (claim_key, self.claim),
            ("groups", groups),
            ("groupsField", self.groups_field),
            ("operations", ops),
        )
        return {key: value for key, value in candidates if value is not None}

    def value_locations(self, index: int) -> list[tuple[ValuePath, Location]]:
        found: list[tuple[ValuePath, Location]] = [((index,), self.location)]
        set_at = dict(self.set_at)
        for key in self.rule_value():
            found.append(((index, key), set_at.get(key, self.location)))
        return found

    def _once(self, key: str, where: str) -> None:
        if key in dict(self.set_at):
            raise DslError(f"{where}: the rule already sets {key}.")

    def _mark(self, key: str) -> tuple[tuple[str, Location], ...]:
        return (*self.set_at, (key, caller_location()))


_OPERATIONS = quote_list(OPERATION_NAMES)


def _claim(claim: object, where: str, builder: RuleBuilder) -> str:
    builder._once("identityClaim" if builder.strategy is Strategy.OWNER else "groupClaim", where)
    if not isinstance(claim, str) or not claim:
        raise DslError(f"{where} takes a claim name; got {describe(claim)}.")
    return claim


def _providers_of(strategy: Strategy) -> list[str]:
    accepted = STRATEGY_PROVIDERS[strategy]
    return [name for name, provider in PROVIDER_NAMES.items() if provider in accepted]


def rule(label: str, strategy: Strategy, provider: object) -> RuleBuilder:
    """A rule of ``strategy`` made by the builder call ``label``, checking its provider."""
    if provider is not None:
        allowed = _providers_of(strategy)
        if not isinstance(provider, str) or provider not in allowed:
            shown = f"'{provider}'" if isinstance(provider, str) else describe(provider)
            raise DslError(
                f"{label} does not accept provider {shown}; allowed: {quote_list(allowed)}."
                + (did_you_mean(provider, allowed) if isinstance(provider, str) else "")
            )
        return RuleBuilder(
            label=label, strategy=strategy, provider=provider, location=caller_location()
        )
    return RuleBuilder(label=label, strategy=strategy, location=caller_location())
