"""The Cognito stand-in of ``serve`` as its clients see it: what the template says of the
user pool, the pool served (``cognito_front.py`` serves it), and the sign-in the ``token``
command does against it with the run's Cognito admin credentials.

The pool's issuer is ``https://cognito-idp.<region>.amazonaws.com/<pool id>``, whatever
address the endpoint listens on, so its tokens verify exactly as AppSync verifies Cognito's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ...errors import AuthorizedAppSyncError
from ..assembly.template import REGION

__all__ = [
    "DEFAULT_AUTH_FLOWS",
    "DEFAULT_PASSWORD",
    "CognitoError",
    "CognitoPool",
    "PoolSpec",
    "cognito_client",
    "find_pool",
    "id_token",
    "pool_spec",
]

DEFAULT_PASSWORD = "Local-Passw0rd!"  # meets Cognito's strictest password policy
# What an app client allows when ExplicitAuthFlows is not given (Cognito's documented default).
DEFAULT_AUTH_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")


class CognitoError(AuthorizedAppSyncError):
    """A sign-in that cannot be done; the message is a sentence for the user."""


@dataclass(frozen=True)
class PoolSpec:
    """What the template says of the API's user pool: its name, its groups, and its app
    client's name and ``ExplicitAuthFlows`` (Cognito's default when the template gives none:
    SRP, custom and refresh-token sign-in)."""

    name: str
    groups: tuple[str, ...] = ()
    client_name: str = "local"
    auth_flows: tuple[str, ...] = DEFAULT_AUTH_FLOWS


@dataclass(frozen=True)
class CognitoPool:
    """The stand-in pool: where it is served, its id, its app client's id, and the
    credentials its administrator actions take (random for each run; empty: the AWS
    environment's credentials)."""

    endpoint: str
    user_pool_id: str
    client_id: str
    groups: tuple[str, ...] = ()
    admin_access_key_id: str = ""
    admin_secret_access_key: str = field(default="", repr=False)

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
    flows = (
        resources[clients[0]].get("Properties", {}).get("ExplicitAuthFlows") if clients else None
    )
    return PoolSpec(
        name=name if isinstance(name, str) else user_pool_id,
        groups=tuple(groups),
        client_name=clients[0] if clients else "local",
        auth_flows=(
            tuple(flows)
            if isinstance(flows, list) and all(isinstance(f, str) for f in flows)
            else DEFAULT_AUTH_FLOWS
        ),
    )


def cognito_client(endpoint: str, access_key_id: str = "", secret_access_key: str = "") -> Any:
    """A boto3 Cognito client for the stand-in, signing with the given credentials (without:
    the AWS environment's, as any AWS SDK would; unsigned when there are none, so the
    endpoint says what its administrator actions need)."""
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    keys = {"aws_access_key_id": access_key_id, "aws_secret_access_key": secret_access_key}
    session = boto3.session.Session(**(keys if access_key_id else {}))
    unsigned = Config(signature_version=UNSIGNED) if session.get_credentials() is None else None
    return session.client("cognito-idp", region_name=REGION, endpoint_url=endpoint, config=unsigned)


def find_pool(endpoint: str) -> CognitoPool:
    """The only pool (and its first client) served at ``endpoint``, found with the AWS
    environment's credentials (the run's Cognito admin credentials)."""
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

    idp = cognito_client(pool.endpoint, pool.admin_access_key_id, pool.admin_secret_access_key)
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
