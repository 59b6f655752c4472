"""Everything the construct layer turns into resources, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..authz.api_plan import ApiPlan, FieldRef, PoolRole
from ..schema.model import Provider
from .resolvers.pipelines import (
    DATA,
    RETRY,
    SharedFunction,
    data_function_code,
    pipeline_of,
    resolver_code,
    retry_function_code,
)
from .resolvers.plan import DeletePlan, SecuritySettings, UpdatePlan
from .resolvers.specs import ResolverSpec, resolver_specs
from .sdl.generator import generate_sdl
from .tables import TableSpec, table_spec

__all__ = ["DATA", "RETRY", "ApiArtifacts", "FunctionSpec", "build_artifacts"]


@dataclass(frozen=True)
class FunctionSpec:
    """A function the whole API shares: its name (unique in the API) and code, and the
    Lambda data source it is bound to (a conflict handler's; None: the NONE data source)."""

    key: str
    code: str
    handler: str | None = None


@dataclass(frozen=True)
class ApiArtifacts:
    plan: ApiPlan
    sdl: str
    tables: tuple[TableSpec, ...]
    resolvers: tuple[ResolverSpec, ...]
    pool_grants: dict[PoolRole, tuple[FieldRef, ...]]
    security: SecuritySettings

    def code(self, spec: ResolverSpec) -> str:
        """The APPSYNC_JS code of a resolver: its plan, handed to the shared functions."""
        where = f"{spec.type_name}.{spec.field_name}"
        return resolver_code(spec.plan, where=where)

    def pipeline(self, spec: ResolverSpec) -> tuple[str, ...]:
        """The keys of the resolver's functions in order (:data:`DATA`: the model's data
        function); equal code shares one function."""
        return tuple(
            step if isinstance(step, str) else self._canonical[step.key] for step in _steps(spec)
        )

    @cached_property
    def _shared(self) -> dict[str, FunctionSpec]:
        """Each shared function the resolvers use, by key."""
        found: dict[str, FunctionSpec] = {}
        for spec in self.resolvers:
            for step in _steps(spec):
                if isinstance(step, SharedFunction) and step.key not in found:
                    found[step.key] = FunctionSpec(step.key, step.code(self.security), step.handler)
        return found

    @cached_property
    def _canonical(self) -> dict[str, str]:
        """Key -> the key of the first function with the same code and data source
        (content addressing)."""
        first: dict[tuple[str, str | None], str] = {}
        return {key: first.setdefault((f.code, f.handler), key) for key, f in self._shared.items()}

    @cached_property
    def functions(self) -> tuple[FunctionSpec, ...]:
        """The shared functions, one per distinct code and data source, in a stable order."""
        return tuple(f for key, f in self._shared.items() if self._canonical[key] == key)

    @cached_property
    def conflict_handlers(self) -> tuple[str, ...]:
        """The Lambda data sources of the LAMBDA conflict handlers the resolvers invoke."""
        return tuple(dict.fromkeys(f.handler for f in self.functions if f.handler))

    @cached_property
    def data_function_code(self) -> str:
        return data_function_code()

    @cached_property
    def retry_function_code(self) -> str:
        return retry_function_code()

    @cached_property
    def table_by_model(self) -> dict[str, TableSpec]:
        return {t.model: t for t in self.tables}


def _steps(spec: ResolverSpec) -> tuple[SharedFunction | str, ...]:
    plan = spec.plan
    handler = plan.conflict_handler if isinstance(plan, UpdatePlan | DeletePlan) else None
    return pipeline_of(plan.kind, plan.conflict, handler)


def build_artifacts(
    plan: ApiPlan, *, modes: frozenset[Provider], default_mode: Provider
) -> ApiArtifacts:
    """Render the planned API (``modes`` and ``default_mode`` as configured)."""
    return ApiArtifacts(
        plan=plan,
        sdl=generate_sdl(plan, modes, default_mode=default_mode),
        tables=tuple(table_spec(m) for m in plan.models),
        resolvers=resolver_specs(plan),
        pool_grants=dict(plan.pool_grants),
        security=plan.settings.security,
    )
