"""Which owner fields get an owner index: the scalar owner field of every owner rule that
allows ``list``, so a list only such a rule admits is one Query on that index (the index
and its key attribute are laid out in ``codegen/tables.py``).

And which indexes of a model a ``@hasMany`` reads an owner index narrows
(:func:`relation_owner_indexes`): each index without a sort key, once per owner field above
through whose rule alone some caller may list (a caller of a mode no ``public`` or
``private`` rule allowing list admits), so a relation page only that rule admits is one
Query on the foreign key and the owner key, reading the caller's connected items alone."""

from __future__ import annotations

from collections.abc import Iterable

from ..schema.model import Index, Operation, RelationKind, Strategy
from .plan import ModelPlan
from .relations import RelationLink

__all__ = ["owner_list_fields", "relation_owner_indexes"]


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


def _owner_only_fields(plan: ModelPlan) -> tuple[str, ...]:
    """The owner list fields of owner rules through which alone some caller may list: no
    public or private rule allowing list admits every caller of the rule's provider, and no
    owner rule of that provider on another field gives every such caller a second owner
    predicate (the resolver narrows a page by one owner field only)."""
    rules = plan.rules_for(Operation.LIST)
    everyone = {r.provider for r in rules if r.strategy in (Strategy.PUBLIC, Strategy.PRIVATE)}

    def alone(field: str, provider: object) -> bool:
        return provider not in everyone and not any(
            r.strategy is Strategy.OWNER and r.provider == provider and r.owner_field != field
            for r in rules
        )

    return tuple(
        field
        for field in owner_list_fields(plan)
        if any(
            r.strategy is Strategy.OWNER and r.owner_field == field and alone(field, r.provider)
            for r in rules
        )
    )


def relation_owner_indexes(
    plan: ModelPlan, links: Iterable[RelationLink]
) -> tuple[tuple[Index, str], ...]:
    """Each index of ``plan``'s model that a ``@hasMany`` among ``links`` queries, with
    each owner field an owner index narrows it by. Only indexes without a sort key: one
    with a sort key orders its pages by that key and takes conditions on it, which an
    index sorted by the owner key could not keep, so those relations keep their index and
    filter by owner."""
    found: dict[str, Index] = {}
    for link in links:
        index = link.index
        if (
            link.related == plan.model.name
            and link.kind is RelationKind.HAS_MANY
            and link.many
            and index is not None
            and not index.sort_key_fields
        ):
            found.setdefault(index.name, index)
    fields = _owner_only_fields(plan)
    return tuple((index, field) for index in found.values() for field in fields)
