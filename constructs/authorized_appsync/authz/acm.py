"""The access-control matrix: for each model, role x field x operation -> allowed.

Operations are the four of ``amplify status api -acm``: create, read, update, delete.
``read`` is allowed when the role may read the field through any read operation (get,
list, sync, listen or search). Fields are those the user declared; implicit fields
(``id``, owner fields, timestamps) follow the model's rules and are included on request.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..schema.model import READ_OPERATIONS, AuthRule, Operation
from .roles import Role, roles_of

if TYPE_CHECKING:
    from .plan import ModelPlan

__all__ = ["AccessControlMatrix", "AcmOperation", "AcmRow", "TypeMatrix", "render_tables"]


class AcmOperation(enum.Enum):
    CREATE = "create"
    READ = "read"
    UPDATE = "update"
    DELETE = "delete"


_COVERS: dict[AcmOperation, frozenset[Operation]] = {
    AcmOperation.CREATE: frozenset({Operation.CREATE}),
    AcmOperation.READ: READ_OPERATIONS,
    AcmOperation.UPDATE: frozenset({Operation.UPDATE}),
    AcmOperation.DELETE: frozenset({Operation.DELETE}),
}


@dataclass(frozen=True)
class AcmRow:
    type: str
    role: str
    field: str
    operation: AcmOperation
    allowed: bool

    def to_json(self) -> dict[str, str | bool]:
        return {
            "type": self.type,
            "role": self.role,
            "field": self.field,
            "operation": self.operation.value,
            "allowed": self.allowed,
        }


Grants = frozenset[tuple[Role, AcmOperation]]


@dataclass(frozen=True)
class TypeMatrix:
    """One model's matrix. ``grants`` maps each field to the (role, operation) pairs allowed
    on it; fields governed by the same rules share one set."""

    type_name: str
    roles: tuple[Role, ...]
    fields: tuple[str, ...]
    implicit_fields: tuple[str, ...]
    grants: dict[str, Grants]

    def allows(self, role: Role, field: str, operation: AcmOperation) -> bool:
        return (role, operation) in self.grants.get(field, frozenset())

    def is_allowed(self, role: Role | str, field: str, operation: AcmOperation | str) -> bool:
        named = next((r for r in self.roles if r.name == str(role)), None)
        op = AcmOperation(operation) if isinstance(operation, str) else operation
        return named is not None and self.allows(named, field, op)

    def rows(self, *, include_implicit: bool = False) -> Iterator[AcmRow]:
        fields = self.fields + (self.implicit_fields if include_implicit else ())
        for role in self.roles:
            for field in fields:
                for op in AcmOperation:
                    yield AcmRow(self.type_name, role.name, field, op, self.allows(role, field, op))


def _grants(rules: tuple[AuthRule, ...]) -> Grants:
    """(role, operation) pairs a set of rules grants on a field."""
    found: set[tuple[Role, AcmOperation]] = set()
    for rule in rules:
        ops = [op for op, covered in _COVERS.items() if rule.operations & covered]
        found.update((role, op) for role in roles_of(rule) for op in ops)
    return frozenset(found)


def type_matrix(plan: ModelPlan) -> TypeMatrix:
    # Most fields share the model's rules: work out each distinct rule set once.
    by_rules: dict[int, Grants] = {}
    grants: dict[str, Grants] = {}
    for field in plan.model.fields:
        rules = plan.field_rules(field)
        found = by_rules.get(id(rules))
        if found is None:
            found = by_rules[id(rules)] = _grants(rules)
        grants[field.name] = found
    return TypeMatrix(
        type_name=plan.model.name,
        roles=plan.roles,
        fields=tuple(f.name for f in plan.model.fields if not f.implicit),
        implicit_fields=tuple(f.name for f in plan.model.fields if f.implicit),
        grants=grants,
    )


@dataclass(frozen=True)
class AccessControlMatrix:
    types: tuple[TypeMatrix, ...]

    def for_type(self, name: str) -> TypeMatrix:
        for t in self.types:
            if t.type_name == name:
                return t
        raise KeyError(name)

    def rows(self, *, include_implicit: bool = False) -> Iterator[AcmRow]:
        for t in self.types:
            yield from t.rows(include_implicit=include_implicit)


def _console_table(header: list[str], body: list[list[str]]) -> str:
    """A table drawn like Node's ``console.table`` (which ``amplify status -acm`` uses):
    each column as wide as its widest cell plus two, cells centred, extra space right."""
    widths = [max(len(row[i]) for row in [header, *body]) + 2 for i in range(len(header))]

    def line(left: str, mid: str, right: str) -> str:
        return left + mid.join("─" * w for w in widths) + right

    def row(cells: list[str]) -> str:
        out = []
        for cell, width in zip(cells, widths, strict=True):
            pad = width - len(cell)
            out.append(" " * (pad // 2) + cell + " " * (pad - pad // 2))
        return "│" + "│".join(out) + "│"

    lines = [line("┌", "┬", "┐"), row(header), line("├", "┼", "┤")]
    lines += [row(r) for r in body]
    lines.append(line("└", "┴", "┘"))
    return "\n".join(lines)


def render_tables(matrix: TypeMatrix, *, include_implicit: bool = False) -> str:
    """One table per role, rows the fields, columns create/read/update/delete."""
    fields = matrix.fields + (matrix.implicit_fields if include_implicit else ())
    header = ["(index)", *(op.value for op in AcmOperation)]
    blocks = []
    for role in matrix.roles:
        body = [
            [f, *("true" if matrix.allows(role, f, op) else "false" for op in AcmOperation)]
            for f in fields
        ]
        blocks.append(f"{role.name}\n{_console_table(header, body)}")
    return "\n".join(blocks)
