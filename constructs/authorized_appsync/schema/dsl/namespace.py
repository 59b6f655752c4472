"""``a``: the one entry point of the DSL, named as in Amplify Gen 2 (snake_case)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from . import fields, models, relations
from . import schema as schema_module
from .allow import ALLOW, Allow
from .fields import FieldBuilder
from .models import ModelBuilder
from .schema import DslSchema, SchemaEntry

__all__ = ["Namespace", "a"]


class Namespace:
    """Field, model, enum and schema builders; ``a.allow`` holds the rule builders."""

    allow: Allow = ALLOW

    def schema(self, entries: Mapping[str, SchemaEntry]) -> DslSchema:
        return schema_module.schema(entries)

    def model(self, model_fields: Mapping[str, FieldBuilder]) -> ModelBuilder:
        return models.model(model_fields)

    def enum(self, values: Sequence[str]) -> FieldBuilder:
        """An enum: a schema entry (``"Status": a.enum([...])``), or a field whose type
        ``<Model><Field>`` is declared with it (``status: a.enum([...])``: ``TodoStatus``)."""
        return fields.enum_field(values)

    def ref(self, type_name: str) -> FieldBuilder:
        """A field of a type declared in the schema dict: ``a.ref("Status")``."""
        return fields.ref(type_name)

    def has_many(self, related_model: str, references: str | Sequence[str]) -> FieldBuilder:
        """``[Related] @hasMany(references: [...])``: the related model's fields that hold
        this model's key (Gen 2's ``a.hasMany``)."""
        base = relations.related("hasMany", "a.has_many()", related_model, references=references)
        return fields.relationship(base, f"a.has_many({related_model!r})")

    def has_one(self, related_model: str, references: str | Sequence[str]) -> FieldBuilder:
        """``Related @hasOne(references: [...])`` (Gen 2's ``a.hasOne``)."""
        base = relations.related("hasOne", "a.has_one()", related_model, references=references)
        return fields.relationship(base, f"a.has_one({related_model!r})")

    def belongs_to(self, related_model: str, references: str | Sequence[str]) -> FieldBuilder:
        """``Related @belongsTo(references: [...])``: this model's fields that hold the
        related model's key (Gen 2's ``a.belongsTo``)."""
        base = relations.related(
            "belongsTo", "a.belongs_to()", related_model, references=references
        )
        return fields.relationship(base, f"a.belongs_to({related_model!r})")

    def many_to_many(self, related_model: str, relation_name: str) -> FieldBuilder:
        """``[Related] @manyToMany(relationName: "...")``: Amplify's join model, created
        from both sides naming the same relation."""
        base = relations.many_to_many(related_model, relation_name)
        return fields.relationship(base, f"a.many_to_many({related_model!r})")

    def id(self) -> FieldBuilder:
        return fields.scalar("ID", "a.id()")

    def string(self) -> FieldBuilder:
        return fields.scalar("String", "a.string()")

    def integer(self) -> FieldBuilder:
        return fields.scalar("Int", "a.integer()")

    def float(self) -> FieldBuilder:
        return fields.scalar("Float", "a.float()")

    def boolean(self) -> FieldBuilder:
        return fields.scalar("Boolean", "a.boolean()")

    def datetime(self) -> FieldBuilder:
        return fields.scalar("AWSDateTime", "a.datetime()")

    def date(self) -> FieldBuilder:
        return fields.scalar("AWSDate", "a.date()")

    def time(self) -> FieldBuilder:
        return fields.scalar("AWSTime", "a.time()")

    def timestamp(self) -> FieldBuilder:
        return fields.scalar("AWSTimestamp", "a.timestamp()")

    def json(self) -> FieldBuilder:
        return fields.scalar("AWSJSON", "a.json()")

    def email(self) -> FieldBuilder:
        return fields.scalar("AWSEmail", "a.email()")

    def url(self) -> FieldBuilder:
        return fields.scalar("AWSURL", "a.url()")

    def phone(self) -> FieldBuilder:
        return fields.scalar("AWSPhone", "a.phone()")

    def ip_address(self) -> FieldBuilder:
        return fields.scalar("AWSIPAddress", "a.ip_address()")


a = Namespace()
