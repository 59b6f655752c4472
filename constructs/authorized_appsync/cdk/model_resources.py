"""The resources of one model: its table, the data source with a role scoped to that table
and its indexes, and its resolvers and pipeline functions. L1 constructs keep synthesis
fast (one jsii object per resource)."""

from __future__ import annotations

from dataclasses import dataclass, field

from aws_cdk import CfnResource, Fn, RemovalPolicy, Stack
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from constructs import Construct

from ..codegen.artifacts import ApiArtifacts
from ..codegen.resolver_specs import ResolverSpec
from ..codegen.tables import TableSpec

__all__ = ["RUNTIME", "ModelResources", "add_model_resources", "add_resolver"]

RUNTIME = appsync.CfnResolver.AppSyncRuntimeProperty(name="APPSYNC_JS", runtime_version="1.0.0")
_FN_RUNTIME = appsync.CfnFunctionConfiguration.AppSyncRuntimeProperty(
    name="APPSYNC_JS", runtime_version="1.0.0"
)
# Every request a generated resolver makes; nothing else.
TABLE_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:ConditionCheckItem",
)
APPSYNC_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "appsync.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


@dataclass
class ModelResources:
    table: dynamodb.CfnTable
    role: iam.CfnRole
    data_source: appsync.CfnDataSource
    resolvers: dict[str, appsync.CfnResolver] = field(default_factory=dict)
    functions: dict[str, appsync.CfnFunctionConfiguration] = field(default_factory=dict)


def _table(scope: Construct, spec: TableSpec, removal_policy: RemovalPolicy) -> dynamodb.CfnTable:
    attributes: dict[str, str] = {spec.partition_key.name: spec.partition_key.type.value}
    key = [
        dynamodb.CfnTable.KeySchemaProperty(attribute_name=spec.partition_key.name, key_type="HASH")
    ]
    if spec.sort_key is not None:
        attributes[spec.sort_key.name] = spec.sort_key.type.value
        key.append(
            dynamodb.CfnTable.KeySchemaProperty(attribute_name=spec.sort_key.name, key_type="RANGE")
        )
    indexes = []
    for gsi in spec.indexes:
        schema = [
            dynamodb.CfnTable.KeySchemaProperty(
                attribute_name=gsi.partition_key.name, key_type="HASH"
            )
        ]
        attributes[gsi.partition_key.name] = gsi.partition_key.type.value
        if gsi.sort_key is not None:
            attributes[gsi.sort_key.name] = gsi.sort_key.type.value
            schema.append(
                dynamodb.CfnTable.KeySchemaProperty(
                    attribute_name=gsi.sort_key.name, key_type="RANGE"
                )
            )
        indexes.append(
            dynamodb.CfnTable.GlobalSecondaryIndexProperty(
                index_name=gsi.name,
                key_schema=schema,
                projection=dynamodb.CfnTable.ProjectionProperty(projection_type="ALL"),
            )
        )
    table = dynamodb.CfnTable(
        scope,
        "Table",
        key_schema=key,
        attribute_definitions=[
            dynamodb.CfnTable.AttributeDefinitionProperty(attribute_name=n, attribute_type=t)
            for n, t in attributes.items()
        ],
        billing_mode="PAY_PER_REQUEST",
        global_secondary_indexes=indexes or None,
        point_in_time_recovery_specification=dynamodb.CfnTable.PointInTimeRecoverySpecificationProperty(
            point_in_time_recovery_enabled=True
        ),
        sse_specification=dynamodb.CfnTable.SSESpecificationProperty(sse_enabled=True),
    )
    table.apply_removal_policy(removal_policy)
    return table


def _role(scope: Construct, spec: TableSpec, table: dynamodb.CfnTable) -> iam.CfnRole:
    resources: list[str] = [table.attr_arn]
    resources += [Fn.join("", [table.attr_arn, "/index/", gsi.name]) for gsi in spec.indexes]
    return iam.CfnRole(
        scope,
        "DataSourceRole",
        assume_role_policy_document=APPSYNC_TRUST,
        policies=[
            iam.CfnRole.PolicyProperty(
                policy_name="TableAccess",
                policy_document={
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Action": list(TABLE_ACTIONS), "Resource": resources}
                    ],
                },
            )
        ],
    )


def add_resolver(
    scope: Construct,
    api_id: str,
    spec: ResolverSpec,
    code: str,
    data_source_name: str,
    depends_on: CfnResource,
    functions: list[str] | None = None,
) -> appsync.CfnResolver:
    resolver = appsync.CfnResolver(
        scope,
        f"{spec.type_name}{spec.field_name[:1].upper()}{spec.field_name[1:]}Resolver",
        api_id=api_id,
        type_name=spec.type_name,
        field_name=spec.field_name,
        kind="PIPELINE" if functions is not None else "UNIT",
        data_source_name=None if functions is not None else data_source_name,
        pipeline_config=(
            appsync.CfnResolver.PipelineConfigProperty(functions=functions)
            if functions is not None
            else None
        ),
        runtime=RUNTIME,
        code=code,
    )
    resolver.node.add_dependency(depends_on)
    return resolver


def add_model_resources(
    scope: Construct,
    *,
    api_id: str,
    spec: TableSpec,
    resolvers: list[ResolverSpec],
    artifacts: ApiArtifacts,
    removal_policy: RemovalPolicy,
    none_data_source: str,
    schema: CfnResource,
) -> ModelResources:
    table = _table(scope, spec, removal_policy)
    role = _role(scope, spec, table)
    data_source = appsync.CfnDataSource(
        scope,
        "DataSource",
        api_id=api_id,
        name=f"{spec.model}Table",
        type="AMAZON_DYNAMODB",
        dynamo_db_config=appsync.CfnDataSource.DynamoDBConfigProperty(
            table_name=table.ref, aws_region=Stack.of(scope).region
        ),
        service_role_arn=role.attr_arn,
    )
    made = ModelResources(table=table, role=role, data_source=data_source)
    for spec_ in resolvers:
        function_ids: list[str] | None = None
        if spec_.functions:
            function_ids = []
            for fn in spec_.functions:
                function = appsync.CfnFunctionConfiguration(
                    scope,
                    f"{fn.name[:1].upper()}{fn.name[1:]}Function",
                    api_id=api_id,
                    name=fn.name,
                    data_source_name=data_source.attr_name,
                    runtime=_FN_RUNTIME,
                    code=artifacts.code(fn.plan),
                )
                made.functions[fn.name] = function
                function_ids.append(function.attr_function_id)
        source = data_source.attr_name if spec_.data_source is not None else none_data_source
        resolver = add_resolver(
            scope, api_id, spec_, artifacts.code(spec_.plan), source, schema, function_ids
        )
        made.resolvers[f"{spec_.type_name}.{spec_.field_name}"] = resolver
    return made
