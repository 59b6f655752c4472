"""Bringing built template data into the app: the API's own resources through one
``CfnInclude``, each nested stack of models (and a large schema) as a file asset of the
app's output folder, and the schema dependency of resolvers users add."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import CfnResource, CfnStack, FileAssetPackaging, IAspect, Stack, Stage
from aws_cdk import aws_appsync as appsync
from aws_cdk import cloudformation_include as cfn_inc
from constructs import Construct

from .limits import check_template
from .model_template import TemplateBuilder

__all__ = ["SchemaDependency", "asset_name", "file_asset", "include", "nested_stack", "resolve_ref"]


def asset_name(body: bytes, extension: str) -> str:
    """The file name :func:`file_asset` gives ``body`` in the app's output folder."""
    return f"{hashlib.sha256(body).hexdigest()}.{extension}"


def file_asset(scope: Construct, body: bytes, extension: str) -> Any:
    """``body`` written to the app's output folder and published as a file asset."""
    name = asset_name(body, extension)
    digest = name.split(".", 1)[0]
    stage = Stage.of(scope)
    if stage is None:
        raise ValueError(
            f"'{scope.node.path}' is not inside an App or Stage; large APIs write nested "
            f"stack templates and their schema to the app's output folder, so the API needs one."
        )
    (Path(stage.outdir) / name).write_bytes(body)
    return Stack.of(scope).synthesizer.add_file_asset(
        file_name=name, packaging=FileAssetPackaging.FILE, source_hash=digest
    )


def nested_stack(scope: Construct, construct_id: str, builder: TemplateBuilder) -> CfnStack:
    """A nested stack whose template is written as built: CDK never parses it (with
    hundreds of resources that is most of the synthesis time). It is published as a file
    asset, like a NestedStack's template."""
    template = builder.template()
    check_template(scope.node.path, f"the nested stack {construct_id}", template)
    body = json.dumps(template, indent=1).encode("utf-8")
    location = file_asset(scope, body, "nested.template.json")
    return CfnStack(
        scope, construct_id, template_url=location.http_url, parameters=dict(builder.parameters)
    )


def resolve_ref(ref: Any, include: cfn_inc.CfnInclude) -> Any:
    """A ``{"Fn::GetAtt": [id, attr]}`` of the included template as a CDK reference."""
    logical_id, attribute = ref["Fn::GetAtt"]
    return include.get_resource(logical_id).get_att(attribute)


def include(scope: Construct, construct_id: str, builder: TemplateBuilder) -> cfn_inc.CfnInclude:
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


@jsii.implements(IAspect)
class SchemaDependency:
    """Adds the schema as a dependency of every AppSync resolver under the visited node."""

    def __init__(self, schema: CfnResource) -> None:
        self._schema = schema

    def visit(self, node: Any) -> None:
        if isinstance(node, appsync.CfnResolver):
            node.node.add_dependency(self._schema)
