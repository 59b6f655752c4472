"""A rule's ``allow`` names a strategy, its ``provider`` a provider, and the provider is one
the strategy accepts (``identityPool`` being an alias of ``iam``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic, did_you_mean, quote_list
from ..vocabulary import PROVIDER_NAMES, STRATEGY_NAMES, STRATEGY_PROVIDERS
from ._rules_util import RuleItem, auth_rules, strategy_of
from .context import ValidationContext

__all__ = ["check"]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for item in auth_rules(context):
        allow = item.rule.get("allow")
        if isinstance(allow, str) and allow and allow not in STRATEGY_NAMES:
            yield Diagnostic(
                message=f"Unknown authorization strategy 'allow: {allow}' in the @auth rule on "
                f"{item.where}; strategies are {quote_list(STRATEGY_NAMES)}."
                f"{did_you_mean(allow, list(STRATEGY_NAMES))}",
                location=item.location("allow"),
            )
        provider = item.rule.get("provider")
        if isinstance(provider, str) and provider:
            yield from _provider(item, provider)


def _provider(item: RuleItem, provider: str) -> Iterator[Diagnostic]:
    if provider not in PROVIDER_NAMES:
        yield Diagnostic(
            message=f"Unknown authorization provider 'provider: {provider}' in the @auth rule "
            f"on {item.where}; providers are {quote_list(PROVIDER_NAMES)}."
            f"{did_you_mean(provider, list(PROVIDER_NAMES))}",
            location=item.location("provider"),
        )
        return
    strategy = strategy_of(item.rule)
    if strategy is None or PROVIDER_NAMES[provider] in STRATEGY_PROVIDERS[strategy]:
        return
    accepted = [n for n, p in PROVIDER_NAMES.items() if p in STRATEGY_PROVIDERS[strategy]]
    canonical = PROVIDER_NAMES[provider].value
    alias = f" (an alias of '{canonical}')" if canonical != provider else ""
    yield Diagnostic(
        message=f"The '{strategy.value}' rule on {item.where} cannot use provider "
        f"'{provider}'{alias}; '{strategy.value}' rules accept {quote_list(accepted)}.",
        location=item.location("provider"),
    )
