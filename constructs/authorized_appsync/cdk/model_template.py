"""The API's generated resources as CloudFormation template data, built as plain dicts and
brought into the stack with one ``CfnInclude`` (or written as a nested stack's template,
``api.py``): a few jsii calls instead of one per resource, which is what makes synthesis
of large schemas fast.

API-level resources (the API's own stack): the schema, the NONE data source, the functions
every resolver shares (``codegen/resolvers/pipelines.py``) and the one role the table data sources
assume. Per model (:class:`ModelFragment`, placed in the API's stack or a nested one): the
table, its data source, its data function and its pipeline resolvers.

Tables are named ``<Model>-<ApiId>`` (Amplify's form without the environment), so the data
source role is scoped to this API's tables by one ARN pattern, and a table that would have
to move between stacks fails the deployment loudly instead of being recreated empty.

CDK tokens inside strings (role names and identity-pool ids in the shared functions' code,
the API id) become template parameters, which ``CfnInclude`` replaces with the tokens'
values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aws_cdk import RemovalPolicy

from ..codegen.artifacts import DATA, RETRY, ApiArtifacts
from ..codegen.resolvers.specs import ResolverSpec
from ..codegen.tables import TableSpec
from .conflict_sources import handler_source_resources

__all__ = ["APPSYNC_TRUST", "ApiRefs", "ModelFragment", "ModelIds", "TemplateBuilder", "size_of"]

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


def size_of(resources: dict[str, Json]) -> int:
    """Bytes of ``resources`` as a template writes them (CDK indents by one space)."""
    return len(json.dumps(resources, indent=1).encode("utf-8"))


def table_name(model: str, api_id: Json) -> Json:
    return {"Fn::Join": ["", [f"{model}-", api_id]]}


@dataclass(frozen=True)
class ApiRefs:
    """How a template's model resources name the API-level ones: in the API's own stack
    by ``Fn::GetAtt``, in a nested stack by its parameters."""

    api_id: Json
    none_data_source: Json
    data_source_role: Json
    functions: dict[str, Json]  # shared function key -> its FunctionId
    depends_on: tuple[str, ...] = ()

    @classmethod
    def parameters(cls, function_keys: list[str]) -> ApiRefs:
        """The references of a nested stack (see :meth:`TemplateBuilder.nested_parameters`)."""
        return cls(
            api_id={"Ref": "ApiId"},
            none_data_source={"Ref": "NoneDataSourceName"},
            data_source_role={"Ref": "DataSourceRoleArn"},
            functions={key: {"Ref": _function_param(key)} for key in function_keys},
        )


def _function_param(key: str) -> str:
    return f"Function{_upper(key)}"


@dataclass
class ModelIds:
    """Logical ids of one model's resources in the template that holds them."""

    table: str
    data_source: str
    data_function: str
    role: str  # the API's data source role (in the API's own stack)
    resolvers: dict[str, str] = field(default_factory=dict)  # "Type.field" -> id


@dataclass
class ModelFragment:
    """One model's resources, ready to be put into a template."""

    model: str
    ids: ModelIds
    resources: dict[str, Json]

    @property
    def size(self) -> int:
        return size_of(self.resources)


@dataclass
class TemplateBuilder:
    prefix: str  # makes logical ids unique when several APIs share a stack
    artifacts: ApiArtifacts
    removal_policy: RemovalPolicy
    resources: dict[str, Json] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)  # name -> value (token)
    _by_value: dict[str, str] = field(default_factory=dict)
    _codes: dict[tuple[str, str], str] = field(default_factory=dict)

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
        if len(parts) == 1:  # the string is one token
            return parts[0]
        return {"Fn::Join": ["", parts]}

    def template(self) -> dict[str, Json]:
        return {
            "Parameters": {name: {"Type": "String"} for name in self.parameters},
            "Resources": self.resources,
        }

    # -- API-level (the API's own stack) -------------------------------------------------
    def add_schema(self, api_id: Json, definition: Json) -> tuple[str, str]:
        """The schema (``definition``: ``{"Definition": sdl}`` or an S3 location) and the
        NONE data source."""
        schema_id = f"{self.prefix}Schema"
        none_id = f"{self.prefix}NoneDataSource"
        self.resources[schema_id] = {
            "Type": "AWS::AppSync::GraphQLSchema",
            "Properties": {"ApiId": api_id, **definition},
        }
        self.resources[none_id] = {
            "Type": "AWS::AppSync::DataSource",
            "Properties": {"ApiId": api_id, "Name": "NONE_DS", "Type": "NONE"},
        }
        return schema_id, none_id

    def add_shared(
        self,
        api_id: Json,
        none_id: str,
        depends_on: str,
        handlers: Mapping[str, str] | None = None,
    ) -> ApiRefs:
        """The functions every resolver shares and the tables' data source role, and the
        Lambda data sources of the conflict handlers (``handlers``: data source name ->
        function ARN, a token); returns how the API's own stack refers to them (and to the
        API)."""
        sources: dict[str, str] = {"": none_id}
        for name in self.artifacts.conflict_handlers:
            sources[name] = self._handler_source(api_id, name, (handlers or {})[name])
        functions: dict[str, Json] = {}
        for spec in self.artifacts.functions:
            logical_id = f"{self.prefix}Function{_upper(spec.key)}"
            self.resources[logical_id] = {
                "Type": "AWS::AppSync::FunctionConfiguration",
                "Properties": {
                    "ApiId": api_id,
                    "Name": spec.key,
                    "DataSourceName": {"Fn::GetAtt": [sources[spec.handler or ""], "Name"]},
                    "Runtime": _RUNTIME,
                    "Code": self.text(spec.code),
                },
                "DependsOn": [depends_on],
            }
            functions[spec.key] = {"Fn::GetAtt": [logical_id, "FunctionId"]}
        role_id = f"{self.prefix}DataSourceRole"
        self.resources[role_id] = _role(api_id)
        return ApiRefs(
            api_id=api_id,
            none_data_source={"Fn::GetAtt": [none_id, "Name"]},
            data_source_role={"Fn::GetAtt": [role_id, "Arn"]},
            functions=functions,
            depends_on=(depends_on,),
        )

    def _handler_source(self, api_id: Json, name: str, function_arn: str) -> str:
        """A conflict handler's Lambda data source and its role; its logical id."""
        source_id, resources = handler_source_resources(
            self.prefix, api_id, name, self.text(function_arn), APPSYNC_TRUST
        )
        self.resources.update(resources)
        return source_id

    @property
    def role_id(self) -> str:
        return f"{self.prefix}DataSourceRole"

    def nested_parameters(self, main: ApiRefs) -> dict[str, Json]:
        """The values a nested stack's parameters take (see :meth:`ApiRefs.parameters`)."""
        values = {
            "ApiId": main.api_id,
            "NoneDataSourceName": main.none_data_source,
            "DataSourceRoleArn": main.data_source_role,
        }
        values.update({_function_param(k): ref for k, ref in main.functions.items()})
        return values

    # -- one model -------------------------------------------------------------------------
    def model(self, spec: TableSpec, resolvers: list[ResolverSpec], refs: ApiRefs) -> ModelFragment:
        stem = f"{self.prefix}{_alnum(spec.model)}"
        ids = ModelIds(
            table=f"{stem}Table",
            data_source=f"{stem}DataSource",
            data_function=f"{stem}DataFunction",
            role=self.role_id,
        )
        resources: dict[str, Json] = {ids.table: self._table(spec, refs.api_id)}
        resources[ids.data_source] = {
            "Type": "AWS::AppSync::DataSource",
            "Properties": {
                "ApiId": refs.api_id,
                "Name": f"{spec.model}Table",
                "Type": "AMAZON_DYNAMODB",
                "DynamoDBConfig": {
                    "TableName": {"Ref": ids.table},
                    "AwsRegion": {"Ref": "AWS::Region"},
                },
                "ServiceRoleArn": refs.data_source_role,
            },
        }
        resources[ids.data_function] = {
            "Type": "AWS::AppSync::FunctionConfiguration",
            "Properties": {
                "ApiId": refs.api_id,
                "Name": f"{_alnum(spec.model)}Data",
                "DataSourceName": {"Fn::GetAtt": [ids.data_source, "Name"]},
                "Runtime": _RUNTIME,
                "Code": self.artifacts.data_function_code,
            },
        }
        steps = {DATA: {"Fn::GetAtt": [ids.data_function, "FunctionId"]}}
        if any(RETRY in self.artifacts.pipeline(r) for r in resolvers):
            # An AUTOMERGE model's second function on its table: the merged retry.
            retry_id = f"{stem}RetryFunction"
            resources[retry_id] = {
                "Type": "AWS::AppSync::FunctionConfiguration",
                "Properties": {
                    "ApiId": refs.api_id,
                    "Name": f"{_alnum(spec.model)}Retry",
                    "DataSourceName": {"Fn::GetAtt": [ids.data_source, "Name"]},
                    "Runtime": _RUNTIME,
                    "Code": self.artifacts.retry_function_code,
                },
            }
            steps[RETRY] = {"Fn::GetAtt": [retry_id, "FunctionId"]}
        for resolver in resolvers:
            logical_id = (
                f"{stem}{_alnum(resolver.type_name)}{_alnum(_upper(resolver.field_name))}Resolver"
            )
            resources[logical_id] = self._resolver(resolver, refs, steps)
            ids.resolvers[f"{resolver.type_name}.{resolver.field_name}"] = logical_id
        return ModelFragment(spec.model, ids, resources)

    def add(self, fragment: ModelFragment) -> None:
        self.resources.update(fragment.resources)

    def _code(self, spec: ResolverSpec) -> str:
        key = (spec.type_name, spec.field_name)
        if key not in self._codes:
            self._codes[key] = self.artifacts.code(spec)
        return self._codes[key]

    def _resolver(self, spec: ResolverSpec, refs: ApiRefs, steps: dict[str, Json]) -> Json:
        """``steps``: the model's own functions (:data:`DATA`, :data:`RETRY`) by marker."""
        functions = [steps.get(key) or refs.functions[key] for key in self.artifacts.pipeline(spec)]
        resource: dict[str, Json] = {
            "Type": "AWS::AppSync::Resolver",
            "Properties": {
                "ApiId": refs.api_id,
                "TypeName": spec.type_name,
                "FieldName": spec.field_name,
                "Runtime": _RUNTIME,
                "Code": self._code(spec),
                "Kind": "PIPELINE",
                "PipelineConfig": {"Functions": functions},
            },
        }
        if refs.depends_on:
            resource["DependsOn"] = list(refs.depends_on)
        return resource

    def _table(self, spec: TableSpec, api_id: Json) -> Json:
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
            "TableName": table_name(spec.model, api_id),
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
        if spec.ttl_attribute:
            properties["TimeToLiveSpecification"] = {
                "AttributeName": spec.ttl_attribute,
                "Enabled": True,
            }
        policy = _POLICIES.get(self.removal_policy, "Retain")
        return {
            "Type": "AWS::DynamoDB::Table",
            "Properties": properties,
            "DeletionPolicy": policy,
            "UpdateReplacePolicy": "Retain" if policy == "RetainExceptOnCreate" else policy,
        }


def _role(api_id: Json) -> Json:
    """The role every table data source of the API assumes: the generated resolvers'
    requests on the tables named ``<Model>-<ApiId>`` and their indexes, nothing else."""
    tables: list[Json] = [
        "arn:",
        {"Ref": "AWS::Partition"},
        ":dynamodb:",
        {"Ref": "AWS::Region"},
        ":",
        {"Ref": "AWS::AccountId"},
        ":table/*-",
        api_id,
    ]
    arn = {"Fn::Join": ["", tables]}
    indexes = {"Fn::Join": ["", [*tables, "/index/*"]]}
    return {
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
                                "Resource": [arn, indexes],
                            }
                        ],
                    },
                }
            ],
        },
    }
