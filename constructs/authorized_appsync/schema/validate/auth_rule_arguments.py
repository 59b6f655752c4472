"""Every ``@auth`` rule has ``allow`` and only the arguments an ``AuthRule`` has.

Transformer v1 arguments (``queries``, ``mutations``) get a message naming what replaced
them.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic, did_you_mean, quote_list
from ..vocabulary import LEGACY_RULE_ARGUMENTS, RULE_ARGUMENTS
from ._rules_util import auth_rules
from .context import ValidationContext

__all__ = ["check"]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for item in auth_rules(context):
        if "allow" not in item.rule:
            yield Diagnostic(
                message=f"The @auth rule on {item.where} has no 'allow'; every rule needs a "
                "strategy, e.g. { allow: owner }.",
                location=item.location(),
            )
        for key in item.rule:
            if key in RULE_ARGUMENTS:
                continue
            if key in LEGACY_RULE_ARGUMENTS:
                replacement = LEGACY_RULE_ARGUMENTS[key]
                message = (
                    f"The @auth rule on {item.where} uses '{key}', an argument of the "
                    f"transformer v1 that v2 removed; use '{replacement}' instead, "
                    "e.g. operations: [create, read]."
                )
            else:
                message = (
                    f"The @auth rule on {item.where} has an unknown argument '{key}'; rule "
                    f"arguments are {quote_list(RULE_ARGUMENTS)}."
                    f"{did_you_mean(key, RULE_ARGUMENTS)}"
                )
            yield Diagnostic(message=message, location=item.location(key))
