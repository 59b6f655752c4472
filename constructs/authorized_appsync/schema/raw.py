"""The syntax-level document: what the user wrote, before validation.

Both front ends produce it: the SDL parser (``sdl.py``) and the Python DSL (``dsl.py``).
Directive arguments stay untyped (JSON-like values) so that validation can report a
wrong value with its location instead of failing while converting it. After validation,
``build.py`` turns a :class:`RawDocument` into the typed :class:`~.model.Schema`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .errors import Location

__all__ = [
    "RawArgument",
    "RawDirective",
    "RawDocument",
    "RawField",
    "RawType",
    "TypeKind",
    "TypeRef",
    "Value",
    "ValuePath",
]

# A directive argument value as written: null, bool, int, float, str (enum values too),
# lists and objects of those.
Value = None | bool | int | float | str | list["Value"] | dict[str, "Value"]


class TypeKind(enum.Enum):
    OBJECT = "type"
    INPUT = "input"
    ENUM = "enum"
    INTERFACE = "interface"
    UNION = "union"
    SCALAR = "scalar"


@dataclass(frozen=True, kw_only=True)
class TypeRef:
    """A field's type: ``name``, ``name!``, ``[name]``, ``[name!]!`` ..."""

    name: str
    non_null: bool = False
    is_list: bool = False
    item_non_null: bool = False

    def __str__(self) -> str:
        inner = self.name
        if self.is_list:
            inner = f"[{inner}{'!' if self.item_non_null else ''}]"
        return inner + ("!" if self.non_null else "")


# A path into an argument value: list indexes and object keys, e.g. ``(0, "allow")``.
ValuePath = tuple[int | str, ...]


@dataclass(frozen=True, kw_only=True)
class RawArgument:
    """A directive argument. ``value_locations`` maps paths inside ``value`` to where each
    sub-value was written, so an error about ``rules[1].allow`` points at that word."""

    name: str
    value: Value
    location: Location = field(compare=False)
    value_locations: tuple[tuple[ValuePath, Location], ...] = field(default=(), compare=False)

    def location_of(self, *path: int | str) -> Location:
        """Where the sub-value at ``path`` was written (or its nearest enclosing value)."""
        table: dict[ValuePath, Location] | None = self.__dict__.get("_location_table")
        if table is None:  # built once per (immutable) argument
            table = self.__dict__["_location_table"] = dict(self.value_locations)
        probe: ValuePath = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            probe = probe[:-1]
        return table.get((), self.location)


@dataclass(frozen=True, kw_only=True)
class RawDirective:
    name: str
    arguments: tuple[RawArgument, ...] = ()
    location: Location = field(compare=False)

    def argument(self, name: str) -> RawArgument | None:
        for arg in self.arguments:
            if arg.name == name:
                return arg
        return None


def _index(
    directives: tuple[RawDirective, ...], cache: dict[str, object]
) -> dict[str, tuple[RawDirective, ...]]:
    """Directives by name, computed once per (immutable) node and kept in its ``__dict__``
    (validation asks the same node for the same directive many times)."""
    found = cache.get("_directive_index")
    if found is None:
        grouped: dict[str, list[RawDirective]] = {}
        for d in directives:
            grouped.setdefault(d.name, []).append(d)
        found = {name: tuple(ds) for name, ds in grouped.items()}
        cache["_directive_index"] = found
    assert isinstance(found, dict)
    return found


@dataclass(frozen=True, kw_only=True)
class RawField:
    name: str
    type: TypeRef
    directives: tuple[RawDirective, ...] = ()
    # Field arguments (``listPosts(limit: Int)``), on root-type fields.
    arguments: tuple[tuple[str, TypeRef], ...] = ()
    location: Location = field(compare=False)

    def directives_named(self, name: str) -> tuple[RawDirective, ...]:
        return _index(self.directives, self.__dict__).get(name, ())


@dataclass(frozen=True, kw_only=True)
class RawType:
    kind: TypeKind
    name: str
    fields: tuple[RawField, ...] = ()
    directives: tuple[RawDirective, ...] = ()
    enum_values: tuple[str, ...] = ()
    # For input types, default values of fields (used by ``input AMPLIFY``).
    field_defaults: tuple[tuple[str, Value], ...] = ()
    # ``extend type X`` rather than ``type X``.
    extension: bool = False
    location: Location = field(compare=False)

    def directives_named(self, name: str) -> tuple[RawDirective, ...]:
        return _index(self.directives, self.__dict__).get(name, ())

    @property
    def is_model(self) -> bool:
        return self.kind is TypeKind.OBJECT and bool(self.directives_named("model"))


@dataclass(frozen=True, kw_only=True)
class RawDocument:
    """Every type definition and extension of one schema, in source order."""

    types: tuple[RawType, ...] = ()

    def by_name(self) -> dict[str, RawType]:
        """The first definition of each type name (duplicates are a validation error)."""
        named: dict[str, RawType] = {}
        for t in self.types:
            named.setdefault(t.name, t)
        return named
