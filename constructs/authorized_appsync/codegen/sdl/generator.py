"""The schema AppSync deploys: Amplify transformer v2's names and shapes, with AppSync's
``@aws_*`` authorization directives on every type, field and operation.

``generate_sdl(plan, modes, default_mode=...)`` is the entry point; every decision it
prints (which operations exist, which modes each element admits) is read from the
:class:`~..authz.api_plan.ApiPlan`. Per
model it emits the object type (every stored field, implicit ones included; relation
fields are not generated yet), ``Model<M>Connection``, the generated ``Query``,
``Mutation`` and ``Subscription`` fields (``authz/operations.py``) and their inputs
(:mod:`.inputs`), plus the user's enums, non-model types and own root fields. The
directives are printed by :mod:`.directives`. Amplify's shared inputs (:mod:`.shared`)
are emitted once, and only when used. The output is deterministic.

AppSync predefines its scalars and directives, so the SDL does not declare them;
:func:`appsync_preamble` declares them for tools (graphql-core, the local runtime) that
build the schema outside AppSync.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ...appsync import ROOT_TYPES, appsync_preamble
from ...authz.api_plan import ApiPlan, ModelAccess, RelationAccess
from ...authz.operations import ModelOperations, RootKind, RootOperation
from ...schema import names
from ...schema.errors import quote_list
from ...schema.model import CustomField, Model, Provider, Schema
from .directives import directives
from .inputs import (
    TypeCatalog,
    key_arguments,
    model_inputs,
    non_model_inputs,
    sort_key_argument,
)
from .printer import Arg, Definition, FieldDef, Kind, prune, render
from .shared import enum_filter_definitions, shared_definitions

__all__ = ["SdlOptions", "appsync_preamble", "generate_sdl"]

_ROOTS = ROOT_TYPES
_PAGE_ARGS = (Arg("limit", "Int"), Arg("nextToken", "String"))


@dataclass(frozen=True, kw_only=True)
class SdlOptions:
    """The API settings the schema depends on.

    ``modes``: the configured authorization modes; ``default_mode``: the API's default
    one.
    """

    modes: frozenset[Provider]
    default_mode: Provider

    def check(self, plan: ApiPlan) -> None:
        """The construct validates the modes before generating; this guards the contract."""
        problems = []
        if self.default_mode not in self.modes:
            problems.append(f"the default mode '{self.default_mode.value}' is not among the modes")
        if plan.admin_iam and Provider.IAM not in self.modes:
            problems.append("admin_iam needs the 'iam' mode")
        missing = sorted(p.value for p in plan.auth.providers - self.modes)
        if missing:
            problems.append(f"rules use {quote_list(missing)}, which are not among the modes")
        if problems:
            configured = quote_list(sorted(p.value for p in self.modes))
            raise ValueError(
                f"Cannot generate the AppSync schema: {'; '.join(problems)} ({configured})."
            )


def generate_sdl(plan: ApiPlan, modes: Iterable[Provider], *, default_mode: Provider) -> str:
    """The AppSync schema SDL of a planned API."""
    options = SdlOptions(modes=frozenset(modes), default_mode=default_mode)
    options.check(plan)
    return render(prune(_Generator(plan, options).definitions()))


class _Generator:
    def __init__(self, plan: ApiPlan, options: SdlOptions) -> None:
        self.plan = plan
        self.schema: Schema = plan.schema
        self.options = options
        self.catalog = TypeCatalog.of(plan.schema)

    def definitions(self) -> list[Definition]:
        roots: dict[str, list[FieldDef]] = {r: [] for r in _ROOTS}
        for custom, modes in self.plan.custom_modes:
            roots[custom.parent].append(self._custom_field(custom, modes))
        types: list[Definition] = []
        inputs: list[Definition] = []
        for access in self.plan.models:
            types += self._model_types(access)
            for op in access.operations.generated:
                roots[op.parent].append(self._root_field(access, op))
            inputs += model_inputs(access, self.catalog)
        types += self._non_model_types()
        types += [
            Definition(Kind.ENUM, e.name, values=e.values, keep=True) for e in self.schema.enums
        ]
        types += [
            Definition(Kind.OBJECT, name, tuple(fields), keep=True)
            for name, fields in roots.items()
            if fields
        ]
        inputs += non_model_inputs(self.schema.non_models, self.catalog)
        for e in self.schema.enums:
            inputs += enum_filter_definitions(e.name)
        return types + inputs + list(shared_definitions())

    # Object types.

    def _model_types(self, access: ModelAccess) -> list[Definition]:
        model = access.model
        providers = access.type_modes
        relations = {r.name: r for r in access.relations}
        fields = [
            _relation_field(
                relations[f.name],
                self.schema.model(relations[f.name].link.related),
                directives(f.directive_modes or ()),
            )
            if f.name in relations
            else FieldDef(f.name, str(f.field.type), directives=directives(f.directive_modes or ()))
            for f in access.fields
            if self.catalog.is_stored(f.field) or f.name in relations
        ]
        if access.versioned:
            fields += [
                FieldDef(names.VERSION_FIELD, "Int!"),
                FieldDef(names.DELETED_FIELD, "Boolean"),
                FieldDef(names.LAST_CHANGED_FIELD, "AWSTimestamp!"),
            ]
        type_directives = directives(providers)
        page = [FieldDef("items", f"[{model.name}]!"), FieldDef("nextToken", "String")]
        if access.versioned:
            page.append(FieldDef("startedAt", "AWSTimestamp"))
        connection = Definition(
            Kind.OBJECT, names.connection_type(model.name), tuple(page), directives=type_directives
        )
        comments = _comments(model, providers, access.operations)
        return [
            Definition(
                Kind.OBJECT,
                model.name,
                tuple(fields),
                directives=type_directives,
                comments=comments,
                keep=True,
            ),
            connection,
        ]

    def _non_model_types(self) -> list[Definition]:
        used = self._non_model_providers()
        return [
            Definition(
                Kind.OBJECT,
                t.name,
                tuple(FieldDef(f.name, str(f.type)) for f in t.fields),
                directives=directives(used.get(t.name, ())),
                keep=True,
            )
            for t in self.schema.non_models
        ]

    def _non_model_providers(self) -> dict[str, set[Provider]]:
        """Each non-model type admits the modes of every type or root field that returns
        it (directly or nested): otherwise AppSync would reject its fields for callers
        the model admits. Amplify propagates its directives the same way."""
        found: dict[str, set[Provider]] = {}
        for access in self.plan.models:
            starts = [f.type.name for f in access.model.fields if self.catalog.is_stored(f)]
            for name in self._nested_non_models(starts):
                found.setdefault(name, set()).update(access.type_modes)
        for custom, custom_modes in self.plan.custom_modes:
            modes = custom_modes if custom_modes is not None else {self.options.default_mode}
            for name in self._nested_non_models([custom.type.name]):
                found.setdefault(name, set()).update(modes)
        return found

    def _nested_non_models(self, starts: Iterable[str]) -> Iterator[str]:
        by_name = {t.name: t for t in self.schema.non_models}
        seen: set[str] = set()
        pending = [s for s in starts if s in by_name]
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            yield name
            pending += [f.type.name for f in by_name[name].fields if f.type.name in by_name]

    # Root fields.

    def _custom_field(self, custom: CustomField, modes: frozenset[Provider] | None) -> FieldDef:
        return FieldDef(
            custom.name,
            str(custom.type),
            tuple(Arg(name, str(t)) for name, t in custom.arguments),
            directives(modes or ()),
        )

    def _root_field(self, access: ModelAccess, op: RootOperation) -> FieldDef:
        model = access.model
        auth = directives(op.providers)
        if op.kind is RootKind.GET:
            return FieldDef(op.name, model.name, key_arguments(model), auth)
        connection = names.connection_type(model.name)
        if op.kind is RootKind.LIST:
            return FieldDef(op.name, connection, _list_arguments(model), auth)
        if op.kind is RootKind.SYNC:
            since = Arg("lastSync", "AWSTimestamp")
            return FieldDef(op.name, connection, (_filter(model), *_PAGE_ARGS, since), auth)
        if op.kind is RootKind.QUERY_INDEX and op.index is not None:
            index = op.index
            partition = model.field(index.partition_key)
            args = [Arg(index.partition_key, f"{partition.type.name if partition else 'ID'}!")]
            sort = sort_key_argument(model, index.name, index.sort_key_fields)
            args += [sort] if sort else []
            args += [Arg("sortDirection", names.SORT_DIRECTION_ENUM), _filter(model), *_PAGE_ARGS]
            return FieldDef(op.name, connection, tuple(args), auth)
        if op.parent == "Mutation":
            input_name = {
                RootKind.CREATE: names.create_input,
                RootKind.UPDATE: names.update_input,
                RootKind.DELETE: names.delete_input,
            }[op.kind](model.name)
            args = [
                Arg("input", f"{input_name}!"),
                Arg("condition", names.condition_input(model.name)),
            ]
            return FieldDef(op.name, model.name, tuple(args), auth)
        mutation = {
            RootKind.ON_CREATE: names.create_field,
            RootKind.ON_UPDATE: names.update_field,
            RootKind.ON_DELETE: names.delete_field,
        }[op.kind](model.name)
        args = [Arg("filter", names.subscription_filter_input(model.name))]
        args += [Arg(owner, "String") for owner in access.listen_owner_fields]
        subscribe = f'@aws_subscribe(mutations: ["{mutation}"])'
        return FieldDef(op.name, model.name, tuple(args), (subscribe, *auth))


def _relation_field(relation: RelationAccess, related: Model, auth: tuple[str, ...]) -> FieldDef:
    """A relation field as Amplify shapes it: nullable (the related model's rules may
    refuse the caller), a connection with ``filter``, ``sortDirection`` and the page
    arguments for ``@hasMany``, and first the sort-key condition of the key it queries
    when the relation gives only that key's partition key."""
    link = relation.link
    if not link.many:
        return FieldDef(link.field, link.related, (), auth)
    index = link.index
    sort = None
    if index is not None and len(link.source_keys) == 1:
        key_name = None if link.on_table else index.name
        sort = sort_key_argument(related, key_name, index.sort_key_fields)
    args = (
        *([sort] if sort else []),
        Arg("filter", names.filter_input(link.related)),
        Arg("sortDirection", names.SORT_DIRECTION_ENUM),
        *_PAGE_ARGS,
    )
    return FieldDef(link.field, names.connection_type(link.related), args, auth)


def _filter(model: Model) -> Arg:
    return Arg("filter", names.filter_input(model.name))


def _list_arguments(model: Model) -> tuple[Arg, ...]:
    """``filter, limit, nextToken``; with a custom primary key (``@primaryKey`` on another
    field, or sort keys) Amplify puts the key first and ``sortDirection`` last."""
    key = model.primary_key
    if key.partition_key == "id" and not key.sort_key_fields:
        return (_filter(model), *_PAGE_ARGS)
    partition = model.field(key.partition_key)
    args = [Arg(key.partition_key, partition.type.name if partition else "ID")]
    sort = sort_key_argument(model, None, key.sort_key_fields)
    args += [sort] if sort else []
    return (*args, _filter(model), *_PAGE_ARGS, Arg("sortDirection", names.SORT_DIRECTION_ENUM))


def _comments(
    model: Model, providers: frozenset[Provider], ops: ModelOperations
) -> tuple[str, ...]:
    found = []
    if not providers:
        found.append(f"No rule admits any caller to {model.name}: it is closed (deny by default).")
    unguarded = [op.name for op in ops.generated if not op.providers]
    if unguarded:
        found.append(
            "Generated only because AppSync needs a Query field; no rule admits any caller, "
            "so their resolvers deny everyone: " + ", ".join(unguarded)
        )
    if ops.denied:
        found.append(
            "Not generated, no rule allows them (a subscription also needs its mutation): "
            + ", ".join(ops.denied)
        )
    return tuple(found)
