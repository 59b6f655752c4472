"""Who a rule admits, and whether some rules admit everyone another admits.

Rules are compared by the callers they admit, their operations set aside. A rule admits
callers through *admissions*: a static groups rule one per group (a member of any of its
groups is admitted), every other rule one. One admission implies another when it is the
same (the same strategy, provider and settings: owner field and identity claim, group
claim and group, groups field), or when it is ``private`` of a user pool or OIDC provider
and the other is a rule of that provider (every owner and group member is a signed-in
caller of it). Nothing else implies anything: an owner rule reading a different identity
claim, a dynamic groups rule and a static one, ``public`` and ``private`` of the identity
pool admit callers the other may not, and when in doubt a rule is not covered.

So ``{allow: groups, groups: ["Managers"]}`` is covered by ``{allow: groups, groups:
["Managers", "Admins"]}`` of the same provider and group claim, or by two rules naming
``Managers`` and ``Admins`` apart; ``{allow: groups, groups: ["Managers", "Staff"]}`` is not
(``Staff`` is left over, see :func:`uncovered`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace

from ..schema.model import (
    DEFAULT_GROUP_CLAIM,
    DEFAULT_IDENTITY_CLAIM,
    DEFAULT_OWNER_FIELD,
    MODEL_OPERATIONS,
    READ_OPERATIONS,
    AuthRule,
    Operation,
    Provider,
    Strategy,
)
from ..schema.vocabulary import STRATEGY_PROVIDERS

__all__ = ["admissions", "covers", "rule_text", "uncovered", "who"]

_SIGNED_IN = (Provider.USER_POOLS, Provider.OIDC)


def who(rule: AuthRule) -> AuthRule:
    """A rule with its operations set aside: who it admits."""
    return replace(rule, operations=frozenset())


def admissions(rule: AuthRule) -> tuple[AuthRule, ...]:
    """The ways ``rule`` admits a caller, each a rule of its own (operations aside): one per
    group of a static groups rule, else the rule itself."""
    key = who(rule)
    if rule.strategy is Strategy.GROUPS and rule.groups_field is None:
        return tuple(replace(key, groups=(group,)) for group in dict.fromkeys(rule.groups))
    return (key,)


def _implies(admission: AuthRule, other: AuthRule) -> bool:
    return admission == other or (
        admission.strategy is Strategy.PRIVATE
        and admission.provider is other.provider
        and other.provider in _SIGNED_IN
    )


def uncovered(rules: Iterable[AuthRule], rule: AuthRule) -> AuthRule | None:
    """The part of ``rule`` that ``rules`` do not admit: ``None`` when they admit everyone it
    does, else ``rule`` (operations aside) narrowed to the groups no rule covers."""
    held = {a for r in rules for a in admissions(r)}
    left = [a for a in admissions(rule) if not any(_implies(h, a) for h in held)]
    if not left:
        return None
    key = who(rule)
    if key.strategy is Strategy.GROUPS and key.groups_field is None:
        return replace(key, groups=tuple(g for a in left for g in a.groups))
    return key


def covers(rules: Iterable[AuthRule], rule: AuthRule) -> bool:
    """Whether ``rules`` admit everyone ``rule`` admits (operations aside)."""
    return uncovered(rules, rule) is None


def _quoted(values: Iterable[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def _operation_names(operations: frozenset[Operation]) -> list[str]:
    """As written: ``read`` for every read operation, else each one."""
    if operations.issuperset(READ_OPERATIONS):
        writes = [op.value for op in Operation if op in operations - READ_OPERATIONS]
        return [*writes, "read"]
    return [op.value for op in Operation if op in operations]


def rule_text(rule: AuthRule) -> str:
    """The rule as an ``@auth`` rule is written, its defaults left out:
    ``{allow: groups, groups: ["Managers"]}``."""
    parts = [f"allow: {rule.strategy.value}"]
    if rule.strategy is Strategy.GROUPS and rule.groups_field is not None:
        parts.append(f"groupsField: {json.dumps(rule.groups_field)}")
    elif rule.strategy is Strategy.GROUPS:
        parts.append(f"groups: {_quoted(rule.groups)}")
    if rule.owner_field not in (None, DEFAULT_OWNER_FIELD):
        parts.append(f"ownerField: {json.dumps(rule.owner_field)}")
    if rule.identity_claim not in (None, DEFAULT_IDENTITY_CLAIM):
        parts.append(f"identityClaim: {json.dumps(rule.identity_claim)}")
    if rule.group_claim not in (None, DEFAULT_GROUP_CLAIM):
        parts.append(f"groupClaim: {json.dumps(rule.group_claim)}")
    if rule.provider is not STRATEGY_PROVIDERS[rule.strategy][0]:
        parts.append(f"provider: {rule.provider.value}")
    if rule.operations and rule.operations != MODEL_OPERATIONS:
        parts.append(f"operations: [{', '.join(_operation_names(rule.operations))}]")
    return "{" + ", ".join(parts) + "}"
