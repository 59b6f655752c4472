"""The DSL's one exception type, and the small checks every builder shares."""

from __future__ import annotations

import os
import re
import sys

from ...errors import AuthorizedAppSyncError
from ..errors import Location

__all__ = ["DslError", "caller_location", "check_name", "describe"]

_PACKAGE_DIR = os.path.dirname(__file__)
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")


class DslError(AuthorizedAppSyncError, ValueError):
    """A builder of the Python DSL was misused. Raised at the call that misused it, so the
    traceback points at the user's line; the message names the model and field when known."""


def caller_location() -> Location:
    """Where the user called into the DSL: the first frame outside this package."""
    frame = sys._getframe(1)
    while frame.f_back is not None and os.path.dirname(frame.f_code.co_filename) == _PACKAGE_DIR:
        frame = frame.f_back
    return Location(source=frame.f_code.co_filename, line=frame.f_lineno or 1, column=1)


def check_name(value: object, what: str, context: str) -> str:
    """``value`` if it is a valid GraphQL name, else a :class:`DslError` saying so."""
    if not isinstance(value, str):
        raise DslError(f"{context}: {what} must be a string; got {describe(value)}.")
    if not _NAME.fullmatch(value) or value.startswith("__"):
        raise DslError(
            f"{context}: {what} '{value}' is not a valid GraphQL name; a name is letters, "
            "digits and underscores, starts with a letter or underscore and does not "
            "start with '__'."
        )
    return value


def describe(value: object) -> str:
    """A short description of a wrong value for messages: its type and, if short, its repr."""
    text = repr(value)
    kind = type(value).__name__
    if callable(value) and not isinstance(value, type):
        return f"the function {getattr(value, '__qualname__', text)} (not called)"
    return f"{kind} {text}" if len(text) <= 40 else kind
