"""The validation rules, in the order they run. Each is one module's ``check``."""

from __future__ import annotations

from .context import Check

RULES: tuple[Check, ...] = ()
