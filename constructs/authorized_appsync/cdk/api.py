"""``AuthorizedGraphqlApi``: a schema with ``@model``/``@auth`` rules to a deployable AppSync
API — tables, APPSYNC_JS resolvers with auth guards, scoped IAM, admin roles, Lambda
authorizer wiring."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from aws_cdk import (
    Annotations,
    CfnResource,
    CfnStack,
    FileAssetPackaging,
    RemovalPolicy,
    Stack,
    Stage,
)
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_iam as iam
from aws_cdk import cloudformation_include as cfn_inc
from constructs import Construct

from ..authz.plan import plan_schema
from ..codegen.artifacts import ApiArtifacts, build_artifacts
from ..codegen.field_access import silenced_subscriptions
from ..codegen.resolver_specs import ResolverSpec
from ..codegen.tables import TableSpec
from ..definition import ApiDefinition
from ..schema.errors import SchemaError
from .api_settings import api_properties, pool_policies, security_settings
from .checks import ConfigurationError, check_configuration, resolve_default_mode
from .config import AuthorizationModes
from .model_template import APPSYNC_TRUST, ModelIds, TemplateBuilder
from .nag import acknowledge

__all__ = ["ApiResources", "AuthorizedGraphqlApi"]

# Models per stack: each model brings ~8-16 resources and CloudFormation allows 500 per
# stack; beyond this the models go to nested stacks of this many each.
MODELS_PER_STACK = 30


@dataclass
class ModelResources:
    """One model's resources. Models in the API's own stack are constructs, fetched from
    the included template on first use; models of a large API live in nested stack
    templates (``nested_stack``), where ``ids`` names them."""

    include: cfn_inc.CfnInclude | None
    ids: ModelIds
    nested_stack: CfnStack | None = None

    def _get(self, logical_id: str) -> CfnResource:
        if self.include is None:
            raise LookupError(
                f"Resource '{logical_id}' lives in the nested stack "
                f"'{self.nested_stack.node.path if self.nested_stack else '?'}' of a large "
                f"API; it is not a construct of this app. Use its logical id in that "
                f"stack's template."
            )
        return self.include.get_resource(logical_id)

    @property
    def table(self) -> CfnResource:
        return self._get(self.ids.table)

    @property
    def role(self) -> CfnResource:
        return self._get(self.ids.role)

    @property
    def data_source(self) -> CfnResource:
        return self._get(self.ids.data_source)

    @property
    def resolvers(self) -> dict[str, CfnResource]:
        """By ``"Type.field"``."""
        return {k: self._get(v) for k, v in self.ids.resolvers.items()}


@dataclass
class ApiResources:
    """The resources an AuthorizedGraphqlApi created, for escape hatches."""

    graphql_api: appsync.IGraphqlApi
    cfn_graphql_api: appsync.CfnGraphQLApi
    schema: CfnResource
    api_key: appsync.CfnApiKey | None
    none_data_source: CfnResource
    models: dict[str, ModelResources] = field(default_factory=dict)
    policies: list[iam.ManagedPolicy] = field(default_factory=list)

    @property
    def tables(self) -> dict[str, CfnResource]:
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
        for warning in silenced_subscriptions(plan.models):
            Annotations.of(self).add_warning_v2("authorized-appsync:silenced-subscription", warning)
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
        api_key = None
        if modes.api_key_config is not None:
            api_key = appsync.CfnApiKey(
                self,
                "ApiKey",
                api_id=cfn_api.attr_api_id,
                description=modes.api_key_config.description,
                expires=_expiry(modes.api_key_config.expires.to_seconds()),
            )
        graphql_api = appsync.GraphqlApi.from_graphql_api_attributes(
            self,
            "Imported",
            graphql_api_id=cfn_api.attr_api_id,
            graphql_api_arn=cfn_api.attr_arn,
        )
        self._cfn_api = cfn_api
        models, include, schema_id, none_id = self._add_models(removal_policy)
        self.resources = ApiResources(
            graphql_api=graphql_api,
            cfn_graphql_api=cfn_api,
            schema=include.get_resource(schema_id),
            api_key=api_key,
            none_data_source=include.get_resource(none_id),
            models=models,
        )
        self.resources.policies = pool_policies(self, modes, self.artifacts, cfn_api)
        if modes.lambda_config is not None:
            modes.lambda_config.function.add_permission(
                "AppSyncInvoke",
                principal=iam.ServicePrincipal("appsync.amazonaws.com"),
                action="lambda:InvokeFunction",
                source_arn=cfn_api.attr_arn,
            )

    def _add_models(
        self, removal_policy: RemovalPolicy
    ) -> tuple[dict[str, ModelResources], cfn_inc.CfnInclude, str, str]:
        """Schema, NONE data source and every model's resources as template data, brought
        in with one CfnInclude per stack: the API's own stack holds them all up to
        MODELS_PER_STACK models, beyond that each group of models is a nested stack."""
        artifacts = self.artifacts
        by_model: dict[str, list[ResolverSpec]] = {}
        for spec in artifacts.resolvers:
            by_model.setdefault(spec.plan.model, []).append(spec)
        # Unique per construct (several APIs may share a stack), stable across synths.
        prefix = re.sub(r"[^A-Za-z0-9]", "", self.node.id) + self.node.addr[-8:].upper()
        main = TemplateBuilder(prefix, artifacts, removal_policy)
        api_ref = main.param("ApiId", self._cfn_api.attr_api_id)
        schema_id, none_id = main.add_schema(api_ref)
        tables = artifacts.tables
        nested = len(tables) > MODELS_PER_STACK
        models: dict[str, ModelResources] = {}
        pending: list[tuple[TableSpec, ModelIds]] = []
        if not nested:
            none_name = {"Fn::GetAtt": [none_id, "Name"]}
            for table in tables:
                ids = main.add_model(
                    table,
                    by_model.get(table.model, []),
                    api_id=api_ref,
                    none_data_source=none_name,
                    depends_on=[schema_id],
                )
                pending.append((table, ids))
        include = _include(self, "Resources", main)
        models.update({t.model: ModelResources(include, ids) for t, ids in pending})
        for start in range(0, len(tables) if nested else 0, MODELS_PER_STACK):
            builder = TemplateBuilder(prefix, artifacts, removal_policy)
            nested_api = builder.param("ApiId", self._cfn_api.attr_api_id)
            none_name = builder.param("NoneDataSourceName", "NONE_DS")
            chunk = [
                (
                    t,
                    builder.add_model(
                        t,
                        by_model.get(t.model, []),
                        api_id=nested_api,
                        none_data_source=none_name,
                        depends_on=[],
                    ),
                )
                for t in tables[start : start + MODELS_PER_STACK]
            ]
            stack = _nested_stack(self, f"Models{start // MODELS_PER_STACK}", builder)
            stack.node.add_dependency(include)  # the schema and NONE data source first
            models.update({t.model: ModelResources(None, ids, stack) for t, ids in chunk})
        return models, include, schema_id, none_id

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


def _nested_stack(scope: Construct, construct_id: str, builder: TemplateBuilder) -> CfnStack:
    """A nested stack whose template is written as built: CDK never parses it (with
    hundreds of resources that is most of the synthesis time). It is published as a file
    asset, like a NestedStack's template."""
    body = json.dumps(builder.template(), indent=1).encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()
    name = f"{digest}.nested.template.json"
    stage = Stage.of(scope)
    if stage is None:
        raise ValueError(
            f"'{scope.node.path}' is not inside an App or Stage; nested model stacks are "
            f"written to the app's output folder, so the API needs one."
        )
    (Path(stage.outdir) / name).write_bytes(body)
    location = Stack.of(scope).synthesizer.add_file_asset(
        file_name=name, packaging=FileAssetPackaging.FILE, source_hash=digest
    )
    return CfnStack(
        scope, construct_id, template_url=location.http_url, parameters=dict(builder.parameters)
    )


def _include(scope: Construct, construct_id: str, builder: TemplateBuilder) -> cfn_inc.CfnInclude:
    """Bring a built template into ``scope`` (its tokens passed back as parameters)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "resources.json"
        path.write_text(json.dumps(builder.template()), encoding="utf-8")
        return cfn_inc.CfnInclude(
            scope,
            construct_id,
            template_file=str(path),
            parameters=dict(builder.parameters),
            preserve_logical_ids=True,
        )


def _expiry(seconds: float) -> int:
    """API key expiry as AppSync wants it: epoch seconds, rounded down to the hour."""
    import time

    return int((time.time() + seconds) // 3600 * 3600)
