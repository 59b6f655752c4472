"""Which owner fields get an owner index: the scalar owner field of every owner rule that
allows ``list``, so a list only such a rule admits is one Query on that index (the index
and its key attribute are laid out in ``codegen/tables.py``)."""

from __future__ import annotations

from ..schema.model import Operation, Strategy
from .plan import ModelPlan

__all__ = ["owner_list_fields"]


def owner_list_fields(plan: ModelPlan) -> tuple[str, ...]:
    """Scalar owner fields of owner rules that allow list, in rule order."""
    found: dict[str, None] = {}
    for rule in plan.rules_for(Operation.LIST):
        if rule.strategy is not Strategy.OWNER or rule.owner_field is None:
            continue
        f = plan.model.field(rule.owner_field)
        if f is not None and not f.type.is_list:
            found[rule.owner_field] = None
    return tuple(found)
