"""The field an owner rule's ``ownerField`` (default ``owner``) or a groups rule's
``groupsField`` names, when the model declares it, holds strings: ``String`` or a list of
``String`` (a multi-owner / multi-group field). A field the model does not declare is fine:
the builder adds it as ``String``."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ..model import DEFAULT_OWNER_FIELD, Strategy
from ._rules_util import auth_rules, strategy_of
from ._types_util import field_types, fields_of, primary_key
from .context import ValidationContext

__all__ = ["check"]

_ALLOWED = "String, String!, [String], [String!], [String]! or [String!]!"


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for item in auth_rules(context):
        model = item.site.type.name
        if model not in context.model_names:
            continue
        strategy = strategy_of(item.rule)
        if strategy is Strategy.OWNER:
            key, name = "ownerField", item.rule.get("ownerField", DEFAULT_OWNER_FIELD)
        elif strategy is Strategy.GROUPS and "groupsField" in item.rule:
            key, name = "groupsField", item.rule["groupsField"]
        else:
            continue
        if not isinstance(name, str) or (key == "ownerField" and _in_key(context, model, name)):
            continue  # an owner field in the key is owner_field_not_primary_key's report
        type_ref = field_types(context, model).get(name)
        if type_ref is None or type_ref.name == "String":
            continue
        declared = fields_of(context, model).get(name)
        implicit = "" if declared else " (an implicit field)"
        yield Diagnostic(
            message=f"The {key} '{name}' of the {strategy.value} rule on {item.where} names "
            f"field '{model}.{name}'{implicit} of type '{type_ref}'; the {key} must have type "
            f"{_ALLOWED}.",
            location=item.location(key) if key in item.rule else item.location(),
            related=(declared.location,) if declared else (),
        )


def _in_key(context: ValidationContext, model: str, name: str) -> bool:
    partition, sort = primary_key(context, model)
    return name == partition or name in sort
