"""Relations whose key has several fields, end to end, as Amplify's transformer v2 serves
them: a parent with a composite primary key (``@primaryKey(sortKeyFields: [...])``), and
``fields``/``references`` naming several. The child's index ``gsi-<Parent>.<field>`` has
the first key field as partition key and the others as sort key (one attribute joining
them when they are several); the relation matches every part of the key by equality, so
a parent never shows the children of another parent sharing a prefix of its key.
``@hasMany(fields:)`` without ``indexName`` queries the related table's own primary key.
A relation giving only the partition key of a key with a sort key takes a sort-key
condition argument, as Amplify's does.
"""

from __future__ import annotations

from typing import Any

import pytest
from stacks import api_stack, ok

from authorized_appsync.local.app import LocalAppSync

SCHEMA = """
type Team @model @auth(rules: [{ allow: public }]) {
  org: String! @primaryKey(sortKeyFields: ["code"])
  code: Int!
  members: [Member] @hasMany
  lead: Lead @hasOne(references: ["teamOrg", "teamCode"])
  players: [Player] @hasMany(references: ["teamOrg", "teamCode"])
}
type Member @model @auth(rules: [{ allow: public }]) { name: String team: Team @belongsTo }
type Lead @model @auth(rules: [{ allow: public }]) {
  teamOrg: String
  teamCode: Int
  name: String
  team: Team @belongsTo(references: ["teamOrg", "teamCode"])
}
type Player @model @auth(rules: [{ allow: public }]) {
  teamOrg: String
  teamCode: Int
  name: String
  team: Team @belongsTo(references: ["teamOrg", "teamCode"])
}

# Three key fields: the child's index joins the last two into one sort attribute.
type Season @model @auth(rules: [{ allow: public }]) {
  league: String! @primaryKey(sortKeyFields: ["year", "half"])
  year: Int!
  half: String!
  games: [Game] @hasMany
}
type Game @model @auth(rules: [{ allow: public }]) { title: String season: Season @belongsTo }

# fields without indexName: the related table's primary key, partition key only.
type Album @model @auth(rules: [{ allow: public }]) {
  title: String
  tracks: [Track] @hasMany(fields: ["id"])
}
type Track @model @auth(rules: [{ allow: public }]) {
  albumId: ID! @primaryKey(sortKeyFields: ["position"])
  position: Int!
  title: String
}

# fields naming several with indexName: every part of the @index's key.
type Shelf @model @auth(rules: [{ allow: public }]) {
  room: String! @primaryKey(sortKeyFields: ["row"])
  row: Int!
  books: [Book] @hasMany(indexName: "byShelf", fields: ["room", "row"])
  roomBooks: [Book] @hasMany(indexName: "byShelf", fields: ["room"])
}
# @manyToMany from a composite key: the join model's index holds both key fields.
type Article @model @auth(rules: [{ allow: public }]) {
  slug: String! @primaryKey(sortKeyFields: ["rev"])
  rev: Int!
  labels: [Label] @manyToMany(relationName: "ArticleLabels")
}
type Label @model @auth(rules: [{ allow: public }]) {
  name: String
  articles: [Article] @manyToMany(relationName: "ArticleLabels")
}

type Book @model @auth(rules: [{ allow: public }]) {
  shelfRoom: String @index(name: "byShelf", sortKeyFields: ["shelfRow"])
  shelfRow: Int
  title: String
}
"""


@pytest.fixture(scope="module")
def api():
    stack = api_stack("RelationKeys", SCHEMA, api_key=True, default_mode="API_KEY")
    with LocalAppSync.from_stack(stack) as local:
        rows: list[tuple[str, dict[str, Any]]] = [
            ("Team", {"org": "acme", "code": 1}),
            ("Team", {"org": "acme", "code": 2}),
            ("Member", {"name": "ann", "teamMembersOrg": "acme", "teamMembersCode": 1}),
            ("Member", {"name": "bob", "teamMembersOrg": "acme", "teamMembersCode": 2}),
            ("Member", {"name": "cy", "teamMembersOrg": "acme", "teamMembersCode": 1}),
            ("Lead", {"name": "lee", "teamOrg": "acme", "teamCode": 2}),
            ("Player", {"name": "pat", "teamOrg": "acme", "teamCode": 1}),
            ("Player", {"name": "quin", "teamOrg": "acme", "teamCode": 2}),
            ("Season", {"league": "nl", "year": 2024, "half": "H1"}),
            (
                "Game",
                {
                    "title": "opener",
                    "seasonGamesLeague": "nl",
                    "seasonGamesYear": 2024,
                    "seasonGamesHalf": "H1",
                },
            ),
            (
                "Game",
                {
                    "title": "late",
                    "seasonGamesLeague": "nl",
                    "seasonGamesYear": 2024,
                    "seasonGamesHalf": "H2",
                },
            ),
            (
                "Game",
                {
                    "title": "next",
                    "seasonGamesLeague": "nl",
                    "seasonGamesYear": 2025,
                    "seasonGamesHalf": "H1",
                },
            ),
            ("Album", {"id": "a1", "title": "first"}),
            ("Track", {"albumId": "a1", "position": 2, "title": "two"}),
            ("Track", {"albumId": "a1", "position": 1, "title": "one"}),
            ("Track", {"albumId": "a2", "position": 1, "title": "other"}),
            ("Shelf", {"room": "hall", "row": 1}),
            ("Book", {"title": "dune", "shelfRoom": "hall", "shelfRow": 1}),
            ("Book", {"title": "emma", "shelfRoom": "hall", "shelfRow": 2}),
            ("Article", {"slug": "intro", "rev": 1}),
            ("Article", {"slug": "intro", "rev": 2}),
            ("Label", {"id": "draft", "name": "draft"}),
            ("Label", {"id": "final", "name": "final"}),
            ("ArticleLabels", {"articleSlug": "intro", "articlerev": 1, "labelId": "draft"}),
            ("ArticleLabels", {"articleSlug": "intro", "articlerev": 2, "labelId": "final"}),
        ]
        for model, values in rows:
            mutation = (
                f"mutation($i: Create{model}Input!) {{ create{model}(input: $i) {{ __typename }} }}"
            )
            ok(local.graphql(mutation, {"i": values}, auth=local.api_key()), f"create{model}")
        yield local


def _read(api: LocalAppSync, query: str, field: str, **variables: Any) -> Any:
    return ok(api.graphql(query, variables, auth=api.api_key()), field)


def _names(connection: dict[str, Any], key: str = "name") -> list[str]:
    return sorted(item[key] for item in connection["items"])


TEAM = """query($o: String!, $c: Int!) { getTeam(org: $o, code: $c) {
  members { items { name team { code } } } players { items { name } } lead { name } } }"""


def test_has_many_of_a_composite_parent_matches_every_key_part(api):
    """Both teams share the partition key ``acme``: each shows only its own members."""
    one = _read(api, TEAM, "getTeam", o="acme", c=1)
    two = _read(api, TEAM, "getTeam", o="acme", c=2)
    assert _names(one["members"]) == ["ann", "cy"]
    assert _names(two["members"]) == ["bob"]
    # The implicit @belongsTo back gets the parent by both key fields.
    assert {m["team"]["code"] for m in one["members"]["items"]} == {1}


def test_references_naming_several_fields_match_every_key_part(api):
    one = _read(api, TEAM, "getTeam", o="acme", c=1)
    two = _read(api, TEAM, "getTeam", o="acme", c=2)
    assert (_names(one["players"]), _names(two["players"])) == (["pat"], ["quin"])
    assert (one["lead"], two["lead"]) == (None, {"name": "lee"})


def test_belongs_to_with_references_naming_several_fields_gets_the_parent(api):
    query = "{ listPlayers { items { name team { org code } } } }"
    players = _read(api, query, "listPlayers")["items"]
    assert {p["name"]: p["team"] for p in players} == {
        "pat": {"org": "acme", "code": 1},
        "quin": {"org": "acme", "code": 2},
    }


def test_a_three_part_key_matches_the_joined_sort_key_exactly(api):
    """The games of (nl, 2024, H1) only: not those of H2 or of 2025, which share a
    prefix of the key."""
    query = """query($l: String!, $y: Int!, $h: String!) {
      getSeason(league: $l, year: $y, half: $h) { games { items { title season { half } } } } }"""
    season = _read(api, query, "getSeason", l="nl", y=2024, h="H1")
    assert _names(season["games"], "title") == ["opener"]
    assert season["games"]["items"][0]["season"] == {"half": "H1"}


def test_has_many_fields_without_index_name_queries_the_related_primary_key(api):
    query = """query($id: ID!, $d: ModelSortDirection) { getAlbum(id: $id) {
      tracks(sortDirection: $d) { items { title } } } }"""
    ascending = _read(api, query, "getAlbum", id="a1")["tracks"]["items"]
    descending = _read(api, query, "getAlbum", id="a1", d="DESC")["tracks"]["items"]
    # In the order of the sort key (position), the other album's track left out.
    assert [t["title"] for t in ascending] == ["one", "two"]
    assert [t["title"] for t in descending] == ["two", "one"]


def test_fields_naming_several_with_index_name_match_the_whole_index_key(api):
    query = """query($r: String!, $n: Int!) { getShelf(room: $r, row: $n) {
      books { items { title } } } }"""
    assert _names(_read(api, query, "getShelf", r="hall", n=1)["books"], "title") == ["dune"]


def test_a_relation_giving_the_partition_key_only_takes_a_sort_key_condition(api):
    tracks = """query($id: ID!, $p: ModelIntKeyConditionInput) { getAlbum(id: $id) {
      tracks(position: $p) { items { title } } } }"""
    after_one = _read(api, tracks, "getAlbum", id="a1", p={"gt": 1})["tracks"]["items"]
    assert [t["title"] for t in after_one] == ["two"]
    books = """query($r: String!, $n: Int!, $c: ModelIntKeyConditionInput) {
      getShelf(room: $r, row: $n) { roomBooks(shelfRow: $c) { items { title } } } }"""
    shelf = _read(api, books, "getShelf", r="hall", n=1)
    assert _names(shelf["roomBooks"], "title") == ["dune", "emma"]  # every row of the room
    shelf = _read(api, books, "getShelf", r="hall", n=1, c={"ge": 2})
    assert _names(shelf["roomBooks"], "title") == ["emma"]


def test_many_to_many_from_a_composite_key_matches_both_key_fields(api):
    """Both revisions share the partition key ``intro``: each shows only its own labels,
    and a label only the revision it is joined to."""
    article = """query($s: String!, $r: Int!) { getArticle(slug: $s, rev: $r) {
      labels { items { label { name } } } } }"""
    first = _read(api, article, "getArticle", s="intro", r=1)["labels"]["items"]
    second = _read(api, article, "getArticle", s="intro", r=2)["labels"]["items"]
    assert ([j["label"]["name"] for j in first], [j["label"]["name"] for j in second]) == (
        ["draft"],
        ["final"],
    )
    label = """query($id: ID!) { getLabel(id: $id) {
      articles { items { article { slug rev } } } } }"""
    joined = _read(api, label, "getLabel", id="final")["articles"]["items"]
    assert [j["article"] for j in joined] == [{"slug": "intro", "rev": 2}]
