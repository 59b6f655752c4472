"""Construct-time validation of an AuthorizedGraphqlApi's configuration against its schema.

Every problem is collected and raised together as one :class:`ConfigurationError` whose
lines name the construct path, the thing at fault and what is allowed. Unresolved CDK
tokens are never validated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from aws_cdk import Duration, Stack, Token, aws_iam

from ..authz.plan import AuthPlan
from ..authz.problems import MODE_SETTINGS, plan_problems, settings_problems
from ..authz.settings import ApiSettings
from ..errors import AuthorizedAppSyncError
from ..schema.errors import UNKNOWN_LOCATION, Diagnostic, did_you_mean, quote_list
from .config import AuthorizationMode, AuthorizationModes, IdentityPoolConfig

__all__ = [
    "ConfigurationError",
    "check_configuration",
    "diagnostic_text",
    "resolve_default_mode",
]


class ConfigurationError(AuthorizedAppSyncError, ValueError):
    """An AuthorizedGraphqlApi's configuration does not fit its schema."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = tuple(problems)
        head = f"AuthorizedGraphqlApi '{path}' cannot be synthesized:"
        super().__init__("\n".join([head, *(f"- {p}" for p in problems)]))


def resolve_default_mode(modes: AuthorizationModes) -> AuthorizationMode | None:
    value = modes.default_authorization_mode
    if isinstance(value, AuthorizationMode) or value is None:
        return value
    try:
        return AuthorizationMode(value)
    except ValueError:
        return None


def _mode_problems(modes: AuthorizationModes) -> Iterator[str]:
    configured = modes.configured()
    names = [m.value for m in AuthorizationMode]
    if not configured:
        yield (
            "no authorization mode is configured; give at least one of api_key_config, "
            "user_pool_config, oidc_config, lambda_config, identity_pool_config, iam_config "
            "or admin_roles."
        )
        return
    raw = modes.default_authorization_mode
    default = resolve_default_mode(modes)
    if raw is not None and default is None:
        yield (
            f"default_authorization_mode '{raw}' is not an AppSync authorization mode; use "
            f"{quote_list(names)}.{did_you_mean(str(raw), names)}"
        )
    elif default is None and len(configured) > 1:
        yield (
            f"several authorization modes are configured ({', '.join(m.value for m in configured)})"
            f"; set default_authorization_mode to one of them."
        )
    elif default is not None and default not in configured:
        yield (
            f"default_authorization_mode is {default.value} but that mode is not configured; "
            f"add {MODE_SETTINGS[default]}."
        )


# IAM's role names (the CreateRole API's RoleName) and role ARNs, whose path is optional.
_ROLE_NAME = re.compile(r"[\w+=,.@-]{1,64}")
_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::(?P<account>\d{12}):role/(?:[^/]+/)*(?P<name>[^/]+)")
_USER_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:user/.+")
_ROLE_FORMS = "a role name, or a role ARN arn:<partition>:iam::<account>:role/<path/><name>"


def _literal(value: str) -> str | None:
    return None if Token.is_unresolved(value) else value


def _role_name(role: aws_iam.IRole | str) -> str | None:
    if isinstance(role, str):
        return None if Token.is_unresolved(role) else role.rsplit("/", 1)[-1]
    return _literal(role.role_name)


def _account(arn: str) -> str | None:
    match = None if Token.is_unresolved(arn) else _ROLE_ARN.fullmatch(arn)
    return match["account"] if match else None


def _same_role(a: aws_iam.IRole, b: aws_iam.IRole) -> bool:
    """Whether two roles are certainly one: the same construct, the same ARN or name (a
    literal or the same token), the same name in the same account (names are unique in an
    account; an ARN's path is not part of it), or ARNs or names that resolve to the same
    CloudFormation expression. Roles that cannot be told apart at synth are not judged."""
    if a is b or a.role_arn == b.role_arn:
        return True
    name = _literal(a.role_name)
    if name is not None and name == _literal(b.role_name):
        accounts = {_account(a.role_arn), _account(b.role_arn)} - {None}
        return len(accounts) <= 1
    if a.role_name == b.role_name:  # the same token
        return True
    stack = Stack.of(a)
    if Stack.of(b) is not stack:
        return False
    return any(
        stack.resolve(x) == stack.resolve(y)
        for x, y in ((a.role_arn, b.role_arn), (a.role_name, b.role_name))
        if Token.is_unresolved(x) and Token.is_unresolved(y)
    )


def _pool_role_problems(pool: IdentityPoolConfig) -> Iterator[str]:
    signed_in, guest = pool.authenticated_user_role, pool.unauthenticated_user_role
    if guest is None or not _same_role(signed_in, guest):
        return
    paths = dict.fromkeys((signed_in.node.path, guest.node.path))
    yield (
        "identity_pool_config.authenticated_user_role and "
        "identity_pool_config.unauthenticated_user_role are the same role "
        f"({' and '.join(repr(p) for p in paths)}): AppSync tells the resolvers which kind of "
        "identity-pool credentials a caller holds, but the role's IAM policy is the same for "
        "both, so guests of the identity pool would pass every private IAM rule "
        "({ allow: private, provider: iam }) its policy reaches, writes included. Give "
        "unauthenticated identities a role of their own."
    )


def _admin_entry_problems(admin: str) -> Iterator[str]:
    if Token.is_unresolved(admin):
        return
    if not admin.strip():
        yield "admin_roles contains an empty role name; give role names or ARNs."
    elif _USER_ARN.fullmatch(admin):
        yield (
            f"admin_roles entry '{admin}' is an IAM user; admin roles are IAM roles "
            f"({_ROLE_FORMS}): only sessions of the role get full access, never an IAM user."
        )
    elif admin.startswith("arn:"):
        if not _ROLE_ARN.fullmatch(admin):
            yield f"admin_roles entry '{admin}' is not an IAM role ARN; give {_ROLE_FORMS}."
    elif not _ROLE_NAME.fullmatch(admin):
        yield (
            f"admin_roles entry '{admin}' is not an IAM role name (1 to 64 letters, digits "
            f"and +=,.@_-); give the role's name without its path, or its ARN."
        )


def _iam_problems(modes: AuthorizationModes) -> Iterator[str]:
    pool = modes.identity_pool_config
    if pool is not None:
        yield from _pool_role_problems(pool)
    pool_roles = (
        [] if pool is None else [pool.authenticated_user_role, pool.unauthenticated_user_role]
    )
    for admin in modes.admin_roles:
        for pool_role in pool_roles:
            if pool_role is None:
                continue
            same = admin is pool_role
            if not isinstance(admin, str) and not same:
                same = _same_role(admin, pool_role)
            admin_name, pool_name = _role_name(admin), _role_name(pool_role)
            if same or (admin_name is not None and admin_name == pool_name):
                yield (
                    f"admin role '{admin_name or admin}' is also a role of the identity pool; "
                    f"every user of the pool would get full access. Admin roles must be "
                    f"other roles."
                )
        if isinstance(admin, str):
            yield from _admin_entry_problems(admin)


def _duration_problems(modes: AuthorizationModes) -> Iterator[str]:
    key = modes.api_key_config
    if key is not None:
        days = _days(key.expires)
        if days is not None and not 1 <= days <= 365:
            yield (
                f"api_key_config.expires is {days:g} days; AppSync accepts API keys valid for "
                f"1 to 365 days."
            )
    fn = modes.lambda_config
    if fn is not None and not Token.is_unresolved(fn.ttl.to_seconds()):
        seconds = fn.ttl.to_seconds()
        if not 0 <= seconds <= 3600:
            yield (
                f"lambda_config.ttl is {seconds} s; AppSync caches authorizer answers 0 to "
                f"3600 s."
            )


def _days(duration: Duration) -> float | None:
    seconds = duration.to_seconds()
    return None if Token.is_unresolved(seconds) else seconds / 86400


def diagnostic_text(diagnostic: Diagnostic) -> str:
    """A schema problem as a line of a ConfigurationError: located when it has a place."""
    if diagnostic.location == UNKNOWN_LOCATION:
        return diagnostic.message
    return str(diagnostic)


def check_configuration(
    path: str, plan: AuthPlan, modes: AuthorizationModes, settings: ApiSettings
) -> None:
    """Every problem of the configuration, raised together: the modes and CDK values here,
    the schema's and the settings' from ``authz/problems.py``."""
    if not modes.configured():  # every rule would repeat it: say the cause once
        raise ConfigurationError(path, list(_mode_problems(modes)))
    problems = [
        *_mode_problems(modes),
        *(diagnostic_text(d) for d in settings_problems(plan, settings)),
        *_iam_problems(modes),
        *_duration_problems(modes),
        *(diagnostic_text(d) for d in plan_problems(plan)),
    ]
    if problems:
        raise ConfigurationError(path, list(dict.fromkeys(problems)))
