"""Problems of a valid schema that this library cannot deploy, found before any code is
generated, each located at its place in the schema: `check` reports exactly what
synthesis refuses.

- :func:`plan_problems` needs the schema only: relation fields not generated yet
  (``relations.py``: ``@manyToMany``, ``@hasOne`` with ``references``, composite keys),
  an API with no query, required fields the resolvers would null
  (``required_fields.py``).
- :func:`settings_problems` needs the API's settings too: a rule whose provider's mode is
  not configured, IAM rules without an identity pool (or its unauthenticated role),
  sandbox mode without an API key.

The construct turns them into its ``ConfigurationError``; only checks of CDK values
(tokens, durations, roles) stay in ``cdk/``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..appsync import AuthorizationMode
from ..schema.errors import UNKNOWN_LOCATION, Diagnostic
from ..schema.model import AuthRule, Provider, Schema, Strategy
from .plan import AuthPlan
from .relations import relation_problem
from .required_fields import required_field_problems
from .settings import ApiSettings

__all__ = ["MODE_SETTINGS", "describe_rule", "plan_problems", "settings_problems"]

# Where a mode is configured on the construct (AuthorizationModes' settings).
MODE_SETTINGS = {
    AuthorizationMode.API_KEY: "api_key_config",
    AuthorizationMode.AMAZON_COGNITO_USER_POOLS: "user_pool_config",
    AuthorizationMode.OPENID_CONNECT: "oidc_config",
    AuthorizationMode.AWS_LAMBDA: "lambda_config",
    AuthorizationMode.AWS_IAM: "identity_pool_config, iam_config or admin_roles",
}
_MODE_OF = {Provider(mode.rule_provider): mode for mode in AuthorizationMode}


def describe_rule(rule: AuthRule, where: str) -> str:
    """``the rule { allow: owner, provider: userPools } on type 'Todo'``."""
    parts = [f"allow: {rule.strategy.value}", f"provider: {rule.provider.value}"]
    if rule.owner_field and rule.owner_field != "owner":
        parts.append(f'ownerField: "{rule.owner_field}"')
    return f"the rule {{ {', '.join(parts)} }} on {where}"


def _rules(schema: Schema, plan: AuthPlan) -> Iterator[tuple[AuthRule, str]]:
    for model_plan in plan.models:
        model = model_plan.model
        for rule in model_plan.rules:
            yield rule, f"type '{model.name}'"
        for f in model.fields:
            for rule in f.rules or ():
                yield rule, f"field '{model.name}.{f.name}'"
    for custom in schema.custom_fields:
        for rule in custom.rules:
            yield rule, f"field '{custom.parent}.{custom.name}'"


def _shape_problems(schema: Schema) -> Iterator[Diagnostic]:
    if not schema.models and not any(c.parent == "Query" for c in schema.custom_fields):
        yield Diagnostic(
            location=UNKNOWN_LOCATION,
            message="the schema has no @model type and no Query field; AppSync needs at "
            "least one query. Add a @model type (its get and list queries are generated) or "
            "declare a field of 'type Query'.",
        )
    for model in schema.models:
        for f in model.fields:
            if f.relation is None or f.implicit:
                continue
            why = relation_problem(schema, model, f)
            if why is not None:
                yield Diagnostic(
                    location=f.location,
                    message=f"field '{model.name}.{f.name}' uses @{f.relation.kind.value}: "
                    f"{why} by this version of authorized-appsync. Remove the relation "
                    f"field and query the related model by its key field instead.",
                )


def plan_problems(plan: AuthPlan) -> list[Diagnostic]:
    """Everything about the schema alone that synthesis would refuse."""
    return [*_shape_problems(plan.schema), *required_field_problems(plan.models)]


def settings_problems(plan: AuthPlan, settings: ApiSettings) -> list[Diagnostic]:
    """Rules the settings cannot serve (none when the configured modes are not known)."""
    found: list[Diagnostic] = []
    if settings.sandbox and settings.modes is not None and Provider.API_KEY not in settings.modes:
        found.append(
            Diagnostic(
                location=UNKNOWN_LOCATION,
                message="sandbox_mode_enabled applies the global { allow: public } rule, "
                "which needs an API key; add api_key_config.",
            )
        )
    if settings.modes is None:
        return found
    for rule, where in _rules(plan.schema, plan):
        message = _rule_problem(rule, where, settings)
        if message is not None:
            found.append(Diagnostic(location=rule.location, message=message))
    return found


def _rule_problem(rule: AuthRule, where: str, settings: ApiSettings) -> str | None:
    described = describe_rule(rule, where)
    if rule.provider is Provider.IAM:
        if not settings.identity_pool:
            return (
                f"{described} needs the identity pool's roles, but no identity_pool_config is "
                f"given; add IdentityPoolConfig(identity_pool_id=..., "
                f"authenticated_user_role=..., unauthenticated_user_role=...)."
            )
        if rule.strategy is Strategy.PUBLIC and not settings.guest_role:
            return (
                f"{described} admits the identity pool's unauthenticated role, but "
                f"identity_pool_config has no unauthenticated_user_role."
            )
        return None
    assert settings.modes is not None
    if rule.provider in settings.modes:
        return None
    mode = _MODE_OF[rule.provider]
    return (
        f"{described} needs the {mode.value} authorization mode, which is not configured; "
        f"add {MODE_SETTINGS[mode]}."
    )
