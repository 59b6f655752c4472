"""A rule names each operation once, and does not name ``read`` together with one of the
operations ``read`` stands for (get, list, sync, listen, search)."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic, Location
from ..model import READ_OPERATIONS, Operation
from ..vocabulary import OPERATION_NAMES
from ._rules_util import auth_rules
from .context import ValidationContext

__all__ = ["check"]

_READ_PARTS = ", ".join(f"'{op.value}'" for op in Operation if op in READ_OPERATIONS)


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for item in auth_rules(context):
        seen: dict[str, Location] = {}
        for name, location in item.strings("operations"):
            if name in seen:
                yield Diagnostic(
                    message=f"Operation '{name}' is listed more than once in the @auth rule on "
                    f"{item.where}; list each operation once.",
                    location=location,
                    related=(seen[name],),
                )
                continue
            seen[name] = location
        if "read" not in seen or item.site.field is not None:
            continue  # at field level, known_operations reports the model-level names
        for name, location in seen.items():
            if name != "read" and OPERATION_NAMES.get(name, frozenset()) <= READ_OPERATIONS:
                yield Diagnostic(
                    message=f"The @auth rule on {item.where} lists both 'read' and '{name}'; "
                    f"'read' already stands for {_READ_PARTS}.",
                    location=location,
                    related=(seen["read"],),
                )
