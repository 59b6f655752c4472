"""Required fields (``T!``) the resolvers would have to null, refused at synth.

A field is nulled for a caller its read rules do not admit (``field_access``). For a
required field that breaks the response: AppSync nulls the whole object (and, up the
tree, the whole result) for a null non-null field. Two cases are refused:

- a protected field (some subscriber may not read it), which every create, update and
  delete response returns as null;
- on a model with subscriptions, a field some reader of the record may not read (their
  reads would fail; Amplify's transformer refuses that schema too).

Each sentence names the field, the rules hiding it, the callers they hide it from (the
rule admitting them, where it is written and its role names as ``authorized-appsync acm``
prints them) and what to change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..schema.errors import Diagnostic
from ..schema.model import AuthRule, Field, Operation
from .coverage import rule_text, uncovered, who
from .plan import ModelPlan
from .readers import field_read_rules, partial_rules, protected_fields
from .roles import roles_of

__all__ = ["required_field_problems"]

_OFF = "or turn subscriptions off with @model(subscriptions: null)."


@dataclass(frozen=True)
class _Reader:
    """Callers some rule admits: a model rule (``fields`` empty) or the rule of the fields
    ``fields`` that lets them read records the model's rules keep from them."""

    rule: AuthRule
    fields: tuple[str, ...] = ()


def _readers(plan: ModelPlan, *operations: Operation) -> list[_Reader]:
    found = [_Reader(r) for op in operations for r in plan.rules_for(op)]
    for rule in partial_rules(plan, *operations):
        key = who(rule)
        fields = tuple(
            f.name for f in plan.model.fields if any(who(r) == key for r in f.rules or ())
        )
        found.append(_Reader(rule, fields))
    return found


def _hidden(plan: ModelPlan, f: Field, readers: list[_Reader]) -> list[_Reader]:
    """The readers (each narrowed to the callers ``f``'s read rules leave out) ``f`` is
    hidden from, each once."""
    allowed = field_read_rules(plan, f)
    found: dict[AuthRule, _Reader] = {}
    for reader in readers:
        left = uncovered(allowed, reader.rule)
        if left is not None:
            shown = replace(left, operations=reader.rule.operations)
            found.setdefault(left, _Reader(shown, reader.fields))
    return list(found.values())


def _describe(plan: ModelPlan, reader: _Reader) -> str:
    rule = reader.rule
    roles = [role.name for role in roles_of(rule)]
    label = "role" if len(roles) == 1 else "roles"
    admitted = f"{rule_text(rule)} ({rule.location}; {label} {', '.join(roles)})"
    if not reader.fields:
        return f"the model's rule {admitted}"
    named = ", ".join(f"'{plan.model.name}.{name}'" for name in reader.fields)
    return f"{admitted}, a rule of {named} that lets them read {plan.model.name} records"


def _hider(plan: ModelPlan, f: Field) -> str:
    """The rules hiding ``f``: its read rules, its own or the type's."""
    model = plan.model
    read = ", ".join(rule_text(r) for r in field_read_rules(plan, f)) or "none allowing read"
    if f.rules is None:
        return f"the rules of type '{model.name}' ({model.location}: {read})"
    return f"its own @auth rules ({read})"


def _problem(plan: ModelPlan, f: Field, hidden: list[_Reader], protected: bool) -> Diagnostic:
    model = plan.model
    whom = "; ".join(_describe(plan, r) for r in hidden)
    if protected:
        why = (
            f"subscribers admitted by {whom}, so every create, update and delete response "
            f"returns it as null and would fail"
        )
    else:
        why = (
            f"callers who may read {model.name} records, admitted by {whom}, whose reads would fail"
        )
    if f.implicit:
        return Diagnostic(
            location=model.location,
            message=f"the implicit field '{model.name}.{f.name}' ('{f.type}') of type "
            f"'{model.name}' follows {_hider(plan, f)}, which hide it from {why}. "
            f"Declare it in the type ('{f.name}: {f.type}') with @auth rules admitting them "
            f"as well as the type's readers, {_OFF}",
        )
    fix = (
        "Give it @auth rules admitting them as well as the type's readers"
        if f.rules is None
        else "Add a rule admitting them to its @auth"
    )
    return Diagnostic(
        location=f.location,
        message=f"field '{model.name}.{f.name}' is required ('{f.type}') but "
        f"{_hider(plan, f)}{', which it follows,' if f.rules is None else ''} hide it from "
        f"{why}. {fix}, make it nullable ('{f.type.name}'), "
        f"{_OFF}",
    )


def required_field_problems(plans: tuple[ModelPlan, ...]) -> list[Diagnostic]:
    """A located sentence for each required field the resolvers would have to null."""
    problems = []
    for plan in plans:
        protected = protected_fields(plan)
        subscribed = plan.model.options.subscriptions and plan.model.options.mutations
        listeners = _readers(plan, Operation.LISTEN)
        readers = _readers(plan, Operation.GET, Operation.LIST)
        for f in plan.model.fields:
            if not f.type.non_null:
                continue
            if f.name in protected:
                problems.append(_problem(plan, f, _hidden(plan, f, listeners), True))
            elif subscribed and (hidden := _hidden(plan, f, readers)):
                problems.append(_problem(plan, f, hidden, False))
    return problems
