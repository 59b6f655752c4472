"""Fields that grant access, writable by rules that do not already grant it.

An owner field decides who the owner rules on it admit, and a dynamic groups field who its
groups rules admit: whoever may update such a field may write their own identity (or one
of their groups) into it, and from then on hold every operation those rules grant on the
record. That is as intended when the writer already holds them - the owner reassigning
ownership, a moderator who may do everything anyway - and a privilege escalation otherwise:
in Amplify's multi-user example an editor (`{allow: owner, ownerField: "editors",
operations: [read, update]}`) may set `owner` to themselves and then delete the record.
Amplify's access-control matrix lists it only among the implicit fields.

Only a declared field can be written: an owner field an owner rule adds to the type is in
no create or update input (as in Amplify), so it always holds its creator.

:func:`takeovers` finds, per model, each rule that may update such a field and is not one
of that field's own rules, and the operations it would gain (create aside: taking over a
record grants nothing about creating others). The construct reports each as a synth
warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..schema.model import AuthRule, Operation, Strategy
from .acm import AcmOperation
from .coverage import rule_text
from .plan import ModelPlan
from .roles import Role, roles_of

__all__ = ["Takeover", "takeovers"]

Gains = frozenset[tuple[str, AcmOperation]]  # (field, operation)


@dataclass(frozen=True)
class Takeover:
    """``writer`` may update ``model``'s ``field``, which ``granting`` rules admit by, and
    would gain ``gained`` (field, operation) pairs it does not hold."""

    model: str
    field: str
    writer: AuthRule
    granting: tuple[AuthRule, ...]
    gained: Gains
    fields: tuple[str, ...]  # every field of the model

    @property
    def is_owner_field(self) -> bool:
        return self.granting[0].strategy is Strategy.OWNER

    @property
    def warning_id(self) -> str:
        kind = "owner" if self.is_owner_field else "groups"
        return f"authorized-appsync:{kind}-field-writable"

    def message(self) -> str:
        kind = "owner field" if self.is_owner_field else "groups field"
        grants = " and ".join(f"{rule_text(r)} ({r.location})" for r in self.granting)
        verb = "grants" if len(self.granting) == 1 else "grant"
        keep = "the owner" if self.is_owner_field else "the group members"
        return (
            f"type '{self.model}': the rule {rule_text(self.writer)} ({self.writer.location}) "
            f"may update the {kind} '{self.model}.{self.field}', so a caller it admits can "
            f"write their own identity into it and gain what {grants} {verb}: "
            f"{_describe(self.gained, self.fields)}. Give '{self.field}' field-level rules "
            f'that leave update to {keep} (Amplify, "Customize authorization rules": a '
            f"field-level rule on the owner field controls who may change it), or drop update "
            f"from that rule if the takeover is not meant."
        )


def _describe(gained: Gains, every: tuple[str, ...]) -> str:
    """Per operation, the fields it reaches: ``delete on every field; read on ssn``."""
    by_op: dict[AcmOperation, list[str]] = {}
    for field, op in sorted(gained, key=lambda g: (list(AcmOperation).index(g[1]), g[0])):
        by_op.setdefault(op, []).append(field)
    return "; ".join(
        f"{op.value} on {'every field' if set(fields) >= set(every) else ', '.join(fields)}"
        for op, fields in by_op.items()
    )


def _role_grants(plan: ModelPlan) -> dict[Role, Gains]:
    """Every (field, operation) each role holds on the model, create aside."""
    found: dict[Role, set[tuple[str, AcmOperation]]] = {role: set() for role in plan.roles}
    for field, grants in plan.matrix.grants.items():
        for role, op in grants:
            if op is not AcmOperation.CREATE:
                found.setdefault(role, set()).add((field, op))
    return {role: frozenset(pairs) for role, pairs in found.items()}


def _all_rules(plan: ModelPlan) -> Iterable[AuthRule]:
    yield from plan.rules
    for field in plan.model.fields:
        yield from field.rules or ()


def _access_fields(plan: ModelPlan) -> dict[str, tuple[AuthRule, ...]]:
    """Owner fields and dynamic groups fields -> the rules that admit by them."""
    found: dict[str, list[AuthRule]] = {}
    for rule in _all_rules(plan):
        if rule.strategy is Strategy.OWNER and rule.owner_field:
            found.setdefault(rule.owner_field, []).append(rule)
        elif rule.is_dynamic_group and rule.groups_field:
            found.setdefault(rule.groups_field, []).append(rule)
    return {field: tuple(dict.fromkeys(rules)) for field, rules in found.items()}


def _model_takeovers(plan: ModelPlan) -> Iterable[Takeover]:
    grants = _role_grants(plan)
    for field, granting in _access_fields(plan).items():
        model_field = plan.model.field(field)
        if model_field is None or model_field.implicit:  # no input can write it
            continue
        gives: set[tuple[str, AcmOperation]] = set()
        for rule in granting:
            for role in roles_of(rule):
                gives |= grants.get(role, frozenset())
        for writer in dict.fromkeys(plan.field_rules_for(model_field, Operation.UPDATE)):
            if writer in granting:
                continue
            # A static groups rule admits a member of any one of its groups.
            gained = frozenset().union(
                *(gives - grants.get(role, frozenset()) for role in roles_of(writer))
            )
            if gained:
                yield Takeover(
                    model=plan.model.name,
                    field=field,
                    writer=writer,
                    granting=granting,
                    gained=gained,
                    fields=tuple(f.name for f in plan.model.fields),
                )


def takeovers(plans: Iterable[ModelPlan]) -> list[Takeover]:
    """Each rule that may update an owner or dynamic groups field it is not a rule of, and
    would gain operations by writing itself into it."""
    return [found for plan in plans for found in _model_takeovers(plan)]
