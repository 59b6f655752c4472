"""``ApiDefinition``: where a schema comes from (SDL strings, files, or the Python DSL)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Protocol

from .schema.compiler import compile_document
from .schema.errors import Diagnostic
from .schema.model import Schema
from .schema.raw import RawDocument
from .schema.sdl import parse_files, parse_sdl
from .schema.validate import validate

__all__ = ["ApiDefinition"]


class _DocumentSource(Protocol):
    def to_document(self) -> RawDocument: ...


class ApiDefinition:
    """A GraphQL schema with Amplify ``@model``/``@auth`` directives.

    Build one with :meth:`from_string`, :meth:`from_files` or :meth:`from_schema`. The
    schema is validated when :attr:`schema` is first read; problems raise
    :class:`~authorized_appsync.schema.errors.SchemaError` listing every one with its
    ``file:line:col``.
    """

    def __init__(self, document: RawDocument) -> None:
        self.document = document

    @classmethod
    def from_string(cls, sdl: str, name: str = "<string>") -> ApiDefinition:
        """One SDL string; ``name`` is used in error locations."""
        return cls(parse_sdl(sdl, name))

    @classmethod
    def from_files(cls, *paths: str | Path) -> ApiDefinition:
        """SDL files that together form one schema. A directory stands for every
        ``*.graphql`` file under it (subdirectories included, hidden entries skipped,
        sorted), e.g. an Amplify project's ``schema/`` folder.

        Raises :class:`~authorized_appsync.schema.files.SchemaFileError` at once for a path
        that does not exist, a directory without ``.graphql`` files, or a file that cannot
        be read as UTF-8 text."""
        if not paths:
            raise ValueError(
                "ApiDefinition.from_files needs at least one path: a .graphql file or a "
                "directory of them."
            )
        return cls(parse_files(*paths))

    @classmethod
    def from_schema(cls, schema: _DocumentSource) -> ApiDefinition:
        """A schema written with the Python DSL: ``ApiDefinition.from_schema(a.schema({...}))``."""
        return cls(schema.to_document())

    def diagnostics(self) -> list[Diagnostic]:
        """Every problem in the schema (empty when it is valid)."""
        return validate(self.document)

    @cached_property
    def schema(self) -> Schema:
        """The validated, typed model."""
        return compile_document(self.document)
