"""Which authorization modes AppSync lets through, per type, field and operation: the
decision behind every ``@aws_*`` directive of the generated schema (codegen prints them).

AppSync checks the request's mode against the directives before any resolver runs: a
type's directives cover its fields, a field's own directives replace the type's, and an
element with any directive no longer admits the default mode unless it is listed. The
schema therefore always writes the modes out, so it means the same whatever the default.

The rule every set below follows: **AppSync must not reject a caller whom some rule
could admit, and must reject every mode that no rule mentions.** The resolvers then
decide for the callers AppSync lets through (owner, groups, field-level rules).

- A model type: every provider of its rules, model-level and field-level (a caller
  admitted only to one field must still be able to read that field of the type).
- A field with its own ``@auth``: the providers of those rules, replacing the type's.
- A field without ``@auth`` follows the model's rules; when those use fewer providers
  than the type (a field rule brought another provider in), it gets them explicitly.
- An operation: the providers of the model rules allowing it, plus those of field rules
  allowing it on some field (that caller may run it for the fields it may touch), except
  delete, which needs delete on every field: a provider counts only when, for every
  field, some rule governing that field with that provider allows delete.
- ``admin_iam`` (admin roles, or the IAM authorization mode) adds ``iam`` to all of them.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..schema.model import AuthRule, Field, Operation, Provider
from .plan import ModelPlan

__all__ = ["field_providers", "operation_providers", "rule_providers", "type_providers"]


def rule_providers(rules: Iterable[AuthRule], admin_iam: bool) -> frozenset[Provider]:
    found = {r.provider for r in rules}
    if admin_iam:
        found.add(Provider.IAM)
    return frozenset(found)


def type_providers(plan: ModelPlan, admin_iam: bool) -> frozenset[Provider]:
    """The modes admitted on the model's object type (and its connection type)."""
    return rule_providers((), admin_iam) | plan.providers


def field_providers(plan: ModelPlan, field: Field, admin_iam: bool) -> frozenset[Provider] | None:
    """The modes of a field's own directive, or ``None`` when it inherits the type's.

    A field without ``@auth`` whose model rules admit no mode at all (only field rules
    exist, no admin) cannot say "nobody" in AppSync's terms: it inherits the type's
    modes and its resolvers deny."""
    own = rule_providers(plan.field_rules(field), admin_iam)
    if field.rules is not None:
        return own
    if own and own != type_providers(plan, admin_iam):
        return own
    return None


def operation_providers(
    plan: ModelPlan, operation: Operation, admin_iam: bool
) -> frozenset[Provider]:
    """The modes admitted on the root field of ``operation`` (empty: nobody may call it)."""
    if operation is Operation.DELETE:
        return _delete_providers(plan) | rule_providers((), admin_iam)
    rules = list(plan.rules_for(operation))
    for f in plan.model.fields:
        if f.rules is not None:
            rules += [r for r in f.rules if operation in r.operations]
    return rule_providers(rules, admin_iam)


def _delete_providers(plan: ModelPlan) -> frozenset[Provider]:
    found: set[Provider] | None = None
    for f in plan.model.fields:
        here = {r.provider for r in plan.field_rules_for(f, Operation.DELETE)}
        found = here if found is None else found & here
    return frozenset(found or ())
