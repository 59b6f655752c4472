"""An owner rule's ``ownerField`` is not part of the model's primary key (seed 003: "Do not
set ownerField to your @primaryKey field or id field if no primary key is specified").
Ownership can be reassigned, and a key cannot change; sort key fields are refused for the
same reason."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ..model import DEFAULT_OWNER_FIELD, Strategy
from ._rules_util import auth_rules, strategy_of
from ._types_util import fields_of, primary_key
from .context import ValidationContext

__all__ = ["check"]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for item in auth_rules(context):
        model = item.site.type.name
        if model not in context.model_names or strategy_of(item.rule) is not Strategy.OWNER:
            continue
        name = item.rule.get("ownerField", DEFAULT_OWNER_FIELD)
        partition, sort = primary_key(context, model)
        if name == partition:
            part = "the primary key"
        elif name in sort:
            part = "a sort key field of the primary key"
        else:
            continue
        declared = fields_of(context, model).get(str(name))
        yield Diagnostic(
            message=f"The ownerField '{name}' of the owner rule on {item.where} is {part} of "
            f"'{model}'; the owner must be stored in a separate field (to query by owner, put "
            "an @index on that field).",
            location=item.location("ownerField") if "ownerField" in item.rule else item.location(),
            related=(declared.location,) if declared else (),
        )
