"""Codegen of ``@manyToMany`` on seed 003's example ("Authorizing @manyToMany
relationships", 003_75a29147d71750f3.txt lines 632-678): "the @manyToMany directive will
create a "join table" named after the relationName" -- ``PostTags``, a model like any other
(table, operations, subscriptions) with "both owner and groups auth". As in Amplify, each
side's field returns the join records (a ``@hasMany`` to ``PostTags`` on its ``byPost`` /
``byTag`` index); ``PostTags.post`` and ``.tag`` are ``@belongsTo`` gets of each side."""

from __future__ import annotations

from test_appsync_sdl import Doc, generate

from authorized_appsync import ApiDefinition
from authorized_appsync.authz.api_plan import plan_api
from authorized_appsync.authz.plan import plan_schema
from authorized_appsync.authz.problems import plan_problems
from authorized_appsync.authz.relations import RelationLink, relation_link
from authorized_appsync.authz.settings import ApiSettings
from authorized_appsync.codegen.resolvers.plan import GetPlan, QueryIndexPlan
from authorized_appsync.codegen.resolvers.specs import resolver_specs
from authorized_appsync.codegen.tables import table_spec
from authorized_appsync.schema.model import Provider, Strategy
from seed_schemas import POST_TAGS

SCHEMA = POST_TAGS


def _api(sdl: str = SCHEMA):
    return plan_api(ApiDefinition.from_string(sdl, "schema.graphql").schema, ApiSettings())


def _specs():
    return {f"{s.type_name}.{s.field_name}": s for s in resolver_specs(_api())}


def test_the_join_model_has_the_documented_fields_and_the_union_of_the_rules():
    doc = Doc(generate(SCHEMA))
    # "CREATED BEHIND THE SCENES": id, postId: ID!, tagId: ID!, post, tag, owner: String
    # (post and tag nullable, as every relation field here: Tag's rules refuse a reader
    # PostTags' owner rule admits).
    assert doc.fields("PostTags") == [
        "id: ID!",
        "postId: ID!",
        "tagId: ID!",
        "post: Post",
        "tag: Tag",
        "owner: String",
        "createdAt: AWSDateTime!",
        "updatedAt: AWSDateTime!",
    ]
    rules = _api().model("PostTags").rules.model.rules
    assert [(r.strategy, r.groups) for r in rules] == [
        (Strategy.OWNER, ()),
        (Strategy.GROUPS, ("admins",)),
    ]


def test_each_side_returns_a_connection_of_join_records():
    doc = Doc(generate(SCHEMA))
    assert "tags: ModelPostTagsConnection" in doc.fields("Post")
    assert "posts: ModelPostTagsConnection" in doc.fields("Tag")
    assert doc.args("Post", "tags") == [
        "filter: ModelPostTagsFilterInput",
        "sortDirection: ModelSortDirection",
        "limit: Int",
        "nextToken: String",
    ]
    assert doc.fields("ModelPostTagsConnection") == ["items: [PostTags]!", "nextToken: String"]


def test_inputs_carry_the_key_fields_never_the_relation_fields():
    doc = Doc(generate(SCHEMA))
    assert doc.fields("CreatePostTagsInput")[:3] == ["id: ID", "postId: ID!", "tagId: ID!"]
    assert not doc.has_field("CreatePostTagsInput", "post")
    assert not doc.has_field("UpdatePostTagsInput", "tag")
    assert not doc.has_field("CreatePostInput", "tags")
    assert not doc.has_field("ModelPostTagsFilterInput", "post")
    assert not doc.has_field("ModelPostFilterInput", "tags")


def test_the_join_model_is_a_model_with_its_operations_and_subscriptions():
    doc = Doc(generate(SCHEMA))
    for root, field in [
        ("Query", "getPostTags"),
        ("Query", "listPostTags"),  # pluralize keeps an already plural name
        ("Mutation", "createPostTags"),
        ("Mutation", "deletePostTags"),
        ("Subscription", "onCreatePostTags"),
    ]:
        assert doc.has_field(root, field), field
    # The owner rule of the union: subscribers may name their owner.
    assert "owner: String" in doc.args("Subscription", "onCreatePostTags")


def test_the_join_table_has_an_index_on_each_side_key():
    table = table_spec(_api().model("PostTags"))
    assert table.partition_key.name == "id"
    indexes = [(g.name, g.partition_key.name, g.sort_key) for g in table.indexes]
    assert ("byPost", "postId", None) in indexes
    assert ("byTag", "tagId", None) in indexes


def test_each_side_is_the_join_models_index_query_keyed_from_its_record():
    found = _specs()
    tags = found["Post.tags"]
    assert isinstance(tags.plan, QueryIndexPlan)
    assert (tags.plan.model, tags.data_source) == ("PostTags", "PostTags")
    assert tags.plan.index_name == "byPost"
    assert tags.plan.source_keys == (("postId", "id"),)
    # PostTags' list rules, exactly as its own list resolver carries them.
    assert tags.plan.rules == found["Query.listPostTags"].plan.rules
    posts = found["Tag.posts"]
    assert (posts.plan.model, posts.plan.index_name) == ("PostTags", "byTag")
    assert posts.plan.source_keys == (("tagId", "id"),)


def test_the_join_records_relation_fields_are_gets_of_each_side():
    found = _specs()
    post, tag = found["PostTags.post"], found["PostTags.tag"]
    assert type(post.plan) is GetPlan
    assert type(tag.plan) is GetPlan
    assert (post.plan.model, post.plan.source_keys) == ("Post", (("id", "postId"),))
    assert (tag.plan.model, tag.plan.source_keys) == ("Tag", (("id", "tagId"),))
    # Each side's own get rules decide.
    assert post.plan.rules == found["Query.getPost"].plan.rules
    assert tag.plan.rules == found["Query.getTag"].plan.rules


def test_relation_fields_admit_the_modes_of_the_model_they_read():
    api = _api(
        SCHEMA.replace(
            '[{ allow: groups, groups: ["admins"] }]',
            '[{ allow: groups, groups: ["admins"] }, { allow: public, operations: [read] }]',
        )
    )
    # Post.tags reads PostTags (owner + groups + Tag's public read: the union).
    tags = next(r for r in api.model("Post").relations if r.name == "tags")
    assert tags.modes == {Provider.USER_POOLS, Provider.API_KEY}
    tag = next(r for r in api.model("PostTags").relations if r.name == "tag")
    assert tag.modes == {Provider.USER_POOLS, Provider.API_KEY}
    post = next(r for r in api.model("PostTags").relations if r.name == "post")
    assert post.modes == {Provider.USER_POOLS}


COMPOSITE = """
type PostWithTagsCompositeKey @model @auth(rules: [{ allow: owner }]) {
  postId: ID! @primaryKey(sortKeyFields: ["title"])
  title: String!
  tags: [TagWithCompositeKey] @manyToMany(relationName: "PostTagsCompositeKey")
}
type TagWithCompositeKey @model @auth(rules: [{ allow: owner }]) {
  label: String!
  posts: [PostWithTagsCompositeKey] @manyToMany(relationName: "PostTagsCompositeKey")
}
"""


def test_a_composite_key_side_is_named_as_amplify_names_it_and_matched_part_by_part():
    schema = ApiDefinition.from_string(COMPOSITE, "schema.graphql").schema
    join = schema.model("PostTagsCompositeKey")
    # Amplify: <stem><PartitionKeyUpperFirst>, then <stem><sortKey> as it is.
    assert join.field_names[1:3] == (
        "postWithTagsCompositeKeyPostId",
        "postWithTagsCompositeKeytitle",
    )
    (index, _) = join.indexes
    assert (index.name, index.partition_key, index.sort_key_fields) == (
        "byPostWithTagsCompositeKey",
        "postWithTagsCompositeKeyPostId",
        ("postWithTagsCompositeKeytitle",),
    )
    assert plan_problems(plan_schema(schema)) == []
    post = schema.model("PostWithTagsCompositeKey")
    link = relation_link(schema, post, post.field("tags"))
    assert isinstance(link, RelationLink)
    assert link.source_keys == (
        ("postWithTagsCompositeKeyPostId", "postId"),
        ("postWithTagsCompositeKeytitle", "title"),
    )


def test_a_self_join_numbers_its_sides():
    schema = ApiDefinition.from_string(
        """type Person @model @auth(rules: [{ allow: owner }]) {
             follows: [Person] @manyToMany(relationName: "Following")
             followers: [Person] @manyToMany(relationName: "Following")
           }""",
        "schema.graphql",
    ).schema
    join = schema.model("Following")
    assert join.field_names[:5] == ("id", "person1Id", "person2Id", "person1", "person2")
    assert [(i.name, i.partition_key) for i in join.indexes] == [
        ("byPerson1", "person1Id"),
        ("byPerson2", "person2Id"),
    ]
    person = schema.model("Person")
    assert [person.field(f).relation.index_name for f in ("follows", "followers")] == [
        "byPerson1",
        "byPerson2",
    ]
