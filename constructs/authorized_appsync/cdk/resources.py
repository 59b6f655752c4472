"""What an AuthorizedGraphqlApi created, for escape hatches: the API-level resources and
each model's, by logical id (models in nested stacks are named, not constructs)."""

from __future__ import annotations

from dataclasses import dataclass, field

from aws_cdk import CfnResource, CfnStack
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_iam as iam
from aws_cdk import cloudformation_include as cfn_inc

from .model_template import ModelIds

__all__ = ["ApiResources", "ModelResources"]


@dataclass
class ModelResources:
    """One model's resources. Models in the API's own stack are constructs, fetched from
    the included template on first use; models of a large API live in nested stack
    templates (``nested_stack``), where ``ids`` names them."""

    include: cfn_inc.CfnInclude | None
    ids: ModelIds
    nested_stack: CfnStack | None = None
    api_include: cfn_inc.CfnInclude | None = None

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
        """The role the API's table data sources assume (one for the whole API)."""
        include = self.api_include or self.include
        assert include is not None
        return include.get_resource(self.ids.role)

    @property
    def data_source(self) -> CfnResource:
        return self._get(self.ids.data_source)

    @property
    def data_function(self) -> CfnResource:
        return self._get(self.ids.data_function)

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
