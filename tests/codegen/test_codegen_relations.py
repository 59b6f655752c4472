"""Codegen of relation fields: each is the related model's own read (its index query or
its get, with the related model's rules and table) keyed from the parent record, and every
@hasMany foreign key gets its index."""

from __future__ import annotations

import graphql

from authorized_appsync import ApiDefinition
from authorized_appsync.appsync import appsync_preamble
from authorized_appsync.authz.api_plan import plan_api
from authorized_appsync.authz.settings import ApiSettings
from authorized_appsync.codegen.resolvers.plan import GetPlan, OperationKind, QueryIndexPlan
from authorized_appsync.codegen.resolvers.specs import resolver_specs
from authorized_appsync.codegen.sdl.generator import generate_sdl
from authorized_appsync.codegen.tables import table_spec
from authorized_appsync.schema.model import Provider

SCHEMA = """
type Blog @model @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) {
  name: String
  posts: [Post] @hasMany
  pinned: [Post] @hasMany(indexName: "byPin", fields: ["id"])
  banner: Banner @hasOne(references: ["blogId"])
}
type Banner @model @auth(rules: [{ allow: owner }]) { blogId: ID text: String }
type Post @model @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }]) {
  title: String
  pinId: ID @index(name: "byPin")
  blog: Blog @belongsTo
  comments: [Comment] @hasMany(references: ["postId"])
}
type Comment @model @auth(rules: [{ allow: owner }]) {
  postId: ID
  post: Post @belongsTo(references: ["postId"])
}
"""


def _api():
    schema = ApiDefinition.from_string(SCHEMA, "schema.graphql").schema
    return plan_api(schema, ApiSettings())


def _specs():
    return {f"{s.type_name}.{s.field_name}": s for s in resolver_specs(_api())}


def test_has_many_gets_a_gsi_per_foreign_key_named_as_amplify_names_it():
    api = _api()
    posts = [(g.name, g.partition_key.name) for g in table_spec(api.model("Post")).indexes]
    assert ("gsi-Blog.posts", "blogPostsId") in posts
    assert ("byPin", "pinId") in posts  # indexName: the @index itself, nothing added
    assert [g.name for g in table_spec(api.model("Post")).indexes].count("byPin") == 1
    comments = [(g.name, g.partition_key.name) for g in table_spec(api.model("Comment")).indexes]
    assert ("gsi-Post.comments", "postId") in comments


def test_has_many_is_the_childs_index_query_keyed_from_the_parent():
    found = _specs()
    posts = found["Blog.posts"]
    assert isinstance(posts.plan, QueryIndexPlan)
    assert (posts.plan.model, posts.data_source) == ("Post", "Post")
    assert posts.plan.index_name == "gsi-Blog.posts"
    assert posts.plan.source_keys == (("blogPostsId", "id"),)
    # The child's list rules, exactly as its own list resolver carries them.
    assert posts.plan.rules == found["Query.listPosts"].plan.rules
    assert found["Blog.pinned"].plan.to_json()["sourceKeys"] == {"pinId": "id"}
    assert found["Post.comments"].plan.source_keys == (("postId", "id"),)


def test_belongs_to_is_the_parents_get_keyed_from_the_child():
    found = _specs()
    blog = found["Post.blog"]
    assert type(blog.plan) is GetPlan
    assert blog.plan.kind is OperationKind.GET
    assert (blog.plan.model, blog.data_source) == ("Blog", "Blog")
    assert blog.plan.source_keys == (("id", "blogPostsId"),)
    assert blog.plan.rules == found["Query.getBlog"].plan.rules
    assert found["Comment.post"].plan.source_keys == (("id", "postId"),)
    # Reading directly carries no source keys.
    assert "sourceKeys" not in found["Query.getBlog"].plan.to_json()


def test_relation_fields_admit_the_related_models_read_modes():
    api = _api()
    posts = next(r for r in api.model("Blog").relations if r.name == "posts")
    assert posts.modes == {Provider.USER_POOLS}
    blog = next(r for r in api.model("Post").relations if r.name == "blog")
    assert blog.modes == {Provider.API_KEY, Provider.USER_POOLS}
    field = next(f for f in api.model("Blog").fields if f.name == "posts")
    assert field.modes == (Provider.USER_POOLS,)
    assert not field.guarded


def test_has_one_with_references_is_the_index_query_returning_one_record():
    api = _api()
    banners = [(g.name, g.partition_key.name) for g in table_spec(api.model("Banner")).indexes]
    assert ("gsi-Blog.banner", "blogId") in banners
    banner = _specs()["Blog.banner"]
    assert isinstance(banner.plan, QueryIndexPlan)
    assert banner.plan.to_json()["single"] is True
    assert banner.plan.source_keys == (("blogId", "id"),)
    assert "single" not in _specs()["Blog.posts"].plan.to_json()


def test_an_owner_only_child_gets_a_relation_owner_index_on_the_foreign_key_and_owner_key():
    api = _api()
    comments = {g.name: g for g in table_spec(api.model("Comment")).indexes}
    narrowed = comments["gsi-Post.comments.ownerOwnerIndex"]
    assert narrowed.partition_key.name == "postId"
    assert narrowed.sort_key is not None
    assert narrowed.sort_key.name == "__ownerKey_owner"
    # The relation's read names it as its owner index; the child's own list keeps its own.
    found = _specs()
    assert found["Post.comments"].plan.to_json()["ownerIndexes"] == {
        "owner": {"index": "gsi-Post.comments.ownerOwnerIndex", "keyAttribute": "__ownerKey_owner"}
    }
    assert found["Query.listComments"].plan.to_json()["ownerIndexes"] == {
        "owner": {"index": "ownerOwnerIndex", "keyAttribute": "__ownerKey_owner"}
    }


def test_a_child_every_signed_in_user_may_list_gets_no_relation_owner_index():
    # Post: a private read rule admits every user-pool caller without the owner rule.
    posts = [g.name for g in table_spec(_api().model("Post")).indexes]
    assert posts == ["byPin", "gsi-Blog.posts", "ownerOwnerIndex"]
    assert "ownerIndexes" not in _specs()["Blog.posts"].plan.to_json()


SHELVES = """
type Shelf @model @auth(rules: [{ allow: owner }]) {
  books: [Book] @hasMany
  sorted: [Book] @hasMany(indexName: "byShelf", fields: ["id"])
  docs: [Doc] @hasMany
}
type Book @model @auth(rules: [{ allow: owner }]) {
  shelfId: ID @index(name: "byShelf", sortKeyFields: ["title"])
  title: String
}
type Doc @model @auth(rules: [{ allow: owner, ownerField: "editors" }]) { editors: [String] }
"""


def test_sorted_indexes_and_list_owner_fields_keep_the_foreign_key_index_and_filter():
    api = plan_api(ApiDefinition.from_string(SHELVES, "schema.graphql").schema, ApiSettings())
    books = [g.name for g in table_spec(api.model("Book")).indexes]
    # The implicit foreign key is narrowed; the sorted @index is not (its order would go).
    assert books == [
        "byShelf",
        "gsi-Shelf.books",
        "ownerOwnerIndex",
        "gsi-Shelf.books.ownerOwnerIndex",
    ]
    docs = [g.name for g in table_spec(api.model("Doc")).indexes]
    assert docs == ["gsi-Shelf.docs"]  # a multi-owner (list) field has no owner key
    found = {f"{s.type_name}.{s.field_name}": s.plan.to_json() for s in resolver_specs(api)}
    assert "ownerIndexes" in found["Shelf.books"]
    assert "ownerIndexes" not in found["Shelf.sorted"]
    assert "ownerIndexes" not in found["Shelf.docs"]


EDITED = """
type Post @model @auth(rules: [{ allow: owner }]) { notes: [Note] @hasMany }
type Note @model @auth(rules: [{ allow: owner }, { allow: owner, ownerField: "editors" }]) {
  editors: [String]
}
"""


def test_no_relation_owner_index_when_a_second_owner_field_admits_every_caller_too():
    # Every user-pool caller also has a predicate on `editors`: the resolver never narrows a
    # page by `owner` alone, so an index for it would cost writes and serve no read.
    api = plan_api(ApiDefinition.from_string(EDITED, "schema.graphql").schema, ApiSettings())
    notes = [g.name for g in table_spec(api.model("Note")).indexes]
    assert "gsi-Post.notes.ownerOwnerIndex" not in notes
    assert "gsi-Post.notes" in notes
    found = {f"{s.type_name}.{s.field_name}": s.plan.to_json() for s in resolver_specs(api)}
    assert "ownerIndexes" not in found["Post.notes"]


KEYS = """
type Season @model @auth(rules: [{ allow: public }]) {
  league: String! @primaryKey(sortKeyFields: ["year", "half"])
  year: Int!
  half: String!
  games: [Game] @hasMany
  tracks: [Track] @hasMany(fields: ["league"])
  fixtures: [Fixture] @hasMany(indexName: "bySeason", fields: ["league"])
}
type Fixture @model @auth(rules: [{ allow: public }]) {
  league: String @index(name: "bySeason", sortKeyFields: ["round", "slot"])
  round: Int
  slot: Int
}
type Game @model @auth(rules: [{ allow: public }]) { title: String season: Season @belongsTo }
type Track @model @auth(rules: [{ allow: public }]) {
  league: String! @primaryKey(sortKeyFields: ["position"])
  position: Int!
}
"""


def test_a_key_of_several_fields_is_matched_part_by_part_on_the_childs_index():
    """As Amplify: the child's index has the first key field as partition key and the
    others, joined into one attribute, as sort key; the relation gives every part."""
    schema = ApiDefinition.from_string(KEYS, "schema.graphql").schema
    api = plan_api(schema, ApiSettings())
    (gsi,) = [g for g in table_spec(api.model("Game")).indexes if g.name == "gsi-Season.games"]
    assert gsi.partition_key.name == "seasonGamesLeague"
    assert gsi.sort_key is not None
    assert gsi.sort_key.name == "seasonGamesYear#seasonGamesHalf"
    found = {f"{s.type_name}.{s.field_name}": s for s in resolver_specs(api)}
    games = found["Season.games"].plan
    assert isinstance(games, QueryIndexPlan)
    assert games.source_keys == (
        ("seasonGamesLeague", "league"),
        ("seasonGamesYear", "year"),
        ("seasonGamesHalf", "half"),
    )
    assert games.index_sort_key_fields == ("seasonGamesYear", "seasonGamesHalf")
    # Creating a game writes the joined attribute the index is keyed on.
    create = found["Mutation.createGame"].plan.to_json()
    assert create["compositeKeys"]["gsi-Season.games"]["fields"] == [
        "seasonGamesYear",
        "seasonGamesHalf",
    ]
    assert found["Game.season"].plan.source_keys == (
        ("league", "seasonGamesLeague"),
        ("year", "seasonGamesYear"),
        ("half", "seasonGamesHalf"),
    )


def test_has_many_fields_without_index_name_queries_the_related_table():
    schema = ApiDefinition.from_string(KEYS, "schema.graphql").schema
    api = plan_api(schema, ApiSettings())
    tracks = {f"{s.type_name}.{s.field_name}": s for s in resolver_specs(api)}["Season.tracks"]
    assert isinstance(tracks.plan, QueryIndexPlan)
    assert tracks.plan.index_name is None
    assert "indexName" not in tracks.plan.to_json()  # the default: null
    assert (tracks.plan.index_partition_key, tracks.plan.source_keys) == (
        "league",
        (("league", "league"),),
    )
    # No index is added to the related model for it.
    assert not [g for g in table_spec(api.model("Track")).indexes if g.name.startswith("gsi-")]


def test_a_relation_giving_only_the_partition_key_takes_the_sort_key_condition():
    """As Amplify shapes it: the queried key's sort-key condition comes first; a relation
    giving every key field takes none."""
    schema = ApiDefinition.from_string(KEYS, "schema.graphql").schema
    sdl = generate_sdl(
        plan_api(schema, ApiSettings()), [Provider.API_KEY], default_mode=Provider.API_KEY
    )
    season = graphql.build_schema(appsync_preamble() + sdl).type_map["Season"]
    assert isinstance(season, graphql.GraphQLObjectType)

    def args(field: str) -> list[str]:
        return [f"{name}: {arg.type}" for name, arg in season.fields[field].args.items()]

    page = [
        "sortDirection: ModelSortDirection",
        "limit: Int",
        "nextToken: String",
    ]
    assert args("tracks") == [
        "position: ModelIntKeyConditionInput",
        "filter: ModelTrackFilterInput",
        *page,
    ]
    assert args("fixtures") == [
        "roundSlot: ModelFixtureBySeasonCompositeKeyConditionInput",
        "filter: ModelFixtureFilterInput",
        *page,
    ]
    assert args("games") == ["filter: ModelGameFilterInput", *page]
