"""Every name in a rule's ``operations`` is an operation; at field level only ``create``,
``read``, ``update`` and ``delete`` (seed 003: get/list/sync/listen/search are model-level).
An empty list would grant nothing and is reported.

Rules on Query/Mutation/Subscription fields may not have ``operations`` at all; that is
:mod:`.auth_placement`'s report.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic, did_you_mean, quote_list
from ..vocabulary import FIELD_OPERATION_NAMES, OPERATION_NAMES
from ._rules_util import RuleItem, auth_rules
from .context import ValidationContext

__all__ = ["check"]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for item in auth_rules(context):
        if "operations" in item.rule and not item.on_root_field:
            yield from _operations(item)


def _operations(item: RuleItem) -> Iterator[Diagnostic]:
    at_field = item.site.field is not None
    allowed = FIELD_OPERATION_NAMES if at_field else tuple(OPERATION_NAMES)
    if item.rule["operations"] == []:
        yield Diagnostic(
            message=f"The 'operations' list of the @auth rule on {item.where} is empty, so the "
            "rule grants nothing; list the operations it allows, or omit 'operations' to "
            "allow all of them.",
            location=item.location("operations"),
        )
    for name, location in item.strings("operations"):
        if name not in OPERATION_NAMES:
            yield Diagnostic(
                message=f"Unknown operation '{name}' in the @auth rule on {item.where}; "
                f"operations are {quote_list(allowed)}.{did_you_mean(name, allowed)}",
                location=location,
            )
        elif name not in allowed:
            yield Diagnostic(
                message=f"Operation '{name}' cannot be used in the field-level @auth rule on "
                f"{item.where}; field rules allow {quote_list(allowed)} "
                f"(use 'read' for reading the field).",
                location=location,
            )
