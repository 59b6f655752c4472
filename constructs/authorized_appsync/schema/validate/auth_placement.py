"""``@auth`` goes on ``@model`` types, their fields, and fields of Query/Mutation/Subscription.

Not on a root type itself, not on a type without ``@model`` or its fields. Rules on root
fields cannot have ``operations`` (the field is already one operation, as Amplify says) and
cannot be owner or dynamic-group rules: a root field has no record to own or to read
groups from.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...appsync import ROOT_TYPES
from ..errors import Diagnostic
from ..model import Strategy
from ._rules_util import RuleItem, auth_rules, strategy_of
from .context import ValidationContext

__all__ = ["check"]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for site in context.auth_sites():
        name = site.type.name
        if name in ROOT_TYPES and site.field is None:
            message = (
                f"@auth cannot be used on the root type '{name}'; put it on each of its fields."
            )
        elif name in ROOT_TYPES or name in context.model_names:
            continue
        elif site.field is None:
            message = (
                f"@auth on type '{name}' has no effect because '{name}' is not a @model; add "
                "@model to the type or remove @auth."
            )
        else:
            message = (
                f"@auth on field '{name}.{site.field.name}' is not allowed because '{name}' is "
                "not a @model; field rules apply to fields of @model types and of Query, "
                "Mutation and Subscription."
            )
        yield Diagnostic(message=message, location=site.directive.location)
    for item in auth_rules(context):
        if item.on_root_field:
            yield from _root_field_rule(item)


def _root_field_rule(item: RuleItem) -> Iterator[Diagnostic]:
    if "operations" in item.rule:
        yield Diagnostic(
            message=f"The @auth rule on {item.where} cannot have 'operations': rules on fields "
            "of Query, Mutation and Subscription already apply to one operation; remove it.",
            location=item.location("operations"),
        )
    strategy = strategy_of(item.rule)
    if strategy is Strategy.OWNER:
        yield Diagnostic(
            message=f"An owner rule cannot protect {item.where}: fields of Query, Mutation and "
            "Subscription have no record to own; use 'private', 'public', 'groups' with static "
            "groups, or 'custom'.",
            location=item.location("allow"),
        )
    elif strategy is Strategy.GROUPS and "groupsField" in item.rule:
        yield Diagnostic(
            message=f"A dynamic groups rule (groupsField) cannot protect {item.where}: fields of "
            "Query, Mutation and Subscription have no record to read groups from; use "
            'static groups: ["..."].',
            location=item.location("groupsField"),
        )
