"""``AuthorizedGraphqlApi``: a schema with ``@model``/``@auth`` rules to a deployable AppSync
API — tables, APPSYNC_JS resolvers with auth guards, scoped IAM, admin roles, Lambda
authorizer wiring."""

from __future__ import annotations

from dataclasses import dataclass, field

from aws_cdk import NestedStack, RemovalPolicy, Stack
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_iam as iam
from constructs import Construct

from ..authz.plan import plan_schema
from ..codegen.artifacts import ApiArtifacts, build_artifacts
from ..codegen.resolver_specs import ResolverSpec
from ..definition import ApiDefinition
from ..schema.errors import SchemaError
from .api_settings import api_properties, pool_policies, security_settings
from .checks import ConfigurationError, check_configuration, resolve_default_mode
from .config import AuthorizationModes
from .model_resources import APPSYNC_TRUST, ModelResources, add_model_resources
from .nag import acknowledge

__all__ = ["ApiResources", "AuthorizedGraphqlApi"]

# Models per nested stack once the API outgrows one stack: each model brings ~8-14
# resources, and CloudFormation allows 500 per stack.
MODELS_PER_STACK = 30


@dataclass
class ApiResources:
    """The resources an AuthorizedGraphqlApi created, for escape hatches."""

    graphql_api: appsync.IGraphqlApi
    cfn_graphql_api: appsync.CfnGraphQLApi
    schema: appsync.CfnGraphQLSchema
    api_key: appsync.CfnApiKey | None
    none_data_source: appsync.CfnDataSource
    models: dict[str, ModelResources] = field(default_factory=dict)
    policies: list[iam.Policy] = field(default_factory=list)

    @property
    def tables(self) -> dict[str, object]:
        return {name: m.table for name, m in self.models.items()}


class AuthorizedGraphqlApi(Construct):
    """An AppSync GraphQL API whose every operation enforces the schema's ``@auth`` rules.

    :param definition: the schema (``ApiDefinition.from_files(...)`` and friends).
    :param authorization_modes: the API's modes; rules may only use configured modes.
    :param api_name: the AppSync API name (default: the construct id).
    :param sandbox_mode_enabled: apply ``{ allow: public }`` to models without rules.
    :param removal_policy: what happens to the tables when removed (default RETAIN).
    :param xray_enabled: AWS X-Ray tracing of resolvers.
    :param log_verbose_content: also log request headers and full resolver contexts (they
        hold tokens and identities; off by default).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        definition: ApiDefinition,
        authorization_modes: AuthorizationModes,
        api_name: str | None = None,
        sandbox_mode_enabled: bool = False,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        xray_enabled: bool = False,
        log_verbose_content: bool = False,
    ) -> None:
        super().__init__(scope, construct_id)
        path = self.node.path
        try:
            schema = definition.schema
        except SchemaError as error:
            raise ConfigurationError(path, [str(d) for d in error.diagnostics]) from None
        plan = plan_schema(schema, sandbox=sandbox_mode_enabled)
        modes = authorization_modes
        check_configuration(path, schema, plan, modes, sandbox=sandbox_mode_enabled)
        configured = modes.configured()
        default = resolve_default_mode(modes) or configured[0]
        security = security_settings(modes)
        self.artifacts: ApiArtifacts = build_artifacts(
            plan,
            modes=frozenset(m.provider for m in configured),
            default_mode=default.provider,
            security=security,
        )
        log_role = iam.CfnRole(
            self,
            "LogsRole",
            assume_role_policy_document=APPSYNC_TRUST,
            managed_policy_arns=[
                f"arn:{Stack.of(self).partition}:iam::aws:policy/service-role/"
                "AWSAppSyncPushToCloudWatchLogs"
            ],
        )
        cfn_api = appsync.CfnGraphQLApi(
            self,
            "Api",
            name=api_name or construct_id,
            xray_enabled=xray_enabled,
            log_config=appsync.CfnGraphQLApi.LogConfigProperty(
                cloud_watch_logs_role_arn=log_role.attr_arn,
                field_log_level="ERROR",
                exclude_verbose_content=not log_verbose_content,
            ),
            **api_properties(self, modes, default, configured),
        )
        acknowledge(
            log_role,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AWSAppSyncPushToCloudWatchLogs]",
            "AppSync's own managed policy for writing its logs; an inline copy would need the "
            "API id, which depends on this role.",
        )
        if not log_verbose_content:
            acknowledge(
                cfn_api,
                "AwsSolutions-ASC3",
                "Request-level logging is on (ERROR field logs); verbose content (headers, "
                "tokens, identities) is left out on purpose. Set log_verbose_content=True to "
                "log it.",
            )
        schema_resource = appsync.CfnGraphQLSchema(
            self, "Schema", api_id=cfn_api.attr_api_id, definition=self.artifacts.sdl
        )
        api_key = None
        if modes.api_key_config is not None:
            api_key = appsync.CfnApiKey(
                self,
                "ApiKey",
                api_id=cfn_api.attr_api_id,
                description=modes.api_key_config.description,
                expires=_expiry(modes.api_key_config.expires.to_seconds()),
            )
        none_ds = appsync.CfnDataSource(
            self, "NoneDataSource", api_id=cfn_api.attr_api_id, name="NONE_DS", type="NONE"
        )
        graphql_api = appsync.GraphqlApi.from_graphql_api_attributes(
            self,
            "Imported",
            graphql_api_id=cfn_api.attr_api_id,
            graphql_api_arn=cfn_api.attr_arn,
        )
        self.resources = ApiResources(
            graphql_api=graphql_api,
            cfn_graphql_api=cfn_api,
            schema=schema_resource,
            api_key=api_key,
            none_data_source=none_ds,
        )
        self._cfn_api = cfn_api
        self._add_models(removal_policy)
        self.resources.policies = pool_policies(self, modes, self.artifacts, cfn_api)
        if modes.lambda_config is not None:
            modes.lambda_config.function.add_permission(
                "AppSyncInvoke",
                principal=iam.ServicePrincipal("appsync.amazonaws.com"),
                action="lambda:InvokeFunction",
                source_arn=cfn_api.attr_arn,
            )

    def _add_models(self, removal_policy: RemovalPolicy) -> None:
        artifacts = self.artifacts
        by_model: dict[str | None, list[ResolverSpec]] = {}
        for spec in artifacts.resolvers:
            by_model.setdefault(spec.plan.model, []).append(spec)
        tables = artifacts.tables
        nested = len(tables) > MODELS_PER_STACK
        for start in range(0, len(tables), MODELS_PER_STACK):
            chunk = tables[start : start + MODELS_PER_STACK]
            parent: Construct = self
            if nested:
                parent = NestedStack(self, f"Models{start // MODELS_PER_STACK}")
                parent.node.add_dependency(self.resources.schema)
            for table in chunk:
                scope = Construct(parent, table.model)
                self.resources.models[table.model] = add_model_resources(
                    scope,
                    api_id=self._cfn_api.attr_api_id,
                    spec=table,
                    resolvers=by_model.get(table.model, []),
                    artifacts=artifacts,
                    removal_policy=removal_policy,
                    none_data_source=self.resources.none_data_source.attr_name,
                    schema=self.resources.schema,
                )

    # -- outputs -------------------------------------------------------------------
    @property
    def api_id(self) -> str:
        return self._cfn_api.attr_api_id

    @property
    def graphql_url(self) -> str:
        return self._cfn_api.attr_graph_ql_url

    @property
    def realtime_url(self) -> str:
        return self._cfn_api.attr_realtime_url

    @property
    def api_key(self) -> str | None:
        key = self.resources.api_key
        return key.attr_api_key if key is not None else None

    def grant_query(self, grantee: iam.IGrantable, *fields: str) -> iam.Grant:
        """Let ``grantee`` (an IAM principal) call these Query fields (all when none given)."""
        return self.resources.graphql_api.grant_query(grantee, *fields)

    def grant_mutation(self, grantee: iam.IGrantable, *fields: str) -> iam.Grant:
        return self.resources.graphql_api.grant_mutation(grantee, *fields)

    def grant_subscription(self, grantee: iam.IGrantable, *fields: str) -> iam.Grant:
        return self.resources.graphql_api.grant_subscription(grantee, *fields)


def _expiry(seconds: float) -> int:
    """API key expiry as AppSync wants it: epoch seconds, rounded down to the hour."""
    import time

    return int((time.time() + seconds) // 3600 * 3600)
