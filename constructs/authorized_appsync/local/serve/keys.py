"""Credentials ``serve`` draws at random for each run, shaped as AWS makes them, so nothing
that gets in is predictable: API keys, SigV4 access key ids and secret keys."""

from __future__ import annotations

import secrets
import string

__all__ = ["random_api_key", "random_key_id", "random_secret"]

_KEY_ID_ALPHABET = string.ascii_uppercase + "234567"
_API_KEY_ALPHABET = string.ascii_lowercase + string.digits


def random_api_key() -> str:
    """An API key as AppSync makes them: ``da2-`` and 26 random lower-case letters and digits."""
    return "da2-" + "".join(secrets.choice(_API_KEY_ALPHABET) for _ in range(26))


def random_key_id(prefix: str) -> str:
    """An access key id: ``prefix`` (``AKIA`` for a user, ``ASIA`` for a role session) and 16
    random characters."""
    return prefix + "".join(secrets.choice(_KEY_ID_ALPHABET) for _ in range(16))


def random_secret() -> str:
    """A secret access key: 40 random characters."""
    return secrets.token_urlsafe(30)
