"""The security settings the generated resolvers enforce, as the construct recorded them on
the API resource (``modes.SECURITY_METADATA``): which IAM roles are admin roles, whether
IAM principals outside the identity pool are governed by IAM alone, and which identity pool
and roles the ``public`` / ``private`` IAM rules mean."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Security"]


@dataclass(frozen=True)
class Security:
    admin_roles: tuple[str, ...] = ()
    identity_pool_id: str | None = None
    authenticated_role: str | None = None
    unauthenticated_role: str | None = None
    iam_authorization_mode: bool = False

    @classmethod
    def from_metadata(cls, data: Any) -> Security:
        """From the evaluated metadata value (absent or not an object: no settings)."""
        if not isinstance(data, Mapping):
            return cls()

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) and value else None

        return cls(
            admin_roles=tuple(str(r) for r in data.get("adminRoles") or ()),
            identity_pool_id=text("identityPoolId"),
            authenticated_role=text("authenticatedRole"),
            unauthenticated_role=text("unauthenticatedRole"),
            iam_authorization_mode=data.get("iamAuthorizationMode") is True,
        )
