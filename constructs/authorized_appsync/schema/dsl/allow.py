"""The rule builders: ``allow`` in ``.authorization(lambda allow: [...])``, and ``a.allow``."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ..model import Strategy
from ..raw import TypeRef
from .errors import DslError, caller_location, check_name, describe
from .rules import ImpliedField, RuleBuilder, rule

__all__ = ["ALLOW", "Allow"]


def _field(field: object, label: str, as_list: bool) -> tuple[str, ImpliedField]:
    """The field a rule names, and its declaration (``String``/``[String]``) if missing."""
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
        return rule("allow.owner()", Strategy.OWNER, provider)

    def owner_defined_in(self, field: str, provider: str | None = None) -> RuleBuilder:
        """The owner stored in ``field`` (a String): ``{allow: owner, ownerField: field}``."""
        label = f"allow.owner_defined_in({field!r})"
        # No implied field: the SDL's owner field is implicitly ``String`` when missing.
        name = check_name(field, "the field name", label)
        return dataclasses.replace(rule(label, Strategy.OWNER, provider), owner_field=name)

    def owners_defined_in(self, field: str, provider: str | None = None) -> RuleBuilder:
        """Any of the owners listed in ``field`` (declared ``[String]`` when missing)."""
        label = f"allow.owners_defined_in({field!r})"
        name, implied = _field(field, label, as_list=True)
        built = rule(label, Strategy.OWNER, provider)
        return dataclasses.replace(built, owner_field=name, implies=implied)

    def public_api_key(self) -> RuleBuilder:
        """Anyone with the API key: ``{allow: public, provider: apiKey}``."""
        return rule("allow.public_api_key()", Strategy.PUBLIC, "apiKey")

    def guest(self) -> RuleBuilder:
        """Unauthenticated identity-pool callers: ``{allow: public, provider: identityPool}``."""
        return rule("allow.guest()", Strategy.PUBLIC, "identityPool")

    def authenticated(self, provider: str | None = None) -> RuleBuilder:
        """Any signed-in caller: ``{allow: private}``."""
        return rule("allow.authenticated()", Strategy.PRIVATE, provider)

    def private(self, provider: str | None = None) -> RuleBuilder:
        """Alias of :meth:`authenticated` (seed 001's ``a.allow.private()``)."""
        return rule("allow.private()", Strategy.PRIVATE, provider)

    def group(self, group: str, provider: str | None = None) -> RuleBuilder:
        """Members of one group: ``{allow: groups, groups: [group]}``."""
        label = f"allow.group({group!r})"
        if not isinstance(group, str) or not group:
            raise DslError(f"{label} takes a group name; got {describe(group)}.")
        return dataclasses.replace(rule(label, Strategy.GROUPS, provider), groups_list=(group,))

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
        built = rule(label, Strategy.GROUPS, provider)
        return dataclasses.replace(built, groups_list=tuple(groups))

    def group_defined_in(self, field: str, provider: str | None = None) -> RuleBuilder:
        """The group stored in ``field`` (declared ``String`` when missing)."""
        label = f"allow.group_defined_in({field!r})"
        name, implied = _field(field, label, as_list=False)
        built = rule(label, Strategy.GROUPS, provider)
        return dataclasses.replace(built, groups_field=name, implies=implied)

    def groups_defined_in(self, field: str, provider: str | None = None) -> RuleBuilder:
        """Any of the groups listed in ``field`` (declared ``[String]`` when missing)."""
        label = f"allow.groups_defined_in({field!r})"
        name, implied = _field(field, label, as_list=True)
        built = rule(label, Strategy.GROUPS, provider)
        return dataclasses.replace(built, groups_field=name, implies=implied)

    def custom(self, provider: str | None = None) -> RuleBuilder:
        """The Lambda authorizer decides: ``{allow: custom}``."""
        return rule("allow.custom()", Strategy.CUSTOM, provider)


ALLOW = Allow()
