"""AppSync's shapes around execution: which modes a field's auth directives admit, the
``selectionSetList`` of ``ctx.info``, and errors as AppSync reports them (``errorType``,
``data``, ``errorInfo``, ``locations``, ``path``)."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo, parse, print_ast
from graphql.language import ast

from ..appsync import AuthorizationMode as AuthMode
from .js.runner import HandlerError

__all__ = [
    "AppSyncError",
    "Info",
    "appended_error",
    "auth_table",
    "format_error",
    "selected_data",
    "selection_graphql",
    "selection_list",
    "unauthorized",
    "validation_error",
]

Info = GraphQLResolveInfo[Any]

# The directive's name (without "@") -> the mode it admits.
_DIRECTIVE_MODES = {m.directive.lstrip("@"): m for m in AuthMode}


class AppSyncError(GraphQLError):
    def __init__(self, error: HandlerError) -> None:
        super().__init__(
            error.message,
            extensions={
                "errorType": error.error_type,
                "data": error.data,
                "errorInfo": error.error_info,
            },
        )


def unauthorized(field_name: str, type_name: str) -> AppSyncError:
    return AppSyncError(
        HandlerError(f"Not Authorized to access {field_name} on type {type_name}", "Unauthorized")
    )


def _modes_of(directives: Any) -> frozenset[AuthMode]:
    return frozenset(
        _DIRECTIVE_MODES[d.name.value] for d in directives or () if d.name.value in _DIRECTIVE_MODES
    )


def auth_table(sdl: str) -> dict[tuple[str, str], frozenset[AuthMode]]:
    """(type, field) -> modes the directives admit (field's own, else its type's)."""
    table: dict[tuple[str, str], frozenset[AuthMode]] = {}
    for definition in parse(sdl).definitions:
        if not isinstance(definition, ast.ObjectTypeDefinitionNode | ast.ObjectTypeExtensionNode):
            continue
        type_modes = _modes_of(definition.directives)
        for f in definition.fields or ():
            table[(definition.name.value, f.name.value)] = _modes_of(f.directives) or type_modes
    return table


def selection_list(nodes: Any, info: Info, prefix: str = "") -> list[str]:
    found: list[str] = []
    for node in nodes:
        selection_set = getattr(node, "selection_set", None)
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, ast.FieldNode):
                name = (selection.alias or selection.name).value
                if name == "__typename":
                    continue
                found.append(prefix + name)
                found += selection_list([selection], info, f"{prefix}{name}/")
            elif isinstance(selection, ast.InlineFragmentNode):
                found += selection_list([selection], info, prefix)
            elif isinstance(selection, ast.FragmentSpreadNode):
                fragment = info.fragments[selection.name.value]
                found += selection_list([fragment], info, prefix)
    return found


# Printed selection sets by field node: the engine caches parsed documents, so a repeated
# query brings the same node objects back (the node is kept to rule out a reused id).
_PRINTED: dict[int, tuple[Any, str]] = {}
_PRINTED_MAX = 4096


def selection_graphql(nodes: Any) -> str:
    """``info.selectionSetGraphQL``: the field's selection set as GraphQL text, inline
    fragments kept and named fragment spreads left unexpanded, as AppSync gives it."""
    texts = []
    for node in nodes:
        selection_set = getattr(node, "selection_set", None)
        if selection_set is None:
            continue
        cached = _PRINTED.get(id(node))
        if cached is None or cached[0] is not node:
            if len(_PRINTED) >= _PRINTED_MAX:
                _PRINTED.clear()
            cached = (node, print_ast(selection_set))
            _PRINTED[id(node)] = cached
        texts.append(cached[1])
    return "\n".join(texts)


def _selected_fields(
    selection_sets: list[ast.SelectionSetNode], info: Info
) -> dict[str, list[ast.SelectionSetNode]]:
    """Each field name the selection sets select (fragments included) -> its own sets."""
    found: dict[str, list[ast.SelectionSetNode]] = {}
    pending = list(selection_sets)
    while pending:
        for selection in pending.pop(0).selections:
            if isinstance(selection, ast.FieldNode):
                sets = found.setdefault(selection.name.value, [])
                if selection.selection_set is not None:
                    sets.append(selection.selection_set)
            elif isinstance(selection, ast.InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, ast.FragmentSpreadNode):
                fragment = info.fragments.get(selection.name.value)
                if fragment is not None:
                    pending.append(fragment.selection_set)
    return found


def _keep_selected(value: Any, sets: list[ast.SelectionSetNode], info: Info) -> Any:
    if isinstance(value, list):
        return [_keep_selected(v, sets, info) for v in value]
    if not isinstance(value, dict) or not sets:
        return value
    fields = _selected_fields(sets, info)
    return {
        name: _keep_selected(value[name], sub, info)
        for name, sub in fields.items()
        if name in value
    }


def selected_data(data: Any, info: Info) -> Any:
    """``util.error``'s ``data`` as AppSync returns it: only what the query selected on the
    field (APPSYNC.md: "data is filtered by the query's selection set")."""
    sets = [n.selection_set for n in info.field_nodes if n.selection_set is not None]
    return _keep_selected(data, sets, info)


def locations_of(error: GraphQLError) -> list[dict[str, Any]] | None:
    places = error.locations or ()
    return [{"line": p.line, "column": p.column, "sourceName": None} for p in places] or None


def format_error(error: GraphQLError) -> dict[str, Any]:
    extensions = error.extensions or {}
    return {
        "path": error.path,
        "data": extensions.get("data"),
        "errorType": extensions.get("errorType"),
        "errorInfo": extensions.get("errorInfo"),
        "locations": locations_of(error),
        "message": error.message,
    }


def appended_error(error: HandlerError, path: list[str | int]) -> dict[str, Any]:
    return {
        "path": path,
        "data": error.data,
        "errorType": error.error_type,
        "errorInfo": error.error_info,
        "locations": None,
        "message": error.message,
    }


def validation_error(error: GraphQLError) -> dict[str, Any]:
    return {
        "message": error.message,
        "errorType": "ValidationError",
        "locations": locations_of(error),
    }
