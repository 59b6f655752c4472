"""``a``: the one entry point of the DSL, named as in Amplify Gen 2 (snake_case)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from . import fields, models
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
