"""Models leave the API a query: AppSync needs a ``Query`` type with at least one field,
so when every ``@model`` turns its queries off (``queries: null``) and none has an
``@index`` query, the schema must declare a ``Query`` field. (A schema with no model and
no query at all is refused by the construct: such a document is often a part of a larger
schema, which validation also checks on its own.)"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Diagnostic
from ._types_util import fields_of, model_directives
from .context import ValidationContext
from .generated_names import generated_operations

__all__ = ["check"]


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    if not context.models or fields_of(context, "Query"):
        return
    if any(root == "Query" for m in context.models for root, _ in generated_operations(m)):
        return
    if any(d.argument("queryField") for _, _, d in model_directives(context, "index")):
        return
    yield Diagnostic(
        message="The API has no query: every @model sets 'queries: null', none has an "
        "@index queryField, and the schema declares no Query field, but AppSync needs at "
        "least one. Generate a model's queries (leave 'queries' out) or declare a field of "
        "'type Query'.",
        location=context.models[0].location,
    )
