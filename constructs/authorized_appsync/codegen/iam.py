"""The identity pool roles' grants (``authz/grants.py``) as IAM policy resources: a model
type most of whose fields a role may read is named once, the others denied."""

from __future__ import annotations

from dataclasses import dataclass

from ..authz.api_plan import FieldRef
from ..schema.model import Schema

__all__ = ["RoleGrants", "compact_grants"]


@dataclass(frozen=True)
class RoleGrants:
    """What a role's policies say: ``allow`` (ARNs of fields or ``*``) minus ``deny``."""

    allow: tuple[FieldRef, ...]
    deny: tuple[FieldRef, ...] = ()


def compact_grants(schema: Schema, refs: tuple[FieldRef, ...]) -> RoleGrants:
    """``refs`` in fewer ARNs, the same fields allowed: a model type most of whose fields
    are granted becomes ``types/<Model>/fields/*`` with an explicit deny of the others (an
    IAM deny always wins), so a large schema's roles stay within IAM's policy quotas."""
    fields = {m.name: [f.name for f in m.fields] for m in schema.models}
    granted: dict[str, set[str]] = {}
    for ref in refs:
        granted.setdefault(ref.type_name, set()).add(ref.field)
    allow: set[FieldRef] = set()
    deny: set[FieldRef] = set()
    for type_name, names_ in granted.items():
        every = fields.get(type_name)
        others = [] if every is None or "*" in names_ else [f for f in every if f not in names_]
        if every is not None and "*" not in names_ and len(others) + 1 < len(names_):
            allow.add(FieldRef(type_name, "*"))
            deny |= {FieldRef(type_name, f) for f in others}
        else:
            allow |= {FieldRef(type_name, f) for f in names_}
    return RoleGrants(tuple(sorted(allow)), tuple(sorted(deny)))
