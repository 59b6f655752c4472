"""The compiler as one visible pipeline: a schema definition and the API's settings in,
every problem, warning and artifact out, through a typed sequence of passes that the
construct, the command line and the benchmarks all run.

    definition ──► validate ──► plan ──► problems ──► warnings ──► render ──► artifacts
                   (schema/)    (authz/)  (authz/)     (authz/)     (codegen/)

Each pass reads the :class:`Compilation` so far and returns it with its own part filled
in; a pass that finds problems stops the ones after it that need a sound input (nothing is
rendered for a schema with problems). ``compile_api(definition, settings)`` runs them all;
``check`` stops before rendering (``render=False``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from .authz.api_plan import ApiPlan, plan_api
from .authz.problems import plan_problems, settings_problems
from .authz.readers import silenced_subscriptions
from .authz.settings import ApiSettings
from .authz.takeover import takeovers
from .codegen.artifacts import ApiArtifacts, build_artifacts
from .definition import ApiDefinition
from .schema.errors import Diagnostic, SchemaError
from .schema.model import Schema

__all__ = [
    "PASSES",
    "Compilation",
    "CompileWarning",
    "Pass",
    "compile_api",
    "render_artifacts",
]


@dataclass(frozen=True)
class CompileWarning:
    """Something valid the user may not mean: an id to acknowledge it by and a sentence."""

    code: str
    message: str


@dataclass(frozen=True)
class Compilation:
    definition: ApiDefinition
    settings: ApiSettings
    schema: Schema | None = None
    plan: ApiPlan | None = None
    problems: tuple[Diagnostic, ...] = ()
    warnings: tuple[CompileWarning, ...] = ()
    artifacts: ApiArtifacts | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


Pass = Callable[[Compilation], Compilation]


def validate(done: Compilation) -> Compilation:
    """schema/: parse, validate (every problem, located), build the typed model."""
    try:
        return replace(done, schema=done.definition.schema)
    except SchemaError as error:
        return replace(done, problems=done.problems + error.diagnostics)


def plan(done: Compilation) -> Compilation:
    """authz/: every access decision, made once (``authz/api_plan.py``)."""
    if done.schema is None:
        return done
    return replace(done, plan=plan_api(done.schema, done.settings))


def problems(done: Compilation) -> Compilation:
    """authz/: what the schema (and the settings) ask that cannot be deployed."""
    if done.plan is None:
        return done
    rules = done.plan.auth
    found = (*plan_problems(rules), *settings_problems(rules, done.settings))
    return replace(done, problems=done.problems + found)


def warnings(done: Compilation) -> Compilation:
    """authz/: valid schemas that probably do not mean what they say."""
    if done.plan is None:
        return done
    found = [
        CompileWarning("authorized-appsync:silenced-subscription", message)
        for message in silenced_subscriptions(done.plan.auth.models)
    ]
    found += [CompileWarning(t.warning_id, t.message()) for t in takeovers(done.plan.auth.models)]
    return replace(done, warnings=done.warnings + tuple(found))


def render_artifacts(done: Compilation) -> Compilation:
    """codegen/: the AppSync schema, tables, resolvers, shared functions, grants."""
    settings = done.settings
    if done.plan is None or done.problems or not settings.modes:
        return done
    default = settings.default_mode or min(settings.modes, key=lambda p: p.value)
    artifacts = build_artifacts(done.plan, modes=settings.modes, default_mode=default)
    return replace(done, artifacts=artifacts)


PASSES: tuple[Pass, ...] = (validate, plan, problems, warnings, render_artifacts)


def compile_api(
    definition: ApiDefinition, settings: ApiSettings, *, render: bool = True
) -> Compilation:
    """Run the passes (all of them, or all but rendering)."""
    done = Compilation(definition, settings)
    for step in PASSES if render else PASSES[:-1]:
        done = step(done)
    return done
