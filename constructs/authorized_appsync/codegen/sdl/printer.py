"""A small, typed IR of the SDL the generator emits, and its printer.

Definitions are frozen dataclasses; printing is deterministic (definitions, fields,
arguments and directives keep the order they were built in). Comments (``# ...``) can be
attached above a definition, which ``graphql-core``'s ``print_ast`` cannot do.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["Arg", "Definition", "FieldDef", "Kind", "prune", "render"]

_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")


class Kind(enum.Enum):
    OBJECT = "type"
    INPUT = "input"
    ENUM = "enum"


@dataclass(frozen=True)
class Arg:
    name: str
    type: str  # as written: ``ID!``, ``[String]``, ``ModelPostFilterInput``

    def __str__(self) -> str:
        return f"{self.name}: {self.type}"


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: str
    args: tuple[Arg, ...] = ()
    directives: tuple[str, ...] = ()  # printed as is: ``@aws_iam``, ``@aws_subscribe(...)``

    def __str__(self) -> str:
        args = f"({', '.join(map(str, self.args))})" if self.args else ""
        tail = "".join(f" {d}" for d in self.directives)
        return f"{self.name}{args}: {self.type}{tail}"

    def type_names(self) -> Iterator[str]:
        yield _base_name(self.type)
        for arg in self.args:
            yield _base_name(arg.type)


@dataclass(frozen=True)
class Definition:
    """An object type, input or enum. ``keep`` definitions are always printed; the others
    only when something printed refers to them (see :func:`prune`)."""

    kind: Kind
    name: str
    fields: tuple[FieldDef, ...] = ()
    values: tuple[str, ...] = ()  # enum values
    directives: tuple[str, ...] = ()
    comments: tuple[str, ...] = ()
    keep: bool = False

    def references(self) -> Iterator[str]:
        for f in self.fields:
            yield from f.type_names()

    def __str__(self) -> str:
        lines = [f"# {c}" if c else "#" for c in self.comments]
        head = f"{self.kind.value} {self.name}" + "".join(f" {d}" for d in self.directives)
        body = self.values if self.kind is Kind.ENUM else tuple(map(str, self.fields))
        lines.append(head + " {")
        lines += [f"  {line}" for line in body]
        lines.append("}")
        return "\n".join(lines)


def _base_name(type_text: str) -> str:
    match = _NAME.search(type_text)
    return match.group(0) if match else type_text


def prune(definitions: Iterable[Definition]) -> tuple[Definition, ...]:
    """The ``keep`` definitions and everything they refer to, transitively, in order.

    Shared inputs (``ModelStringInput`` ...) and per-model inputs are built for every
    model; this is what emits each of them once, and only when used. A definition with
    the name of an earlier one is dropped (shared inputs are requested many times).
    """
    by_name: dict[str, Definition] = {}
    for d in definitions:
        by_name.setdefault(d.name, d)
    reachable: set[str] = set()
    pending = [d.name for d in by_name.values() if d.keep]
    while pending:
        name = pending.pop()
        if name in reachable or name not in by_name:
            continue
        reachable.add(name)
        pending.extend(by_name[name].references())
    return tuple(d for d in by_name.values() if d.name in reachable)


def render(definitions: Iterable[Definition]) -> str:
    return "\n\n".join(map(str, definitions)) + "\n"
