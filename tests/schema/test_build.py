"""The typed model: defaults filled in, implicit fields added, relations keyed."""

from __future__ import annotations

from pathlib import Path

import pytest

from authorized_appsync import ApiDefinition
from authorized_appsync.schema.model import (
    MODEL_OPERATIONS,
    READ_OPERATIONS,
    Operation,
    Provider,
    RelationKind,
    Strategy,
)


def schema(sdl: str):
    return ApiDefinition.from_string(sdl, "schema.graphql").schema


def fields(sdl: str, model: str) -> list[tuple[str, str, bool]]:
    return [(f.name, str(f.type), f.implicit) for f in schema(sdl).model(model).fields]


def test_implicit_id_owner_and_timestamps():
    # 003: "Amplify will automatically add a owner: String field"; every model gets id
    # (when it has no @primaryKey) and createdAt/updatedAt.
    assert fields(
        "type Todo @model @auth(rules: [{allow: owner}]) { content: String }", "Todo"
    ) == [
        ("id", "ID!", True),
        ("content", "String", False),
        ("owner", "String", True),
        ("createdAt", "AWSDateTime!", True),
        ("updatedAt", "AWSDateTime!", True),
    ]


def test_declared_fields_are_not_duplicated():
    sdl = """type Test @model @auth(rules: [{allow: owner, ownerField: "authors"}]) {
        email: String! @primaryKey
        createdAt: AWSDateTime!
        authors: [String]
    }"""
    assert fields(sdl, "Test") == [
        ("email", "String!", False),
        ("createdAt", "AWSDateTime!", False),
        ("authors", "[String]", False),
        ("updatedAt", "AWSDateTime!", True),
    ]


def test_rule_defaults_are_filled_in():
    rules = (
        schema(
            """type T @model @auth(rules: [{allow: owner}, {allow: groups, groups: ["A"]},
           {allow: public}, {allow: private}, {allow: custom},
           {allow: private, provider: identityPool, operations: [read]}]) { x: String }"""
        )
        .model("T")
        .rules
    )
    owner, group, public, private, custom, pool = rules
    assert (owner.provider, owner.owner_field, owner.identity_claim) == (
        Provider.USER_POOLS,
        "owner",
        "sub::username",
    )
    assert owner.operations == MODEL_OPERATIONS
    assert (group.provider, group.group_claim, group.groups) == (
        Provider.USER_POOLS,
        "cognito:groups",
        ("A",),
    )
    assert public.provider is Provider.API_KEY
    assert private.provider is Provider.USER_POOLS
    assert custom.provider is Provider.FUNCTION
    assert (pool.strategy, pool.provider, pool.operations) == (
        Strategy.PRIVATE,
        Provider.IAM,
        READ_OPERATIONS,
    )


def test_read_expands_and_subsets_stay():
    (rule,) = (
        schema(
            "type T @model @auth(rules: [{allow: owner, operations: [get, create]}]) { x: String }"
        )
        .model("T")
        .rules
    )
    assert rule.operations == {Operation.GET, Operation.CREATE}


def test_field_rules_replace_model_rules():
    model = schema(
        """type E @model @auth(rules: [{allow: private, operations: [read]}, {allow: owner}]) {
             name: String
             ssn: String @auth(rules: [{allow: owner}])
           }"""
    ).model("E")
    assert model.field("name").rules is None  # inherits
    (only,) = model.field("ssn").rules
    assert only.strategy is Strategy.OWNER


def test_primary_key_and_index():
    model = schema(
        """type Test @model {
             email: String! @primaryKey(sortKeyFields: ["kind", "other"])
             kind: Int!
             other: AWSDateTime!
             category: String! @index(name: "CategoryGSI", sortKeyFields: "kind",
                                      queryField: "testsByCategory")
           }"""
    ).model("Test")
    assert model.primary_key.partition_key == "email"
    assert model.primary_key.sort_key_fields == ("kind", "other")
    assert "id" not in model.field_names
    (index,) = model.indexes
    assert (index.name, index.partition_key, index.sort_key_fields, index.query_field) == (
        "CategoryGSI",
        "category",
        ("kind",),
        "testsByCategory",
    )


@pytest.mark.parametrize(
    ("model", "field", "directive", "name"),
    [
        # Amplify's index transformer: the model's plural (pluralize), "By", the key fields
        # joined by "And"; Gen 2's secondaryIndexes leave the name out.
        ("Employee", "manager", '@index(sortKeyFields: ["level"])', "employeesByManagerAndLevel"),
        ("Category", "parentId", "@index", "categoriesByParentId"),
        ("Person", "city", '@index(queryField: "peopleIn")', "peopleByCity"),
        ("Employee", "manager", '@index(name: "byManager")', "byManager"),
    ],
)
def test_an_index_without_a_name_gets_amplifys_default_name(
    model: str, field: str, directive: str, name: str
) -> None:
    built = schema(
        f"""type {model} @model {{ {field}: String {directive} level: String }}"""
    ).model(model)
    assert [i.name for i in built.indexes] == [name]


def test_defaults_are_typed():
    model = schema(
        """enum Level { LOW HIGH }
           type T @model {
             a: String @default(value: "My new Todo")
             b: Int @default(value: "3")
             c: Boolean @default(value: "true")
             d: Float @default(value: "1.5")
             e: Level @default(value: "HIGH")
           }"""
    ).model("T")
    assert [(f.name, f.default) for f in model.fields if f.has_default] == [
        ("a", "My new Todo"),
        ("b", 3),
        ("c", True),
        ("d", 1.5),
        ("e", "HIGH"),
    ]


def test_model_options():
    opts = (
        schema(
            """type T @model(queries: null, subscriptions: null,
                         timestamps: {createdAt: "createdOn", updatedAt: null}) { x: String }
               type Query { t: T }"""
        )
        .model("T")
        .options
    )
    assert (opts.queries, opts.mutations, opts.subscriptions) == (False, True, False)
    assert (opts.created_at, opts.updated_at) == ("createdOn", None)
    names = (
        schema(
            """type T @model(timestamps: {createdAt: "createdOn", updatedAt: null}) { x: String }"""
        )
        .model("T")
        .field_names
    )
    assert names == ("id", "x", "createdOn")


@pytest.mark.parametrize(
    ("sdl", "model", "field", "kind", "keys", "stored_on"),
    [
        (
            """type Project @model { team: Team @hasOne }
            type Team @model { name: String }""",
            "Project",
            "team",
            RelationKind.HAS_ONE,
            ("projectTeamId",),
            "Project",
        ),
        (
            """type Post @model { comments: [Comment] @hasMany }
            type Comment @model { content: String }""",
            "Post",
            "comments",
            RelationKind.HAS_MANY,
            ("postCommentsId",),
            "Comment",
        ),
        (
            """type Post @model { comments: [Comment] @hasMany }
            type Comment @model { post: Post @belongsTo }""",
            "Comment",
            "post",
            RelationKind.BELONGS_TO,
            ("postCommentsId",),
            "Comment",
        ),
        (
            """type Project @model { team: Team @hasOne }
            type Team @model { project: Project @belongsTo }""",
            "Team",
            "project",
            RelationKind.BELONGS_TO,
            ("teamProjectId",),
            "Team",
        ),
        (
            """type Project @model { teamID: ID
              team: Team @hasOne(fields: ["teamID"]) }
            type Team @model { name: String }""",
            "Project",
            "team",
            RelationKind.HAS_ONE,
            ("teamID",),
            "Project",
        ),
        (
            """type P @model { k: ID! @primaryKey(sortKeyFields: ["s"])
              s: String!
              kids: [C] @hasMany }
            type C @model { x: String }""",
            "P",
            "kids",
            RelationKind.HAS_MANY,
            ("pKidsK", "pKidsS"),
            "C",
        ),
    ],
)
def test_relation_keys(sdl, model, field, kind, keys, stored_on):
    built = schema(sdl)
    relation = built.model(model).field(field).relation
    assert relation.kind is kind
    assert (relation.fields or relation.references) == keys
    for key in keys:
        assert built.model(stored_on).field(key) is not None


def test_many_to_many_join_model_unions_rules():
    built = schema(
        """type Post @model @auth(rules: [{ allow: owner }]) {
             tags: [Tag] @manyToMany(relationName: "PostTags") }
           type Tag @model @auth(rules: [{ allow: groups, groups: ["admins"] }]) {
             posts: [Post] @manyToMany(relationName: "PostTags") }"""
    )
    join = built.model("PostTags")
    assert [r.strategy for r in join.rules] == [Strategy.OWNER, Strategy.GROUPS]
    assert {"postId", "tagId", "post", "tag", "owner"} <= set(join.field_names)
    assert [i.name for i in join.indexes] == ["byPost", "byTag"]


def test_files_and_string_build_equal_models(tmp_path: Path):
    a = tmp_path / "a.graphql"
    b = tmp_path / "b.graphql"
    a.write_text("type Post @model @auth(rules: [{allow: owner}]) { title: String }\n")
    b.write_text("type Note @model @auth(rules: [{allow: private}]) { text: String }\n")
    joined = a.read_text() + b.read_text()
    assert ApiDefinition.from_files(a, b).schema == ApiDefinition.from_string(joined).schema


def test_locations_do_not_take_part_in_equality():
    one = ApiDefinition.from_string("type T @model { x: String }", "one.graphql").schema
    two = ApiDefinition.from_string("\n\n  type T @model { x: String }", "two.graphql").schema
    assert one == two
    assert one.models[0].location != two.models[0].location


def test_extend_type_adds_fields_and_custom_root_fields():
    built = schema(
        """type Todo @model @auth(rules: [{allow: owner}]) { a: String }
           extend type Todo { b: Int }
           type Query { echo(msg: String!): String @auth(rules: [{allow: private}]) }"""
    )
    assert built.model("Todo").field("b") is not None
    (echo,) = built.custom_fields
    assert (echo.parent, echo.name, [n for n, _ in echo.arguments]) == ("Query", "echo", ["msg"])
    assert echo.rules[0].strategy is Strategy.PRIVATE


def test_every_error_meant_for_users_shares_one_base():
    # `except AuthorizedAppSyncError` catches what the library raises on purpose.
    import authorized_appsync
    from authorized_appsync.cdk.checks import ConfigurationError
    from authorized_appsync.codegen.resolvers.pipelines import CodeTooLargeError
    from authorized_appsync.errors import AuthorizedAppSyncError
    from authorized_appsync.local import LocalExtraMissingError
    from authorized_appsync.local.app import CredentialsRejectedError
    from authorized_appsync.local.dynamodb.tokens import InvalidPageTokenError
    from authorized_appsync.schema.dsl.errors import DslError

    for error in (
        authorized_appsync.SchemaError,
        authorized_appsync.SchemaFileError,
        ConfigurationError,
        CodeTooLargeError,
        DslError,
        LocalExtraMissingError,
        CredentialsRejectedError,
        InvalidPageTokenError,
    ):
        assert issubclass(error, AuthorizedAppSyncError), error
    with pytest.raises(AuthorizedAppSyncError):
        _ = authorized_appsync.ApiDefinition.from_string("type T @model { a: Nope }").schema
