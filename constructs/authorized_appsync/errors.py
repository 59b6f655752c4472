"""The library's own exception base and JSON value type, shared by every package (imports
nothing from this package).

Every error this library raises on purpose for a user to read derives from
:class:`AuthorizedAppSyncError`: ``except AuthorizedAppSyncError`` catches schema problems,
configuration problems, refused local requests and the rest, and leaves bugs (``KeyError``
and friends) to surface."""

from __future__ import annotations

from typing import TypeAlias

__all__ = ["AuthorizedAppSyncError", "JsonObject", "JsonValue"]

JsonValue: TypeAlias = "None | bool | int | float | str | list[JsonValue] | dict[str, JsonValue]"
JsonObject: TypeAlias = "dict[str, JsonValue]"


class AuthorizedAppSyncError(Exception):
    """Base of the errors this library raises for its users."""
