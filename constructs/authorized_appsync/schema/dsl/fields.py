"""Field builders: ``a.string()``, ``a.enum([...])``, ``a.ref("Status")`` and their modifiers.

A builder is immutable; every modifier returns a new one. The field's name is only known
when the builder is placed in ``a.model({...})``, so a builder renders with a name given.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import Location, did_you_mean, quote_list
from ..raw import RawArgument, RawDirective, RawField, TypeRef
from .authorization import Authorization, RulesSpec, authorization
from .errors import DslError, caller_location, check_name, describe
from .relations import Related

__all__ = [
    "Default",
    "FieldBuilder",
    "InlineEnum",
    "Ref",
    "Scalar",
    "enum_field",
    "ref",
    "relationship",
    "scalar",
]


@dataclass(frozen=True, kw_only=True)
class Scalar:
    """A built-in or AWS scalar, e.g. ``String`` or ``AWSDateTime``."""

    name: str


@dataclass(frozen=True, kw_only=True)
class InlineEnum:
    """``a.enum([...])``: an enum declared where it is used (or as a schema entry)."""

    values: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Ref:
    """``a.ref("Name")``: a type declared in the schema dict."""

    name: str


@dataclass(frozen=True, kw_only=True)
class Default:
    value: str
    location: Location


@dataclass(frozen=True, kw_only=True)
class FieldBuilder:
    """One field's type, default and field-level rules."""

    base: Scalar | InlineEnum | Ref | Related
    label: str  # the call that made it, for messages: "a.string()"
    non_null: bool = False
    is_list: bool = False
    item_non_null: bool = False
    default_value: Default | None = None
    auth: Authorization | None = None
    location: Location

    @property
    def has_modifiers(self) -> bool:
        return (
            self.non_null or self.is_list or self.default_value is not None or self.auth is not None
        )

    def required(self) -> FieldBuilder:
        """Non-null: ``String!``; on a list, the list itself: ``[String]!``."""
        return dataclasses.replace(self, non_null=True)

    def array(self) -> FieldBuilder:
        """A list of the current type: ``a.string().required().array()`` is ``[String!]``."""
        if isinstance(self.base, Related):
            raise DslError(
                f"{self.label}.array(): a relationship field's type follows from the "
                "relationship (has_many and many_to_many are lists already)."
            )
        if self.is_list:
            raise DslError(f"{self.label}.array(): lists of lists are not supported.")
        return dataclasses.replace(self, is_list=True, item_non_null=self.non_null, non_null=False)

    def default(self, value: str | int | float | bool) -> FieldBuilder:
        """``@default(value: "...")``; the value is written as a string, as the SDL needs."""
        where = f"{self.label}.default()"
        if isinstance(self.base, Related):
            raise DslError(f"{where}: a relationship field has no default value.")
        if self.default_value is not None:
            raise DslError(f"{where}: the default value is already set.")
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, str | int | float):
            text = str(value)
        else:
            raise DslError(f"{where} takes a string, number or boolean; got {describe(value)}.")
        if isinstance(self.base, InlineEnum) and text not in self.base.values:
            raise DslError(
                f"{where}: '{text}' is not a value of the enum; allowed: "
                f"{quote_list(self.base.values)}." + did_you_mean(text, self.base.values)
            )
        return dataclasses.replace(
            self, default_value=Default(value=text, location=caller_location())
        )

    def authorization(self, rules: RulesSpec) -> FieldBuilder:
        """Field-level ``@auth``: these rules replace the model's rules for this field."""
        where = f"{self.label}.authorization()"
        if self.auth is not None:
            raise DslError(f"{where}: the field's authorization is already set.")
        return dataclasses.replace(self, auth=authorization(rules, where))

    def type_ref(self, type_name: str) -> TypeRef:
        return TypeRef(
            name=type_name,
            non_null=self.non_null,
            is_list=self.is_list,
            item_non_null=self.item_non_null,
        )

    def raw_field(
        self,
        name: str,
        type_name: str,
        key: RawDirective | None = None,
        indexes: Sequence[RawDirective] = (),
    ) -> RawField:
        """The field named ``name`` of type ``type_name``, with ``@primaryKey`` if it is one
        and the ``@index`` of each secondary index it is the partition key of."""
        directives = [] if key is None else [key]
        directives += indexes
        if isinstance(self.base, Related):
            directives.append(self.base.raw_directive())
        if self.default_value is not None:
            where = self.default_value.location
            argument = RawArgument(name="value", value=self.default_value.value, location=where)
            directives.append(RawDirective(name="default", arguments=(argument,), location=where))
        if self.auth is not None:
            directives.append(self.auth.directive())
        return RawField(
            name=name,
            type=self.type_ref(type_name),
            directives=tuple(directives),
            location=self.location,
        )


def scalar(name: str, label: str) -> FieldBuilder:
    return FieldBuilder(base=Scalar(name=name), label=label, location=caller_location())


def enum_field(values: Sequence[str]) -> FieldBuilder:
    """``a.enum([...])``: the values must be GraphQL names, at least one, no repeats."""
    if isinstance(values, str) or not isinstance(values, Sequence) or not values:
        raise DslError(
            f"a.enum() takes a non-empty list of value names, e.g. a.enum(['draft', 'done']); "
            f"got {describe(values)}."
        )
    for value in values:
        check_name(value, "the enum value", "a.enum()")
        if value in ("true", "false", "null"):
            raise DslError(f"a.enum(): '{value}' cannot be an enum value.")
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise DslError(f"a.enum(): the value '{repeated[0]}' is listed more than once.")
    return FieldBuilder(
        base=InlineEnum(values=tuple(values)), label="a.enum([...])", location=caller_location()
    )


def relationship(base: Related, label: str) -> FieldBuilder:
    """A relationship field (``a.has_many(...)`` and the others)."""
    return FieldBuilder(base=base, label=label, is_list=base.is_list, location=base.location)


def ref(name: str) -> FieldBuilder:
    checked = check_name(name, "the type name", "a.ref()")
    return FieldBuilder(
        base=Ref(name=checked), label=f"a.ref({checked!r})", location=caller_location()
    )
