"""``a.model({...})``: a ``@model`` type with its rules, identifier and secondary indexes."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..errors import Location, did_you_mean, quote_list
from ..raw import RawArgument, RawDirective, RawField, RawType, TypeKind, Value
from .authorization import Authorization, RulesSpec, authorization
from .errors import DslError, caller_location, check_name, describe
from .fields import FieldBuilder, InlineEnum, Ref, Scalar
from .relations import IndexBuilder, IndexFunction, Related, index
from .rules import ImpliedField

__all__ = ["Identifier", "ModelBuilder", "inline_enum_name", "model"]


@dataclass(frozen=True, kw_only=True)
class Identifier:
    """``.identifier([...])``: the partition key field, then the sort key fields."""

    fields: tuple[str, ...]
    location: Location

    def directive(self) -> RawDirective:
        arguments: tuple[RawArgument, ...] = ()
        if len(self.fields) > 1:
            sort_keys: list[Value] = [*self.fields[1:]]
            arguments = (
                RawArgument(name="sortKeyFields", value=sort_keys, location=self.location),
            )
        return RawDirective(name="primaryKey", arguments=arguments, location=self.location)


@dataclass(frozen=True, kw_only=True)
class ModelBuilder:
    """A model's fields, in declaration order, and its model-level settings."""

    fields: tuple[tuple[str, FieldBuilder], ...]
    auth: Authorization | None = None
    key: Identifier | None = None
    indexes: tuple[IndexBuilder, ...] = ()
    location: Location

    def authorization(self, rules: RulesSpec) -> ModelBuilder:
        """Model-level ``@auth``: ``lambda allow: [allow.owner()]`` or ``[a.allow.private()]``."""
        where = "a.model().authorization()"
        if self.auth is not None:
            raise DslError(f"{where}: the model's authorization is already set.")
        return dataclasses.replace(self, auth=authorization(rules, where))

    def identifier(self, fields: Sequence[str]) -> ModelBuilder:
        """The primary key: ``["email", "kind"]`` is ``email`` with sort key ``kind``."""
        where = "a.model().identifier()"
        if self.key is not None:
            raise DslError(f"{where}: the model's identifier is already set.")
        if isinstance(fields, str) or not isinstance(fields, Sequence) or not fields:
            raise DslError(
                f"{where} takes a non-empty list of field names, e.g. ['email', 'kind']; "
                f"got {describe(fields)}."
            )
        declared = [name for name, _ in self.fields]
        for name in fields:
            if not isinstance(name, str) or (name not in declared and list(fields) != ["id"]):
                shown = f"'{name}'" if isinstance(name, str) else describe(name)
                raise DslError(
                    f"{where}: {shown} is not a field of the model; declared: "
                    f"{quote_list(declared)}."
                    + (did_you_mean(name, declared) if isinstance(name, str) else "")
                )
        if len(set(fields)) != len(fields):
            raise DslError(f"{where}: a field is named more than once in {list(fields)}.")
        return dataclasses.replace(
            self, key=Identifier(fields=tuple(fields), location=caller_location())
        )

    def secondary_indexes(self, build: IndexFunction) -> ModelBuilder:
        """Secondary indexes: ``lambda index: [index("status").sort_keys(["createdAt"])]``,
        each with optional ``.name(...)`` and ``.query_field(...)`` (Gen 2's
        ``.secondaryIndexes``)."""
        where = "a.model().secondary_indexes()"
        if self.indexes:
            raise DslError(f"{where}: the model's secondary indexes are already set.")
        if not callable(build):
            raise DslError(
                f"{where} takes a function of `index`, e.g. "
                f"lambda index: [index('status')]; got {describe(build)}."
            )
        built = build(index)
        if isinstance(built, IndexBuilder) or not isinstance(built, Sequence):
            raise DslError(f"{where}: the function must return a list of index(...) builders.")
        declared = [name for name, _ in self.fields]
        for one in built:
            if not isinstance(one, IndexBuilder):
                raise DslError(
                    f"{where}: the list holds {describe(one)}; only index(...) builders."
                )
            for name in (one.partition_key, *one.sort_key_fields):
                if name not in declared:
                    raise DslError(
                        f"{where}: index field '{name}' is not a field of the model; "
                        f"declared: {quote_list(declared)}." + did_you_mean(name, declared)
                    )
        return dataclasses.replace(self, indexes=tuple(built))

    def raw_types(self, name: str) -> tuple[RawType, ...]:
        """The model type named ``name``, then the enum types its inline enums declare."""
        fields: list[RawField] = []
        enums: list[RawType] = []
        for field_name, builder in self.fields:
            key = None
            if self.key is not None and self.key.fields[0] == field_name:
                key = self.key.directive()
            type_name = _type_name(builder, name, field_name)
            if isinstance(builder.base, InlineEnum):
                enums.append(
                    RawType(
                        kind=TypeKind.ENUM,
                        name=type_name,
                        enum_values=builder.base.values,
                        location=builder.location,
                    )
                )
            indexes = [i.directive(name) for i in self.indexes if i.partition_key == field_name]
            fields.append(builder.raw_field(field_name, type_name, key, indexes))
        fields += [
            RawField(name=f.name, type=f.type, location=f.location)
            for f in self._implied_fields(name)
        ]
        directives = [RawDirective(name="model", location=self.location)]
        if self.auth is not None:
            directives.append(self.auth.directive())
        model_type = RawType(
            kind=TypeKind.OBJECT,
            name=name,
            fields=tuple(fields),
            directives=tuple(directives),
            location=self.location,
        )
        return (model_type, *enums)

    def _implied_fields(self, model_name: str) -> list[ImpliedField]:
        """Fields rules need that the model does not declare, each once."""
        sources = [self.auth] + [builder.auth for _, builder in self.fields]
        declared = {name for name, _ in self.fields}
        implied: dict[str, ImpliedField] = {}
        for source in sources:
            for field in source.implied_fields() if source is not None else ():
                if field.name in declared:
                    continue
                first = implied.setdefault(field.name, field)
                if first.type != field.type:
                    raise DslError(
                        f"Model '{model_name}': rules need field '{field.name}' to be both "
                        f"{first.type} and {field.type}; declare the field in a.model({{...}})."
                    )
        return list(implied.values())


def inline_enum_name(model_name: str, field_name: str) -> str:
    """The enum type an inline ``a.enum([...])`` declares: ``Todo`` + ``status``: ``TodoStatus``."""
    return model_name + field_name[:1].upper() + field_name[1:]


def _type_name(builder: FieldBuilder, model_name: str, field_name: str) -> str:
    match builder.base:
        case InlineEnum():
            return inline_enum_name(model_name, field_name)
        case Scalar(name=type_name) | Ref(name=type_name) | Related(name=type_name):
            return type_name


def model(fields: Mapping[str, FieldBuilder]) -> ModelBuilder:
    """``a.model({...})``: field names to field builders, in declaration order."""
    if not isinstance(fields, Mapping):
        raise DslError(
            "a.model() takes a dict of field names to field builders, e.g. "
            f"a.model({{'content': a.string()}}); got {describe(fields)}."
        )
    for name, builder in fields.items():
        check_name(name, "the field name", "a.model()")
        if not isinstance(builder, FieldBuilder):
            raise DslError(
                f"a.model(): field '{name}' must be a field builder such as a.string(); "
                f"got {describe(builder)}."
            )
    return ModelBuilder(fields=tuple(fields.items()), location=caller_location())
