"""The Cognito stand-in of ``serve``: moto's server on a loopback port, holding a user pool
and app client that stand for the template's user pool, and the sign-in the ``token``
command does against it.

moto signs every pool's tokens with the key set it ships (``identity_jwks.moto_cognito_jwks``);
the pool's issuer is ``https://cognito-idp.<region>.amazonaws.com/<pool id>``, whatever
address the server listens on, so its tokens verify exactly as AppSync verifies Cognito's.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .assembly import REGION

__all__ = [
    "DEFAULT_PASSWORD",
    "CognitoError",
    "CognitoPool",
    "MotoServer",
    "PoolSpec",
    "cognito_client",
    "create_pool",
    "find_pool",
    "id_token",
    "pool_spec",
]

DEFAULT_PASSWORD = "Local-Passw0rd!"  # meets Cognito's strictest password policy
_AUTH_FLOWS = [
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
]


class CognitoError(Exception):
    """A sign-in that cannot be done; the message is a sentence for the user."""


class MotoServer:
    """moto's server (every service it emulates, sharing this process's moto state) on
    ``host:port`` (port 0: any free port), on a daemon thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import WSGIRequestHandler, make_server

        class QuietHandler(WSGIRequestHandler):
            def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
                return  # `serve` prints its own lines

        app = DomainDispatcherApplication(create_backend_app)
        self._server = make_server(host, port, app, threaded=True, request_handler=QuietHandler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="moto-server", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        return f"http://{name}:{port}"

    def start(self) -> MotoServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()


@dataclass(frozen=True)
class PoolSpec:
    """What the template says of the API's user pool: its name and its groups."""

    name: str
    groups: tuple[str, ...] = ()
    client_name: str = "local"


@dataclass(frozen=True)
class CognitoPool:
    """The stand-in pool: where it is served, its id and its app client's id."""

    endpoint: str
    user_pool_id: str
    client_id: str
    groups: tuple[str, ...] = ()

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{REGION}.amazonaws.com/{self.user_pool_id}"


def _ref(value: object) -> object:
    return value.get("Ref") if isinstance(value, Mapping) else value


def pool_spec(template: Mapping[str, Any], user_pool_id: str) -> PoolSpec:
    """The spec of the pool the API names (``user_pool_id``: the evaluated id, locally the
    pool's logical id; a pool outside the template keeps its id as name, with no groups)."""
    resources: Mapping[str, Any] = template.get("Resources", {})
    pool = resources.get(user_pool_id, {})
    props = pool.get("Properties", {}) if pool.get("Type") == "AWS::Cognito::UserPool" else {}
    name = props.get("UserPoolName")
    groups = sorted(
        {
            str(r["Properties"]["GroupName"])
            for r in resources.values()
            if r.get("Type") == "AWS::Cognito::UserPoolGroup"
            and _ref(r.get("Properties", {}).get("UserPoolId")) == user_pool_id
            and isinstance(r["Properties"].get("GroupName"), str)
        }
    )
    clients = [
        key
        for key, r in resources.items()
        if r.get("Type") == "AWS::Cognito::UserPoolClient"
        and _ref(r.get("Properties", {}).get("UserPoolId")) == user_pool_id
    ]
    return PoolSpec(
        name=name if isinstance(name, str) else user_pool_id,
        groups=tuple(groups),
        client_name=clients[0] if clients else "local",
    )


def cognito_client(endpoint: str) -> Any:
    """A boto3 Cognito client for the stand-in (any credentials do)."""
    import boto3

    return boto3.client(
        "cognito-idp",
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def create_pool(endpoint: str, spec: PoolSpec) -> CognitoPool:
    idp = cognito_client(endpoint)
    pool_id = idp.create_user_pool(PoolName=spec.name)["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName=spec.client_name, ExplicitAuthFlows=_AUTH_FLOWS
    )["UserPoolClient"]["ClientId"]
    for group in spec.groups:
        idp.create_group(UserPoolId=pool_id, GroupName=group)
    return CognitoPool(endpoint, pool_id, client_id, spec.groups)


def find_pool(endpoint: str) -> CognitoPool:
    """The only pool (and its first client) served at ``endpoint``."""
    idp = cognito_client(endpoint)
    pools = idp.list_user_pools(MaxResults=60)["UserPools"]
    if len(pools) != 1:
        raise CognitoError(
            f"The Cognito endpoint {endpoint} has {len(pools)} user pools; "
            f"`token` needs the one that `serve` made (give --state-file instead of --endpoint)."
        )
    pool_id = pools[0]["Id"]
    clients = idp.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    if not clients:
        raise CognitoError(f"User pool {pool_id} at {endpoint} has no app client.")
    return CognitoPool(endpoint, pool_id, clients[0]["ClientId"])


def _error_code(error: Exception) -> str:
    response = getattr(error, "response", None)
    if isinstance(response, Mapping):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def id_token(pool: CognitoPool, user: str, groups: tuple[str, ...], password: str) -> str:
    """Sign ``user`` in (created with ``password`` if new; added to ``groups``, made if
    missing) and return the ID token."""
    from botocore.exceptions import ClientError

    idp = cognito_client(pool.endpoint)
    pool_id = pool.user_pool_id
    try:
        idp.admin_get_user(UserPoolId=pool_id, Username=user)
    except ClientError as error:
        if _error_code(error) != "UserNotFoundException":
            raise
        idp.admin_create_user(UserPoolId=pool_id, Username=user, MessageAction="SUPPRESS")
        idp.admin_set_user_password(
            UserPoolId=pool_id, Username=user, Password=password, Permanent=True
        )
    existing = {g["GroupName"] for g in idp.list_groups(UserPoolId=pool_id)["Groups"]}
    for group in groups:
        if group not in existing:
            idp.create_group(UserPoolId=pool_id, GroupName=group)
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=user, GroupName=group)
    try:
        answer = idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=pool.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": user, "PASSWORD": password},
        )
    except ClientError as error:
        if _error_code(error) == "NotAuthorizedException":
            raise CognitoError(
                f"User {user!r} exists in user pool {pool_id} with another password; "
                f"give it with --password."
            ) from None
        raise
    result = answer.get("AuthenticationResult")
    if not isinstance(result, Mapping) or not isinstance(result.get("IdToken"), str):
        challenge = answer.get("ChallengeName", "none")
        raise CognitoError(
            f"User pool {pool_id} answered challenge {challenge} for {user!r} instead of tokens."
        )
    return str(result["IdToken"])
