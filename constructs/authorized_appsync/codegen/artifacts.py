"""Everything the construct layer turns into resources, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..authz.plan import AuthPlan
from ..schema.model import Provider
from .appsync_sdl import generate_sdl
from .bundle import bundle
from .iam import FieldRef, PoolRole, pool_role_grants
from .resolver_plan import ResolverPlan, SecuritySettings
from .resolver_specs import ResolverSpec, resolver_specs
from .tables import TableSpec, table_spec

__all__ = ["ApiArtifacts", "build_artifacts"]


@dataclass(frozen=True)
class ApiArtifacts:
    plan: AuthPlan
    sdl: str
    tables: tuple[TableSpec, ...]
    resolvers: tuple[ResolverSpec, ...]
    pool_grants: dict[PoolRole, tuple[FieldRef, ...]]

    def code(self, plan: ResolverPlan) -> str:
        """The APPSYNC_JS code of a resolver or function with this plan."""
        return bundle(plan.kind, plan)

    @cached_property
    def table_by_model(self) -> dict[str, TableSpec]:
        return {t.model: t for t in self.tables}


def build_artifacts(
    plan: AuthPlan,
    *,
    modes: frozenset[Provider],
    default_mode: Provider,
    security: SecuritySettings,
) -> ApiArtifacts:
    admin_iam = bool(security.admin_roles) or security.iam_authorization_mode
    return ApiArtifacts(
        plan=plan,
        sdl=generate_sdl(plan, modes, default_mode=default_mode, admin_iam=admin_iam),
        tables=tuple(table_spec(m) for m in plan.models),
        resolvers=resolver_specs(plan, security),
        pool_grants=pool_role_grants(plan),
    )
