"""The Python DSL's relationship fields and secondary indexes: each builds the document the
equivalent SDL parses to, and compiles to the same model (relations, implicit join models,
indexes). The Gen 2 examples are the Amplify documentation's ("Modeling relationships",
"Customize secondary indexes"), written in Python."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from authorized_appsync import ApiDefinition
from authorized_appsync.authz.api_plan import plan_api
from authorized_appsync.authz.settings import ApiSettings
from authorized_appsync.codegen.resolvers.specs import resolver_specs
from authorized_appsync.codegen.sdl.generator import generate_sdl
from authorized_appsync.codegen.tables import table_spec
from authorized_appsync.schema.dsl import DslError, DslSchema, ModelBuilder, a
from authorized_appsync.schema.model import Provider, RelationKind
from authorized_appsync.schema.sdl import parse_sdl

PUBLIC = "@auth(rules: [{allow: public, provider: apiKey}])"


def _public(model: ModelBuilder) -> ModelBuilder:
    return model.authorization(lambda allow: [allow.public_api_key()])


def _team_members() -> DslSchema:
    # "Modeling relationships": a team has many members, a member belongs to a team.
    return a.schema(
        {
            "Team": _public(
                a.model(
                    {
                        "mantra": a.string().required(),
                        "members": a.has_many("Member", "teamId"),
                    }
                )
            ),
            "Member": _public(
                a.model(
                    {
                        "name": a.string().required(),
                        "teamId": a.id(),
                        "team": a.belongs_to("Team", "teamId"),
                    }
                )
            ),
        }
    )


TEAM_MEMBERS = f"""
type Team @model {PUBLIC} {{
  mantra: String!
  members: [Member] @hasMany(references: ["teamId"])
}}
type Member @model {PUBLIC} {{
  name: String!
  teamId: ID
  team: Team @belongsTo(references: ["teamId"])
}}
"""


def _customer_cart() -> DslSchema:
    # "Modeling relationships": a customer has one cart.
    return a.schema(
        {
            "Cart": _public(
                a.model(
                    {
                        "items": a.string().required().array(),
                        "customerId": a.id(),
                        "customer": a.belongs_to("Customer", "customerId"),
                    }
                )
            ),
            "Customer": _public(
                a.model({"name": a.string(), "activeCart": a.has_one("Cart", "customerId")})
            ),
        }
    )


CUSTOMER_CART = f"""
type Cart @model {PUBLIC} {{
  items: [String!]
  customerId: ID
  customer: Customer @belongsTo(references: ["customerId"])
}}
type Customer @model {PUBLIC} {{
  name: String
  activeCart: Cart @hasOne(references: ["customerId"])
}}
"""


def _post_tags() -> DslSchema:
    # Amplify's @manyToMany: both sides name the join model.
    return a.schema(
        {
            "Post": _public(
                a.model({"title": a.string(), "tags": a.many_to_many("Tag", "PostTags")})
            ),
            "Tag": _public(
                a.model({"label": a.string(), "posts": a.many_to_many("Post", "PostTags")})
            ),
        }
    )


POST_TAGS = f"""
type Post @model {PUBLIC} {{
  title: String
  tags: [Tag] @manyToMany(relationName: "PostTags")
}}
type Tag @model {PUBLIC} {{
  label: String
  posts: [Post] @manyToMany(relationName: "PostTags")
}}
"""


def _customer_indexes() -> DslSchema:
    # "Customize secondary indexes": index("accountRepresentativeId"), then one with a sort
    # key, a name and a query field of its own.
    return a.schema(
        {
            "Customer": _public(
                a.model(
                    {
                        "name": a.string(),
                        "phoneNumber": a.phone(),
                        "accountRepresentativeId": a.id().required(),
                        "status": a.string().required(),
                    }
                ).secondary_indexes(
                    lambda index: [
                        index("accountRepresentativeId"),
                        index("status").sort_keys(["name"]),
                        index("status").name("byStatus").query_field("customersByStatus"),
                    ]
                )
            ),
        }
    )


CUSTOMER_INDEXES = f"""
type Customer @model {PUBLIC} {{
  name: String
  phoneNumber: AWSPhone
  accountRepresentativeId: ID! @index(queryField: "listCustomerByAccountRepresentativeId")
  status: String!
    @index(sortKeyFields: ["name"], queryField: "listCustomerByStatusAndName")
    @index(name: "byStatus", queryField: "customersByStatus")
}}
"""

CASES = [
    ("hasMany and belongsTo", _team_members, TEAM_MEMBERS),
    ("hasOne and belongsTo", _customer_cart, CUSTOMER_CART),
    ("manyToMany", _post_tags, POST_TAGS),
    ("secondary indexes", _customer_indexes, CUSTOMER_INDEXES),
]


@pytest.mark.parametrize(("build", "sdl"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_dsl_builds_the_equivalent_sdl_document(
    build: Callable[[], DslSchema], sdl: str
) -> None:
    assert build().to_document() == parse_sdl(sdl)


@pytest.mark.parametrize(("build", "sdl"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_dsl_compiles_to_the_same_model_as_the_sdl(
    build: Callable[[], DslSchema], sdl: str
) -> None:
    from_dsl = ApiDefinition.from_schema(build())
    assert from_dsl.diagnostics() == []
    assert from_dsl.schema == ApiDefinition.from_string(sdl).schema


def test_relations_reach_the_model_with_their_references() -> None:
    schema = ApiDefinition.from_schema(_team_members()).schema
    members = schema.model("Team").field("members")
    team = schema.model("Member").field("team")
    assert members is not None
    assert members.relation is not None
    assert team is not None
    assert team.relation is not None
    assert (members.relation.kind, members.relation.references) == (
        RelationKind.HAS_MANY,
        ("teamId",),
    )
    assert (team.relation.kind, team.relation.references) == (
        RelationKind.BELONGS_TO,
        ("teamId",),
    )


def test_many_to_many_creates_the_join_model() -> None:
    schema = ApiDefinition.from_schema(_post_tags()).schema
    join = schema.model("PostTags")
    assert [i.name for i in join.indexes] == ["byPost", "byTag"]
    assert {"postId", "tagId"} <= {f.name for f in join.fields}


def test_several_references_make_a_list() -> None:
    field = a.has_many("Line", ["orderId", "orderDate"])
    document = a.schema({"Order": a.model({"lines": field})}).to_document()
    (directive,) = document.types[0].fields[0].directives
    assert directive.name == "hasMany"
    assert directive.arguments[0].value == ["orderId", "orderDate"]


MISUSE = [
    (lambda: a.has_many("Member", []), "a.has_many(): the reference field must be"),
    (lambda: a.belongs_to("team", 3), "a.belongs_to(): the reference field must be"),
    (lambda: a.has_one(5, "x"), "a.has_one(): the related model must be a string"),
    (lambda: a.many_to_many("Tag", "Post Tags"), "a.many_to_many(): the relation name"),
    (lambda: a.has_many("Member", "teamId").array(), "a.has_many('Member').array(): a rela"),
    (lambda: a.belongs_to("Team", "teamId").default("x"), "a.belongs_to('Team').default(): a"),
    (
        lambda: a.model({"name": a.string()}).secondary_indexes(lambda index: [index("nmae")]),
        "a.model().secondary_indexes(): index field 'nmae' is not a field of the model; "
        "declared: 'name'. Did you mean 'name'?",
    ),
    (
        lambda: a.model({"n": a.string()}).secondary_indexes(
            lambda index: [index("n").sort_keys(["m"])]
        ),
        "a.model().secondary_indexes(): index field 'm' is not a field of the model",
    ),
    (
        lambda: a.model({"n": a.string()}).secondary_indexes(lambda index: index("n")),
        "a.model().secondary_indexes(): the function must return a list",
    ),
    (
        lambda: a.model({"n": a.string()}).secondary_indexes(["n"]),
        "a.model().secondary_indexes() takes a function of `index`",
    ),
    (
        lambda: a.model({"n": a.string()})
        .secondary_indexes(lambda index: [index("n")])
        .secondary_indexes(lambda index: [index("n")]),
        "a.model().secondary_indexes(): the model's secondary indexes are already set.",
    ),
]


@pytest.mark.parametrize(("call", "message"), MISUSE, ids=[m for _, m in MISUSE])
def test_misuse_is_a_dsl_error_at_the_call(call: Callable[[], object], message: str) -> None:
    with pytest.raises(DslError, match="^" + re.escape(message)):
        call()


def _seed_post_tags() -> DslSchema:
    # Seed 003 (003_75a29147d71750f3.txt lines 632-678): "the owner of a Post (protected by
    # an owner rule) can apply Tags that are created by a system admin (protected by a
    # groups rule)".
    return a.schema(
        {
            "Post": a.model(
                {
                    "title": a.string().required(),
                    "content": a.string(),
                    "tags": a.many_to_many("Tag", "PostTags"),
                }
            ).authorization(lambda allow: [allow.owner()]),
            "Tag": a.model(
                {"label": a.string().required(), "posts": a.many_to_many("Post", "PostTags")}
            ).authorization(lambda allow: [allow.groups(["admins"])]),
        }
    )


SEED_POST_TAGS = """
type Post @model @auth(rules: [{ allow: owner }]) {
  title: String!
  content: String
  tags: [Tag] @manyToMany(relationName: "PostTags")
}
type Tag @model @auth(rules: [{ allow: groups, groups: ["admins"] }]) {
  label: String!
  posts: [Post] @manyToMany(relationName: "PostTags")
}
"""


def test_many_to_many_from_the_dsl_generates_the_api_the_sdl_generates() -> None:
    """The same AppSync schema (join model, connections, inputs), tables and resolvers."""

    def generated(definition: ApiDefinition) -> tuple[object, ...]:
        plan = plan_api(definition.schema, ApiSettings())
        sdl = generate_sdl(plan, {Provider.USER_POOLS}, default_mode=Provider.USER_POOLS)
        tables = tuple(table_spec(m) for m in plan.models)
        return sdl, tables, resolver_specs(plan)

    from_dsl = generated(ApiDefinition.from_schema(_seed_post_tags()))
    from_sdl = generated(ApiDefinition.from_string(SEED_POST_TAGS))
    assert from_dsl == from_sdl
    sdl, tables, resolvers = from_dsl
    assert "tags(filter: ModelPostTagsFilterInput" in str(sdl)
    assert "PostTags" in {t.model for t in tables}
    assert {(r.type_name, r.field_name) for r in resolvers} >= {
        ("Post", "tags"),
        ("Tag", "posts"),
        ("PostTags", "post"),
        ("PostTags", "tag"),
    }
