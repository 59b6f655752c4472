"""One API of a stack's template, and of every nested stack under it, read back:
schema, data sources, resolvers, pipeline functions, tables and Lambda functions, with
intrinsic functions evaluated to local stand-ins (``intrinsics.py``). A nested stack is
evaluated against its own resources and the ``Parameters`` its parent passes it, evaluated
in the parent. How the stacks and APIs of an assembly are found: ../README.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ...amplify_outputs import MODEL_INTROSPECTION_METADATA
from ...appsync import SECURITY_METADATA
from ...appsync import AuthorizationMode as AuthMode
from .apis import (
    PYTHON,
    ApiRef,
    Flags,
    Located,
    locate_api,
    select_api,
    template_apis,
)
from .iam_policies import PolicyCollector, RolePolicies
from .intrinsics import ACCOUNT, API_ID, REGION, Evaluator, template_parameters
from .lambdas import LambdaFunctionDef, lambda_function
from .nested import AssemblyAssets, nested_template
from .security import Security
from .stacks import StackFile, synthesized_stack

__all__ = [
    "ACCOUNT",
    "API_ID",
    "REGION",
    "ApiConfig",
    "ApiRef",
    "ApiSource",
    "DataSourceDef",
    "Flags",
    "FunctionDef",
    "LoadedApi",
    "Located",
    "ResolverDef",
    "StackFile",
    "TableDef",
    "load_assembly",
    "load_located",
    "load_template",
    "locate_api",
    "synthesized_stack",
]

Template = Mapping[str, Any]  # CloudFormation JSON, as read


@dataclass(frozen=True)
class TableDef:
    name: str  # the physical name used locally (the logical id)
    key_schema: tuple[tuple[str, str], ...]  # (attribute, HASH|RANGE)
    attributes: tuple[tuple[str, str], ...]  # (attribute, S|N|B)
    indexes: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # (name, key schema)
    ttl_attribute: str | None = None  # TimeToLiveSpecification's, when enabled


@dataclass(frozen=True)
class DataSourceDef:
    name: str
    kind: str  # NONE | AMAZON_DYNAMODB | AWS_LAMBDA ...
    table: str | None = None
    # AWS_LAMBDA: the function's ARN as evaluated here, and the function when it is one of
    # the loaded templates' (None for a function defined elsewhere).
    function_arn: str | None = None
    function: LambdaFunctionDef | None = None


@dataclass(frozen=True)
class FunctionDef:
    function_id: str
    name: str
    data_source: str
    code: str
    # The VTL mapping-template properties it has (they do not run locally); with neither
    # those nor code (``codeless``) it is a direct Lambda function (``lambdas/direct.py``).
    templates: tuple[str, ...] = ()
    codeless: bool = False
    max_batch_size: int = 0


@dataclass(frozen=True)
class ResolverDef:
    type_name: str
    field_name: str
    code: str
    data_source: str | None = None  # unit resolvers
    functions: tuple[str, ...] = ()  # pipeline resolvers: function ids in order
    templates: tuple[str, ...] = ()  # as FunctionDef's
    codeless: bool = False
    max_batch_size: int = 0

    @property
    def is_pipeline(self) -> bool:
        return bool(self.functions)


@dataclass(frozen=True)
class ApiConfig:
    """The API's authorization modes, as configured on the GraphQLApi resource."""

    default_mode: AuthMode
    additional_modes: tuple[AuthMode, ...] = ()
    user_pool_id: str | None = None
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    security: Security = field(default_factory=Security)
    # The model introspection file the construct wrote into the cloud assembly (its name,
    # relative to the stack's assembly folder), if any.
    model_introspection: str | None = None

    @property
    def modes(self) -> tuple[AuthMode, ...]:
        return (self.default_mode, *self.additional_modes)


@dataclass(frozen=True)
class ApiSource:
    """Where the API was read: ``path`` names it (its construct path), in the stack
    ``stack``; ``props``: its GraphQLApi resource's properties as synthesized (intrinsic
    functions unevaluated); ``key_expiry``: API key -> its ``Expires`` (epoch seconds),
    for the keys that set one."""

    path: str
    stack: str
    logical_id: str
    props: Mapping[str, Any] = field(default_factory=dict)
    key_expiry: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadedApi:
    api: ApiConfig
    sdl: str
    data_sources: Mapping[str, DataSourceDef]
    resolvers: Mapping[tuple[str, str], ResolverDef]
    functions: Mapping[str, FunctionDef]
    tables: Mapping[str, TableDef]
    api_keys: tuple[str, ...] = field(default=())
    # The first AWS::Cognito::IdentityPool of the templates (its logical id), if any.
    identity_pool_id: str | None = None
    # The templates read: the stack's name, then "<parent>/<logical id>" per nested stack.
    stacks: tuple[str, ...] = ()
    # What the templates' roles' IAM policies allow (AppSync asks them for IAM callers).
    role_policies: RolePolicies = field(default_factory=RolePolicies)
    source: ApiSource | None = None  # None for an API built by hand


def _pairs(items: Any, key: str, value: str) -> tuple[tuple[str, str], ...]:
    return tuple((str(i[key]), str(i[value])) for i in items or ())


def _api_config(resource: Mapping[str, Any], evaluate: Evaluator) -> ApiConfig:
    props = resource.get("Properties") or {}
    metadata = resource.get("Metadata") or {}
    extra = props.get("AdditionalAuthenticationProviders", [])
    pool = props.get("UserPoolConfig") or next(
        (p.get("UserPoolConfig") for p in extra if p.get("UserPoolConfig")), None
    )
    oidc = props.get("OpenIDConnectConfig") or next(
        (p.get("OpenIDConnectConfig") for p in extra if p.get("OpenIDConnectConfig")), None
    )
    return ApiConfig(
        default_mode=AuthMode(props["AuthenticationType"]),
        additional_modes=tuple(AuthMode(p["AuthenticationType"]) for p in extra),
        user_pool_id=evaluate(pool["UserPoolId"]) if pool else None,
        oidc_issuer=evaluate(oidc["Issuer"]) if oidc else None,
        oidc_client_id=evaluate(oidc.get("ClientId")) if oidc else None,
        security=Security.from_metadata(evaluate(metadata.get(SECURITY_METADATA))),
        model_introspection=_text(metadata.get(MODEL_INTROSPECTION_METADATA)),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _table(logical_id: str, props: Mapping[str, Any]) -> TableDef:
    return TableDef(
        name=logical_id,
        key_schema=_pairs(props["KeySchema"], "AttributeName", "KeyType"),
        attributes=_pairs(props["AttributeDefinitions"], "AttributeName", "AttributeType"),
        indexes=tuple(
            (g["IndexName"], _pairs(g["KeySchema"], "AttributeName", "KeyType"))
            for g in props.get("GlobalSecondaryIndexes", ())
        ),
        ttl_attribute=_ttl_attribute(props.get("TimeToLiveSpecification")),
    )


def _ttl_attribute(spec: Mapping[str, Any] | None) -> str | None:
    if not spec or not spec.get("Enabled"):
        return None
    return str(spec["AttributeName"])


_TEMPLATES = (
    "RequestMappingTemplate",
    "ResponseMappingTemplate",
    "RequestMappingTemplateS3Location",
    "ResponseMappingTemplateS3Location",
)


def _handlers(props: Mapping[str, Any]) -> tuple[tuple[str, ...], bool, int]:
    """What runs a resolver or function besides its ``Code``: its mapping templates, whether
    it has no code at all (a direct Lambda resolver on a Lambda data source) and its
    ``MaxBatchSize``."""
    templates = tuple(name for name in _TEMPLATES if props.get(name) is not None)
    code = props.get("Code") is not None or props.get("CodeS3Location") is not None
    return templates, not code and not templates, int(props.get("MaxBatchSize") or 0)


def _function_name(arn: str) -> str:
    """The function an ARN (or a bare name) names, without a version or alias."""
    _, marker, rest = arn.partition(":function:")
    return (rest if marker else arn).split(":")[0]


class _Loader:
    """Collects the parts of the API ``target`` from a template and, recursively, its nested
    stacks: the resources of other APIs (their ``ApiId`` is not ``localapi``) are skipped."""

    def __init__(self, assets: AssemblyAssets, target: ApiRef) -> None:
        self.assets = assets
        self.target = target
        self.api: ApiConfig | None = None
        self.props: Mapping[str, Any] = {}
        self.sdl = ""
        self.sources: dict[str, DataSourceDef] = {}
        self.owners: dict[str, str] = {}  # table or data source name -> stack defining it
        self.resolvers: dict[tuple[str, str], ResolverDef] = {}
        self.functions: dict[str, FunctionDef] = {}
        self.tables: dict[str, TableDef] = {}
        self.lambdas: dict[str, LambdaFunctionDef] = {}
        self.keys: list[str] = []
        self.key_expiry: dict[str, int] = {}
        self.identity_pools: list[str] = []
        self.stacks: list[str] = []
        self.policies = PolicyCollector()

    def _claim(self, what: str, name: str, stack: str) -> None:
        owner = self.owners.setdefault(f"{what} {name}", stack)
        if owner != stack:
            raise ValueError(
                f"Both {owner} and {stack} define the {what} {name!r}; locally a {what} is "
                f"named by its logical id (or its Name), so the names must differ."
            )

    def _other_apis(self, resources: Mapping[str, Any], nested: tuple[str, ...]) -> frozenset[str]:
        mine = self.target.logical_id if nested == self.target.nested else None
        return frozenset(
            k
            for k, r in resources.items()
            if r.get("Type") == "AWS::AppSync::GraphQLApi" and k != mine
        )

    def add(
        self,
        stack: str,
        template: Template,
        parameters: Mapping[str, Any],
        nested: tuple[str, ...] = (),
    ) -> None:
        self.stacks.append(stack)
        resources: Mapping[str, Any] = template.get("Resources") or {}
        evaluate = Evaluator(
            resources,
            template_parameters(template, parameters),
            other_apis=self._other_apis(resources, nested),
        )
        for logical_id, resource in resources.items():
            kind = resource.get("Type", "")
            raw = resource.get("Properties") or {}
            if kind == "AWS::CloudFormation::Stack":
                child = nested_template(stack, logical_id, resource, self.assets)
                given = evaluate(raw.get("Parameters") or {})
                self.add(f"{stack}/{logical_id}", child, given, (*nested, logical_id))
            elif kind == "AWS::Lambda::Function":
                self.lambdas[logical_id] = lambda_function(
                    logical_id, resource, self.assets, evaluate
                )
            elif kind.startswith("AWS::IAM::"):
                self.policies.add(logical_id, kind, raw, evaluate)
            elif kind == "AWS::Cognito::IdentityPool":
                self.identity_pools.append(logical_id)
            elif kind == "AWS::AppSync::GraphQLApi":
                if (nested, logical_id) == (self.target.nested, self.target.logical_id):
                    self.api, self.props = _api_config(resource, evaluate), raw
            elif str(evaluate(raw.get("ApiId"))).startswith(f"{API_ID}-"):
                continue  # a part of another API of the same templates (intrinsics.py)
            elif kind == "AWS::AppSync::ApiKey":
                key = f"da2-local{logical_id.lower()}"
                self.keys.append(key)
                if isinstance(raw.get("Expires"), int):
                    self.key_expiry[key] = raw["Expires"]
            elif kind.startswith(("AWS::AppSync::", "AWS::DynamoDB::Table")):
                self._appsync(stack, logical_id, kind, evaluate(raw))

    def _appsync(self, stack: str, logical_id: str, kind: str, props: Mapping[str, Any]) -> None:
        if kind == "AWS::AppSync::GraphQLSchema":
            self.sdl = props["Definition"]
        elif kind == "AWS::AppSync::DataSource":
            name = props["Name"]
            self._claim("data source", name, stack)
            lambda_config = props.get("LambdaConfig") or {}
            self.sources[name] = DataSourceDef(
                name,
                props["Type"],
                table=(props.get("DynamoDBConfig") or {}).get("TableName"),
                function_arn=lambda_config.get("LambdaFunctionArn"),
            )
        elif kind == "AWS::AppSync::FunctionConfiguration":
            templates, codeless, batch = _handlers(props)
            self.functions[logical_id] = FunctionDef(
                logical_id,
                props["Name"],
                props["DataSourceName"],
                props.get("Code", ""),
                templates=templates,
                codeless=codeless,
                max_batch_size=batch,
            )
        elif kind == "AWS::AppSync::Resolver":
            templates, codeless, batch = _handlers(props)
            self.resolvers[(props["TypeName"], props["FieldName"])] = ResolverDef(
                type_name=props["TypeName"],
                field_name=props["FieldName"],
                code=props.get("Code", ""),
                data_source=props.get("DataSourceName"),
                functions=tuple((props.get("PipelineConfig") or {}).get("Functions", ())),
                templates=templates,
                codeless=codeless,
                max_batch_size=batch,
            )
        elif kind == "AWS::DynamoDB::Table":
            self._claim("table", logical_id, stack)
            self.tables[logical_id] = _table(logical_id, props)

    def result(self) -> LoadedApi:
        target = self.target
        if self.api is None:  # pragma: no cover - the target was found in these templates
            raise ValueError(f"The AppSync API {target.path} is not in its stack's templates.")
        if not self.sdl:
            raise ValueError(
                f"The AppSync API {target.path} has no schema (AWS::AppSync::GraphQLSchema)."
            )
        sources = {
            name: replace(
                source, function=self.lambdas.get(_function_name(str(source.function_arn)))
            )
            if source.function_arn is not None
            else source
            for name, source in self.sources.items()
        }
        return LoadedApi(
            self.api,
            self.sdl,
            sources,
            self.resolvers,
            self.functions,
            self.tables,
            tuple(self.keys),
            identity_pool_id=self.identity_pools[0] if self.identity_pools else None,
            stacks=tuple(self.stacks),
            role_policies=self.policies.result(),
            source=ApiSource(
                path=target.path,
                stack=target.stack,
                logical_id=target.logical_id,
                props=self.props,
                key_expiry=self.key_expiry,
            ),
        )


def load_template(
    template: Template,
    parameters: Mapping[str, Any] | None = None,
    *,
    assembly: Path | None = None,
    name: str = "the template",
    api: str | ApiRef | None = None,
    construct_paths: Mapping[str, str] | None = None,
) -> LoadedApi:
    """The AppSync API of ``template`` and its nested stacks: the one ``api`` names (a
    construct path, see ``apis.py``), or the only one. ``assembly``: the cloud
    assembly folder holding the nested stacks' templates and the Lambda functions' assets
    (a template with nested stacks cannot load without it); ``name`` names the template (its
    stack) in paths and error messages; ``construct_paths``: its resources' construct paths
    by logical id, when the template's metadata lacks them. Raises ``ValueError`` with a
    sentence saying what is wrong."""
    return _load(template, parameters, AssemblyAssets.of(assembly), name, api, construct_paths)


def _load(
    template: Template,
    parameters: Mapping[str, Any] | None,
    assets: AssemblyAssets,
    name: str,
    api: str | ApiRef | None,
    construct_paths: Mapping[str, str] | None = None,
) -> LoadedApi:
    if not isinstance(api, ApiRef):
        found = template_apis(template, assets, stack=name, construct_paths=construct_paths)
        api = select_api(found, api, where=name, flags=PYTHON)
    loader = _Loader(assets, api)
    loader.add(name, template, parameters or {})
    return loader.result()


def load_assembly(
    path: str | Path,
    stack: str | None = None,
    api: str | None = None,
    *,
    flags: Flags = PYTHON,
) -> LoadedApi:
    """The API of a cloud assembly (``cdk.out``, or one of its ``*.template.json``): the
    one ``api`` names (in the stack ``stack`` names), or the only one; nested stacks and
    nested assemblies (stages) included. ``flags``: how errors tell the user to name them."""
    located = locate_api(Path(path), stack, api, flags=flags)
    return load_located(located)


def load_located(located: Located) -> LoadedApi:
    """The API ``locate_api`` found."""
    return _load(located.template, None, located.assets, located.stack.display, located.api)
