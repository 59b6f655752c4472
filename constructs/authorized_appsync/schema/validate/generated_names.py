"""The names the generated API takes belong to it. No object type or enum of the schema
(the kinds it carries into the AppSync schema) is named like a type generated for the
models (``ModelTodoConnection``, ``CreateTodoInput``, ``ModelStringInput``, ``AddressInput``
for a type ``Address`` ...); no declared ``Query``, ``Mutation`` or ``Subscription`` field
is named like an operation generated for a model (``getTodo``, ``listTodos``,
``createTodo``, ``onCreateTodo`` ...); and no two models generate the same operation
(``Todo`` and ``todo`` both get ``getTodo``). Otherwise the AppSync schema would define a
name twice, which AppSync refuses at deployment. (``@index(queryField:)`` names are
:mod:`.unique_query_fields`' job.)

The names are Amplify's, as the generator spells them (``schema/names.py``, a table of
naming functions with no other dependency)."""

from __future__ import annotations

from collections.abc import Iterator

from ...appsync import ROOT_TYPES
from .. import names
from ..errors import Diagnostic, Location
from ..raw import RawType, TypeKind
from ..rules_build import as_strings
from ._types_util import fields_of, model_directives, type_parts
from .context import ValidationContext

__all__ = ["check", "generated_operations", "generated_type_names", "join_model_names"]

_SHARED = (names.SORT_DIRECTION_ENUM, names.ATTRIBUTE_TYPES_ENUM, names.SIZE_INPUT)
# The kinds of declared types the AppSync schema carries (inputs, scalars, interfaces and
# unions of the schema are not generated: known_field_types refuses their uses).
_EMITTED = (TypeKind.OBJECT, TypeKind.ENUM)


def _operations_on(model: RawType, argument: str) -> bool:
    """Whether ``@model(<argument>: null)`` leaves the model's operations of that kind on."""
    for directive in model.directives_named("model"):
        given = directive.argument(argument)
        if given is not None and given.value is None:
            return False
    return True


def generated_operations(model: RawType) -> Iterator[tuple[str, str]]:
    """(root type, field) of the operations generated for ``model``."""
    yield from _operations_of(
        model.name,
        queries=_operations_on(model, "queries"),
        mutations=_operations_on(model, "mutations"),
        subscriptions=_operations_on(model, "subscriptions"),
    )


def _operations_of(
    name: str, *, queries: bool = True, mutations: bool = True, subscriptions: bool = True
) -> Iterator[tuple[str, str]]:
    if queries:
        yield from (("Query", names.get_field(name)), ("Query", names.list_field(name)))
    if mutations:
        for make in (names.create_field, names.update_field, names.delete_field):
            yield "Mutation", make(name)
        if subscriptions:
            for make in (names.on_create_field, names.on_update_field, names.on_delete_field):
                yield "Subscription", make(name)


def join_model_names(context: ValidationContext) -> dict[str, Location]:
    """The join models ``@manyToMany(relationName:)`` creates: each name with the first
    place that names it: models of the generated API, with their types and operations. A
    relationName a declared type already has is not one (``many_to_many_relations``
    refuses it)."""
    found: dict[str, Location] = {}
    for _model, _field, directive in model_directives(context, "manyToMany"):
        argument = directive.argument("relationName")
        # A relationName a declared type has is refused by many_to_many_relations.
        name = argument.value if argument is not None else None
        if argument is not None and isinstance(name, str) and name not in context.types:
            found.setdefault(name, argument.location_of())
    return found


def _model_types(context: ValidationContext, model: str) -> Iterator[str]:
    yield from (
        names.connection_type(model),
        names.filter_input(model),
        names.condition_input(model),
        names.subscription_filter_input(model),
        names.create_input(model),
        names.update_input(model),
        names.delete_input(model),
        names.composite_key_condition_input(model, None),
        names.composite_key_input(model, None),
    )
    for part in type_parts(context, model):
        for f in part.fields:
            for d in f.directives_named("index"):
                index = d.argument("name")
                sort_keys = d.argument("sortKeyFields")
                keys = as_strings(sort_keys.value) if sort_keys is not None else ()
                if index is None or isinstance(index.value, str):
                    given = index.value if index is not None else None
                    name = names.index_name(model, f.name, keys, given)
                    yield names.composite_key_condition_input(model, name)
                    yield names.composite_key_input(model, name)


def generated_type_names(context: ValidationContext) -> dict[str, str]:
    """Every type name the generated AppSync schema may define -> what it is generated for."""
    found: dict[str, str] = dict.fromkeys(_SHARED, "the models' shared inputs")
    for scalar in names.FILTER_SCALARS:
        for shared in (
            names.scalar_filter_input(scalar),
            names.subscription_scalar_filter_input(scalar),
            names.key_condition_input(scalar),
        ):
            found.setdefault(shared, "the models' shared inputs")
    for t in context.document.types:
        if t.extension:
            continue
        if t.kind is TypeKind.ENUM:
            for filters in (names.enum_filter_input(t.name), names.enum_list_filter_input(t.name)):
                found.setdefault(filters, f"filters on the enum '{t.name}'")
        elif t.kind is TypeKind.OBJECT and t.name not in ROOT_TYPES:
            if t.name in context.model_names:
                for generated in _model_types(context, t.name):
                    found.setdefault(generated, f"the model '{t.name}'")
            else:
                found.setdefault(names.non_model_input(t.name), f"inputs of the type '{t.name}'")
    for join in join_model_names(context):
        what = f"the join model '{join}' of @manyToMany(relationName: \"{join}\")"
        for generated in (join, *_model_types(context, join)):
            found.setdefault(generated, what)
    return found


def check(context: ValidationContext) -> Iterator[Diagnostic]:
    yield from _type_names(context)
    yield from _operation_names(context)


def _type_names(context: ValidationContext) -> Iterator[Diagnostic]:
    generated = generated_type_names(context)
    for t in context.document.types:
        if t.extension or t.kind not in _EMITTED or t.name not in generated:
            continue
        yield Diagnostic(
            message=f"The {t.kind.value} '{t.name}' takes a name the generated API uses for "
            f"{generated[t.name]}; rename it.",
            location=t.location,
        )


def _operation_names(context: ValidationContext) -> Iterator[Diagnostic]:
    taken: dict[tuple[str, str], tuple[str, Location]] = {}
    for model in context.models:
        clashes: dict[str, tuple[Location, list[str]]] = {}
        for root, field in generated_operations(model):
            earlier = taken.setdefault((root, field), (model.name, model.location))
            if earlier[0] != model.name:
                clashes.setdefault(earlier[0], (earlier[1], []))[1].append(f"{root}.{field}")
        for other, (location, operations) in clashes.items():
            yield Diagnostic(
                message=f"Models '{other}' and '{model.name}' generate operations of the same "
                f"names ({', '.join(operations)}); rename one of the models.",
                location=model.location,
                related=(location,),
            )
    joins: dict[tuple[str, str], tuple[str, Location]] = {}
    for join, place in join_model_names(context).items():
        for operation in _operations_of(join):
            joins.setdefault(operation, (join, place))
    for root in ROOT_TYPES:
        for name, f in fields_of(context, root).items():
            if (root, name) in taken:
                owner, location = taken[(root, name)]
                yield Diagnostic(
                    message=f"The field '{root}.{name}' has the name of the operation "
                    f"generated for the model '{owner}'; rename the field, or turn the "
                    f"model's generated operations off (@model({_ARGUMENT[root]}: null)) to "
                    "write your own.",
                    location=f.location,
                    related=(location,),
                )
            elif (root, name) in joins:
                join, location = joins[(root, name)]
                yield Diagnostic(
                    message=f"The field '{root}.{name}' has the name of an operation generated "
                    f"for the join model '{join}' of @manyToMany(relationName: \"{join}\"); "
                    "rename the field, or choose another relationName.",
                    location=f.location,
                    related=(location,),
                )


_ARGUMENT = {"Query": "queries", "Mutation": "mutations", "Subscription": "subscriptions"}
