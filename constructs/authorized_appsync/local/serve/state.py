"""What a running ``serve`` tells other commands: a small JSON file (by default
``<assembly>/authorized-appsync-serve.json``) with its URLs, keys and user pool, written
once everything listens and removed when it stops. ``token`` reads it.

The file holds the local OIDC issuer's private key and the Cognito admin credentials: it is
written readable by its owner only.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ..identity.issuer import LocalIssuer
from .auth import ApiKey, IamKey
from .cognito import (
    DEFAULT_PASSWORD,
    CognitoError,
    CognitoPool,
    find_pool,
    id_token,
)

__all__ = [
    "STATE_NAME",
    "OidcState",
    "ServeState",
    "TokenRequest",
    "default_state_file",
    "make_token",
]

STATE_NAME = "authorized-appsync-serve.json"


def default_state_file(assembly: Path | str = "cdk.out") -> Path:
    return Path(assembly) / STATE_NAME


@dataclass(frozen=True)
class OidcState:
    issuer: str
    client_id: str | None
    private_key_pem: str = field(repr=False)

    @classmethod
    def of(cls, issuer: LocalIssuer, client_id: str | None) -> OidcState:
        pem = issuer.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return cls(issuer.issuer, client_id, pem.decode("ascii"))

    def local_issuer(self) -> LocalIssuer:
        key = serialization.load_pem_private_key(self.private_key_pem.encode(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise TypeError("The state file's OIDC key is not an RSA key.")
        return LocalIssuer(self.issuer, private_key=key)


@dataclass(frozen=True)
class ServeState:
    """The connection details of one running ``serve``."""

    pid: int
    graphql_url: str
    region: str
    api_keys: tuple[ApiKey, ...] = ()
    cognito: CognitoPool | None = None
    iam_keys: tuple[IamKey, ...] = ()
    oidc: OidcState | None = None
    dynamodb_endpoint: str | None = None
    realtime_url: str = ""  # the subscriptions WebSocket endpoint
    # The PEM file of the certificate the GraphQL port presents to wss:// clients.
    realtime_certificate: str = ""

    def write(self, path: Path) -> None:
        """Atomically, owner-readable only: a reader sees the whole file or none."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(asdict(self), file, indent=2)
        temporary.replace(path)

    @classmethod
    def read(cls, path: Path) -> ServeState:
        """Raises ``FileNotFoundError`` or ``ValueError`` with a sentence for the user."""
        try:
            data: Mapping[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FileNotFoundError(
                f"No server is running: {path} does not exist. Start one with "
                f"`authorized-appsync serve` (or `make serve`), or give --state-file or "
                f"--endpoint."
            ) from None
        except ValueError as error:
            raise ValueError(f"{path} is not a state file of `serve`: {error}.") from None
        try:
            cognito = data.get("cognito")
            oidc = data.get("oidc")
            return cls(
                pid=int(data["pid"]),
                graphql_url=str(data["graphql_url"]),
                region=str(data["region"]),
                api_keys=tuple(ApiKey(**k) for k in data.get("api_keys") or ()),
                cognito=(
                    None
                    if cognito is None
                    else CognitoPool(**{**cognito, "groups": tuple(cognito.get("groups", ()))})
                ),
                iam_keys=tuple(IamKey(**k) for k in data.get("iam_keys") or ()),
                oidc=None if oidc is None else OidcState(**oidc),
                dynamodb_endpoint=data.get("dynamodb_endpoint"),
                realtime_url=str(data.get("realtime_url", "")),
                realtime_certificate=str(data.get("realtime_certificate", "")),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path} is not a state file of `serve`: {error!r}.") from None

    def alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


@dataclass(frozen=True)
class TokenRequest:
    user: str
    groups: tuple[str, ...] = ()
    password: str = DEFAULT_PASSWORD
    oidc: bool = False
    claims: Mapping[str, object] = field(default_factory=dict)


def _oidc_token(state: ServeState, request: TokenRequest) -> str:
    if state.oidc is None:
        raise CognitoError(
            f"The API served at {state.graphql_url} has no OpenID Connect mode; "
            f"leave out --oidc for a user-pool token."
        )
    claims: dict[str, object] = {"sub": request.user, "auth_time": int(time.time())}
    if state.oidc.client_id:
        claims["aud"] = state.oidc.client_id
    if request.groups:
        claims["groups"] = list(request.groups)
    claims.update(request.claims)
    return state.oidc.local_issuer().token(claims)


def make_token(request: TokenRequest, state: ServeState | None, endpoint: str | None) -> str:
    """An ID token for ``request.user`` from the running server's user pool (``endpoint``:
    its Cognito endpoint, found in ``state`` when not given), or an OIDC token."""
    if request.oidc:
        if state is None:
            raise CognitoError("--oidc needs the state file of `serve` (not --endpoint).")
        return _oidc_token(state, request)
    if endpoint is not None:
        pool = find_pool(endpoint)
    elif state is None or state.cognito is None:
        url = state.graphql_url if state else "the server"
        raise CognitoError(
            f"The API served at {url} has no Cognito user pool mode; there is no user pool "
            f"to sign in to."
        )
    else:
        pool = state.cognito
    return id_token(pool, request.user, request.groups, request.password)
