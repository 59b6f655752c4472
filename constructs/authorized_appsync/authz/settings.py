"""The API's settings that decide access besides the schema: which authorization modes are
configured (and the default one), the admin roles, the IAM authorization mode, the
identity pool and its roles, sandbox mode. The construct builds them from its CDK props
(``cdk/api_settings.py``), ``check`` from its flags."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from ..errors import JsonValue
from ..schema.model import Provider

__all__ = ["ApiSettings", "ConflictHandler", "ConflictResolution", "SecuritySettings"]


@dataclass(frozen=True)
class SecuritySettings:
    """API-wide facts every resolver needs (from the construct's authorization modes)."""

    admin_roles: tuple[str, ...] = ()
    # IamConfig(enable_iam_authorization_mode=True): IAM principals that are not Cognito
    # identity-pool roles are governed by their IAM policy alone.
    iam_authorization_mode: bool = False
    identity_pool_id: str | None = None  # may be a CDK token string
    # Role names (or ARNs) of the identity pool's authenticated/unauthenticated roles.
    authenticated_role: str | None = None
    unauthenticated_role: str | None = None

    def to_json(self) -> dict[str, JsonValue]:
        return {
            "adminRoles": list(self.admin_roles),
            "iamAuthorizationMode": self.iam_authorization_mode,
            "identityPoolId": self.identity_pool_id,
            "authenticatedRole": self.authenticated_role,
            "unauthenticatedRole": self.unauthenticated_role,
        }


class ConflictHandler(enum.Enum):
    """How a write carrying a stale ``_version`` is resolved (AppSync's conflict handlers)."""

    AUTOMERGE = "AUTOMERGE"
    OPTIMISTIC_CONCURRENCY = "OPTIMISTIC_CONCURRENCY"
    LAMBDA = "LAMBDA"


@dataclass(frozen=True)
class ConflictResolution:
    """Conflict detection and sync (Amplify's ``conflictResolution``): ``project`` for
    every model, ``models`` per model name overriding it. A model with a handler is
    versioned (``_version``, ``_deleted``, ``_lastChangedAt``, ``sync<Plural>``)."""

    project: ConflictHandler | None = None
    models: tuple[tuple[str, ConflictHandler], ...] = ()
    # The Lambda data source of a LAMBDA handler: the project's, and per model name.
    project_lambda: str | None = None
    lambdas: tuple[tuple[str, str], ...] = ()

    def handler_of(self, model: str) -> ConflictHandler | None:
        return dict(self.models).get(model, self.project)

    def lambda_of(self, model: str) -> str | None:
        """The Lambda data source of a LAMBDA model's handler (None for other models)."""
        if self.handler_of(model) is not ConflictHandler.LAMBDA:
            return None
        return dict(self.lambdas).get(model, self.project_lambda)


@dataclass(frozen=True, kw_only=True)
class ApiSettings:
    """``modes``: the configured authorization modes as the ``@auth`` providers they serve
    (None: not known, so checks of rules against modes are skipped); ``default_mode`` the
    API's default; ``identity_pool``: an identity pool is configured, ``guest_role``: with
    an unauthenticated role; ``sandbox``: the global ``{ allow: public }`` rule for models
    without rules; ``conflict_resolution``: which models are versioned, and how."""

    modes: frozenset[Provider] | None = None
    default_mode: Provider | None = None
    security: SecuritySettings = field(default_factory=SecuritySettings)
    identity_pool: bool = False
    guest_role: bool = False
    sandbox: bool = False
    conflict_resolution: ConflictResolution = field(default_factory=ConflictResolution)

    @property
    def admin_iam(self) -> bool:
        """Admin roles or the IAM authorization mode: IAM is admitted on every field (the
        resolvers let only those principals through)."""
        return bool(self.security.admin_roles) or self.security.iam_authorization_mode
