"""Translating AuthorizationModes into AppSync API properties, resolver security settings
and the identity pool roles' policies."""

from __future__ import annotations

from typing import Any

from aws_cdk import Annotations, Stack
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_iam as iam
from constructs import Construct

from ..authz.grants import FieldRef, PoolRole
from ..authz.settings import ApiSettings, ConflictResolution, SecuritySettings
from ..codegen.artifacts import ApiArtifacts
from ..codegen.iam import RoleGrants, compact_grants
from .checks import ConfigurationError, resolve_default_mode
from .config import AuthorizationMode, AuthorizationModes, provider_of
from .nag import acknowledge

__all__ = ["api_properties", "api_settings", "pool_policies", "security_settings"]

# IAM's limit on one managed policy document is 6,144 characters; statements are split to
# stay under it (an ARN costs ~100 deployed). Inline policies (AWS::IAM::Policy) would share
# one 10,240-character budget per role, which large schemas exceed: managed policies each
# have their own, and a role may carry 10 (IAM's default quota; at most 20 on request).
_POLICY_CHARS = 5_400
_MANAGED_POLICIES_DEFAULT = 10
_MANAGED_POLICIES_MAX = 20


def _mode_config(
    scope: Construct, modes: AuthorizationModes, mode: AuthorizationMode, *, default: bool
) -> dict[str, Any]:
    region = Stack.of(scope).region
    if mode is AuthorizationMode.AMAZON_COGNITO_USER_POOLS:
        pool = modes.user_pool_config
        assert pool is not None
        if default:
            return {
                "user_pool_config": appsync.CfnGraphQLApi.UserPoolConfigProperty(
                    user_pool_id=pool.user_pool.user_pool_id,
                    aws_region=region,
                    default_action="ALLOW",
                    app_id_client_regex=pool.app_id_client_regex,
                )
            }
        return {
            "user_pool_config": appsync.CfnGraphQLApi.CognitoUserPoolConfigProperty(
                user_pool_id=pool.user_pool.user_pool_id,
                aws_region=region,
                app_id_client_regex=pool.app_id_client_regex,
            )
        }
    if mode is AuthorizationMode.OPENID_CONNECT:
        oidc = modes.oidc_config
        assert oidc is not None
        return {
            "open_id_connect_config": appsync.CfnGraphQLApi.OpenIDConnectConfigProperty(
                issuer=oidc.oidc_issuer_url,
                client_id=oidc.client_id,
                auth_ttl=_millis(oidc.token_expiry_from_auth),
                iat_ttl=_millis(oidc.token_expiry_from_issue),
            )
        }
    if mode is AuthorizationMode.AWS_LAMBDA:
        fn = modes.lambda_config
        assert fn is not None
        return {
            "lambda_authorizer_config": appsync.CfnGraphQLApi.LambdaAuthorizerConfigProperty(
                authorizer_uri=fn.function.function_arn,
                authorizer_result_ttl_in_seconds=int(fn.ttl.to_seconds()),
                identity_validation_expression=fn.identity_validation_expression,
            )
        }
    return {}


def _millis(duration: Any) -> float | None:
    return None if duration is None else duration.to_milliseconds()


def api_properties(
    scope: Construct,
    modes: AuthorizationModes,
    default: AuthorizationMode,
    configured: tuple[AuthorizationMode, ...],
) -> dict[str, Any]:
    """``authentication_type``, the default mode's config and the additional providers."""
    properties: dict[str, Any] = {"authentication_type": default.value}
    properties.update(_mode_config(scope, modes, default, default=True))
    additional = [
        appsync.CfnGraphQLApi.AdditionalAuthenticationProviderProperty(
            authentication_type=mode.value, **_mode_config(scope, modes, mode, default=False)
        )
        for mode in configured
        if mode is not default
    ]
    if additional:
        properties["additional_authentication_providers"] = additional
    return properties


def _name(role: iam.IRole | str) -> str:
    return role if isinstance(role, str) else role.role_name


def api_settings(
    modes: AuthorizationModes,
    *,
    sandbox: bool,
    conflict_resolution: ConflictResolution | None = None,
) -> ApiSettings:
    """What the compiler needs to know of the construct's props."""
    configured = modes.configured()
    default = resolve_default_mode(modes) or (configured[0] if configured else None)
    pool = modes.identity_pool_config
    return ApiSettings(
        modes=frozenset(provider_of(m) for m in configured),
        default_mode=provider_of(default) if default is not None else None,
        security=security_settings(modes),
        identity_pool=pool is not None,
        guest_role=pool is not None and pool.unauthenticated_user_role is not None,
        sandbox=sandbox,
        conflict_resolution=conflict_resolution or ConflictResolution(),
    )


def security_settings(modes: AuthorizationModes) -> SecuritySettings:
    pool = modes.identity_pool_config
    iam_mode = modes.iam_config is not None and modes.iam_config.enable_iam_authorization_mode
    return SecuritySettings(
        # Names or ARNs as given; the resolvers compare them exactly with the caller's role.
        admin_roles=tuple(_name(r) for r in modes.admin_roles),
        iam_authorization_mode=iam_mode,
        identity_pool_id=pool.identity_pool_id if pool else None,
        authenticated_role=_name(pool.authenticated_user_role) if pool else None,
        unauthenticated_role=(
            _name(pool.unauthenticated_user_role)
            if pool and pool.unauthenticated_user_role
            else None
        ),
    )


def _arn(api_arn: str, ref: FieldRef) -> str:
    return f"{api_arn}/types/{ref.type_name}/fields/{ref.field}"


def _chunks(grants: RoleGrants) -> list[list[tuple[bool, FieldRef]]]:
    """(allowed, field) entries in groups small enough for one policy each (an ARN is ~100
    characters deployed; each group's allow and deny statements are written apart)."""
    entries = [(True, ref) for ref in grants.allow] + [(False, ref) for ref in grants.deny]
    chunks: list[list[tuple[bool, FieldRef]]] = [[]]
    size = 0
    for entry in entries:
        cost = 100 + len(entry[1].type_name) + len(entry[1].field)
        if size + cost > _POLICY_CHARS and chunks[-1]:
            chunks.append([])
            size = 0
        chunks[-1].append(entry)
        size += cost
    return chunks


def _statements(api_arn: str, chunk: list[tuple[bool, FieldRef]]) -> list[iam.PolicyStatement]:
    statements = []
    for allowed in (True, False):
        refs = [ref for effect, ref in chunk if effect is allowed]
        if refs:
            statements.append(
                iam.PolicyStatement(
                    effect=iam.Effect.ALLOW if allowed else iam.Effect.DENY,
                    actions=["appsync:GraphQL"],
                    resources=[_arn(api_arn, ref) for ref in refs],
                )
            )
    return statements


def _check_quota(scope: Construct, label: str, count: int) -> None:
    if count > _MANAGED_POLICIES_MAX:
        raise ConfigurationError(
            scope.node.path,
            [
                f"The identity pool's {label.lower()} role would need {count} managed policies "
                f"for the fields its rules reach; IAM allows at most {_MANAGED_POLICIES_MAX} "
                f"per role. Give the role fewer fields (a rule the whole type allows lets one "
                f"ARN stand for the type) or split the API."
            ],
        )
    if count > _MANAGED_POLICIES_DEFAULT:
        Annotations.of(scope).add_warning_v2(
            "authorized-appsync:managed-policy-quota",
            f"The identity pool's {label.lower()} role gets {count} managed policies; IAM's "
            f"default quota is {_MANAGED_POLICIES_DEFAULT} per role: request an increase "
            f"(up to {_MANAGED_POLICIES_MAX}) before deploying.",
        )


def pool_policies(
    scope: Construct,
    modes: AuthorizationModes,
    artifacts: ApiArtifacts,
    api: appsync.CfnGraphQLApi,
) -> list[iam.ManagedPolicy]:
    """``appsync:GraphQL`` on exactly what each identity-pool role's rules reach, as managed
    policies of at most ~5,400 characters each (IAM takes 6,144)."""
    api_arn = api.attr_arn
    api_logical_id = Stack.of(scope).resolve(api.logical_id)
    pool = modes.identity_pool_config
    if pool is None:
        return []
    roles = {
        PoolRole.AUTHENTICATED: pool.authenticated_user_role,
        PoolRole.UNAUTHENTICATED: pool.unauthenticated_user_role,
    }
    made: list[iam.ManagedPolicy] = []
    for role_kind, refs in artifacts.pool_grants.items():
        role = roles[role_kind]
        if role is None:
            continue
        chunks = _chunks(compact_grants(artifacts.plan.schema, refs))
        label = "Authenticated" if role_kind is PoolRole.AUTHENTICATED else "Unauthenticated"
        _check_quota(scope, label, len(chunks))
        for index, chunk in enumerate(chunks):
            policy = iam.ManagedPolicy(
                scope,
                f"{label}RolePolicy{index or ''}",
                statements=_statements(api_arn, chunk),
                roles=[role],
            )
            for allowed, ref in chunk:
                if allowed and ref.field == "*":
                    acknowledge(
                        policy,
                        f"AwsSolutions-IAM5[Resource::<{api_logical_id}.Arn>/types/"
                        f"{ref.type_name}/fields/*]",
                        f"A type-level grant: the {role_kind.value} role may read every field "
                        f"of {ref.type_name} (but those denied by name in the same policy), so "
                        f"one ARN stands for them all.",
                    )
            made.append(policy)
    return made
