"""Reading what was synthesized: the AppSync API, schema, data sources, resolvers, pipeline
functions and tables of a CloudFormation template, with intrinsic functions evaluated to
local stand-ins (a table's physical name is its logical id; a role's name is its logical id;
the account is 123456789012, the region us-east-1).

The local runtime runs exactly this — the deployed resolvers' code, not a parallel model.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ACCOUNT",
    "REGION",
    "ApiConfig",
    "DataSourceDef",
    "FunctionDef",
    "LoadedApi",
    "ResolverDef",
    "TableDef",
    "load_assembly",
    "load_template",
]

ACCOUNT = "123456789012"
REGION = "us-east-1"
API_ID = "localapi"
Template = Mapping[str, Any]  # CloudFormation JSON, as read


@dataclass(frozen=True)
class TableDef:
    name: str  # the physical name used locally (the logical id)
    key_schema: tuple[tuple[str, str], ...]  # (attribute, HASH|RANGE)
    attributes: tuple[tuple[str, str], ...]  # (attribute, S|N|B)
    indexes: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # (name, key schema)


@dataclass(frozen=True)
class DataSourceDef:
    name: str
    kind: str  # NONE | AMAZON_DYNAMODB | AWS_LAMBDA ...
    table: str | None = None


@dataclass(frozen=True)
class FunctionDef:
    function_id: str
    name: str
    data_source: str
    code: str


@dataclass(frozen=True)
class ResolverDef:
    type_name: str
    field_name: str
    code: str
    data_source: str | None = None  # unit resolvers
    functions: tuple[str, ...] = ()  # pipeline resolvers: function ids in order

    @property
    def is_pipeline(self) -> bool:
        return bool(self.functions)


@dataclass(frozen=True)
class ApiConfig:
    """The API's authorization modes, as configured on the GraphQLApi resource."""

    default_mode: str
    additional_modes: tuple[str, ...] = ()
    user_pool_id: str | None = None
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None

    @property
    def modes(self) -> tuple[str, ...]:
        return (self.default_mode, *self.additional_modes)


@dataclass(frozen=True)
class LoadedApi:
    api: ApiConfig
    sdl: str
    data_sources: Mapping[str, DataSourceDef]
    resolvers: Mapping[tuple[str, str], ResolverDef]
    functions: Mapping[str, FunctionDef]
    tables: Mapping[str, TableDef]
    api_keys: tuple[str, ...] = field(default=())


class _Evaluator:
    """Evaluates the intrinsic functions the construct emits, to local values."""

    def __init__(self, resources: Mapping[str, Any], parameters: Mapping[str, Any]) -> None:
        self.resources = resources
        self.parameters = parameters

    def __call__(self, value: Any) -> Any:  # noqa: PLR0911 - one branch per intrinsic
        if isinstance(value, list):
            return [self(v) for v in value]
        if not isinstance(value, dict):
            return value
        if "Ref" in value:
            return self._ref(value["Ref"])
        if "Fn::GetAtt" in value:
            target, attribute = value["Fn::GetAtt"]
            return self._get_att(target, attribute)
        if "Fn::Join" in value:
            separator, parts = value["Fn::Join"]
            return str(separator).join(str(self(p)) for p in parts)
        if "Fn::Sub" in value:
            text = value["Fn::Sub"]
            return text if isinstance(text, str) else str(self(text[0]))
        return {k: self(v) for k, v in value.items()}

    def _ref(self, name: str) -> Any:
        pseudo = {
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": "local",
        }
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self(self.parameters[name])
        return name  # a resource's physical id is its logical id here

    def _get_att(self, target: str, attribute: str) -> Any:
        resource = self.resources.get(target, {})
        kind = resource.get("Type", "")
        props = resource.get("Properties", {})
        if attribute == "Name" and "Name" in props:
            return self(props["Name"])
        if attribute in ("ApiId", "FunctionId"):
            return API_ID if attribute == "ApiId" else target
        if attribute == "Arn":
            if kind == "AWS::IAM::Role":
                return f"arn:aws:iam::{ACCOUNT}:role/{target}"
            if kind == "AWS::DynamoDB::Table":
                return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{target}"
            return f"arn:aws:local:{REGION}:{ACCOUNT}:{target}"
        return f"{target}.{attribute}"


def _pairs(items: Any, key: str, value: str) -> tuple[tuple[str, str], ...]:
    return tuple((str(i[key]), str(i[value])) for i in items or ())


def load_template(template: Template, parameters: Mapping[str, Any] | None = None) -> LoadedApi:
    """The (one) AppSync API of ``template``."""
    resources: Mapping[str, Any] = template.get("Resources", {})
    evaluate = _Evaluator(resources, parameters or {})
    apis = [r for r in resources.values() if r["Type"] == "AWS::AppSync::GraphQLApi"]
    if len(apis) != 1:
        raise ValueError(
            f"The template has {len(apis)} AppSync GraphQL APIs; the local runtime runs one "
            f"API at a time (give the stack that holds exactly one)."
        )
    api_props = apis[0]["Properties"]
    extra = api_props.get("AdditionalAuthenticationProviders", [])
    pool = api_props.get("UserPoolConfig") or next(
        (p.get("UserPoolConfig") for p in extra if p.get("UserPoolConfig")), None
    )
    oidc = api_props.get("OpenIDConnectConfig") or next(
        (p.get("OpenIDConnectConfig") for p in extra if p.get("OpenIDConnectConfig")), None
    )
    config = ApiConfig(
        default_mode=api_props["AuthenticationType"],
        additional_modes=tuple(p["AuthenticationType"] for p in extra),
        user_pool_id=evaluate(pool["UserPoolId"]) if pool else None,
        oidc_issuer=evaluate(oidc["Issuer"]) if oidc else None,
        oidc_client_id=evaluate(oidc.get("ClientId")) if oidc else None,
    )
    sdl = ""
    sources: dict[str, DataSourceDef] = {}
    resolvers: dict[tuple[str, str], ResolverDef] = {}
    functions: dict[str, FunctionDef] = {}
    tables: dict[str, TableDef] = {}
    keys: list[str] = []
    for logical_id, resource in resources.items():
        kind = resource["Type"]
        props = evaluate(resource.get("Properties", {}))
        if kind == "AWS::AppSync::GraphQLSchema":
            sdl = props["Definition"]
        elif kind == "AWS::AppSync::DataSource":
            table = (props.get("DynamoDBConfig") or {}).get("TableName")
            sources[props["Name"]] = DataSourceDef(props["Name"], props["Type"], table)
        elif kind == "AWS::AppSync::FunctionConfiguration":
            functions[logical_id] = FunctionDef(
                logical_id, props["Name"], props["DataSourceName"], props.get("Code", "")
            )
        elif kind == "AWS::AppSync::Resolver":
            resolvers[(props["TypeName"], props["FieldName"])] = ResolverDef(
                type_name=props["TypeName"],
                field_name=props["FieldName"],
                code=props.get("Code", ""),
                data_source=props.get("DataSourceName"),
                functions=tuple((props.get("PipelineConfig") or {}).get("Functions", ())),
            )
        elif kind == "AWS::DynamoDB::Table":
            tables[logical_id] = TableDef(
                name=logical_id,
                key_schema=_pairs(props["KeySchema"], "AttributeName", "KeyType"),
                attributes=_pairs(props["AttributeDefinitions"], "AttributeName", "AttributeType"),
                indexes=tuple(
                    (g["IndexName"], _pairs(g["KeySchema"], "AttributeName", "KeyType"))
                    for g in props.get("GlobalSecondaryIndexes", ())
                ),
            )
        elif kind == "AWS::AppSync::ApiKey":
            keys.append(f"da2-local{logical_id.lower()}")
    if not sdl:
        raise ValueError("The template's AppSync API has no schema (AWS::AppSync::GraphQLSchema).")
    return LoadedApi(config, sdl, sources, resolvers, functions, tables, tuple(keys))


def load_assembly(path: str | Path, stack: str | None = None) -> LoadedApi:
    """The API of a cloud assembly (``cdk.out``): the stack named, or the only stack with
    an AppSync API."""
    folder = Path(path)
    templates = sorted(folder.glob("*.template.json"))
    found = []
    for candidate in templates:
        if stack is not None and candidate.name != f"{stack}.template.json":
            continue
        body = json.loads(candidate.read_text(encoding="utf-8"))
        if any(r["Type"] == "AWS::AppSync::GraphQLApi" for r in body.get("Resources", {}).values()):
            found.append(body)
    if len(found) != 1:
        names = ", ".join(t.name.removesuffix(".template.json") for t in templates)
        raise ValueError(
            f"Found {len(found)} stacks with an AppSync API in {folder} (stacks: {names}); "
            f"name one with stack=."
        )
    return load_template(found[0])
