"""``amplify_outputs.json`` for a running ``serve``: its GraphQL URL, the API's modes, the API
key it accepts, its user pool and app client, and the model introspection the construct
wrote into the cloud assembly; so a front end runs ``Amplify.configure(outputs)`` and
``generateClient()`` against this machine unchanged.

Amplify's outputs schema has no key for a Cognito endpoint other than AWS's: serve's is in
``custom.authorized_appsync.cognito_endpoint``, for the front end to pass to Amplify as
``Auth.Cognito.userPoolEndpoint`` (docs/clients.md). The identity pool is written when the
API has one and serve answers Cognito Identity for it (``cognito_identity.py``) at the same
endpoint, ``custom.authorized_appsync.identity_pool_endpoint``, for
``Auth.Cognito.identityPoolEndpoint``.
"""

from __future__ import annotations

import json
from pathlib import Path

from ...amplify_outputs import AmplifyOutputs, AuthOutputs, DataOutputs, JsonObject
from ..assembly.template import ApiConfig
from .cognito_identity import IdentityDesk
from .state import ServeState

__all__ = ["OUTPUTS_NAME", "serve_outputs"]

OUTPUTS_NAME = "amplify_outputs.json"


def serve_outputs(
    api: ApiConfig, state: ServeState, assembly: Path, identities: IdentityDesk | None = None
) -> AmplifyOutputs:
    """The client configuration of the API ``state`` serves (``assembly``: the folder of its
    stack's template, where the introspection file is; ``identities``: the identity pool
    serve answers for, if any)."""
    pool = state.cognito
    auth = None
    custom: dict[str, object] = {"realtime_url": state.realtime_url}
    if state.realtime_certificate:
        custom["realtime_certificate"] = state.realtime_certificate
    if pool is not None:
        auth = AuthOutputs(
            aws_region=state.region,
            user_pool_id=pool.user_pool_id,
            user_pool_client_id=pool.client_id,
            groups=pool.groups,
            identity_pool_id=None if identities is None else identities.pool_id,
            unauthenticated_identities_enabled=identities is not None
            and identities.guest is not None,
        )
        custom["cognito_endpoint"] = pool.endpoint
        if identities is not None:
            custom["identity_pool_endpoint"] = pool.endpoint
    data = DataOutputs(
        url=state.graphql_url,
        aws_region=state.region,
        default_authorization_type=api.default_mode.value,
        authorization_types=tuple(m.value for m in api.additional_modes),
        api_key=state.api_keys[0].value if state.api_keys else None,
        model_introspection=_introspection(api, assembly),
    )
    return AmplifyOutputs(data=data, auth=auth, custom={"authorized_appsync": custom})


def _introspection(api: ApiConfig, assembly: Path) -> JsonObject | None:
    if api.model_introspection is None:
        return None
    path = assembly / api.model_introspection
    try:
        document: JsonObject = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return document
