"""``@auth`` takes exactly one argument, ``rules``: a non-empty list of rule objects.

Unknown or repeated arguments of ``@auth`` are reported by :mod:`.known_directives`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ._rules_util import show, where
from .context import ValidationContext

__all__ = ["check"]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for site in context.auth_sites():
        place = where(site.type.name, site.field)
        argument = site.directive.argument("rules")
        if argument is None:
            yield Diagnostic(
                message=f"@auth on {place} has no 'rules' argument; "
                "write @auth(rules: [{ allow: ... }]).",
                location=site.directive.location,
            )
            continue
        value = argument.value
        if not isinstance(value, list):
            yield Diagnostic(
                message=f"The 'rules' argument of @auth on {place} must be a list of rule "
                f"objects such as [{{ allow: owner }}]; received {show(value)}.",
                location=argument.location_of(),
            )
            continue
        if not value:
            yield Diagnostic(
                message=f"@auth on {place} has an empty 'rules' list; give at least one rule "
                "(without @auth, access is already denied to everyone).",
                location=argument.location_of(),
            )
        for index, rule in enumerate(value):
            if not isinstance(rule, dict):
                yield Diagnostic(
                    message=f"rules[{index}] of @auth on {place} must be a rule object such as "
                    f"{{ allow: owner }}; received {show(rule)}.",
                    location=argument.location_of(index),
                )
