"""JSON from clients: request bodies, tokens, subscription messages.

Python's ``json`` decoder recurses once per nesting level and raises ``RecursionError``,
not ``ValueError``, for a document nested deeper than the interpreter's recursion limit
(``[[[[...`` a few thousand levels deep, a few kilobytes). Every parser of what a client
sends goes through :func:`loads`, so such a document is malformed input like any other
and never takes a request (or the connection) down with it.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["loads"]


def loads(data: str | bytes | bytearray, **options: Any) -> Any:
    """``json.loads(data, **options)``; raises ``ValueError`` for anything that is not a
    JSON document, a document nested too deeply included (``UnicodeDecodeError`` for bytes
    that are not UTF-8 is a ``ValueError`` already)."""
    try:
        return json.loads(data, **options)
    except RecursionError:
        raise ValueError("The JSON document is nested too deeply.") from None
