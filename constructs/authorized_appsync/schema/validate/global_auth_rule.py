"""``input AMPLIFY`` declares the global (sandbox) rule and nothing else, and the only rule
supported is ``{ allow: public }`` (seed 003: "Currently, only { allow: public } is
supported as a global authorization rule"):

    input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic, did_you_mean
from ..raw import TypeKind
from ..vocabulary import GLOBAL_RULE_FIELD, GLOBAL_RULE_INPUT
from ._rules_util import show
from ._types_util import kind_noun
from .context import ValidationContext

__all__ = ["check"]

_EXAMPLE = f"input {GLOBAL_RULE_INPUT} {{ {GLOBAL_RULE_FIELD}: AuthRule = {{ allow: public }} }}"


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    for t in context.document.types:
        if t.name != GLOBAL_RULE_INPUT:
            continue
        if t.kind is not TypeKind.INPUT:
            yield Diagnostic(
                message=f"The name '{GLOBAL_RULE_INPUT}' is reserved for the global rule "
                f"declaration '{_EXAMPLE}'; received {kind_noun(t.kind)}.",
                location=t.location,
            )
            continue
        defaults = dict(t.field_defaults)
        for f in t.fields:
            if f.name != GLOBAL_RULE_FIELD:
                message = (
                    f"input {GLOBAL_RULE_INPUT} has an unknown field '{f.name}'; the only "
                    f"supported field is '{GLOBAL_RULE_FIELD}'."
                    f"{did_you_mean(f.name, [GLOBAL_RULE_FIELD])}"
                )
            elif f.type.name != "AuthRule" or f.type.is_list:
                message = f"'{GLOBAL_RULE_FIELD}' must have type AuthRule; received '{f.type}'."
            elif defaults.get(f.name) != {"allow": "public"}:
                received = show(defaults[f.name]) if f.name in defaults else "no default"
                message = (
                    "Only { allow: public } is supported as a global authorization rule; "
                    f"received {received}. Write '{_EXAMPLE}'."
                )
            else:
                continue
            yield Diagnostic(message=message, location=f.location)
