"""Strategy-specific rule arguments appear only on the strategies they belong to:
``ownerField``/``identityClaim`` on owner rules, ``groups``/``groupsField``/``groupClaim``
on groups rules."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic, quote_list
from ..vocabulary import ARGUMENT_STRATEGIES
from ._rules_util import auth_rules, strategy_of
from .context import ValidationContext

__all__ = ["check"]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for item in auth_rules(context):
        strategy = strategy_of(item.rule)
        if strategy is None:
            continue
        for key, allowed in ARGUMENT_STRATEGIES.items():
            if key not in item.rule or strategy in allowed:
                continue
            kinds = quote_list(s.value for s in allowed)
            yield Diagnostic(
                message=f"'{key}' applies only to {kinds} rules, but the rule on {item.where} "
                f"has allow: {strategy.value}; remove '{key}' or change 'allow'.",
                location=item.location(key),
            )
