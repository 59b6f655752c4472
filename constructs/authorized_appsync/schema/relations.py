"""Relations: ``@hasOne``, ``@hasMany``, ``@belongsTo``, ``@manyToMany``.

Works out each relation's key fields the way Amplify's transformer v2 does, adding the
implicit ones: ``@hasOne`` without ``fields`` stores ``<thisModel><Field>Id`` on this
model; ``@hasMany`` without ``fields``/``indexName`` stores ``<thisModel><Field>Id`` on
the related model; ``@belongsTo`` without ``fields`` reuses the key of a matching implicit
``@hasMany``, else stores ``<thisModel><Field>Id``. Each implicit key field is named after
the key field it holds (``...Id`` for ``id``, ``...Code`` for a key ``code``), one per
field of a composite primary key, as Amplify's construct names them by default.
``@manyToMany(relationName: "PostTags")`` creates the join model ``PostTags`` with
``postId``/``tagId`` keys, one index on each (``byPost``, ``byTag``), ``@belongsTo``
fields ``post``/``tag``, and the union of the two models' rules (seed 003, "Authorizing
@manyToMany relationships"); each side's relation names its index.
"""

from __future__ import annotations

from dataclasses import replace

from .model import AuthRule, Field, Index, Model, PrimaryKey, Relation, RelationKind, TypeRef
from .raw import RawField, RawType
from .rules_build import as_strings

__all__ = ["RelationPlanner"]

_RELATION_DIRECTIVES = frozenset(kind.value for kind in RelationKind)


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _upper_first(name: str) -> str:
    return name[:1].upper() + name[1:]


class RelationPlanner:
    def __init__(self, models: list[Model], raw: dict[str, RawType]) -> None:
        self._models = {m.name: m for m in models}
        self._raw = raw
        self._implicit: dict[str, list[Field]] = {m.name: [] for m in models}
        self._joins: dict[str, list[tuple[Model, RawField]]] = {}
        self._relations: dict[tuple[str, str], Relation] = {}
        for model in models:
            for raw_field in raw[model.name].fields:
                self._plan(model, raw_field)
        self._join_models = self._plan_joins()

    # -- key helpers --------------------------------------------------------------
    def _key_parts(self, model: Model) -> list[tuple[str, TypeRef]]:
        pk = model.primary_key
        parts: list[tuple[str, TypeRef]] = []
        for name in (pk.partition_key, *pk.sort_key_fields):
            declared = model.field(name)
            base = declared.type.name if declared else "ID"
            parts.append((name, TypeRef(name=base)))
        return parts

    def _implicit_keys(self, owner: str, field: str, keyed_by: Model) -> list[Field]:
        prefix = _lower_first(owner) + _upper_first(field)
        fields: list[Field] = []
        # Named after each key field, as Amplify's construct names them by default
        # (respectPrimaryKeyAttributesOnConnectionField): `id` -> `<prefix>Id`.
        for part, type_ref in self._key_parts(keyed_by):
            name = f"{prefix}{_upper_first(part)}"
            fields.append(Field(name=name, type=type_ref, implicit=True))
        return fields

    def _add_implicit(self, model_name: str, fields: list[Field]) -> tuple[str, ...]:
        known = {f.name for f in self._implicit[model_name]}
        self._implicit[model_name] += [f for f in fields if f.name not in known]
        return tuple(f.name for f in fields)

    # -- planning -----------------------------------------------------------------
    def _plan(self, model: Model, raw: RawField) -> None:
        if not any(d.name in _RELATION_DIRECTIVES for d in raw.directives):
            return
        for kind in RelationKind:
            directives = raw.directives_named(kind.value)
            if not directives:
                continue
            args = {a.name: a.value for a in directives[0].arguments}
            related = self._models[raw.type.name]
            explicit = as_strings(args.get("fields"))
            references = as_strings(args.get("references"))
            index_name = args.get("indexName")
            relation = Relation(
                kind=kind,
                related_model=related.name,
                fields=explicit,
                index_name=index_name if isinstance(index_name, str) else None,
                references=references,
                relation_name=str(args["relationName"]) if "relationName" in args else None,
            )
            if kind is RelationKind.MANY_TO_MANY:
                assert relation.relation_name is not None
                self._joins.setdefault(relation.relation_name, []).append((model, raw))
            elif not explicit and not references and relation.index_name is None:
                keys = self._implicit_for(kind, model, raw, related)
                if kind is RelationKind.HAS_MANY:  # on the related model, as references are
                    relation = replace(relation, references=keys)
                else:
                    relation = replace(relation, fields=keys)
            self._relations[(model.name, raw.name)] = relation

    def _implicit_for(
        self, kind: RelationKind, model: Model, raw: RawField, related: Model
    ) -> tuple[str, ...]:
        if kind is RelationKind.HAS_ONE:
            return self._add_implicit(
                model.name, self._implicit_keys(model.name, raw.name, related)
            )
        if kind is RelationKind.HAS_MANY:
            keys = self._implicit_keys(model.name, raw.name, model)
            return self._add_implicit(related.name, keys)
        # belongsTo: reuse the key of an implicit @hasMany on the related model pointing here.
        for parent_field in self._raw[related.name].fields:
            if parent_field.type.name != model.name or not parent_field.type.is_list:
                continue
            has_many = parent_field.directives_named("hasMany")
            if has_many and not has_many[0].arguments:
                keys = self._implicit_keys(related.name, parent_field.name, related)
                return self._add_implicit(model.name, keys)
        return self._add_implicit(model.name, self._implicit_keys(model.name, raw.name, related))

    # -- results ------------------------------------------------------------------
    def models_with_relations(self) -> list[Model]:
        result: list[Model] = []
        for model in self._models.values():
            if not any((model.name, f.name) in self._relations for f in model.fields):
                result.append(model)
                continue
            fields = tuple(
                replace(f, relation=self._relations[(model.name, f.name)])
                if (model.name, f.name) in self._relations
                else f
                for f in model.fields
            )
            result.append(replace(model, fields=fields))
        return result

    def relation_indexes(self, model_name: str) -> list[Index]:
        """The indexes ``model`` gets as the related model of a ``@hasMany`` without
        ``indexName`` or ``fields``, or of a ``@hasOne`` with ``references``: one per
        foreign key, named ``gsi-<Parent>.<field>`` as Amplify names it, on the key fields
        that hold the parent's key (implicit or ``references``), the first as partition key
        and the others as sort key."""
        found: list[Index] = []
        for (parent, field), relation in self._relations.items():
            stored_there = relation.kind is RelationKind.HAS_MANY or (
                relation.kind is RelationKind.HAS_ONE and relation.references
            )
            if not stored_there or relation.index_name is not None:
                continue
            keys = relation.references  # @hasMany(fields:) queries the related primary key
            stored = {f.name for f in self._implicit[model_name]}
            stored |= {f.name for f in self._models[model_name].fields}
            if relation.related_model != model_name or not keys or not stored.issuperset(keys):
                continue
            found.append(
                Index(name=f"gsi-{parent}.{field}", partition_key=keys[0], sort_key_fields=keys[1:])
            )
        return found

    def implicit_fields(self, model_name: str) -> list[Field]:
        return list(self._implicit.get(model_name, []))

    def join_models(self) -> list[Model]:
        return list(self._join_models)

    def _plan_joins(self) -> list[Model]:
        """The join model of each paired ``relationName``, as Amplify's transformer builds
        it; each side's relation then names the join model's index holding its key
        (``index_name``) and that index's key fields (``references``)."""
        joins: list[Model] = []
        for name, sides in self._joins.items():
            if len(sides) != 2:
                continue  # validation reports an unpaired relationName
            fields: list[Field] = []
            links: list[Field] = []
            indexes: list[Index] = []
            rules: list[AuthRule] = []
            self_join = sides[0][0].name == sides[1][0].name
            for position, (side, raw) in enumerate(sides):
                suffix = str(position + 1) if self_join else ""
                stem = f"{_lower_first(side.name)}{suffix}"
                keys = self._join_keys(stem, side)
                fields += keys
                links.append(
                    Field(
                        name=stem,
                        type=TypeRef(name=side.name, non_null=True),
                        relation=Relation(
                            kind=RelationKind.BELONGS_TO,
                            related_model=side.name,
                            fields=tuple(k.name for k in keys),
                        ),
                        implicit=True,
                    )
                )
                index = Index(
                    name=f"by{side.name}{suffix}",
                    partition_key=keys[0].name,
                    sort_key_fields=tuple(k.name for k in keys[1:]),
                )
                indexes.append(index)
                relation = self._relations[(side.name, raw.name)]
                self._relations[(side.name, raw.name)] = replace(
                    relation, index_name=index.name, references=tuple(k.name for k in keys)
                )
                rules += [r for r in side.rules if r not in rules]
            joins.append(
                Model(
                    name=name,
                    fields=(*fields, *links),
                    rules=tuple(rules),
                    primary_key=PrimaryKey(),
                    indexes=tuple(indexes),
                    location=sides[0][1].location,
                )
            )
        return joins

    def _join_keys(self, stem: str, side: Model) -> list[Field]:
        """The join model's fields holding ``side``'s key: ``<stem><PartitionKey>``, then
        ``<stem><sortKey>`` with the sort key's name as it is, as Amplify names them
        (``postId``; ``postWithKeyPostId``, ``postWithKeytitle``)."""
        return [
            Field(
                name=f"{stem}{_upper_first(part) if index == 0 else part}",
                type=TypeRef(name=type_ref.name, non_null=True),
                implicit=True,
            )
            for index, (part, type_ref) in enumerate(self._key_parts(side))
        ]
