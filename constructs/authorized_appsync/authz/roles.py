"""Roles: who a rule admits, named as ``amplify status api -acm`` names them
(seed 003): ``apiKey:public``, ``iam:public``, ``iam:private``, ``userPools:private``,
``userPools:owner:<ownerField>``, ``userPools:staticGroup:<group>``,
``userPools:dynamicGroup:<groupsField>``, ``oidc:...``, ``function:custom``.

A static groups rule names one role per group.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..schema.model import AuthRule, Provider, Strategy

__all__ = ["Role", "RoleKind", "role_of", "roles_of"]


class RoleKind(enum.Enum):
    """What a role's rule tests, as the matrix names it."""

    PUBLIC = "public"
    PRIVATE = "private"
    OWNER = "owner"
    STATIC_GROUP = "staticGroup"
    DYNAMIC_GROUP = "dynamicGroup"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Role:
    provider: Provider
    kind: RoleKind
    qualifier: str | None = None  # owner field, group name or groups field

    @property
    def name(self) -> str:
        parts = [self.provider.value, self.kind.value]
        if self.qualifier is not None:
            parts.append(self.qualifier)
        return ":".join(parts)

    def __str__(self) -> str:
        return self.name


def roles_of(rule: AuthRule) -> tuple[Role, ...]:
    """The roles one rule admits."""
    if rule.strategy is Strategy.OWNER:
        return (Role(rule.provider, RoleKind.OWNER, rule.owner_field),)
    if rule.strategy is Strategy.GROUPS:
        if rule.groups_field is not None:
            return (Role(rule.provider, RoleKind.DYNAMIC_GROUP, rule.groups_field),)
        return tuple(Role(rule.provider, RoleKind.STATIC_GROUP, g) for g in rule.groups)
    return (Role(rule.provider, RoleKind(rule.strategy.value)),)


def role_of(name: str, roles: tuple[Role, ...]) -> Role | None:
    for role in roles:
        if role.name == name:
            return role
    return None
