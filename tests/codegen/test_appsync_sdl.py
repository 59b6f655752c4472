"""The AppSync schema SDL: golden files for the seed examples and the blog, then fragment
assertions on names, arguments, inputs, options and the ``@aws_*`` directive sets.

Directive sets are compared whole, so each assertion checks both the modes that must be
admitted and the ones that must not. Rewrite the golden files with ``UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import graphql
import pytest
from graphql.language import ast

from authorized_appsync import ApiDefinition
from authorized_appsync.authz.api_plan import ApiPlan, plan_api
from authorized_appsync.authz.settings import ApiSettings, SecuritySettings
from authorized_appsync.codegen.artifacts import build_artifacts
from authorized_appsync.codegen.iam import compact_grants
from authorized_appsync.codegen.sdl.generator import appsync_preamble, generate_sdl
from authorized_appsync.schema import names
from authorized_appsync.schema.model import Provider

GOLDEN = Path(__file__).parent / "golden" / "appsync_sdl"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

ALL = frozenset(Provider)
POOLS = frozenset({Provider.USER_POOLS})
MODE_OF = {
    "aws_api_key": "apiKey",
    "aws_iam": "iam",
    "aws_oidc": "oidc",
    "aws_cognito_user_pools": "userPools",
    "aws_lambda": "function",
}


# The harness.


def api_plan(sdl: str, admin_iam: bool = False, *, sandbox: bool = False) -> ApiPlan:
    """The access plan of ``sdl``; ``admin_iam``: the IAM authorization mode is on."""
    security = SecuritySettings(iam_authorization_mode=admin_iam)
    schema = ApiDefinition.from_string(sdl, "schema.graphql").schema
    return plan_api(schema, ApiSettings(security=security, sandbox=sandbox))


def generate(
    sdl: str,
    modes: frozenset[Provider] = ALL,
    *,
    default: Provider = Provider.USER_POOLS,
    admin_iam: bool = False,
    sandbox: bool = False,
) -> str:
    out = generate_sdl(api_plan(sdl, admin_iam, sandbox=sandbox), modes, default_mode=default)
    assert_valid(out)
    return out


def assert_valid(sdl: str) -> None:
    built = graphql.build_schema(appsync_preamble() + sdl)
    graphql.assert_valid_schema(built)


class Doc:
    """The generated SDL, parsed, with lookups by type and field name."""

    def __init__(self, sdl: str) -> None:
        self.text = sdl
        self.types: dict[str, ast.TypeDefinitionNode] = {
            d.name.value: d
            for d in graphql.parse(sdl).definitions
            if isinstance(d, ast.TypeDefinitionNode)
        }

    def field(
        self, type_name: str, field: str
    ) -> ast.FieldDefinitionNode | ast.InputValueDefinitionNode:
        node = self.types[type_name]
        assert isinstance(node, ast.ObjectTypeDefinitionNode | ast.InputObjectTypeDefinitionNode)
        return next(f for f in node.fields or () if f.name.value == field)

    def has_field(self, type_name: str, field: str) -> bool:
        node = self.types.get(type_name)
        if not isinstance(node, ast.ObjectTypeDefinitionNode | ast.InputObjectTypeDefinitionNode):
            return False
        return any(f.name.value == field for f in node.fields or ())

    def names(self, type_name: str) -> list[str]:
        """The field names of a type, in order (empty when the type is absent)."""
        node = self.types.get(type_name)
        if not isinstance(node, ast.ObjectTypeDefinitionNode | ast.InputObjectTypeDefinitionNode):
            return []
        return [f.name.value for f in node.fields or ()]

    def fields(self, type_name: str) -> list[str]:
        """``name: Type`` of every field (no arguments, no directives)."""
        node = self.types[type_name]
        assert isinstance(node, ast.ObjectTypeDefinitionNode | ast.InputObjectTypeDefinitionNode)
        return [f"{f.name.value}: {graphql.print_ast(f.type)}" for f in node.fields or ()]

    def args(self, type_name: str, field: str) -> list[str]:
        node = self.field(type_name, field)
        assert isinstance(node, ast.FieldDefinitionNode)
        return [f"{a.name.value}: {graphql.print_ast(a.type)}" for a in node.arguments or ()]

    def type_modes(self, type_name: str) -> set[str]:
        return _modes(self.types[type_name].directives)

    def modes(self, type_name: str, field: str) -> set[str]:
        return _modes(self.field(type_name, field).directives)


def _modes(directives: tuple[ast.DirectiveNode, ...] | None) -> set[str]:
    return {MODE_OF[d.name.value] for d in directives or () if d.name.value in MODE_OF}


def doc(
    sdl: str,
    *,
    modes: frozenset[Provider] = ALL,
    default: Provider = Provider.USER_POOLS,
    admin_iam: bool = False,
    sandbox: bool = False,
) -> Doc:
    return Doc(generate(sdl, modes, default=default, admin_iam=admin_iam, sandbox=sandbox))


# Golden files.

SEED_OWNER = "type Todo @model @auth(rules: [{ allow: owner }]) { content: String }"
SEED_PUBLIC_READ_OWNER = """type Todo @model
  @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) {
  content: String
}"""
SEED_STATIC_GROUP = """type Salary @model @auth(rules: [{ allow: groups, groups: ["Admin"] }]) {
  id: ID!
  wage: Int
  currency: String
}"""
SEED_DYNAMIC_GROUPS = """type Post @model @auth(rules: [{ allow: groups, groupsField: "groups" }]) {
  id: ID!
  title: String
  groups: [String]
}"""
SEED_FIELD_LEVEL = """type Employee @model
  @auth(rules: [{ allow: private, operations: [read] }, { allow: owner }]) {
  name: String
  email: String
  ssn: String @auth(rules: [{ allow: owner }])
}"""
SEED_IAM_PRIVATE = """type Post @model @auth(rules: [{ allow: private, provider: iam }]) {
  id: ID!
  title: String!
}"""
SEED_CUSTOM = """type Salary @model @auth(rules: [{ allow: custom }]) {
  id: ID!
  wage: Int
  currency: String
}"""
SEED_MULTI_OWNER = """type Todo @model @auth(rules: [{ allow: owner, ownerField: "authors" }]) {
  content: String
  authors: [String]
}"""
BOOK = """
enum Status { DRAFT PUBLISHED }
type Book @model @auth(rules: [{ allow: owner }]) {
  isbn: String! @primaryKey(sortKeyFields: ["edition", "printed"])
  edition: Int!
  printed: AWSDate!
  status: Status @default(value: "DRAFT")
  tags: [Status]
  genre: String @index(name: "byGenre", sortKeyFields: ["sold"], queryField: "booksByGenre")
  sold: AWSTimestamp
  shelf: String @index(name: "byShelf", queryField: "booksOnShelf")
  author: String!
    @index(name: "byAuthor", sortKeyFields: ["printed", "edition"], queryField: "byAuthor")
}
"""
BLOG = (EXAMPLES / "blog.graphql").read_text()
API_KEY_AND_POOLS = frozenset({Provider.API_KEY, Provider.USER_POOLS})


@dataclass(frozen=True)
class Golden:
    name: str
    sdl: str
    modes: frozenset[Provider]
    default: Provider = Provider.USER_POOLS
    admin_iam: bool = False


GOLDENS = [
    Golden("owner", SEED_OWNER, POOLS),
    Golden("public_read_owner", SEED_PUBLIC_READ_OWNER, API_KEY_AND_POOLS, Provider.API_KEY),
    Golden("static_group", SEED_STATIC_GROUP, POOLS),
    Golden("dynamic_groups", SEED_DYNAMIC_GROUPS, POOLS),
    Golden("field_level_ssn", SEED_FIELD_LEVEL, POOLS),
    Golden("iam_private", SEED_IAM_PRIVATE, frozenset({Provider.IAM}), Provider.IAM),
    Golden("custom", SEED_CUSTOM, frozenset({Provider.FUNCTION}), Provider.FUNCTION),
    Golden("multi_owner", SEED_MULTI_OWNER, POOLS),
    Golden("blog", BLOG, ALL),
    Golden("blog_admin_iam", BLOG, ALL, admin_iam=True),
    Golden("composite_keys", BOOK, POOLS),
]


@pytest.mark.parametrize("case", GOLDENS, ids=lambda c: c.name)
def test_golden(case: Golden) -> None:
    out = generate(case.sdl, case.modes, default=case.default, admin_iam=case.admin_iam)
    path = GOLDEN / f"{case.name}.graphql"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(out)
    assert path.read_text() == out


def artifacts_json(case: Golden) -> str:
    """What codegen renders for ``case`` besides the SDL, as JSON: each resolver's plan
    (as the JavaScript receives it) and pipeline, each table spec, and each identity-pool
    role's compacted grants (what its IAM policies allow and deny)."""
    rendered = build_artifacts(
        api_plan(case.sdl, case.admin_iam), modes=case.modes, default_mode=case.default
    )
    resolvers = {
        f"{s.type_name}.{s.field_name}": {
            "pipeline": list(rendered.pipeline(s)),
            "plan": s.plan.to_json(),
        }
        for s in rendered.resolvers
    }
    tables = [
        {
            "model": t.model,
            "key": [k.name + ":" + k.type.value for k in (t.partition_key, t.sort_key) if k],
            "indexes": {
                g.name: [k.name + ":" + k.type.value for k in (g.partition_key, g.sort_key) if k]
                for g in t.indexes
            },
        }
        for t in rendered.tables
    ]
    grants = {}
    for role, refs in rendered.pool_grants.items():
        compact = compact_grants(rendered.plan.schema, refs)
        grants[role.value] = {
            "allow": [f"{r.type_name}.{r.field}" for r in compact.allow],
            "deny": [f"{r.type_name}.{r.field}" for r in compact.deny],
        }
    body = {"resolvers": resolvers, "tables": tables, "poolRoleGrants": grants}
    return json.dumps(body, indent=1, sort_keys=False) + "\n"


@pytest.mark.parametrize("case", GOLDENS, ids=lambda c: c.name)
def test_golden_plans_tables_and_grants(case: Golden) -> None:
    # Any change to a resolver's plan, a table or a role's grants shows in review as a
    # diff of these files (rewrite them with UPDATE_GOLDEN=1 and read the diff).
    out = artifacts_json(case)
    path = GOLDEN.parent / "artifacts" / f"{case.name}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(out)
    assert path.read_text() == out


@pytest.mark.parametrize("case", GOLDENS, ids=lambda c: c.name)
def test_root_operations_are_exactly_the_generated_root_fields(case: Golden) -> None:
    # The resolvers are attached to the plan's generated operations; AppSync rejects a
    # resolver on a field the schema lacks.
    plan = api_plan(case.sdl, case.admin_iam)
    generated = Doc(generate(case.sdl, case.modes, default=case.default, admin_iam=case.admin_iam))
    in_sdl = {
        f"{root}.{name}"
        for root in ("Query", "Mutation", "Subscription")
        for name in generated.names(root)
    }
    listed = {f"{op.parent}.{op.name}" for m in plan.models for op in m.operations.generated}
    assert listed == in_sdl


def test_output_is_deterministic() -> None:
    assert generate(BLOG) == generate(BLOG)
    forward = generate_sdl(api_plan(BLOG), list(Provider), default_mode=Provider.API_KEY)
    backward = generate_sdl(api_plan(BLOG), reversed(Provider), default_mode=Provider.API_KEY)
    assert forward == backward


def test_preamble_declares_appsync_scalars_and_directives() -> None:
    built = graphql.build_schema(appsync_preamble() + "type Query { a: AWSDateTime @aws_iam }")
    assert {"aws_api_key", "aws_iam", "aws_oidc", "aws_cognito_user_pools", "aws_lambda"} <= {
        d.name for d in built.directives
    }
    assert "AWSIPAddress" in built.type_map


# Names.


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        (names.get_field("Post"), "getPost"),
        (names.list_field("Post"), "listPosts"),
        (names.list_field("Category"), "listCategories"),
        (names.create_field("Post"), "createPost"),
        (names.update_field("Post"), "updatePost"),
        (names.delete_field("Post"), "deletePost"),
        (names.on_create_field("Post"), "onCreatePost"),
        (names.on_update_field("Post"), "onUpdatePost"),
        (names.on_delete_field("Post"), "onDeletePost"),
        (names.connection_type("Post"), "ModelPostConnection"),
        (names.filter_input("Post"), "ModelPostFilterInput"),
        (names.condition_input("Post"), "ModelPostConditionInput"),
        (names.subscription_filter_input("Post"), "ModelSubscriptionPostFilterInput"),
        (names.create_input("Post"), "CreatePostInput"),
        (names.update_input("Post"), "UpdatePostInput"),
        (names.delete_input("Post"), "DeletePostInput"),
        (names.non_model_input("Address"), "AddressInput"),
        (names.scalar_filter_input("AWSDateTime"), "ModelStringInput"),
        (names.scalar_filter_input("AWSTimestamp"), "ModelIntInput"),
        (names.scalar_filter_input("ID"), "ModelIDInput"),
        (names.subscription_scalar_filter_input("Boolean"), "ModelSubscriptionBooleanInput"),
        (names.key_condition_input("AWSDate"), "ModelStringKeyConditionInput"),
        (names.key_condition_input("Float"), "ModelFloatKeyConditionInput"),
        (names.enum_filter_input("Status"), "ModelStatusInput"),
        (names.enum_list_filter_input("Status"), "ModelStatusListInput"),
        (
            names.composite_key_condition_input("Book", "byGenre"),
            "ModelBookByGenreCompositeKeyConditionInput",
        ),
        (names.composite_key_input("Book", None), "ModelBookPrimaryCompositeKeyInput"),
        (names.composite_key_argument(["status", "createdAt"]), "statusCreatedAt"),
    ],
)
def test_amplify_names(made: str, expected: str) -> None:
    assert made == expected


# Operations and their arguments.


def test_default_key_operations_and_arguments() -> None:
    d = doc(SEED_OWNER, modes=POOLS)
    assert d.args("Query", "getTodo") == ["id: ID!"]
    assert d.args("Query", "listTodos") == [
        "filter: ModelTodoFilterInput",
        "limit: Int",
        "nextToken: String",
    ]
    assert graphql.print_ast(d.field("Query", "listTodos").type) == "ModelTodoConnection"
    for op in ("create", "update", "delete"):
        assert d.args("Mutation", f"{op}Todo") == [
            f"input: {op.capitalize()}TodoInput!",
            "condition: ModelTodoConditionInput",
        ]
    assert d.args("Subscription", "onCreateTodo") == [
        "filter: ModelSubscriptionTodoFilterInput",
        "owner: String",
    ]
    assert '@aws_subscribe(mutations: ["updateTodo"])' in d.text
    assert d.fields("ModelTodoConnection") == ["items: [Todo]!", "nextToken: String"]
    assert d.fields("Todo") == [
        "id: ID!",
        "content: String",
        "owner: String",
        "createdAt: AWSDateTime!",
        "updatedAt: AWSDateTime!",
    ]


def test_custom_primary_key_with_composite_sort_key() -> None:
    d = doc(BOOK, modes=POOLS)
    assert d.args("Query", "getBook") == ["isbn: String!", "edition: Int!", "printed: AWSDate!"]
    assert d.args("Query", "listBooks") == [
        "isbn: String",
        "editionPrinted: ModelBookPrimaryCompositeKeyConditionInput",
        "filter: ModelBookFilterInput",
        "limit: Int",
        "nextToken: String",
        "sortDirection: ModelSortDirection",
    ]
    assert d.fields("ModelBookPrimaryCompositeKeyConditionInput") == [
        "eq: ModelBookPrimaryCompositeKeyInput",
        "le: ModelBookPrimaryCompositeKeyInput",
        "lt: ModelBookPrimaryCompositeKeyInput",
        "ge: ModelBookPrimaryCompositeKeyInput",
        "gt: ModelBookPrimaryCompositeKeyInput",
        "between: [ModelBookPrimaryCompositeKeyInput]",
        "beginsWith: ModelBookPrimaryCompositeKeyInput",
    ]
    # Amplify maps only the last part to its filter scalar.
    assert d.fields("ModelBookPrimaryCompositeKeyInput") == ["edition: Int", "printed: String"]
    assert d.fields("DeleteBookInput") == ["isbn: String!", "edition: Int!", "printed: AWSDate!"]
    assert "id" not in [f.split(":")[0] for f in d.fields("Book")]
    assert "enum ModelSortDirection {\n  ASC\n  DESC\n}" in d.text


def test_index_queries() -> None:
    d = doc(BOOK, modes=POOLS)
    assert d.args("Query", "booksByGenre") == [
        "genre: String!",
        "sold: ModelIntKeyConditionInput",
        "sortDirection: ModelSortDirection",
        "filter: ModelBookFilterInput",
        "limit: Int",
        "nextToken: String",
    ]
    assert d.args("Query", "booksOnShelf")[:2] == [
        "shelf: String!",
        "sortDirection: ModelSortDirection",
    ]
    assert (
        d.args("Query", "byAuthor")[1]
        == "printedEdition: ModelBookByAuthorCompositeKeyConditionInput"
    )
    assert d.fields("ModelBookByAuthorCompositeKeyInput") == ["printed: AWSDate", "edition: Int"]
    assert d.fields("ModelIntKeyConditionInput") == [
        "eq: Int",
        "le: Int",
        "lt: Int",
        "ge: Int",
        "gt: Int",
        "between: [Int]",
    ]
    assert d.modes("Query", "booksByGenre") == {"userPools"}


ENUM_KEYS = """type Ticket @model @auth(rules: [{ allow: owner }]) {
  status: Status! @index(name: "byStatus", sortKeyFields: ["priority"], queryField: "byStatus")
  priority: Priority!
}
type Setting @model @auth(rules: [{ allow: owner }]) {
  scope: Status! @primaryKey(sortKeyFields: ["level"])
  level: Priority!
}
enum Status {
  OPEN
  CLOSED
}
enum Priority {
  P1
  P2
}
"""


def test_enum_key_fields_take_the_enum_and_string_key_conditions() -> None:
    # Amplify's index transformer: the partition key argument is the field's type, an enum
    # sort key is conditioned as a String (DynamoDB stores the enum's name).
    d = doc(ENUM_KEYS, modes=POOLS)
    assert d.args("Query", "byStatus")[:2] == [
        "status: Status!",
        "priority: ModelStringKeyConditionInput",
    ]
    assert d.fields("ModelStringKeyConditionInput") == [
        "eq: String",
        "le: String",
        "lt: String",
        "ge: String",
        "gt: String",
        "between: [String]",
        "beginsWith: String",
    ]
    assert d.args("Query", "getSetting") == ["scope: Status!", "level: Priority!"]
    assert d.args("Query", "listSettings")[:2] == [
        "scope: Status",
        "level: ModelStringKeyConditionInput",
    ]
    assert d.fields("DeleteSettingInput") == ["scope: Status!", "level: Priority!"]


def test_create_update_delete_inputs() -> None:
    d = doc(BOOK, modes=POOLS)
    assert d.fields("CreateBookInput") == [
        "isbn: String!",
        "edition: Int!",
        "printed: AWSDate!",
        "status: Status",  # @default: optional
        "tags: [Status]",
        "genre: String",
        "sold: AWSTimestamp",
        "shelf: String",
        "author: String!",
    ]
    update = d.fields("UpdateBookInput")
    assert update[:3] == ["isbn: String!", "edition: Int!", "printed: AWSDate!"]
    assert all(not f.endswith("!") for f in update[3:])
    assert "author: String" in update
    default_key = doc(SEED_OWNER, modes=POOLS)
    assert default_key.fields("CreateTodoInput")[0] == "id: ID"
    assert default_key.fields("UpdateTodoInput")[0] == "id: ID!"
    assert default_key.fields("DeleteTodoInput") == ["id: ID!"]


def test_required_fields_stay_required_but_owner_fields_are_optional() -> None:
    sdl = """type Note @model @auth(rules: [{ allow: owner, ownerField: "writer" }]) {
      title: String!
      writer: String!
    }"""
    assert doc(sdl, modes=POOLS).fields("CreateNoteInput")[:3] == [
        "id: ID",
        "title: String!",
        "writer: String",
    ]


def test_an_implicit_owner_field_is_in_no_create_or_update_input() -> None:
    """Issue 13, as Amplify's auth transformer: an owner field an owner rule adds to the type
    is not in Create<M>Input nor Update<M>Input (the create resolver fills it with the
    caller), but in the type and the filter and condition inputs; a declared one stays."""
    implicit = doc(
        """type Todo @model @auth(rules: [
          { allow: owner }
          { allow: owner, ownerField: "editors", operations: [read, update] }
        ]) { content: String }""",
        modes=POOLS,
    )
    assert implicit.names("CreateTodoInput") == ["id", "content"]
    assert implicit.names("UpdateTodoInput") == ["id", "content"]
    for type_name in ("Todo", "ModelTodoFilterInput", "ModelTodoConditionInput"):
        assert implicit.has_field(type_name, "owner"), type_name
        assert implicit.has_field(type_name, "editors"), type_name
    declared = doc(
        """type Todo @model @auth(rules: [
          { allow: owner }
          { allow: owner, ownerField: "editors", operations: [read, update] }
        ]) { content: String  owner: String  editors: [String] }""",
        modes=POOLS,
    )
    assert declared.fields("CreateTodoInput")[2:4] == ["owner: String", "editors: [String]"]
    assert declared.fields("UpdateTodoInput")[2:4] == ["owner: String", "editors: [String]"]


def test_filter_condition_and_subscription_filter_inputs() -> None:
    d = doc(BOOK, modes=POOLS)
    assert d.fields("ModelBookFilterInput") == [
        "isbn: ModelStringInput",
        "edition: ModelIntInput",
        "printed: ModelStringInput",
        "status: ModelStatusInput",
        "tags: ModelStatusListInput",
        "genre: ModelStringInput",
        "sold: ModelIntInput",
        "shelf: ModelStringInput",
        "author: ModelStringInput",
        "owner: ModelStringInput",
        "createdAt: ModelStringInput",
        "updatedAt: ModelStringInput",
        "and: [ModelBookFilterInput]",
        "or: [ModelBookFilterInput]",
        "not: ModelBookFilterInput",
    ]
    condition = d.fields("ModelBookConditionInput")
    assert not {"isbn: ModelStringInput", "edition: ModelIntInput"} & set(condition)
    assert condition[-1] == "not: ModelBookConditionInput"
    subscription = d.fields("ModelSubscriptionBookFilterInput")
    assert "status: ModelSubscriptionStringInput" in subscription
    assert "owner: ModelSubscriptionStringInput" not in subscription  # filtered by the resolver
    assert subscription[-2:] == [
        "and: [ModelSubscriptionBookFilterInput]",
        "or: [ModelSubscriptionBookFilterInput]",
    ]
    assert d.fields("ModelStatusListInput") == [
        "eq: [Status]",
        "ne: [Status]",
        "contains: Status",
        "notContains: Status",
    ]
    groups = doc(SEED_DYNAMIC_GROUPS, modes=POOLS).fields("ModelSubscriptionPostFilterInput")
    assert not any(f.startswith("groups") for f in groups)


def test_shared_inputs_are_emitted_once_and_only_when_used() -> None:
    two = generate(SEED_OWNER + "\n" + SEED_STATIC_GROUP.replace("Salary", "Pay"), POOLS)
    assert two.count("input ModelStringInput {") == 1
    assert "input ModelIntInput {" in two  # Pay.wage
    only_strings = generate(SEED_OWNER, POOLS)
    for unused in ("ModelIntInput", "ModelFloatInput", "ModelBooleanInput", "ModelSortDirection"):
        assert unused not in only_strings
    no_subscriptions = generate(SEED_OWNER.replace("@model", "@model(subscriptions: null)"), POOLS)
    assert "ModelSubscription" not in no_subscriptions
    assert "enum ModelSortDirection" in generate(BOOK, POOLS)


# Model options.


def test_model_options_are_honoured() -> None:
    no_queries = Doc(generate(BOOK.replace("@model", "@model(queries: null)"), POOLS))
    assert not no_queries.has_field("Query", "getBook")
    assert not no_queries.has_field("Query", "listBooks")
    assert no_queries.has_field("Query", "booksByGenre")  # @index queries stay, as in Amplify
    no_mutations = Doc(generate(SEED_OWNER.replace("@model", "@model(mutations: null)"), POOLS))
    assert "Mutation" not in no_mutations.types
    assert "Subscription" not in no_mutations.types  # subscriptions follow mutations
    assert "CreateTodoInput" not in no_mutations.types
    stamps = Doc(
        generate(
            SEED_OWNER.replace(
                "@model", '@model(timestamps: {createdAt: "born", updatedAt: null})'
            ),
            POOLS,
        )
    )
    assert stamps.fields("Todo")[-1] == "born: AWSDateTime!"
    assert not stamps.has_field("Todo", "updatedAt")
    # The timestamps the model adds are in no mutation input (Amplify's model transformer
    # makes those inputs from the type as declared); the filter takes them.
    assert "born" not in stamps.names("CreateTodoInput")
    assert "born" not in stamps.names("UpdateTodoInput")
    assert stamps.has_field("ModelTodoFilterInput", "born")


def test_implicit_timestamps_are_in_no_mutation_input_and_declared_ones_stay() -> None:
    """Issue 13, as Amplify's model transformer ("use def before implicit timestamp fields
    are added so that mutation inputs do not include the implicit timestamp fields"): the
    resolvers set createdAt and updatedAt; a type that declares them takes them, optional."""
    implicit = doc(SEED_OWNER, modes=POOLS)
    for name in ("CreateTodoInput", "UpdateTodoInput"):
        assert not {"createdAt", "updatedAt"} & set(implicit.names(name)), name
    for name in ("Todo", "ModelTodoFilterInput", "ModelTodoConditionInput"):
        assert {"createdAt", "updatedAt"} <= set(implicit.names(name)), name
    declared = doc(
        SEED_OWNER.replace("content: String", "content: String  createdAt: AWSDateTime!"),
        modes=POOLS,
    )
    assert "createdAt: AWSDateTime" in declared.fields("CreateTodoInput")
    assert "updatedAt" not in declared.names("CreateTodoInput")


# Directives.


def test_public_read_and_owner_directives() -> None:
    d = doc(SEED_PUBLIC_READ_OWNER, modes=API_KEY_AND_POOLS, default=Provider.API_KEY)
    both = {"apiKey", "userPools"}
    assert d.type_modes("Todo") == both
    assert d.type_modes("ModelTodoConnection") == both
    assert d.modes("Query", "getTodo") == both
    assert d.modes("Query", "listTodos") == both
    for op in ("createTodo", "updateTodo", "deleteTodo"):
        assert d.modes("Mutation", op) == {"userPools"}
    for op in ("onCreateTodo", "onUpdateTodo", "onDeleteTodo"):
        assert d.modes("Subscription", op) == both
    assert d.modes("Todo", "content") == set()  # follows the type


def test_field_rules_replace_the_type_directives() -> None:
    d = doc(SEED_FIELD_LEVEL, modes=POOLS)
    assert d.type_modes("Employee") == {"userPools"}
    assert d.modes("Employee", "ssn") == {"userPools"}  # its own, even when equal
    assert d.modes("Employee", "name") == set()


def test_a_field_rule_with_another_provider() -> None:
    sdl = """type Profile @model @auth(rules: [{ allow: owner }]) {
      name: String
      motto: String @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }])
      badge: String @auth(rules: [{ allow: public, provider: iam }, { allow: owner }])
    }"""
    d = doc(sdl)
    assert d.type_modes("Profile") == {"apiKey", "iam", "userPools"}
    # Fields following the model's rules must not admit the field rules' providers.
    assert d.modes("Profile", "name") == {"userPools"}
    assert d.modes("Profile", "id") == {"userPools"}
    assert d.modes("Profile", "motto") == {"apiKey", "userPools"}
    assert d.modes("Profile", "badge") == {"iam", "userPools"}
    # A caller admitted to one field may run the operation for that field ...
    assert d.modes("Query", "getProfile") == {"apiKey", "iam", "userPools"}
    assert d.modes("Mutation", "createProfile") == {"iam", "userPools"}
    assert d.modes("Mutation", "updateProfile") == {"iam", "userPools"}
    # ... but delete needs delete on every field: only the owner's provider has that.
    assert d.modes("Mutation", "deleteProfile") == {"userPools"}
    assert d.modes("Subscription", "onCreateProfile") == {"apiKey", "iam", "userPools"}


def test_delete_needs_a_mode_with_delete_on_every_field() -> None:
    # 003: "Since the description field is not accessible by "Admin" Cognito group users,
    # they cannot delete any Todo records."
    sdl = """type Todo @model
      @auth(rules: [{ allow: private, provider: iam }, { allow: groups, groups: ["Admin"] }]) {
      id: ID!
      name: String!
        @auth(rules: [{ allow: private, provider: iam }, { allow: groups, groups: ["Admin"] }])
      description: String @auth(rules: [{ allow: private, provider: iam }])
    }"""
    d = doc(sdl)
    assert d.modes("Mutation", "deleteTodo") == {"iam"}
    assert d.modes("Mutation", "updateTodo") == {"iam", "userPools"}
    assert d.modes("Todo", "description") == {"iam"}


def test_directive_per_provider_and_static_groups_stay_plain() -> None:
    cases = {
        SEED_IAM_PRIVATE: {"iam"},
        SEED_CUSTOM: {"function"},
        SEED_STATIC_GROUP: {"userPools"},
        "type T @model @auth(rules: [{ allow: private, provider: oidc }]) { a: String }": {"oidc"},
        "type T @model @auth(rules: [{ allow: public }]) { a: String }": {"apiKey"},
    }
    for sdl, expected in cases.items():
        d = doc(sdl)
        type_name = next(n for n in ("T", "Post", "Salary") if n in d.types)
        assert d.type_modes(type_name) == expected, sdl
        assert d.modes("Query", names.get_field(type_name)) == expected, sdl
    assert "cognito_groups" not in generate(SEED_STATIC_GROUP, POOLS)


def test_operations_no_rule_allows_are_not_generated() -> None:
    sdl = (
        "type Todo @model @auth(rules: [{ allow: owner, operations: [create, get] }]) { c: String }"
    )
    d = doc(sdl, modes=POOLS)
    assert d.has_field("Query", "getTodo")
    assert d.has_field("Mutation", "createTodo")
    for root, field in [
        ("Query", "listTodos"),
        ("Mutation", "updateTodo"),
        ("Mutation", "deleteTodo"),
    ]:
        assert not d.has_field(root, field)
    assert "Subscription" not in d.types
    assert "ModelTodoConnection" not in d.types
    assert "UpdateTodoInput" not in d.types
    assert (
        "# Not generated, no rule allows them (a subscription also needs its mutation): "
        "listTodos, updateTodo, deleteTodo, onCreateTodo, onUpdateTodo, onDeleteTodo\ntype Todo"
    ) in d.text


def test_a_subscription_needs_its_mutation() -> None:
    sdl = "type Todo @model @auth(rules: [{ allow: owner, operations: [create, read] }]) { c: ID }"
    d = doc(sdl, modes=POOLS)
    assert d.has_field("Subscription", "onCreateTodo")
    assert not d.has_field("Subscription", "onUpdateTodo")


def test_closed_model_without_admin_has_no_operations() -> None:
    d = doc(SEED_OWNER + "\ntype Secret @model { code: String }", modes=POOLS)
    assert d.type_modes("Secret") == set()
    assert not any("Secret" in f for f in d.fields("Query"))
    assert "# No rule admits any caller to Secret: it is closed (deny by default)." in d.text


def test_a_schema_with_nothing_to_query_keeps_closed_queries_without_directives() -> None:
    # AppSync needs a Query field: get and list stay, reachable by the default mode only,
    # and their resolvers (with no rules) deny every caller.
    d = doc("type Secret @model { code: String }", modes=POOLS)
    assert d.names("Query") == ["getSecret", "listSecrets"]
    assert d.modes("Query", "getSecret") == set()
    assert "Mutation" not in d.types
    assert "# Generated only because AppSync needs a Query field" in d.text
    plan = api_plan("type Secret @model { code: String }")
    assert [(op.name, op.providers) for op in plan.model("Secret").operations.generated] == [
        ("getSecret", frozenset()),
        ("listSecrets", frozenset()),
    ]
    # A query of the user's own is enough.
    own = doc("type Secret @model { code: String }\ntype Query { ping: String }", modes=POOLS)
    assert own.names("Query") == ["ping"]


def test_admin_iam_is_admitted_everywhere() -> None:
    d = doc(SEED_FIELD_LEVEL + "\ntype Secret @model { code: String }", admin_iam=True)
    assert d.type_modes("Employee") == {"iam", "userPools"}
    assert d.type_modes("ModelEmployeeConnection") == {"iam", "userPools"}
    assert d.modes("Employee", "ssn") == {"iam", "userPools"}
    assert d.modes("Mutation", "createEmployee") == {"iam", "userPools"}
    # A closed model is reachable by admins only.
    assert d.type_modes("Secret") == {"iam"}
    for root, field in [("Query", "getSecret"), ("Mutation", "deleteSecret")]:
        assert d.modes(root, field) == {"iam"}
    assert d.modes("Subscription", "onCreateSecret") == {"iam"}


def test_sandbox_opens_models_without_rules_with_the_api_key() -> None:
    sdl = SEED_OWNER + "\ntype Open @model { a: String }"
    d = doc(sdl, sandbox=True)
    assert d.type_modes("Open") == {"apiKey"}
    assert d.modes("Mutation", "deleteOpen") == {"apiKey"}
    assert d.type_modes("Todo") == {"userPools"}  # its own rules win


def test_subscription_owner_arguments() -> None:
    sdl = """type Doc @model @auth(rules: [
        { allow: owner, ownerField: "author" }
        { allow: owner, ownerField: "editors", operations: [read, update] }
        { allow: owner, ownerField: "reviewer", operations: [update] }
      ]) { text: String editors: [String] }"""
    d = doc(sdl, modes=POOLS)
    # multi-owner lists take no argument; owners who may not listen take none either
    assert d.args("Subscription", "onUpdateDoc") == [
        "filter: ModelSubscriptionDocFilterInput",
        "author: String",
    ]


# The user's own types and fields.

TYPES = """
enum Mood { HAPPY SAD }
type Geo { lat: Float lng: Float }
type Address { street: String geo: Geo }
type Spot { name: String }
type Place @model @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) {
  name: String!
  mood: Mood
  address: Address
}
type Query {
  nearby(lat: Float!, lng: Float!): [Place] @auth(rules: [{ allow: private }])
  spot: Spot
  ping: String
}
type Mutation { touch(id: ID!): Boolean @auth(rules: [{ allow: custom }]) }
"""


def test_enums_non_model_types_and_custom_fields_are_kept() -> None:
    d = doc(TYPES)
    assert "enum Mood {\n  HAPPY\n  SAD\n}" in d.text
    assert d.fields("Address") == ["street: String", "geo: Geo"]
    assert d.fields("CreatePlaceInput")[3] == "address: AddressInput"
    assert d.fields("AddressInput") == ["street: String", "geo: GeoInput"]
    assert d.fields("GeoInput") == ["lat: Float", "lng: Float"]
    assert "mood: ModelMoodInput" in d.fields("ModelPlaceFilterInput")
    assert not any(f.startswith("address") for f in d.fields("ModelPlaceFilterInput"))
    assert d.args("Query", "nearby") == ["lat: Float!", "lng: Float!"]
    assert d.modes("Query", "nearby") == {"userPools"}
    assert d.modes("Query", "ping") == set()  # no @auth: AppSync's default mode
    assert d.modes("Mutation", "touch") == {"function"}
    # The user's fields come first, then the generated ones.
    assert d.names("Query")[:3] == ["nearby", "spot", "ping"]


def test_non_model_types_admit_every_mode_that_reaches_them() -> None:
    d = doc(TYPES, default=Provider.OIDC)
    # Place's modes reach Address and Geo; the rule-less `spot` query reaches Spot with
    # the default mode.
    assert d.type_modes("Address") == {"apiKey", "userPools"}
    assert d.type_modes("Geo") == {"apiKey", "userPools"}
    assert d.type_modes("Spot") == {"oidc"}
    assert doc(TYPES, admin_iam=True).type_modes("Geo") == {"apiKey", "iam", "userPools"}


def test_relation_fields_take_amplify_shapes_and_the_related_models_read_modes() -> None:
    sdl = """type Todo @model
    @auth(rules: [{ allow: owner }, { allow: public, operations: [read] }]) {
      id: ID!
      name: String!
      tasks: [Task] @hasMany
    }
    type Task @model @auth(rules: [{ allow: owner }]) {
      id: ID! description: String! todo: Todo @belongsTo
    }"""
    d = doc(sdl, modes=API_KEY_AND_POOLS)
    assert "tasks: ModelTaskConnection" in d.fields("Todo")
    assert d.args("Todo", "tasks") == [
        "filter: ModelTaskFilterInput",
        "sortDirection: ModelSortDirection",
        "limit: Int",
        "nextToken: String",
    ]
    # AppSync itself refuses the API key on the relation: Task admits no API key.
    assert d.modes("Todo", "tasks") == {"userPools"}
    assert "todo: Todo" in d.fields("Task")
    assert d.modes("Task", "todo") == {"apiKey", "userPools"}
    # Inputs and filters carry the key fields, never the relation fields.
    assert "todoTasksId: ID" in d.fields("CreateTaskInput")
    assert not d.has_field("CreateTodoInput", "tasks")
    assert not d.has_field("CreateTaskInput", "todo")
    assert not d.has_field("ModelTaskFilterInput", "todo")


def test_modes_missing_for_a_rule_are_a_contract_error() -> None:
    plan = api_plan(SEED_PUBLIC_READ_OWNER)
    with pytest.raises(ValueError, match="rules use 'apiKey', which are not among the modes"):
        generate_sdl(plan, POOLS, default_mode=Provider.USER_POOLS)
    with pytest.raises(ValueError, match="admin_iam needs the 'iam' mode"):
        generate_sdl(
            api_plan(SEED_PUBLIC_READ_OWNER, admin_iam=True),
            API_KEY_AND_POOLS,
            default_mode=Provider.API_KEY,
        )
    with pytest.raises(ValueError, match="default mode 'oidc' is not among the modes"):
        generate_sdl(plan, API_KEY_AND_POOLS, default_mode=Provider.OIDC)
