"""Typed views of ``ctx.identity``, one frozen class per authorization mode (APPSYNC.md §1).

Each identity's :meth:`to_context` returns exactly the JSON AppSync puts in ``ctx.identity``
(keys in AppSync's order), and :meth:`from_context` reads that JSON back, so recorded contexts
and generated identities are interchangeable. ``AuthMode.auth_type`` is what
``util.authType()`` answers inside a resolver.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Self, TypeAlias

from ...appsync import AuthorizationMode
from ...errors import JsonObject, JsonValue

__all__ = [
    "ApiKeyIdentity",
    "AuthMode",
    "CognitoIdentity",
    "IamIdentity",
    "Identity",
    "JsonObject",
    "JsonValue",
    "LambdaIdentity",
    "OidcIdentity",
    "identity_from_context",
]


# The mode enum is shared with the construct; "AuthMode" reads better in this package.
AuthMode = AuthorizationMode


def _json_copy(value: Mapping[str, JsonValue]) -> JsonObject:
    return copy.deepcopy(dict(value))


def _json_object(data: Mapping[str, object], key: str) -> JsonObject:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise ValueError(f"ctx.identity.{key} must be a JSON object, got {value!r}.")
    # A JSON round trip both checks the value is JSON and gives the identity its own copy.
    parsed: JsonObject = json.loads(json.dumps(value))
    return parsed


def _string(data: Mapping[str, object], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ValueError(f"ctx.identity.{key} must be a string, got {value!r}.")
    return value


def _optional_string(data: Mapping[str, object], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"ctx.identity.{key} must be a string or null, got {value!r}.")
    return value


def _strings(data: Mapping[str, object], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"ctx.identity.{key} must be a list of strings, got {value!r}.")
    return tuple(value)


@dataclass(frozen=True)
class ApiKeyIdentity:
    """``API_KEY``: AppSync fills in no caller information; ``ctx.identity`` is ``null``
    ([unverified] whether a JS handler sees ``null`` or ``undefined``; ``null`` is usual)."""

    mode: ClassVar[AuthMode] = AuthMode.API_KEY

    def to_context(self) -> None:
        return None

    @classmethod
    def from_context(cls, data: object) -> Self:
        if data is not None:
            raise ValueError(f"an API_KEY request has a null ctx.identity, got {data!r}.")
        return cls()


@dataclass(frozen=True, kw_only=True)
class IamIdentity:
    """``AWS_IAM``. The four ``cognito*`` fields are null unless the credentials come from a
    Cognito identity pool."""

    mode: ClassVar[AuthMode] = AuthMode.AWS_IAM

    account_id: str
    cognito_identity_pool_id: str | None = None
    cognito_identity_id: str | None = None
    source_ip: tuple[str, ...] = ()
    username: str
    user_arn: str
    cognito_identity_auth_type: str | None = None  # "authenticated" | "unauthenticated"
    cognito_identity_auth_provider: str | None = None

    @property
    def role_name(self) -> str | None:
        """The role of an assumed-role ARN (``arn:aws:sts::<acct>:assumed-role/<role>/<session>``),
        taken by position, never by substring; ``None`` for users and other principals."""
        resource = self.user_arn.split(":", 5)[-1]
        parts = resource.split("/")
        if len(parts) == 3 and parts[0] == "assumed-role":
            return parts[1]
        return None

    def to_context(self) -> JsonObject:
        return {
            "accountId": self.account_id,
            "cognitoIdentityPoolId": self.cognito_identity_pool_id,
            "cognitoIdentityId": self.cognito_identity_id,
            "sourceIp": list(self.source_ip),
            "username": self.username,
            "userArn": self.user_arn,
            "cognitoIdentityAuthType": self.cognito_identity_auth_type,
            "cognitoIdentityAuthProvider": self.cognito_identity_auth_provider,
        }

    @classmethod
    def from_context(cls, data: Mapping[str, object]) -> Self:
        return cls(
            account_id=_string(data, "accountId"),
            cognito_identity_pool_id=_optional_string(data, "cognitoIdentityPoolId"),
            cognito_identity_id=_optional_string(data, "cognitoIdentityId"),
            source_ip=_strings(data, "sourceIp"),
            username=_string(data, "username"),
            user_arn=_string(data, "userArn"),
            cognito_identity_auth_type=_optional_string(data, "cognitoIdentityAuthType"),
            cognito_identity_auth_provider=_optional_string(data, "cognitoIdentityAuthProvider"),
        )


@dataclass(frozen=True, kw_only=True)
class CognitoIdentity:
    """``AMAZON_COGNITO_USER_POOLS``: the verified token's claims, with ``username`` from
    ``cognito:username`` (``username`` in access tokens) and ``groups`` from ``cognito:groups``."""

    mode: ClassVar[AuthMode] = AuthMode.AMAZON_COGNITO_USER_POOLS

    sub: str
    issuer: str
    username: str
    claims: Mapping[str, JsonValue] = field(hash=False)
    source_ip: tuple[str, ...] = ()
    default_auth_strategy: str = "ALLOW"  # "ALLOW" | "DENY"
    groups: tuple[str, ...] | None = None

    def to_context(self) -> JsonObject:
        return {
            "sub": self.sub,
            "issuer": self.issuer,
            "username": self.username,
            "claims": _json_copy(self.claims),
            "sourceIp": list(self.source_ip),
            "defaultAuthStrategy": self.default_auth_strategy,
            "groups": None if self.groups is None else list(self.groups),
        }

    @classmethod
    def from_context(cls, data: Mapping[str, object]) -> Self:
        groups = None if data.get("groups") is None else _strings(data, "groups")
        return cls(
            sub=_string(data, "sub"),
            issuer=_string(data, "issuer"),
            username=_string(data, "username"),
            claims=_json_object(data, "claims"),
            source_ip=_strings(data, "sourceIp"),
            default_auth_strategy=_string(data, "defaultAuthStrategy"),
            groups=groups,
        )


@dataclass(frozen=True, kw_only=True)
class OidcIdentity:
    """``OPENID_CONNECT``: ``sub``, ``issuer`` and ``claims`` only."""

    mode: ClassVar[AuthMode] = AuthMode.OPENID_CONNECT

    sub: str
    issuer: str
    claims: Mapping[str, JsonValue] = field(hash=False)

    def to_context(self) -> JsonObject:
        return {"sub": self.sub, "issuer": self.issuer, "claims": _json_copy(self.claims)}

    @classmethod
    def from_context(cls, data: Mapping[str, object]) -> Self:
        return cls(
            sub=_string(data, "sub"),
            issuer=_string(data, "issuer"),
            claims=_json_object(data, "claims"),
        )


@dataclass(frozen=True, kw_only=True)
class LambdaIdentity:
    """``AWS_LAMBDA``: only the authorizer's ``resolverContext``."""

    mode: ClassVar[AuthMode] = AuthMode.AWS_LAMBDA

    resolver_context: Mapping[str, JsonValue] = field(hash=False)

    def to_context(self) -> JsonObject:
        return {"resolverContext": _json_copy(self.resolver_context)}

    @classmethod
    def from_context(cls, data: Mapping[str, object]) -> Self:
        return cls(resolver_context=_json_object(data, "resolverContext"))


Identity: TypeAlias = ApiKeyIdentity | IamIdentity | CognitoIdentity | OidcIdentity | LambdaIdentity

_CLASSES: Mapping[AuthMode, type[IamIdentity | CognitoIdentity | OidcIdentity | LambdaIdentity]] = {
    AuthMode.AWS_IAM: IamIdentity,
    AuthMode.AMAZON_COGNITO_USER_POOLS: CognitoIdentity,
    AuthMode.OPENID_CONNECT: OidcIdentity,
    AuthMode.AWS_LAMBDA: LambdaIdentity,
}


def identity_from_context(mode: AuthMode | str, data: object) -> Identity:
    """The typed identity of a recorded ``ctx.identity`` for ``mode`` (a wire value)."""
    mode = AuthMode(mode)
    if mode is AuthMode.API_KEY:
        return ApiKeyIdentity.from_context(data)
    if not isinstance(data, Mapping):
        raise ValueError(f"a {mode} request has an object ctx.identity, got {data!r}.")
    return _CLASSES[mode].from_context(data)
