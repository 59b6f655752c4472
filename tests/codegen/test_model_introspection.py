"""The model introspection written into amplify_outputs.json, made in Python from the
schema model, against Amplify's own: ``@aws-amplify/graphql-generator`` (pinned dev
dependency, package.json) run with node on the same schema, as Amplify Gen 2 runs it.

Both documents are normalised before they are compared (key order, operation order), and
the differences this library makes on purpose are applied to Amplify's side, each with its
reason, in ``_amplify_as_we_write_it``.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from authorized_appsync import ApiDefinition
from authorized_appsync.codegen.clients.introspection import model_introspection
from authorized_appsync.schema import names

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "tests" / "codegen" / "amplify_introspection.cjs"
PACKAGE = "@aws-amplify/graphql-generator"

OWNERS_GROUPS_INDEXES = """
enum Level { LOW HIGH }
type Address { street: String! lines: [String!]! }
type Employee
  @model(timestamps: { createdAt: "joinedAt" }, subscriptions: null)
  @auth(rules: [
    { allow: owner }
    { allow: owner, ownerField: "managers", identityClaim: "sub", operations: [read, update] }
    { allow: groups, groups: ["HR"], operations: [create, read] }
    { allow: groups, groupsField: "teams", operations: [read] }
    { allow: private, provider: iam }
    { allow: public, provider: apiKey, operations: [get, list] }
  ]) {
  email: String! @primaryKey(sortKeyFields: ["team"])
  team: String!
  level: Level
  address: Address
  managerId: ID @index(name: "byManager", sortKeyFields: ["level"], queryField: "byManager")
  badge: Badge @hasOne
  tasks: [Task] @hasMany(indexName: "byEmployee", fields: ["email", "team"])
  managers: [String]
  teams: [String]
}
type Badge @model @auth(rules: [{ allow: owner }, { allow: public, operations: [read] }]) {
  id: ID!
  code: String
}
type Task @model @auth(rules: [{ allow: owner }]) {
  id: ID!
  title: String!
  done: Boolean
  employeeEmail: String @index(name: "byEmployee", sortKeyFields: ["employeeTeam"])
  employeeTeam: String
  employee: Employee @belongsTo(fields: ["employeeEmail", "employeeTeam"])
}
type Project @model @auth(rules: [{ allow: private }]) {
  id: ID!
  name: String!
  members: [Member] @hasMany(indexName: "byProject", fields: ["id"])
}
type Member @model @auth(rules: [{ allow: private }, { allow: custom }]) {
  id: ID!
  projectId: ID! @index(name: "byProject", sortKeyFields: ["name"])
  name: String!
  project: Project @belongsTo(fields: ["projectId"])
}
"""

# The implicit key of a @hasMany whose parent has a custom primary key: the API names it
# <parent><Field>Id (the transformer's name with respectPrimaryKeyAttributesOnConnectionField
# off), the generator <parent><Field><PartitionKey> (the flag on, as Amplify Gen 2 has it).
IMPLICIT_KEY_OF_CUSTOM_PRIMARY_KEY = """
type Team @model @auth(rules: [{ allow: private }]) {
  code: String! @primaryKey
  members: [Person] @hasMany
}
type Person @model @auth(rules: [{ allow: private }]) { id: ID! name: String }
"""

# Relations keyed by `references`, as Amplify Gen 2's data schema writes them.
REFERENCES = """
type Author @model @auth(rules: [{ allow: private }]) {
  id: ID!
  name: String!
  books: [Book] @hasMany(references: ["authorId"])
  profile: Profile @hasOne(references: ["authorId"])
}
type Book @model @auth(rules: [{ allow: private }]) {
  id: ID!
  authorId: ID
  author: Author @belongsTo(references: ["authorId"])
}
type Profile @model @auth(rules: [{ allow: private }]) {
  id: ID!
  authorId: ID
  author: Author @belongsTo(references: ["authorId"])
}
"""

# Enum and non-model fields and lists, AWS scalars, @model arguments, a multi-owner list and
# an OIDC group rule with its own claim.
FIELDS_AND_OPTIONS = """
enum Color { RED GREEN }
type Point { x: Float! y: Float tags: [String] }
type Shape @model(queries: null, timestamps: null) @auth(rules: [{ allow: public }]) {
  id: ID!
  colors: [Color!]
  points: [Point]!
  center: Point
  meta: AWSJSON
  at: AWSTimestamp!
  site: AWSURL
}
type Note
  @model
  @auth(rules: [
    { allow: owner, ownerField: "authors" }
    { allow: groups, groups: ["A", "B"], groupClaim: "roles", provider: oidc, operations: [read] }
  ]) {
  id: ID!
  text: String
  authors: [String]
}
"""

SCHEMAS = {
    "blog": (ROOT / "examples" / "blog.graphql").read_text(encoding="utf-8"),
    "owners_groups_indexes": OWNERS_GROUPS_INDEXES,
    "references": REFERENCES,
    "fields_and_options": FIELDS_AND_OPTIONS,
}

_DEFAULT_PROVIDERS = {"public": "apiKey", "private": "userPools", "custom": "function"}


def _amplify(sdl: str, tmp_path: Path) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / PACKAGE).is_dir():
        pytest.fail(f"{PACKAGE} is not installed: run `make setup` (needs node and npm).")
    path = tmp_path / "schema.graphql"
    path.write_text(sdl, encoding="utf-8")
    done = subprocess.run(
        [node, str(GENERATOR), str(path)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _join_models(sdl: str) -> set[str]:
    schema = ApiDefinition.from_string(sdl, "schema.graphql").schema
    return {
        f.relation.relation_name
        for m in schema.models
        for f in m.fields
        if f.relation is not None and f.relation.relation_name is not None
    }


def _ours(sdl: str) -> dict[str, Any]:
    schema = ApiDefinition.from_string(sdl, "schema.graphql").schema
    return json.loads(json.dumps(model_introspection(schema).to_json()))


def _rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule with its operations in a fixed order."""
    return {**rule, "operations": sorted(rule["operations"])}


def _amplify_as_we_write_it(
    amplify: dict[str, Any], ours: dict[str, Any], join_models: set[str]
) -> dict[str, Any]:
    """Amplify's introspection with this library's deliberate differences applied."""
    doc = copy.deepcopy(amplify)
    for name, model in doc["models"].items():
        _list_implicit_owner_fields(model, ours["models"][name]["fields"])
        _name_key_fields(model, doc)
        model["attributes"] = _our_attributes(model["attributes"])
        if name in join_models:
            # 7. The key fields of a @manyToMany join model are required, as in the API's
            # type (the generator makes its own join model and leaves them optional).
            for field in model["fields"].values():
                if field["type"] == "ID" and field["name"] != "id":
                    field["isRequired"] = True
    return doc


def _list_implicit_owner_fields(model: dict[str, Any], our_fields: dict[str, Any]) -> None:
    """1. The owner fields an owner rule adds without the type declaring them are listed:
    the API's type has them (Amplify Gen 2's data schema declares them, so its introspection
    lists them too); the generator reads only the declared fields."""
    for field_name, field in our_fields.items():
        if field_name not in model["fields"] and _is_owner_field(model, field_name):
            model["fields"][field_name] = field


def _name_key_fields(model: dict[str, Any], doc: dict[str, Any]) -> None:
    """2. A @hasMany names the key fields on the related model; the generator names the
    related model's @belongsTo field when there is one, whose targetNames are those key
    fields. Amplify's client reads either form the same way."""
    for field in model["fields"].values():
        association = field.get("association") or {}
        if association.get("connectionType") != "HAS_MANY":
            continue
        related = doc["models"][field["type"]["model"]]["fields"]
        named = association["associatedWith"]
        if len(named) == 1 and "association" in related.get(named[0], {}):
            association["associatedWith"] = related[named[0]]["association"]["targetNames"]


def _our_attributes(attributes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    rules: list[dict[str, Any]] = []
    for attribute in attributes:
        properties = attribute["properties"]
        if attribute["type"] == "auth":
            # 3. A @manyToMany join model's rules are the two sides' rules as one list (the
            # generator lists them as two auth attributes; a rule admits either way).
            rules += [r for r in properties["rules"] if r not in rules]
            continue
        if attribute["type"] == "model" and isinstance(properties.get("timestamps"), dict):
            # 4. Timestamps are written whole (the name of each, as the API uses it).
            properties["timestamps"] = {
                "createdAt": "createdAt",
                "updatedAt": "updatedAt",
                **properties["timestamps"],
            }
        found.append(attribute)
    if rules:
        found.append({"type": "auth", "properties": {"rules": [_our_rule(r) for r in rules]}})
    return found


def _our_rule(rule: dict[str, Any]) -> dict[str, Any]:
    rule = dict(rule)
    # 5. Every rule names its provider, defaults too (the generator leaves out the default
    # of public, private and custom rules; the clients read a missing one as that default),
    # and the identity pool as "iam", the spelling DataStore compares with.
    rule.setdefault("provider", _DEFAULT_PROVIDERS.get(rule["allow"]))
    if rule["provider"] == "identityPool":
        rule["provider"] = "iam"
    # 6. No "groupField": the generator writes "groups" there whatever the rule's
    # groupsField is; the clients read groupsField.
    rule.pop("groupField", None)
    return rule


def _is_owner_field(model: dict[str, Any], field_name: str) -> bool:
    return any(
        rule.get("allow") == "owner" and rule.get("ownerField", "owner") == field_name
        for attribute in model["attributes"]
        if attribute["type"] == "auth"
        for rule in attribute["properties"]["rules"]
    )


def _sort_key(value: object) -> str:
    return json.dumps(value, sort_keys=True)


def _normalised(doc: dict[str, Any]) -> dict[str, Any]:
    for model in doc["models"].values():
        for attribute in model["attributes"]:
            if attribute["type"] == "auth":
                rules = [_rule(r) for r in attribute["properties"]["rules"]]
                attribute["properties"]["rules"] = sorted(rules, key=_sort_key)
        model["attributes"].sort(key=_sort_key)
    return doc


@pytest.mark.parametrize(
    "sdl",
    [
        *(pytest.param(sdl, id=name) for name, sdl in sorted(SCHEMAS.items())),
        pytest.param(IMPLICIT_KEY_OF_CUSTOM_PRIMARY_KEY, id="implicit_key_of_custom_primary_key"),
    ],
)
def test_introspection_matches_amplify_generator(sdl: str, tmp_path: Path):
    ours = _ours(sdl)
    amplify = _amplify(sdl, tmp_path)
    expected = _normalised(_amplify_as_we_write_it(amplify, ours, _join_models(sdl)))
    got = _normalised(ours)
    assert got["enums"] == expected["enums"]
    assert got["nonModels"] == expected["nonModels"]
    assert sorted(got["models"]) == sorted(expected["models"])
    for model_name, model in got["models"].items():
        assert model == expected["models"][model_name], model_name


def test_plural_name_is_the_list_query_plural():
    ours = _ours(OWNERS_GROUPS_INDEXES)
    assert {m["name"]: m["pluralName"] for m in ours["models"].values()} == {
        n: names.plural(n) for n in ("Employee", "Badge", "Task", "Project", "Member")
    }
