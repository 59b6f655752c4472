"""Stage 2: validation. Each rule is a module with one ``check`` function that reports
problems; :func:`validate` runs them all and collects every problem.

Invariant: after :func:`validate` returns no diagnostics, building the model and planning
authorization cannot fail on user input.
"""

from __future__ import annotations

from ..errors import Diagnostic
from ..raw import RawDocument
from .context import ValidationContext
from .rules import RULES

__all__ = ["ValidationContext", "validate"]


def validate(document: RawDocument) -> list[Diagnostic]:
    """Every problem in ``document``, in source order."""
    context = ValidationContext(document)
    found: list[Diagnostic] = []
    for rule in RULES:
        found.extend(rule(context))
    unique = {(d.location, d.message): d for d in found}
    return sorted(unique.values(), key=lambda d: (d.location, d.message))
