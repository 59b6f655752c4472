"""``AuthorizedGraphqlApi``: a schema with ``@model``/``@auth`` rules to a deployable AppSync
API — tables, APPSYNC_JS resolvers with auth guards, scoped IAM, admin roles, Lambda
authorizer wiring."""

from __future__ import annotations

import re
from typing import Any

from aws_cdk import (
    Annotations,
    Aspects,
    RemovalPolicy,
    Stack,
    Token,
)
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_iam as iam
from aws_cdk import cloudformation_include as cfn_inc
from constructs import Construct

from ..appsync import SECURITY_METADATA, AuthorizationMode
from ..codegen.artifacts import ApiArtifacts
from ..codegen.resolvers.pipelines import CodeTooLargeError
from ..codegen.resolvers.specs import ResolverSpec
from ..definition import ApiDefinition
from ..pipeline import compile_api, render_artifacts
from .api_settings import api_properties, api_settings, pool_policies
from .checks import (
    ConfigurationError,
    check_configuration,
    diagnostic_text,
    resolve_default_mode,
)
from .client_config import add_client_config
from .config import AuthorizationModes
from .conflicts import (
    ConflictResolutionConfig,
    conflict_handlers,
    conflict_problems,
    conflict_settings,
)
from .limits import check_indexes, check_template
from .model_template import APPSYNC_TRUST, ApiRefs, TemplateBuilder, size_of
from .nag import acknowledge
from .placement import (
    API_STACK_BYTES,
    API_STACK_RESOURCES,
    Placement,
    PlacementError,
    place,
)
from .prop_checks import ApiProps, prop_problems
from .resources import ApiResources, ModelResources
from .stack_files import (
    SchemaDependency,
    file_asset,
    nested_stack,
    resolve_ref,
)
from .stack_files import include as include_template

__all__ = ["ApiResources", "AuthorizedGraphqlApi", "ModelResources"]

# SDL longer than this is published as a file asset (the schema's DefinitionS3Location)
# instead of sitting in the template, whose bytes CloudFormation limits.
SCHEMA_INLINE_BYTES = 100_000
# What the construct adds to the API's stack besides the included template: the API, its
# log role, key, identity-pool policies, Lambda permission (generous estimates).
_API_OVERHEAD_BYTES = 20_000
_API_OVERHEAD_RESOURCES = 10


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
    :param model_stacks: where the models' resources go: 0 puts them all in this stack;
        N spreads them over N nested stacks by the hash of each model's name (a model
        stays in its stack as the schema changes). Default: 0 while they fit in this
        stack, else the smallest power of two whose stacks fit, with a synthesis warning
        to pin it. Choose it before the first deployment: CloudFormation cannot move a
        deployed model's resources to another stack.
    :param conflict_resolution: conflict detection and sync (Amplify's
        ``conflictResolution``), for every model and per model: versioned models get
        ``_version``, ``_deleted``, ``_lastChangedAt``, tombstone deletes, a
        ``sync<Plural>`` query and a delta-sync index on their table (``_deltaSync``, which
        syncs with a recent ``lastSync`` query). Default: none.
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
        model_stacks: int | None = None,
        conflict_resolution: ConflictResolutionConfig | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        path = self.node.path
        given = ApiProps(
            definition=definition,
            authorization_modes=authorization_modes,
            api_name=api_name,
            sandbox_mode_enabled=sandbox_mode_enabled,
            removal_policy=removal_policy,
            xray_enabled=xray_enabled,
            log_verbose_content=log_verbose_content,
            model_stacks=model_stacks,
        )
        if wrong := prop_problems(given) + conflict_problems(conflict_resolution, None):
            raise ConfigurationError(path, wrong)
        modes = authorization_modes
        settings = api_settings(
            modes,
            sandbox=sandbox_mode_enabled,
            conflict_resolution=conflict_settings(conflict_resolution),
        )
        compiled = compile_api(definition, settings, render=False)
        if compiled.plan is None:  # the schema itself is invalid: its problems alone
            raise ConfigurationError(path, [diagnostic_text(d) for d in compiled.problems])
        if wrong := conflict_problems(conflict_resolution, compiled.plan.schema):
            raise ConfigurationError(path, wrong)
        check_configuration(path, compiled.plan.auth, modes, settings)
        for warning in compiled.warnings:
            Annotations.of(self).add_warning_v2(warning.code, warning.message)
        self._conflict_functions = conflict_handlers(conflict_resolution)
        compiled = render_artifacts(compiled)
        assert compiled.artifacts is not None  # no problems: rendered
        self.artifacts: ApiArtifacts = compiled.artifacts
        check_indexes(path, self.artifacts.tables)
        security = settings.security
        configured = modes.configured()
        default = resolve_default_mode(modes) or configured[0]
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
        # The settings the shared functions enforce, where the local runtime reads them.
        cfn_api.add_metadata(SECURITY_METADATA, security.to_json())
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
        assert compiled.schema is not None  # planned: the schema is valid
        self.client_config_output = add_client_config(
            self,
            self._prefix(),
            cfn_api=cfn_api,
            api_key=api_key,
            schema=compiled.schema,
            modes=modes,
            default=AuthorizationMode(default),
        )
        try:
            models, include, schema_id, none_id = self._add_models(removal_policy, model_stacks)
        except CodeTooLargeError as error:
            raise ConfigurationError(path, [str(error)]) from None
        self.resources = ApiResources(
            graphql_api=graphql_api,
            cfn_graphql_api=cfn_api,
            schema=include.get_resource(schema_id),
            api_key=api_key,
            none_data_source=include.get_resource(none_id),
            models=models,
        )
        self.resources.policies = pool_policies(self, modes, self.artifacts, cfn_api)
        # Resolvers users add through resources.graphql_api wait for the schema that
        # declares their fields (the CDK GraphqlApi way; the imported API cannot do it).
        Aspects.of(graphql_api).add(SchemaDependency(self.resources.schema))
        if modes.lambda_config is not None:
            modes.lambda_config.function.add_permission(
                "AppSyncInvoke",
                principal=iam.ServicePrincipal("appsync.amazonaws.com"),
                action="lambda:InvokeFunction",
                source_arn=cfn_api.attr_arn,
            )

    def _add_models(
        self, removal_policy: RemovalPolicy, model_stacks: int | None
    ) -> tuple[dict[str, ModelResources], cfn_inc.CfnInclude, str, str]:
        """Schema, NONE data source, shared functions, the data source role and every
        model's resources as template data, brought in with one CfnInclude for the API's
        own stack and written as a template per nested stack (``placement.py`` decides
        which model goes where)."""
        artifacts = self.artifacts
        by_model: dict[str, list[ResolverSpec]] = {}
        for spec in artifacts.resolvers:
            by_model.setdefault(spec.plan.model, []).append(spec)
        prefix = self._prefix()
        main = TemplateBuilder(prefix, artifacts, removal_policy)
        api_ref = main.param("ApiId", self._cfn_api.attr_api_id)
        schema_id, none_id = main.add_schema(api_ref, self._definition(main))
        handlers = {name: f.function_arn for name, f in self._conflict_functions.items()}
        api_refs = main.add_shared(api_ref, none_id, schema_id, handlers)
        nested_refs = ApiRefs.parameters([f.key for f in artifacts.functions])
        tables = artifacts.tables
        fragments = [main.model(t, by_model.get(t.model, []), nested_refs) for t in tables]
        try:
            placement = place(
                fragments,
                fixed_bytes=size_of(main.resources) + _API_OVERHEAD_BYTES,
                fixed_resources=len(main.resources) + _API_OVERHEAD_RESOURCES,
                stacks=model_stacks,
            )
        except PlacementError as error:
            raise ConfigurationError(
                self.node.path, [f"The models cannot be placed: {error}"]
            ) from None
        self._warn_placement(placement, len(tables))
        if placement.stacks == 0:
            fragments = [main.model(t, by_model.get(t.model, []), api_refs) for t in tables]
            for fragment in fragments:
                main.add(fragment)
        check_template(self.node.path, "the API's resources", main.template())
        include = include_template(self, "Resources", main)
        api_logical_id = Stack.of(self).resolve(self._cfn_api.logical_id)
        for suffix in ("", "/index/*"):
            acknowledge(
                include.get_resource(main.role_id),
                "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:dynamodb:<AWS::Region>:"
                f"<AWS::AccountId>:table/*-<{api_logical_id}.ApiId>{suffix}]",
                "The tables of this API are named <Model>-<ApiId>: the pattern reaches them "
                "(and their indexes) and no other table; the role is the one its table data "
                "sources share, each bound to its own table.",
            )
        for name in artifacts.conflict_handlers:
            arn = Stack.of(self).resolve(self._conflict_functions[name].function_arn)
            if isinstance(arn, dict) and "Fn::GetAtt" in arn:
                acknowledge(
                    include.get_resource(f"{prefix}{name}Role"),
                    f"AwsSolutions-IAM5[Resource::<{arn['Fn::GetAtt'][0]}.Arn>:*]",
                    "The conflict handler's data source may invoke its function and that "
                    "function's versions and aliases, nothing else.",
                )
        models: dict[str, ModelResources] = {}
        if placement.stacks == 0:
            models.update({f.model: ModelResources(include, f.ids) for f in fragments})
        values = {
            name: Token.as_string(resolve_ref(ref, include))
            for name, ref in main.nested_parameters(api_refs).items()
            if name != "ApiId"
        }
        values["ApiId"] = self._cfn_api.attr_api_id
        for index, bucket in enumerate(placement.buckets):
            if not bucket:
                continue
            builder = TemplateBuilder(prefix, artifacts, removal_policy)
            for name, value in values.items():
                builder.param(name, value)
            for fragment in bucket:
                builder.add(fragment)
            stack = nested_stack(self, f"Models{index}", builder)
            stack.node.add_dependency(include)  # the schema, functions and role first
            models.update({f.model: ModelResources(None, f.ids, stack, include) for f in bucket})
        return models, include, schema_id, none_id

    def _prefix(self) -> str:
        """Unique per construct (several APIs may share a stack), stable across synths."""
        return re.sub(r"[^A-Za-z0-9]", "", self.node.id) + self.node.addr[-8:].upper()

    def _definition(self, main: TemplateBuilder) -> dict[str, Any]:
        """The schema inline, or (over SCHEMA_INLINE_BYTES) as a file asset."""
        sdl = self.artifacts.sdl
        if len(sdl.encode("utf-8")) <= SCHEMA_INLINE_BYTES:
            return {"Definition": sdl}
        location = file_asset(self, sdl.encode("utf-8"), "graphql")
        return {"DefinitionS3Location": main.text(location.s3_object_url)}

    def _warn_placement(self, placement: Placement, models: int) -> None:
        if not placement.automatic:
            return
        if placement.stacks > 0:
            Annotations.of(self).add_warning_v2(
                "authorized-appsync:model-stacks",
                f"The {models} models were placed in {placement.stacks} nested stacks, chosen "
                f"by the hash of their names. Set model_stacks={placement.stacks} to keep them "
                f"there: should the schema outgrow them, the automatic count doubles and about "
                f"half of the models move to other stacks, which CloudFormation cannot do for "
                f"a deployed API (their tables and resolvers keep their names, so the "
                f"deployment fails).",
            )
        elif (
            placement.api_stack_bytes > 0.6 * API_STACK_BYTES
            or placement.api_stack_resources > 0.6 * API_STACK_RESOURCES
        ):
            Annotations.of(self).add_warning_v2(
                "authorized-appsync:model-stacks",
                f"The models take {placement.api_stack_resources} of the "
                f"{API_STACK_RESOURCES} resources and about {placement.api_stack_bytes:,} of "
                f"the {API_STACK_BYTES:,} bytes this library uses in the API's own stack. A "
                f"larger schema moves them to nested stacks, which a deployed API cannot "
                f"follow: if the schema will grow, set model_stacks (e.g. 2) before the "
                f"first deployment.",
            )

    def add_schema_dependency(self, construct: Construct) -> None:
        """Make ``construct`` (a resolver of this API that you create outside
        ``resources.graphql_api``) wait for the schema, as CDK's ``GraphqlApi`` does for its
        own resolvers: AppSync refuses a resolver whose field the schema does not declare
        yet. Resolvers made with ``resources.graphql_api.create_resolver(...)`` get it
        without asking."""
        construct.node.add_dependency(self.resources.schema)

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
