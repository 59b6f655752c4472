"""Two rules on the same type or field are not the same rule once defaults are filled in:
same strategy, provider, operations and strategy settings (owner field, identity claim,
groups, groups field, group claim)."""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from ..errors import Diagnostic
from ..model import (
    DEFAULT_GROUP_CLAIM,
    DEFAULT_IDENTITY_CLAIM,
    DEFAULT_OWNER_FIELD,
    MODEL_OPERATIONS,
    Operation,
    Strategy,
)
from ..raw import Value
from ..vocabulary import OPERATION_NAMES
from ._rules_util import RuleItem, auth_rules, provider_of, strategy_of, strings
from .context import ValidationContext

__all__ = ["check"]


def _operations(value: Value) -> frozenset[Operation] | None:
    if value is None:
        return MODEL_OPERATIONS
    names = strings(value)
    if names is None or any(n not in OPERATION_NAMES for n in names):
        return None
    return frozenset(op for n in names for op in OPERATION_NAMES[n])


def _key(rule: dict[str, Value]) -> Hashable | None:
    """What the rule means with every default applied; None if it is malformed."""
    strategy, provider = strategy_of(rule), provider_of(rule)
    operations = _operations(rule.get("operations"))
    if strategy is None or provider is None or operations is None:
        return None
    texts: tuple[Value, ...] = ()
    groups: frozenset[str] | None = None
    if strategy is Strategy.OWNER:
        texts = (
            rule.get("ownerField", DEFAULT_OWNER_FIELD),
            rule.get("identityClaim", DEFAULT_IDENTITY_CLAIM),
        )
    elif strategy is Strategy.GROUPS:
        names = strings(rule.get("groups"))
        groups = frozenset(names) if names is not None else None
        texts = (rule.get("groupsField"), rule.get("groupClaim", DEFAULT_GROUP_CLAIM))
    if not all(isinstance(t, str | None) for t in texts):
        return None
    settings = (groups, *(str(t) for t in texts))
    return (strategy, provider, operations, settings)


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    seen: dict[tuple[str, str | None, Hashable], RuleItem] = {}
    for item in auth_rules(context):
        key = _key(item.rule)
        if key is None:
            continue
        field = item.site.field.name if item.site.field else None
        place = (item.site.type.name, field, key)
        first = seen.setdefault(place, item)
        if first is item:
            continue
        yield Diagnostic(
            message=f"This '{item.rule['allow']}' rule on {item.where} repeats an earlier rule "
            "(same strategy, provider, operations and settings once defaults apply); remove "
            "one of them.",
            location=item.location(),
            related=(first.location(),),
        )
