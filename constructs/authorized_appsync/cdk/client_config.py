"""What Amplify's clients need to reach a deployed API, put where ``authorized-appsync
outputs`` finds it without the user wiring anything: the model introspection of the schema
as a file asset of the stack (``cdk deploy`` publishes it to the bootstrap bucket; ``serve``
reads it from the cloud assembly, named in the API resource's metadata), and one stack
output per API holding a :class:`~..amplify_outputs.StackClientConfig` (URL, region, modes,
the API key, the Cognito ids, the introspection's ``s3://`` URL) as JSON.

CloudFormation takes 1,024 characters per output value and 200 outputs per stack: the
output holds ids and URLs only (about 600 characters), the introspection (kilobytes per
model) is the asset.
"""

from __future__ import annotations

import json

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_appsync as appsync
from constructs import Construct

from ..amplify_outputs import CLIENT_CONFIG_OUTPUT, MODEL_INTROSPECTION_METADATA, StackClientConfig
from ..appsync import AuthorizationMode
from ..codegen.clients.introspection import model_introspection
from ..schema.model import Schema
from .config import AuthorizationModes
from .stack_files import asset_name, file_asset

__all__ = ["add_client_config"]

_EXTENSION = "model-introspection.json"


def add_client_config(
    scope: Construct,
    prefix: str,
    *,
    cfn_api: appsync.CfnGraphQLApi,
    api_key: appsync.CfnApiKey | None,
    schema: Schema,
    modes: AuthorizationModes,
    default: AuthorizationMode,
) -> CfnOutput:
    """Write the introspection asset, name it in ``cfn_api``'s metadata and add the stack
    output ``<prefix>AmplifyClientConfig``."""
    body = json.dumps(model_introspection(schema).to_json(), indent=1).encode("utf-8")
    location = file_asset(scope, body, _EXTENSION)
    cfn_api.add_metadata(MODEL_INTROSPECTION_METADATA, asset_name(body, _EXTENSION))
    pool = modes.user_pool_config
    identity_pool = modes.identity_pool_config
    stack = Stack.of(scope)
    config = StackClientConfig(
        api=scope.node.path,
        url=cfn_api.attr_graph_ql_url,
        region=stack.region,
        default_mode=default.value,
        modes=tuple(m.value for m in modes.configured()),
        api_key=None if api_key is None else api_key.attr_api_key,
        user_pool_id=None if pool is None else pool.user_pool.user_pool_id,
        user_pool_client_id=(
            None
            if pool is None or pool.user_pool_client is None
            else pool.user_pool_client.user_pool_client_id
        ),
        identity_pool_id=None if identity_pool is None else identity_pool.identity_pool_id,
        guests=identity_pool is not None and identity_pool.unauthenticated_user_role is not None,
        introspection=location.s3_object_url,
    )
    output = CfnOutput(
        scope,
        CLIENT_CONFIG_OUTPUT,
        value=stack.to_json_string(config.to_json()),
        description=(
            f"Amplify client configuration of the AppSync API {scope.node.path}: "
            f"`authorized-appsync outputs --stack <this stack>` writes amplify_outputs.json."
        ),
    )
    output.override_logical_id(prefix + CLIENT_CONFIG_OUTPUT)
    return output
