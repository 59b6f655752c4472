"""Query and Scan page tokens: opaque to clients, and refused when altered.

AppSync's ``nextToken`` is base64 of a JSON envelope holding an encrypted
``LastEvaluatedKey`` (``eyJ2ZXJzaW9uIjo...`` = ``{"version":...``), bound to the API. The
local one is the same envelope with the key in clear and an HMAC-SHA256 over the table,
the index and the key, under a random key per process (or one given, to share tokens
between data sources or processes). A token that fails to decode or verify - altered,
from another table or index, or from another process - raises :class:`InvalidPageTokenError`,
which the data source reports as AppSync does (``DynamoDB:UserIllegalArgumentException``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping

from authorized_appsync.local.dynamodb_errors import MappingTemplateError
from authorized_appsync.local.dynamodb_values import WireItem, item_to_typed, item_to_wire
from authorized_appsync.local.jsrun import JsonValue

__all__ = ["PROCESS_KEY", "InvalidPageTokenError", "PageTokens"]

PROCESS_KEY = secrets.token_bytes(32)
_VERSION = 1


class InvalidPageTokenError(ValueError):
    """A nextToken this runtime did not issue for this table and index."""


def _canonical(value: JsonValue) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8")


class PageTokens:
    """Issues and checks the page tokens of one key (one per process by default)."""

    def __init__(self, key: bytes = PROCESS_KEY) -> None:
        self._key = key

    def _mac(self, table: str, index: str | None, last_key: JsonValue) -> str:
        message = _canonical({"table": table, "index": index, "key": last_key})
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.b64encode(digest).decode("ascii")

    def encode(
        self, table: str, index: str | None, last_key: Mapping[str, Mapping[str, object]] | None
    ) -> str | None:
        """The token for DynamoDB's ``LastEvaluatedKey``; ``None`` when there is none."""
        if not last_key:
            return None
        typed: JsonValue = item_to_typed(last_key)
        envelope = {"version": _VERSION, "token": typed, "mac": self._mac(table, index, typed)}
        return base64.b64encode(_canonical(envelope)).decode("ascii")

    def decode(self, token: str, table: str, index: str | None) -> WireItem:
        """The ``ExclusiveStartKey`` a token names, for the same table and index."""
        try:
            envelope = json.loads(base64.b64decode(token.encode("ascii"), validate=True))
        except (binascii.Error, ValueError, UnicodeError):
            raise InvalidPageTokenError(token) from None
        if not isinstance(envelope, dict) or set(envelope) != {"version", "token", "mac"}:
            raise InvalidPageTokenError(token)
        typed, mac = envelope["token"], envelope["mac"]
        if envelope["version"] != _VERSION or not isinstance(mac, str) or not typed:
            raise InvalidPageTokenError(token)
        if not hmac.compare_digest(mac, self._mac(table, index, typed)):
            raise InvalidPageTokenError(token)
        try:
            return item_to_wire(typed, "nextToken")
        except MappingTemplateError:
            raise InvalidPageTokenError(token) from None
