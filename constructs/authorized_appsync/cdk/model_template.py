"""The model resources as CloudFormation template data: tables, data-source roles scoped to
one table and its indexes, data sources and (unit) resolvers, plus the schema
and the NONE data source. Built as plain dicts and brought into the stack with one
``CfnInclude`` (``api.py``): a few jsii calls instead of one per resource, which is what
makes synthesis of large schemas fast.

CDK tokens inside strings (role names and identity-pool ids embedded in resolver plans, the
API id) become template parameters, which ``CfnInclude`` replaces with the tokens' values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from aws_cdk import RemovalPolicy

from ..codegen.artifacts import ApiArtifacts
from ..codegen.resolver_specs import ResolverSpec
from ..codegen.tables import TableSpec

__all__ = ["ModelIds", "TemplateBuilder"]

Json = Any  # CloudFormation template fragments: nested dicts and lists of strings

_TOKEN = re.compile(r"\$\{Token\[[^\]]+\]\}")
_RUNTIME = {"Name": "APPSYNC_JS", "RuntimeVersion": "1.0.0"}
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
_POLICIES = {
    RemovalPolicy.RETAIN: "Retain",
    RemovalPolicy.DESTROY: "Delete",
    RemovalPolicy.SNAPSHOT: "Snapshot",
    RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE: "RetainExceptOnCreate",
}


def _alnum(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", text)


def _upper(name: str) -> str:
    return name[:1].upper() + name[1:]


@dataclass
class ModelIds:
    """Logical ids of one model's resources in the included template."""

    table: str
    role: str
    data_source: str
    resolvers: dict[str, str] = field(default_factory=dict)  # "Type.field" -> id


@dataclass
class TemplateBuilder:
    prefix: str  # makes logical ids unique when several APIs share a stack
    artifacts: ApiArtifacts
    removal_policy: RemovalPolicy
    resources: dict[str, Json] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)  # name -> value (token)
    _by_value: dict[str, str] = field(default_factory=dict)

    # -- parameters and strings ---------------------------------------------------------
    def param(self, name: str, value: str) -> Json:
        self.parameters[name] = value
        return {"Ref": name}

    def text(self, value: str) -> Json:
        """A string, with every CDK token in it turned into a parameter reference."""
        if not _TOKEN.search(value):
            return value
        parts: list[Json] = []
        position = 0
        for match in _TOKEN.finditer(value):
            if match.start() > position:
                parts.append(value[position : match.start()])
            token = match.group(0)
            name = self._by_value.get(token)
            if name is None:
                name = self._by_value[token] = f"Token{len(self._by_value)}"
                self.parameters[name] = token
            parts.append({"Ref": name})
            position = match.end()
        if position < len(value):
            parts.append(value[position:])
        return {"Fn::Join": ["", parts]}

    def template(self) -> dict[str, Json]:
        return {
            "Parameters": {name: {"Type": "String"} for name in self.parameters},
            "Resources": self.resources,
        }

    # -- API-level -----------------------------------------------------------------------
    def add_schema(self, api_id: Json) -> tuple[str, str]:
        schema_id = f"{self.prefix}Schema"
        none_id = f"{self.prefix}NoneDataSource"
        self.resources[schema_id] = {
            "Type": "AWS::AppSync::GraphQLSchema",
            "Properties": {"ApiId": api_id, "Definition": self.artifacts.sdl},
        }
        self.resources[none_id] = {
            "Type": "AWS::AppSync::DataSource",
            "Properties": {"ApiId": api_id, "Name": "NONE_DS", "Type": "NONE"},
        }
        return schema_id, none_id

    # -- one model -------------------------------------------------------------------------
    def _table(self, logical_id: str, spec: TableSpec) -> None:
        attributes = {spec.partition_key.name: spec.partition_key.type.value}
        key = [{"AttributeName": spec.partition_key.name, "KeyType": "HASH"}]
        if spec.sort_key is not None:
            attributes[spec.sort_key.name] = spec.sort_key.type.value
            key.append({"AttributeName": spec.sort_key.name, "KeyType": "RANGE"})
        indexes = []
        for gsi in spec.indexes:
            schema = [{"AttributeName": gsi.partition_key.name, "KeyType": "HASH"}]
            attributes[gsi.partition_key.name] = gsi.partition_key.type.value
            if gsi.sort_key is not None:
                attributes[gsi.sort_key.name] = gsi.sort_key.type.value
                schema.append({"AttributeName": gsi.sort_key.name, "KeyType": "RANGE"})
            indexes.append(
                {
                    "IndexName": gsi.name,
                    "KeySchema": schema,
                    "Projection": {"ProjectionType": "ALL"},
                }
            )
        properties: dict[str, Json] = {
            "KeySchema": key,
            "AttributeDefinitions": [
                {"AttributeName": n, "AttributeType": t} for n, t in attributes.items()
            ],
            "BillingMode": "PAY_PER_REQUEST",
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "SSESpecification": {"SSEEnabled": True},
        }
        if indexes:
            properties["GlobalSecondaryIndexes"] = indexes
        policy = _POLICIES.get(self.removal_policy, "Retain")
        self.resources[logical_id] = {
            "Type": "AWS::DynamoDB::Table",
            "Properties": properties,
            "DeletionPolicy": policy,
            "UpdateReplacePolicy": "Retain" if policy == "RetainExceptOnCreate" else policy,
        }

    def _role(self, logical_id: str, table_id: str, spec: TableSpec) -> None:
        arn = {"Fn::GetAtt": [table_id, "Arn"]}
        resources: list[Json] = [arn]
        resources += [{"Fn::Join": ["", [arn, "/index/", gsi.name]]} for gsi in spec.indexes]
        self.resources[logical_id] = {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": APPSYNC_TRUST,
                "Policies": [
                    {
                        "PolicyName": "TableAccess",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": list(TABLE_ACTIONS),
                                    "Resource": resources,
                                }
                            ],
                        },
                    }
                ],
            },
        }

    def add_model(
        self,
        spec: TableSpec,
        resolvers: list[ResolverSpec],
        *,
        api_id: Json,
        none_data_source: Json,
        depends_on: list[str],
    ) -> ModelIds:
        stem = f"{self.prefix}{_alnum(spec.model)}"
        ids = ModelIds(
            table=f"{stem}Table", role=f"{stem}DataSourceRole", data_source=f"{stem}DataSource"
        )
        self._table(ids.table, spec)
        self._role(ids.role, ids.table, spec)
        self.resources[ids.data_source] = {
            "Type": "AWS::AppSync::DataSource",
            "Properties": {
                "ApiId": api_id,
                "Name": f"{spec.model}Table",
                "Type": "AMAZON_DYNAMODB",
                "DynamoDBConfig": {
                    "TableName": {"Ref": ids.table},
                    "AwsRegion": {"Ref": "AWS::Region"},
                },
                "ServiceRoleArn": {"Fn::GetAtt": [ids.role, "Arn"]},
            },
        }
        table_source = {"Fn::GetAtt": [ids.data_source, "Name"]}
        for resolver in resolvers:
            self._resolver(stem, ids, resolver, api_id, table_source, none_data_source, depends_on)
        return ids

    def _resolver(
        self,
        stem: str,
        ids: ModelIds,
        spec: ResolverSpec,
        api_id: Json,
        table_source: Json,
        none_data_source: Json,
        depends_on: list[str],
    ) -> None:
        properties: dict[str, Json] = {
            "ApiId": api_id,
            "TypeName": spec.type_name,
            "FieldName": spec.field_name,
            "Runtime": _RUNTIME,
            "Code": self.text(self.artifacts.code(spec.plan)),
            "Kind": "UNIT",
            "DataSourceName": table_source if spec.data_source is not None else none_data_source,
        }
        logical_id = f"{stem}{_alnum(spec.type_name)}{_alnum(_upper(spec.field_name))}Resolver"
        resource: dict[str, Json] = {"Type": "AWS::AppSync::Resolver", "Properties": properties}
        if depends_on:
            resource["DependsOn"] = list(depends_on)
        self.resources[logical_id] = resource
        ids.resolvers[f"{spec.type_name}.{spec.field_name}"] = logical_id
