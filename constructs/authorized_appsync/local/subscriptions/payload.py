"""What a subscription event carries (APPSYNC.md §7).

AppSync publishes the mutation's result - the fields **the mutation** selected - and each
subscriber receives it limited to the fields **it** selects; a field the mutation did not
select arrives as ``null`` (non-null or not: delivery does not fail on it).

:func:`published` turns a mutation response into the published objects (one per mutation
field, keyed by field name, aliases undone). :class:`EventShaper` answers one subscriber's
payload by executing its subscription document over the published object on a copy of the
schema whose output fields are all nullable.

Reading nested fields as the subscriber. AppSync's documentation does not say that it runs
nested field resolvers or checks field auth directives for each subscriber; the event is the
mutation's result as its caller saw it. Here the safer course is taken: each nested field is
checked against the subscriber's mode (auth directives, a Lambda authorizer's denied fields),
and a field-level read guard (a resolver whose functions all run on NONE data sources, the
generated ``<Model>.<field>`` ``fieldRead``) runs for the subscriber with the published
object as ``ctx.source``. A field the subscriber may not read is ``null``; the error is not sent (an
AppSync event carries none). Other nested resolvers (data sources) do not run: their values
come from the mutation's result, as AppSync's do.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    build_ast_schema,
    parse,
)
from graphql.language import ast

from ...appsync import appsync_preamble
from ..engine import Caller, Engine, GraphQLResponse

__all__ = ["EventShaper", "published"]

Info = GraphQLResolveInfo[Any]
_OUTPUT_TYPES = (
    ast.ObjectTypeDefinitionNode,
    ast.ObjectTypeExtensionNode,
    ast.InterfaceTypeDefinitionNode,
    ast.InterfaceTypeExtensionNode,
)


# -- the mutation side ------------------------------------------------------------------
def _fields(
    selection_set: ast.SelectionSetNode | None, fragments: Mapping[str, ast.FragmentDefinitionNode]
) -> Iterator[ast.FieldNode]:
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, ast.FieldNode):
            yield selection
        elif isinstance(selection, ast.InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments)
        elif isinstance(selection, ast.FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            yield from _fields(fragment.selection_set if fragment else None, fragments)


def _by_name(
    node: ast.FieldNode, value: Any, fragments: Mapping[str, ast.FragmentDefinitionNode]
) -> Any:
    """``value`` (the response under ``node``'s alias) with its keys made field names."""
    if isinstance(value, list):
        return [_by_name(node, item, fragments) for item in value]
    if not isinstance(value, Mapping) or node.selection_set is None:
        return value
    out: dict[str, Any] = {}
    for child in _fields(node.selection_set, fragments):
        key = (child.alias or child.name).value
        if key in value:
            out[child.name.value] = _by_name(child, value[key], fragments)
    return out


def published(document: ast.DocumentNode, data: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """``(mutation field, published object)`` for each top-level field of a mutation
    response that returned an object (a field that failed to ``null`` publishes nothing)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, ast.FragmentDefinitionNode)
    }
    found: list[tuple[str, Any]] = []
    for definition in document.definitions:
        if not isinstance(definition, ast.OperationDefinitionNode):
            continue
        for node in _fields(definition.selection_set, fragments):
            value = data.get((node.alias or node.name).value)
            if isinstance(value, Mapping):
                found.append((node.name.value, _by_name(node, value, fragments)))
    return found


# -- the subscriber side ----------------------------------------------------------------
def _nullable(type_node: ast.TypeNode) -> ast.TypeNode:
    if isinstance(type_node, ast.NonNullTypeNode):
        return _nullable(type_node.type)
    if isinstance(type_node, ast.ListTypeNode):
        return dataclasses.replace(type_node, type=_nullable(type_node.type))
    return type_node


def _relaxed_sdl(sdl: str) -> ast.DocumentNode:
    """The schema with every output field nullable (arguments and inputs unchanged)."""
    document = parse(appsync_preamble() + sdl)
    definitions: list[ast.DefinitionNode] = []
    for definition in document.definitions:
        if isinstance(definition, _OUTPUT_TYPES):
            fields = tuple(
                dataclasses.replace(f, type=_nullable(f.type)) for f in definition.fields or ()
            )
            definitions.append(dataclasses.replace(definition, fields=fields))
        else:
            definitions.append(definition)
    return dataclasses.replace(document, definitions=tuple(definitions))


def _is_guard(engine: Engine, type_name: str, field_name: str) -> bool:
    """Whether the field's resolver reads no data source (a unit resolver, or a pipeline
    of functions, on NONE data sources): a guard, safe to run per subscriber."""
    definition = engine.api.resolvers.get((type_name, field_name))
    if definition is None:
        return False
    names = (
        [engine.api.functions[f].data_source for f in definition.functions]
        if definition.is_pipeline
        else [definition.data_source]
    )
    sources = [engine.api.data_sources.get(name or "") for name in names]
    return all(source is None or source.kind == "NONE" for source in sources)


def _from_event(source: Any, info: Info, **_: Any) -> Any:
    return source.get(info.field_name) if isinstance(source, Mapping) else None


class _DeniedError(Exception):
    """A field the subscriber may not read: it resolves to null (the error is not sent)."""


class EventShaper:
    """Builds each subscriber's event payload from a published object."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.schema: GraphQLSchema = build_ast_schema(_relaxed_sdl(engine.api.sdl))
        subscription = self.schema.subscription_type
        for type_ in self.schema.type_map.values():
            if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
                continue
            for name, field_ in type_.fields.items():
                if type_ is subscription:
                    field_.resolve = _from_event  # authorized when the client subscribed
                elif _is_guard(engine, type_.name, name):
                    strict = engine.schema.get_type(type_.name)
                    assert isinstance(strict, GraphQLObjectType)
                    field_.resolve = strict.fields[name].resolve
                else:
                    field_.resolve = self._plain(type_.name, name)

    def _plain(self, type_name: str, field_name: str) -> Any:
        engine = self.engine
        allowed = engine.auth.get((type_name, field_name)) or frozenset(
            {engine.api.api.default_mode}
        )

        def resolve(source: Any, info: Info, **_: Any) -> Any:
            caller: Caller = info.context.caller
            if caller.mode not in allowed:
                raise _DeniedError(f"{type_name}.{field_name}")
            if f"{type_name}.{field_name}" in caller.denied_fields:
                return None
            return _from_event(source, info)

        return resolve

    def payload(
        self,
        document: ast.DocumentNode,
        variables: Mapping[str, Any] | None,
        caller: Caller,
        field_name: str,
        event: Mapping[str, Any],
    ) -> GraphQLResponse:
        """``{"data": {...}}`` as ``caller``'s subscription ``document`` receives ``event``
        (published on ``field_name``); fields it may not read are null, errors dropped."""
        response = self.engine.resolve_event(
            self.schema, document, variables, caller, {field_name: event}
        )
        return {"data": response.get("data")}
