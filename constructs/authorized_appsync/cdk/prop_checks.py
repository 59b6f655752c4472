"""The types of an ``AuthorizedGraphqlApi``'s properties, checked before anything reads them.

Python does not check annotations, and jsii checks only the CDK's own classes: a string
given as the definition, a number as a ``Duration`` or a role name as the whole
``admin_roles`` list would otherwise fail deep inside synthesis with an ``AttributeError``
(or, for ``admin_roles="Admin"``, quietly make each letter an admin role name). Each
problem is a sentence naming the property, what it received and what it takes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import Duration, RemovalPolicy

from ..definition import ApiDefinition
from .config import (
    ApiKeyConfig,
    AuthorizationModes,
    IamConfig,
    IdentityPoolConfig,
    LambdaConfig,
    OidcConfig,
    UserPoolConfig,
)

__all__ = ["ApiProps", "prop_problems"]


@dataclass(frozen=True, kw_only=True)
class ApiProps:
    """The properties as given to ``AuthorizedGraphqlApi`` (typed as received: any)."""

    definition: Any
    authorization_modes: Any
    api_name: Any
    sandbox_mode_enabled: Any
    removal_policy: Any
    xray_enabled: Any
    log_verbose_content: Any
    model_stacks: Any


def _got(value: object) -> str:
    if value is None:
        return "None"
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    kind = type(value).__name__
    return f"{shown} ({'an' if kind[:1] in 'aeiou' else 'a'} {kind})"


def _has(value: object, attribute: str) -> bool:
    return value is not None and not isinstance(value, str) and hasattr(value, attribute)


def prop_problems(props: ApiProps) -> list[str]:
    """Every property of the wrong type, as a sentence; empty when all fit."""
    return [*_top_level(props), *_modes(props.authorization_modes)]


def _top_level(props: ApiProps) -> Iterator[str]:
    if not isinstance(props.definition, ApiDefinition):
        yield (
            f"definition is {_got(props.definition)}; give an ApiDefinition, e.g. "
            "ApiDefinition.from_files('schema.graphql') or ApiDefinition.from_string(sdl)."
        )
    if props.api_name is not None and not isinstance(props.api_name, str):
        yield f"api_name is {_got(props.api_name)}; give a string, or None for the construct id."
    for name in ("sandbox_mode_enabled", "xray_enabled", "log_verbose_content"):
        value = getattr(props, name)
        if not isinstance(value, bool):
            yield f"{name} is {_got(value)}; give True or False."
    if not isinstance(props.removal_policy, RemovalPolicy):
        yield (
            f"removal_policy is {_got(props.removal_policy)}; give a RemovalPolicy, e.g. "
            "RemovalPolicy.RETAIN."
        )
    stacks = props.model_stacks
    if stacks is not None and (
        not isinstance(stacks, int) or isinstance(stacks, bool) or stacks < 0
    ):
        yield (
            f"model_stacks is {stacks!r}; give 0 (every model in this stack), a positive "
            "number of nested stacks, or None (chosen automatically)."
        )


_CONFIGS: tuple[tuple[str, type], ...] = (
    ("api_key_config", ApiKeyConfig),
    ("user_pool_config", UserPoolConfig),
    ("oidc_config", OidcConfig),
    ("lambda_config", LambdaConfig),
    ("identity_pool_config", IdentityPoolConfig),
    ("iam_config", IamConfig),
)


def _modes(modes: object) -> Iterator[str]:
    if not isinstance(modes, AuthorizationModes):
        yield (
            f"authorization_modes is {_got(modes)}; give AuthorizationModes(...), e.g. "
            "AuthorizationModes(api_key_config=ApiKeyConfig())."
        )
        return
    for name, kind in _CONFIGS:
        value = getattr(modes, name)
        if value is not None and not isinstance(value, kind):
            yield f"authorization_modes.{name} is {_got(value)}; give {kind.__name__}(...)."
        elif value is not None:
            yield from _config(f"authorization_modes.{name}", value)
    yield from _admin_roles(modes.admin_roles)


def _config(where: str, config: object) -> Iterator[str]:
    """The fields of one mode's configuration."""
    for field, expected in _FIELDS.get(type(config), ()):
        value = getattr(config, field)
        check, what = _EXPECTED[expected]
        if not check(value):
            yield f"{where}.{field} is {_got(value)}; give {what}."


def _admin_roles(roles: object) -> Iterator[str]:
    if isinstance(roles, str) or not isinstance(roles, Sequence):
        yield (
            f"authorization_modes.admin_roles is {_got(roles)}; give a list of roles, role "
            "names or role ARNs, e.g. admin_roles=['AdminRole']."
        )
        return
    for i, role in enumerate(roles):
        if not isinstance(role, str) and not _has(role, "role_arn"):
            yield (
                f"authorization_modes.admin_roles[{i}] is {_got(role)}; give an IAM role "
                "(iam.IRole), a role name or a role ARN."
            )


_EXPECTED: dict[str, tuple[Any, str]] = {
    "duration": (lambda v: isinstance(v, Duration), "a Duration, e.g. Duration.days(7)"),
    "duration?": (lambda v: v is None or isinstance(v, Duration), "a Duration or None"),
    "text": (lambda v: isinstance(v, str) and v.strip() != "", "a non-empty string"),
    "text?": (lambda v: v is None or isinstance(v, str), "a string or None"),
    "bool": (lambda v: isinstance(v, bool), "True or False"),
    "user_pool": (lambda v: _has(v, "user_pool_id"), "a Cognito user pool (IUserPool)"),
    "function": (lambda v: _has(v, "function_arn"), "a Lambda function (IFunction)"),
    "role": (lambda v: _has(v, "role_arn"), "an IAM role (IRole)"),
    "role?": (lambda v: v is None or _has(v, "role_arn"), "an IAM role (IRole) or None"),
}
_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {
    ApiKeyConfig: (("expires", "duration"), ("description", "text?")),
    UserPoolConfig: (("user_pool", "user_pool"), ("app_id_client_regex", "text?")),
    OidcConfig: (
        ("oidc_provider_name", "text"),
        ("oidc_issuer_url", "text"),
        ("client_id", "text?"),
        ("token_expiry_from_auth", "duration?"),
        ("token_expiry_from_issue", "duration?"),
    ),
    LambdaConfig: (
        ("function", "function"),
        ("ttl", "duration"),
        ("identity_validation_expression", "text?"),
    ),
    IdentityPoolConfig: (
        ("identity_pool_id", "text"),
        ("authenticated_user_role", "role"),
        ("unauthenticated_user_role", "role?"),
    ),
    IamConfig: (("enable_iam_authorization_mode", "bool"),),
}
