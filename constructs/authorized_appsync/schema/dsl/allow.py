"""Rule builders: the ``allow`` object of ``.authorization(lambda allow: [...])``.

Each builder renders to the ``@auth`` rule the equivalent SDL would hold, with only what
the user said: defaults (provider, operations, claims) are filled later by the schema
builder for both front ends alike.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..errors import Location, did_you_mean, quote_list
from ..model import Strategy
from ..raw import RawArgument, RawDirective, TypeRef, Value, ValuePath
from ..vocabulary import OPERATION_NAMES, PROVIDER_NAMES, STRATEGY_PROVIDERS
from .errors import DslError, caller_location, check_name, describe

__all__ = ["Allow", "Authorization", "ImpliedField", "RuleBuilder", "RulesSpec", "authorization"]


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
                shown = op if isinstance(op, str) else describe(op)
                raise DslError(
                    f"{where}: '{shown}' is not an operation; allowed: {_OPERATIONS}."
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
            raise DslError(f"{where}: {key} of this rule is already set.")

    def _mark(self, key: str) -> tuple[tuple[str, Location], ...]:
        return (*self.set_at, (key, caller_location()))


_OPERATIONS = quote_list(OPERATION_NAMES)


def _claim(claim: object, where: str, rule: RuleBuilder) -> str:
    rule._once("identityClaim" if rule.strategy is Strategy.OWNER else "groupClaim", where)
    if not isinstance(claim, str) or not claim:
        raise DslError(f"{where} takes a claim name; got {describe(claim)}.")
    return claim


def _providers_of(strategy: Strategy) -> list[str]:
    accepted = STRATEGY_PROVIDERS[strategy]
    return [name for name, provider in PROVIDER_NAMES.items() if provider in accepted]


def _rule(label: str, strategy: Strategy, provider: object) -> RuleBuilder:
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


def _field(field: object, label: str, as_list: bool) -> tuple[str, ImpliedField]:
    name = check_name(field, "the field name", label)
    implied = ImpliedField(
        name=name, type=TypeRef(name="String", is_list=as_list), location=caller_location()
    )
    return name, implied


class Allow:
    """The rule builders (``allow`` in ``.authorization(lambda allow: [...])``, and ``a.allow``).

    ``provider`` names are the SDL's (``userPools``, ``oidc``, ``identityPool``/``iam``,
    ``apiKey``, ``function``); a provider the strategy does not accept is a :class:`DslError`.
    """

    def owner(self, provider: str | None = None) -> RuleBuilder:
        """The record's owner, stored in the ``owner`` field: ``{allow: owner}``."""
        return _rule("allow.owner()", Strategy.OWNER, provider)

    def owner_defined_in(self, field: str, provider: str | None = None) -> RuleBuilder:
        """The owner stored in ``field`` (a String): ``{allow: owner, ownerField: field}``."""
        label = f"allow.owner_defined_in({field!r})"
        name, _ = _field(field, label, as_list=False)
        return dataclasses.replace(_rule(label, Strategy.OWNER, provider), owner_field=name)

    def owners_defined_in(self, field: str, provider: str | None = None) -> RuleBuilder:
        """Any of the owners listed in ``field`` (declared ``[String]`` when missing)."""
        label = f"allow.owners_defined_in({field!r})"
        name, implied = _field(field, label, as_list=True)
        rule = _rule(label, Strategy.OWNER, provider)
        return dataclasses.replace(rule, owner_field=name, implies=implied)

    def public_api_key(self) -> RuleBuilder:
        """Anyone with the API key: ``{allow: public, provider: apiKey}``."""
        return _rule("allow.public_api_key()", Strategy.PUBLIC, "apiKey")

    def guest(self) -> RuleBuilder:
        """Unauthenticated identity-pool callers: ``{allow: public, provider: identityPool}``."""
        return _rule("allow.guest()", Strategy.PUBLIC, "identityPool")

    def authenticated(self, provider: str | None = None) -> RuleBuilder:
        """Any signed-in caller: ``{allow: private}``."""
        return _rule("allow.authenticated()", Strategy.PRIVATE, provider)

    def private(self, provider: str | None = None) -> RuleBuilder:
        """Alias of :meth:`authenticated` (seed 001's ``a.allow.private()``)."""
        return _rule("allow.private()", Strategy.PRIVATE, provider)

    def group(self, group: str, provider: str | None = None) -> RuleBuilder:
        """Members of one group: ``{allow: groups, groups: [group]}``."""
        label = f"allow.group({group!r})"
        if not isinstance(group, str) or not group:
            raise DslError(f"{label} takes a group name; got {describe(group)}.")
        return dataclasses.replace(_rule(label, Strategy.GROUPS, provider), groups_list=(group,))

    def groups(self, groups: Sequence[str], provider: str | None = None) -> RuleBuilder:
        """Members of any of ``groups``: ``{allow: groups, groups: [...]}``."""
        label = f"allow.groups({groups!r})"
        if (
            isinstance(groups, str)
            or not isinstance(groups, Sequence)
            or not groups
            or not all(isinstance(g, str) and g for g in groups)
        ):
            raise DslError(
                f"{label} takes a non-empty list of group names (for one group: "
                f"allow.group('Admin')); got {describe(groups)}."
            )
        rule = _rule(label, Strategy.GROUPS, provider)
        return dataclasses.replace(rule, groups_list=tuple(groups))

    def group_defined_in(self, field: str, provider: str | None = None) -> RuleBuilder:
        """The group stored in ``field`` (declared ``String`` when missing)."""
        label = f"allow.group_defined_in({field!r})"
        name, implied = _field(field, label, as_list=False)
        rule = _rule(label, Strategy.GROUPS, provider)
        return dataclasses.replace(rule, groups_field=name, implies=implied)

    def groups_defined_in(self, field: str, provider: str | None = None) -> RuleBuilder:
        """Any of the groups listed in ``field`` (declared ``[String]`` when missing)."""
        label = f"allow.groups_defined_in({field!r})"
        name, implied = _field(field, label, as_list=True)
        rule = _rule(label, Strategy.GROUPS, provider)
        return dataclasses.replace(rule, groups_field=name, implies=implied)

    def custom(self, provider: str | None = None) -> RuleBuilder:
        """The Lambda authorizer decides: ``{allow: custom}``."""
        return _rule("allow.custom()", Strategy.CUSTOM, provider)


ALLOW = Allow()

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
