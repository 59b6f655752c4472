"""The SDL front end: GraphQL SDL text to a :class:`~.raw.RawDocument`.

Only parsing happens here (graphql-core's parser); nothing is checked beyond syntax.
Amplify's directives and AWS scalars need no declarations: the document is never built
into an executable graphql-core schema at this stage.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from graphql import GraphQLSyntaxError, Source, parse
from graphql.language import ast
from graphql.language.location import SourceLocation
from graphql.utilities import value_from_ast_untyped

from ._gc import paused_gc
from .errors import Diagnostic, Location, SchemaError
from .files import read_schema_sources
from .raw import (
    RawArgument,
    RawDirective,
    RawDocument,
    RawField,
    RawType,
    TypeKind,
    TypeRef,
    Value,
    ValuePath,
)

__all__ = ["parse_files", "parse_sdl", "parse_sources"]

_KINDS: dict[type[ast.Node], tuple[TypeKind, bool]] = {
    ast.ObjectTypeDefinitionNode: (TypeKind.OBJECT, False),
    ast.ObjectTypeExtensionNode: (TypeKind.OBJECT, True),
    ast.InputObjectTypeDefinitionNode: (TypeKind.INPUT, False),
    ast.InputObjectTypeExtensionNode: (TypeKind.INPUT, True),
    ast.EnumTypeDefinitionNode: (TypeKind.ENUM, False),
    ast.EnumTypeExtensionNode: (TypeKind.ENUM, True),
    ast.InterfaceTypeDefinitionNode: (TypeKind.INTERFACE, False),
    ast.InterfaceTypeExtensionNode: (TypeKind.INTERFACE, True),
    ast.UnionTypeDefinitionNode: (TypeKind.UNION, False),
    ast.UnionTypeExtensionNode: (TypeKind.UNION, True),
    ast.ScalarTypeDefinitionNode: (TypeKind.SCALAR, False),
    ast.ScalarTypeExtensionNode: (TypeKind.SCALAR, True),
}


class _Reader:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.name = source.name

    def where(self, node: ast.Node) -> Location:
        if node.loc is None:  # pragma: no cover - parse() always records locations
            return Location(source=self.name)
        token = node.loc.start_token  # the lexer has already counted lines and columns
        return Location(source=self.name, line=token.line, column=token.column)

    def type_ref(self, node: ast.TypeNode) -> TypeRef:
        non_null = isinstance(node, ast.NonNullTypeNode)
        inner = node.type if isinstance(node, ast.NonNullTypeNode) else node
        if isinstance(inner, ast.ListTypeNode):
            item: ast.TypeNode = inner.type
            item_non_null = isinstance(item, ast.NonNullTypeNode)
            while isinstance(item, ast.NonNullTypeNode | ast.ListTypeNode):
                item = item.type  # nested lists collapse to their innermost name
            assert isinstance(item, ast.NamedTypeNode)
            return TypeRef(
                name=item.name.value, non_null=non_null, is_list=True, item_non_null=item_non_null
            )
        assert isinstance(inner, ast.NamedTypeNode)
        return TypeRef(name=inner.name.value, non_null=non_null)

    def value_locations(
        self, node: ast.ValueNode, path: ValuePath = ()
    ) -> list[tuple[ValuePath, Location]]:
        found: list[tuple[ValuePath, Location]] = [(path, self.where(node))]
        if isinstance(node, ast.ListValueNode):
            for index, item in enumerate(node.values):
                found += self.value_locations(item, (*path, index))
        elif isinstance(node, ast.ObjectValueNode):
            for member in node.fields:
                found += self.value_locations(member.value, (*path, member.name.value))
        return found

    def directive(self, node: ast.DirectiveNode) -> RawDirective:
        args = tuple(
            RawArgument(
                name=a.name.value,
                value=_untyped(a.value),
                location=self.where(a),
                value_locations=tuple(self.value_locations(a.value)),
            )
            for a in node.arguments or ()
        )
        return RawDirective(name=node.name.value, arguments=args, location=self.where(node))

    def directives(self, nodes: Iterable[ast.DirectiveNode] | None) -> tuple[RawDirective, ...]:
        return tuple(self.directive(d) for d in nodes or ())

    def field(self, node: ast.FieldDefinitionNode | ast.InputValueDefinitionNode) -> RawField:
        return RawField(
            name=node.name.value,
            type=self.type_ref(node.type),
            directives=self.directives(node.directives),
            arguments=tuple(
                (a.name.value, self.type_ref(a.type))
                for a in getattr(node, "arguments", None) or ()
            ),
            location=self.where(node),
        )

    def type_definition(self, node: ast.Node) -> RawType | None:
        entry = _KINDS.get(type(node))
        if entry is None:
            return None  # directive definitions, schema definitions: nothing to model
        kind, extension = entry
        fields: tuple[RawField, ...] = ()
        defaults: tuple[tuple[str, Value], ...] = ()
        values: tuple[str, ...] = ()
        raw_fields = getattr(node, "fields", None) or ()
        fields = tuple(self.field(f) for f in raw_fields)
        if kind is TypeKind.INPUT:
            defaults = tuple(
                (f.name.value, _untyped(f.default_value))
                for f in raw_fields
                if f.default_value is not None
            )
        if kind is TypeKind.ENUM:
            values = tuple(v.name.value for v in getattr(node, "values", None) or ())
        name_node = getattr(node, "name")  # noqa: B009 - every type definition node has a name
        return RawType(
            kind=kind,
            name=name_node.value,
            fields=fields,
            directives=self.directives(getattr(node, "directives", None)),
            enum_values=values,
            field_defaults=defaults,
            extension=extension,
            location=self.where(node),
        )


def _untyped(node: ast.ValueNode) -> Value:
    value: Value = value_from_ast_untyped(node)
    return value


def parse_sources(sources: Iterable[tuple[str, str]]) -> RawDocument:
    """Parse ``(name, text)`` pairs into one document. Syntax errors of every source are
    collected and raised together as a :class:`SchemaError`."""
    types: list[RawType] = []
    problems: list[Diagnostic] = []
    with paused_gc():
        _parse_into(sources, types, problems)
    if problems:
        raise SchemaError(problems)
    return RawDocument(types=tuple(types))


def _parse_into(
    sources: Iterable[tuple[str, str]], types: list[RawType], problems: list[Diagnostic]
) -> None:
    for name, text in sources:
        source = Source(text, name)
        try:
            document = parse(source)
        except GraphQLSyntaxError as error:
            loc = (error.locations or [SourceLocation(1, 1)])[0]
            problems.append(
                Diagnostic(
                    message="GraphQL syntax error: " + error.message.removeprefix("Syntax Error: "),
                    location=Location(source=name, line=loc.line, column=loc.column),
                )
            )
            continue
        reader = _Reader(source)
        for definition in document.definitions:
            raw = reader.type_definition(definition)
            if raw is not None:
                types.append(raw)
            else:
                problems.extend(_not_schema(reader, definition))


def _not_schema(reader: _Reader, node: ast.Node) -> Iterable[Diagnostic]:
    """Definitions with no place in the API's schema: client operations and fragments, and
    a ``schema { ... }`` that gives the root types other names than the generated API uses
    (directive definitions are left out: AppSync predefines its own)."""
    if isinstance(node, ast.ExecutableDefinitionNode):
        what = "a fragment" if isinstance(node, ast.FragmentDefinitionNode) else "an operation"
        yield Diagnostic(
            message=f"This is {what}, which clients send; a schema holds type definitions "
            "only (type, input, enum ...). Keep queries and fragments out of schema files.",
            location=reader.where(node),
        )
    elif isinstance(node, ast.SchemaDefinitionNode | ast.SchemaExtensionNode):
        for operation in node.operation_types or ():
            root = operation.operation.value.capitalize()
            if operation.type.name.value != root:
                yield Diagnostic(
                    message=f"The schema names '{operation.type.name.value}' as its "
                    f"{operation.operation.value} type; the generated API's root types are "
                    f"'Query', 'Mutation' and 'Subscription'. Name the type '{root}'.",
                    location=reader.where(operation),
                )


def parse_sdl(text: str, name: str = "<string>") -> RawDocument:
    """Parse one SDL string."""
    return parse_sources([(name, text)])


def parse_files(*paths: str | Path) -> RawDocument:
    """Parse several SDL files as one schema; a directory stands for the ``*.graphql`` files
    under it (see :mod:`.files`). A path that cannot be read is a
    :class:`~.files.SchemaFileError`."""
    return parse_sources(read_schema_sources(*paths))
