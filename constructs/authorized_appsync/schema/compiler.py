"""The front half of the pipeline: raw document -> validate -> typed model."""

from __future__ import annotations

from ._gc import paused_gc
from .build import build_schema
from .errors import SchemaError
from .model import Schema
from .raw import RawDocument
from .validate import validate

__all__ = ["compile_document"]


def compile_document(document: RawDocument) -> Schema:
    """Validate ``document`` (raising :class:`SchemaError` with every problem) and build it."""
    with paused_gc():
        problems = validate(document)
        if problems:
            raise SchemaError(problems)
        return build_schema(document)
