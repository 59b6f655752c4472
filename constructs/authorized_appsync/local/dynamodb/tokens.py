"""Query and Scan page tokens: opaque to clients, and refused when altered.

AppSync's ``nextToken`` is base64 of a JSON envelope holding an encrypted
``LastEvaluatedKey`` (``eyJ2ZXJzaW9uIjo...`` = ``{"version":...``), bound to the API. The
local one is the same envelope, ``{"version": 2, "token": "<base64>"}``, whose token is a
random nonce and the key encrypted with AES-256-GCM, the table and the index as associated
data. The AES key is derived from a random key per process (or one given, to share tokens
between data sources or processes). A token therefore says nothing of the item a page stopped
at: its key attributes may be fields the caller may not read. A token that fails to decode or
decrypt - altered, from another table or index, or from another process - raises
:class:`InvalidPageTokenError`, which the data source reports as AppSync does
(``DynamoDB:UserIllegalArgumentException``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ...errors import AuthorizedAppSyncError, JsonValue
from .. import json_input
from .errors import MappingTemplateError
from .values import WireItem, item_to_typed, item_to_wire

__all__ = ["PROCESS_KEY", "InvalidPageTokenError", "PageTokens"]

PROCESS_KEY = secrets.token_bytes(32)
_VERSION = 2
_NONCE_BYTES = 12  # AES-GCM's standard nonce
_LABEL = b"authorized-appsync page tokens, AES-256-GCM"


class InvalidPageTokenError(AuthorizedAppSyncError, ValueError):
    """A nextToken this runtime did not issue for this table and index."""


def _canonical(value: JsonValue) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8")


class PageTokens:
    """Issues and checks the page tokens of one key (one per process by default); any key
    length will do, the cipher's key is derived from it."""

    def __init__(self, key: bytes = PROCESS_KEY) -> None:
        self._aead = AESGCM(hmac.new(key, _LABEL, hashlib.sha256).digest())

    @staticmethod
    def _bound_to(table: str, index: str | None) -> bytes:
        return _canonical({"table": table, "index": index})

    def encode(
        self, table: str, index: str | None, last_key: Mapping[str, Mapping[str, object]] | None
    ) -> str | None:
        """The token for DynamoDB's ``LastEvaluatedKey``; ``None`` when there is none."""
        if not last_key:
            return None
        typed: JsonValue = item_to_typed(last_key)
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, _canonical(typed), self._bound_to(table, index))
        token = base64.b64encode(nonce + sealed).decode("ascii")
        return base64.b64encode(_canonical({"version": _VERSION, "token": token})).decode("ascii")

    def decode(self, token: str, table: str, index: str | None) -> WireItem:
        """The ``ExclusiveStartKey`` a token names, for the same table and index."""
        try:
            envelope = json_input.loads(base64.b64decode(token.encode("ascii"), validate=True))
            if not isinstance(envelope, dict) or set(envelope) != {"version", "token"}:
                raise InvalidPageTokenError(token)
            sealed = envelope["token"]
            if envelope["version"] != _VERSION or not isinstance(sealed, str):
                raise InvalidPageTokenError(token)
            raw = base64.b64decode(sealed.encode("ascii"), validate=True)
            nonce, ciphertext = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
            plain = self._aead.decrypt(nonce, ciphertext, self._bound_to(table, index))
            typed = json_input.loads(plain)
        except (binascii.Error, ValueError, UnicodeError, InvalidTag):
            raise InvalidPageTokenError(token) from None
        if not isinstance(typed, dict) or not typed:
            raise InvalidPageTokenError(token)
        try:
            return item_to_wire(typed, "nextToken")
        except MappingTemplateError:
            raise InvalidPageTokenError(token) from None
