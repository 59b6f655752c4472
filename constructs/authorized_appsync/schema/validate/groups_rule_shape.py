"""A groups rule names its groups exactly one way: static ``groups: [...]`` (not empty) or
dynamic ``groupsField: "..."``.

Unlike Amplify, a groups rule with neither is not silently read as
``groupsField: "groups"``: the rule must say which it means.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ..model import Strategy
from ._rules_util import auth_rules, strategy_of
from .context import ValidationContext

__all__ = ["check"]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for item in auth_rules(context):
        if strategy_of(item.rule) is not Strategy.GROUPS:
            continue
        groups = item.rule.get("groups")
        groups_field = item.rule.get("groupsField")
        if groups is None and groups_field is None:
            yield Diagnostic(
                message=f"The groups rule on {item.where} names no groups; add "
                'groups: ["Admin", ...] for static groups or groupsField: "..." for dynamic '
                "groups stored in each record.",
                location=item.location(),
            )
        elif groups is not None and groups_field is not None:
            yield Diagnostic(
                message=f"The groups rule on {item.where} has both 'groups' and 'groupsField'; "
                'use groups: [...] for static groups or groupsField: "..." for dynamic '
                "groups, not both.",
                location=item.location("groupsField"),
                related=(item.location("groups"),),
            )
        if groups == []:
            yield Diagnostic(
                message=f"The 'groups' list of the groups rule on {item.where} is empty; name "
                'at least one group, e.g. groups: ["Admin"].',
                location=item.location("groups"),
            )
