"""``amplify_outputs.json``: the client configuration Amplify Gen 2 front ends load with
``Amplify.configure(outputs)``, for an API this library made: where it is (``data.url``,
``data.aws_region``), how callers authenticate (``data.default_authorization_type``, the
other ``data.authorization_types``, ``data.api_key``, the ``auth`` section's Cognito ids)
and what its models are (``data.model_introspection``, which ``generateClient()`` reads).

The document follows Amplify's outputs schema, version ``1.4`` (only keys that schema
defines). Three writers fill it: ``serve`` for its local endpoints, ``authorized-appsync
outputs`` for a deployed stack, from the :class:`StackClientConfig` the construct puts in
the stack's outputs, and anyone through :class:`AmplifyOutputs`. Imports no compiler stage:
the local runtime uses it too.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

__all__ = [
    "CLIENT_CONFIG_OUTPUT",
    "MODEL_INTROSPECTION_METADATA",
    "OUTPUTS_VERSION",
    "AmplifyOutputs",
    "AuthOutputs",
    "DataOutputs",
    "StackClientConfig",
]

OUTPUTS_VERSION: Final = "1.4"
# The suffix of the stack output (one per API) holding a StackClientConfig as JSON.
CLIENT_CONFIG_OUTPUT: Final = "AmplifyClientConfig"
# The metadata key of the API's AWS::AppSync::GraphQLApi resource naming the model
# introspection file the construct wrote into the cloud assembly (relative to its folder).
MODEL_INTROSPECTION_METADATA: Final = "authorized-appsync:model-introspection"

# A JSON document, as json.load returns it.
JsonObject = Mapping[str, object]


@dataclass(frozen=True, kw_only=True)
class DataOutputs:
    """The ``data`` section: the GraphQL API. ``authorization_types`` are the modes besides
    the default one, as Amplify writes them (AppSync's names: ``API_KEY``, ``AWS_IAM``,
    ``AMAZON_COGNITO_USER_POOLS``, ``OPENID_CONNECT``, ``AWS_LAMBDA``)."""

    url: str
    aws_region: str
    default_authorization_type: str
    authorization_types: tuple[str, ...] = ()
    api_key: str | None = None
    model_introspection: JsonObject | None = None

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "url": self.url,
            "aws_region": self.aws_region,
            "default_authorization_type": self.default_authorization_type,
            "authorization_types": [
                t for t in self.authorization_types if t != self.default_authorization_type
            ],
        }
        if self.api_key is not None:
            data["api_key"] = self.api_key
        if self.model_introspection is not None:
            data["model_introspection"] = self.model_introspection
        return data


@dataclass(frozen=True, kw_only=True)
class AuthOutputs:
    """The ``auth`` section: the Cognito user pool, its app client and the identity pool.
    Amplify's schema requires the pool and client ids; an API with only an identity pool
    gets them empty (Amplify JS then uses the identity pool alone)."""

    aws_region: str
    user_pool_id: str | None = None
    user_pool_client_id: str | None = None
    identity_pool_id: str | None = None
    # Whether the identity pool gives guests credentials (its unauthenticated role).
    unauthenticated_identities_enabled: bool = False
    groups: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        auth: dict[str, object] = {
            "aws_region": self.aws_region,
            "user_pool_id": self.user_pool_id or "",
            "user_pool_client_id": self.user_pool_client_id or "",
        }
        if self.identity_pool_id is not None:
            auth["identity_pool_id"] = self.identity_pool_id
            auth["unauthenticated_identities_enabled"] = self.unauthenticated_identities_enabled
        if self.groups:
            auth["groups"] = [{group: {}} for group in self.groups]
        return auth


@dataclass(frozen=True, kw_only=True)
class AmplifyOutputs:
    """A whole ``amplify_outputs.json``. ``custom``: the outputs schema's free-form section
    (``serve`` puts its local Cognito endpoint there, which the schema has no key for)."""

    data: DataOutputs
    auth: AuthOutputs | None = None
    custom: JsonObject | None = None

    def to_json(self) -> dict[str, object]:
        document: dict[str, object] = {"version": OUTPUTS_VERSION}
        if self.auth is not None:
            document["auth"] = self.auth.to_json()
        document["data"] = self.data.to_json()
        if self.custom:
            document["custom"] = self.custom
        return document

    def write(self, path: Path) -> Path:
        """Write the document to ``path`` (atomically: a reader sees all of it or the old
        one) and return ``path``. The file holds the API key: readable by its owner only."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(self.to_json(), file, indent=2)
            file.write("\n")
        temporary.replace(path)
        return path


@dataclass(frozen=True, kw_only=True)
class StackClientConfig:
    """What the construct puts in its stack's outputs for ``authorized-appsync outputs``:
    one output per API (``<api id><CLIENT_CONFIG_OUTPUT>``), a JSON object of short keys so
    that it stays under CloudFormation's 1,024 characters per output value. The model
    introspection is too large for an output: ``introspection`` is the ``s3://`` URL of the
    file asset holding it, which ``cdk deploy`` publishes with the stack."""

    api: str  # the construct path of the API
    url: str
    region: str
    default_mode: str
    modes: tuple[str, ...]
    api_key: str | None = None
    user_pool_id: str | None = None
    user_pool_client_id: str | None = None
    identity_pool_id: str | None = None
    guests: bool = False
    introspection: str | None = None

    def to_json(self) -> dict[str, object]:
        """The output's value (its strings may be CDK tokens until synthesis)."""
        value: dict[str, object] = {
            "api": self.api,
            "url": self.url,
            "region": self.region,
            "default": self.default_mode,
            "modes": list(self.modes),
        }
        optional = {
            "apiKey": self.api_key,
            "userPoolId": self.user_pool_id,
            "userPoolClientId": self.user_pool_client_id,
            "identityPoolId": self.identity_pool_id,
            "introspection": self.introspection,
        }
        value.update({k: v for k, v in optional.items() if v is not None})
        if self.guests:
            value["guests"] = True
        return value

    @classmethod
    def parse(cls, text: str, where: str) -> StackClientConfig:
        """Read an output's value; ``where`` names the output in the ``ValueError`` raised
        for a value this library did not write."""
        try:
            raw = json.loads(text)
            return cls(
                api=str(raw["api"]),
                url=str(raw["url"]),
                region=str(raw["region"]),
                default_mode=str(raw["default"]),
                modes=tuple(str(m) for m in raw["modes"]),
                api_key=_optional(raw, "apiKey"),
                user_pool_id=_optional(raw, "userPoolId"),
                user_pool_client_id=_optional(raw, "userPoolClientId"),
                identity_pool_id=_optional(raw, "identityPoolId"),
                guests=raw.get("guests") is True,
                introspection=_optional(raw, "introspection"),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValueError(
                f"{where} is not a client configuration written by authorized-appsync "
                f"({error!r}); it holds {text[:80]!r}."
            ) from None

    def outputs(
        self,
        model_introspection: JsonObject | None,
        *,
        user_pool_client_id: str | None = None,
        groups: Sequence[str] = (),
    ) -> AmplifyOutputs:
        """The ``amplify_outputs.json`` of this API (``user_pool_client_id`` when the
        construct was given no app client)."""
        client = self.user_pool_client_id or user_pool_client_id
        auth = None
        if self.user_pool_id is not None or self.identity_pool_id is not None:
            auth = AuthOutputs(
                aws_region=self.region,
                user_pool_id=self.user_pool_id,
                user_pool_client_id=client,
                identity_pool_id=self.identity_pool_id,
                unauthenticated_identities_enabled=self.guests,
                groups=tuple(groups),
            )
        data = DataOutputs(
            url=self.url,
            aws_region=self.region,
            default_authorization_type=self.default_mode,
            authorization_types=self.modes,
            api_key=self.api_key,
            model_introspection=model_introspection,
        )
        return AmplifyOutputs(data=data, auth=auth)


def _optional(raw: Mapping[str, object], key: str) -> str | None:
    value = raw.get(key)
    return None if value is None else str(value)
