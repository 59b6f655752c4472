"""``@manyToMany`` end to end, on the example of Amplify's "Customize authorization rules"
page (seed 003, "Authorizing @manyToMany relationships", 003_75a29147d71750f3.txt lines
632-678): "the owner of a Post (protected by an owner rule) can apply Tags that are created
by a system admin (protected by a groups rule). Behind the scenes, Amplify creates a
PostTags table with both owner and groups auth", whose rules "are a union of the
authorization rules of the individual models".

As in Amplify, ``Post.tags`` returns the join records (``tags { items { tag { label } } }``):
the links are read by PostTags' rules, each far record by its own model's rules, so reading
through the relation never shows more than reading each model directly; creating and
deleting a link is decided by PostTags' rules alone.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import App, Stack
from stacks import api_stack, ok

from authorized_appsync.local.app import Caller, LocalAppSync
from seed_schemas import POST_TAGS as POST_TAGS_SCHEMA

SCHEMA = (
    POST_TAGS_SCHEMA
    + """
type Person @model @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }]) {
  name: String
  follows: [Person] @manyToMany(relationName: "Following")
  followers: [Person] @manyToMany(relationName: "Following")
}
"""
)

POST = "mutation($i: CreatePostInput!) { createPost(input: $i) { id } }"
TAG = "mutation($i: CreateTagInput!) { createTag(input: $i) { id } }"
LINK = "mutation($i: CreatePostTagsInput!) { createPostTags(input: $i) { id } }"
UNLINK = "mutation($i: DeletePostTagsInput!) { deletePostTags(input: $i) { id } }"
POST_TAGS = "query($id: ID!) { getPost(id: $id) { title tags { items { owner tag { label } } } } }"
TAG_POSTS = "query($id: ID!) { getTag(id: $id) { label posts { items { owner post { title } } } } }"
LINKS = "query($f: ModelPostTagsFilterInput) { listPostTags(filter: $f) { items { owner } } }"


def _made(api: LocalAppSync, mutation: str, auth: Caller, **values: Any) -> str:
    response = api.graphql(mutation, {"i": values}, auth=auth)
    (field,) = response["data"]
    return str(ok(response, field)["id"])


def _errors(response: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(e["errorType"], e["path"]) for e in response.get("errors") or ()]


def build(app: App | None = None) -> Stack:
    """User-pool users."""
    return api_stack("ManyToMany", SCHEMA, app=app)


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(build()) as local:
        yield local


@pytest.fixture(scope="module")
def blog(api):
    """alice's post, tagged by alice ("news") and by an admin ("tech"); bob, neither its
    owner nor an admin, links it to "news" too: PostTags' owner rule lets him."""
    alice, bob, root = api.user("alice"), api.user("bob"), api.user("root", groups=("admins",))
    post = _made(api, POST, alice, title="hello")
    news = _made(api, TAG, root, label="news")
    tech = _made(api, TAG, root, label="tech")
    return {
        "post": post,
        "news": news,
        "tech": tech,
        "alice": _made(api, LINK, alice, postId=post, tagId=news),
        "root": _made(api, LINK, root, postId=post, tagId=tech),
        "bob": _made(api, LINK, bob, postId=post, tagId=news),
    }


def test_only_admins_create_tags(api):
    """Tag: { allow: groups, groups: ["admins"] } -- "Tags that are created by a system admin"."""
    got = api.graphql(TAG, {"i": {"label": "spam"}}, auth=api.user("alice"))
    assert got["data"] == {"createTag": None}
    assert _errors(got) == [("Unauthorized", ["createTag"])]


def test_the_creator_of_a_link_owns_it_and_admins_read_every_link(api, blog):
    # The owner field is filled from the caller, as for any owner rule; the admin's link
    # is theirs too (the owner rule is one of the join model's rules).
    root = api.user("root", groups=("admins",))
    owners = ok(
        api.graphql(LINKS, {"f": {"postId": {"eq": blog["post"]}}}, auth=root), "listPostTags"
    )
    assert sorted(link["owner"] for link in owners["items"]) == ["alice", "bob", "root"]


def test_the_post_owner_follows_her_links_but_not_the_admins_tags(api, blog):
    """alice reads, through her post, the links PostTags' rules let her read (hers: owner
    rule), not bob's nor the admin's; each link's `tag` is Tag's get, which admits admins
    only: null with Unauthorized at its path, the rest of the response stays."""
    got = api.graphql(POST_TAGS, {"id": blog["post"]}, auth=api.user("alice"))
    assert got["data"] == {
        "getPost": {"title": "hello", "tags": {"items": [{"owner": "alice", "tag": None}]}}
    }
    assert _errors(got) == [("Unauthorized", ["getPost", "tags", "items", 0, "tag"])]


def test_an_admin_follows_every_link_of_a_tag_but_not_the_posts(api, blog):
    """root reads the tag (groups rule) and every link to it (PostTags' groups rule);
    each link's `post` is Post's get, which admits its owner only."""
    root = api.user("root", groups=("admins",))
    got = api.graphql(TAG_POSTS, {"id": blog["news"]}, auth=root)
    tag = got["data"]["getTag"]
    assert tag["label"] == "news"
    assert sorted(link["owner"] for link in tag["posts"]["items"]) == ["alice", "bob"]
    assert all(link["post"] is None for link in tag["posts"]["items"])
    assert sorted(_errors(got)) == [
        ("Unauthorized", ["getTag", "posts", "items", 0, "post"]),
        ("Unauthorized", ["getTag", "posts", "items", 1, "post"]),
    ]


def test_an_admin_owning_a_post_sees_both_sides(api):
    carol = api.user("carol", groups=("admins",))
    post = _made(api, POST, carol, title="carol's")
    tag = _made(api, TAG, carol, label="mine")
    _made(api, LINK, carol, postId=post, tagId=tag)
    got = ok(api.graphql(POST_TAGS, {"id": post}, auth=carol), "getPost")
    assert got["tags"]["items"] == [{"owner": "carol", "tag": {"label": "mine"}}]
    got = ok(api.graphql(TAG_POSTS, {"id": tag}, auth=carol), "getTag")
    assert got["posts"]["items"] == [{"owner": "carol", "post": {"title": "carol's"}}]


def test_a_non_admin_reads_no_tag_directly_or_through_a_post(api, blog):
    bob = api.user("bob")
    got = api.graphql(TAG_POSTS, {"id": blog["news"]}, auth=bob)
    assert got["data"] == {"getTag": None}
    assert _errors(got) == [("Unauthorized", ["getTag"])]
    # bob's own link is his to read, yet alice's post is not: post is null with its error.
    query = "{ listPostTags { items { owner post { title } tag { label } } } }"
    got = api.graphql(query, auth=bob)
    assert got["data"] == {"listPostTags": {"items": [{"owner": "bob", "post": None, "tag": None}]}}
    assert sorted(_errors(got)) == [
        ("Unauthorized", ["listPostTags", "items", 0, "post"]),
        ("Unauthorized", ["listPostTags", "items", 0, "tag"]),
    ]


def _ids(response: dict[str, Any], *path: str) -> list[str]:
    found = response["data"]
    for key in path:
        found = found[key]
    return sorted(item["id"] for item in found["items"])


def test_reading_through_the_relation_shows_the_links_listing_shows(api, blog):
    """alice through her post, root through a tag: the links listPostTags (Amplify's
    plural) shows them."""
    listed = "query($f: ModelPostTagsFilterInput) { listPostTags(filter: $f) { items { id } } }"
    alice, root = api.user("alice"), api.user("root", groups=("admins",))
    by_post = {"f": {"postId": {"eq": blog["post"]}}}
    through = "query($id: ID!) { getPost(id: $id) { tags { items { id } } } }"
    mine = _ids(api.graphql(listed, by_post, auth=alice), "listPostTags")
    assert mine == [blog["alice"]]
    assert _ids(api.graphql(through, {"id": blog["post"]}, auth=alice), "getPost", "tags") == mine
    by_tag = {"f": {"tagId": {"eq": blog["news"]}}}
    through = "query($id: ID!) { getTag(id: $id) { posts { items { id } } } }"
    every = _ids(api.graphql(listed, by_tag, auth=root), "listPostTags")
    assert every == sorted([blog["alice"], blog["bob"]])
    assert _ids(api.graphql(through, {"id": blog["news"]}, auth=root), "getTag", "posts") == every


def test_creating_and_deleting_links_is_decided_by_the_join_models_rules_alone(api, blog):
    """bob may link alice's post (he owns the link he creates) but not delete her link;
    she may delete hers, an admin any."""
    alice, bob, root = api.user("alice"), api.user("bob"), api.user("root", groups=("admins",))
    link = _made(api, LINK, alice, postId=blog["post"], tagId=blog["tech"])
    spare = _made(api, LINK, bob, postId=blog["post"], tagId=blog["tech"])
    refused = api.graphql(UNLINK, {"i": {"id": link}}, auth=bob)
    assert refused["data"] == {"deletePostTags": None}
    assert [e["errorType"] for e in refused["errors"]] == ["Unauthorized"]
    assert ok(api.graphql(UNLINK, {"i": {"id": link}}, auth=alice), "deletePostTags") == {
        "id": link
    }
    assert ok(api.graphql(UNLINK, {"i": {"id": spare}}, auth=root), "deletePostTags") == {
        "id": spare
    }


def test_a_self_join_reads_each_direction_through_its_own_index(api):
    """Both sides on one model: the join model ``Following`` holds ``person1Id`` (the
    first field's side, ``follows``) and ``person2Id`` (``followers``)."""
    alice, bob = api.user("alice"), api.user("bob")
    ann = _made(
        api,
        "mutation($i: CreatePersonInput!) { createPerson(input: $i) { id } }",
        alice,
        name="ann",
    )
    ben = _made(
        api, "mutation($i: CreatePersonInput!) { createPerson(input: $i) { id } }", bob, name="ben"
    )
    follow = "mutation($i: CreateFollowingInput!) { createFollowing(input: $i) { id } }"
    _made(api, follow, alice, person1Id=ann, person2Id=ben)
    query = """query($id: ID!) { getPerson(id: $id) {
      follows { items { person2 { name } } } followers { items { person1 { name } } } } }"""
    got = ok(api.graphql(query, {"id": ann}, auth=alice), "getPerson")
    assert got == {"follows": {"items": [{"person2": {"name": "ben"}}]}, "followers": {"items": []}}
    # bob reads ann's follow of ben through Following's private read rule, from his side.
    got = ok(api.graphql(query, {"id": ben}, auth=bob), "getPerson")
    assert got == {"follows": {"items": []}, "followers": {"items": [{"person1": {"name": "ann"}}]}}
