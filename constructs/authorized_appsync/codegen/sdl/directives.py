"""The ``@aws_*`` directives admitting a set of authorization modes, in Amplify's order.
Which modes each type, field and operation admits is decided in ``authz/modes.py``."""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType
from typing import Final

from ...appsync import DIRECTIVE_ORDER
from ...schema.model import Provider

__all__ = ["DIRECTIVES", "PROVIDER_ORDER", "directives"]

DIRECTIVES: Final = MappingProxyType(
    {Provider(mode.rule_provider): mode.directive for mode in DIRECTIVE_ORDER}
)
# The order directives are printed in (Amplify's AUTH_PROVIDER_DIRECTIVE_MAP order).
PROVIDER_ORDER: Final = tuple(DIRECTIVES)


def directives(providers: Iterable[Provider]) -> tuple[str, ...]:
    """The directives admitting exactly ``providers``, in a stable order. Static group
    rules stay plain ``@aws_cognito_user_pools``: the resolvers check the groups."""
    wanted = set(providers)
    return tuple(DIRECTIVES[p] for p in PROVIDER_ORDER if p in wanted)
