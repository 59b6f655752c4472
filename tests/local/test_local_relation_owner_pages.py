"""Owner-only relation pages end to end: a @hasMany whose child admits the caller only
through an owner rule is ONE Query on the relation owner index (the foreign key, then the
owner key), so its pages are full while connected items remain and DynamoDB reads only the
caller's items; a caller a non-owner rule admits reads the foreign-key index. Moving a
child to another owner or parent moves it between relation pages in the same write."""

from __future__ import annotations

from typing import Any

import pytest
from stacks import api_stack, ok

from authorized_appsync.local.app import LocalAppSync

SCHEMA = """
type Blog @model @auth(rules: [{ allow: private, operations: [read] }, { allow: owner }]) {
  name: String
  posts: [Post] @hasMany
}
type Post @model @auth(rules: [
  { allow: owner },
  { allow: groups, groups: ["Moderators"], operations: [read] }
]) {
  title: String
  blog: Blog @belongsTo
  owner: String  # declared, so that a post can move to another owner (issue 13)
}
"""
OWNERS = 4
PER_OWNER = 9
LIMIT = 4
OWNER_INDEX = "gsi-Blog.posts.ownerOwnerIndex"

BLOG = "mutation($i: CreateBlogInput!) { createBlog(input: $i) { id } }"
POST = "mutation($i: CreatePostInput!) { createPost(input: $i) { id } }"
UPDATE = "mutation($i: UpdatePostInput!) { updatePost(input: $i) { id } }"
PAGE = """query($id: ID!, $n: String, $f: ModelPostFilterInput, $l: Int) { getBlog(id: $id) {
  posts(limit: $l, nextToken: $n, filter: $f) { items { id title owner } nextToken } } }"""


def _made(api: LocalAppSync, mutation: str, field: str, auth: Any, **values: Any) -> str:
    return str(ok(api.graphql(mutation, {"i": values}, auth=auth), field)["id"])


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(api_stack("RelationOwners", SCHEMA)) as local:
        yield local


@pytest.fixture(scope="module")
def blogs(api):
    """Two blogs of ann's; each of OWNERS users has PER_OWNER posts on the first, and one
    on the second, created interleaved, so an owner's posts are spread among the others'."""
    ann = api.user("ann")
    first = _made(api, BLOG, "createBlog", ann, name="first")
    second = _made(api, BLOG, "createBlog", ann, name="second")
    for n in range(PER_OWNER):
        for o in range(OWNERS):
            user = api.user(f"user{o}")
            _made(api, POST, "createPost", user, title=f"{o}-{n}", blogPostsId=first)
    for o in range(OWNERS):
        _made(api, POST, "createPost", api.user(f"user{o}"), title=f"{o}-x", blogPostsId=second)
    return first, second


def _pages(api, user, blog, **variables: Any) -> list[list[dict[str, Any]]]:
    token, found = None, []
    while True:
        values = {"id": blog, "n": token, "l": LIMIT, **variables}
        posts = ok(api.graphql(PAGE, values, auth=user), "getBlog")["posts"]
        found.append(posts["items"])
        token = posts["nextToken"]
        if token is None:
            return found


def _titles(found: list[list[dict[str, Any]]]) -> list[str]:
    return sorted(item["title"] for page in found for item in page)


def test_an_owners_relation_pages_are_full_while_their_posts_remain(api, blogs, reads):
    found = _pages(api, api.user("user2"), blogs[0])
    assert _titles(found) == sorted(f"2-{n}" for n in range(PER_OWNER))
    sizes = [len(page) for page in found]
    assert all(size == LIMIT for size in sizes[:-1]), sizes
    # Each page one Query on the relation owner index, reading only what it returns.
    assert {(operation, index) for operation, index, _, _ in reads} == {("Query", OWNER_INDEX)}
    assert [scanned for _, _, scanned, _ in reads] == [returned for _, _, _, returned in reads]


def test_a_caller_a_non_owner_rule_admits_reads_the_foreign_key_index(api, blogs, reads):
    moderator = api.user("mod", groups=("Moderators",))
    found = _pages(api, moderator, blogs[0])
    assert len(_titles(found)) == OWNERS * PER_OWNER
    assert {index for _, index, _, _ in reads} == {"gsi-Blog.posts"}


def test_no_crafted_filter_or_token_shows_another_owners_post(api, blogs):
    user = api.user("user1")
    own = {f"1-{n}" for n in range(PER_OWNER)} | {"1-x"}
    filters = [
        {"owner": {"eq": "user0"}},
        {"or": [{"owner": {"ne": "user1"}}, {"title": {"beginsWith": "0-"}}]},
        {"not": {"owner": {"eq": "user1"}}},
    ]
    seen: set[str] = set()
    for crafted in filters:
        seen |= set(_titles(_pages(api, user, blogs[0], f=crafted)))
    # Tokens of pages that stopped at other owners' posts: the moderator's, on either
    # index's position, and another owner's; each chained into the caller's pages.
    moderator = api.user("mod", groups=("Moderators",))
    tokens = []
    for other, blog in ((moderator, blogs[0]), (api.user("user0"), blogs[0])):
        values = {"id": blog, "n": None, "l": 2}
        tokens.append(ok(api.graphql(PAGE, values, auth=other), "getBlog")["posts"]["nextToken"])
    for token in tokens:
        body = api.graphql(PAGE, {"id": blogs[0], "n": token, "l": LIMIT}, auth=user)
        posts = (body.get("data") or {}).get("getBlog") or {}
        seen |= {item["title"] for item in (posts.get("posts") or {}).get("items") or []}
    assert seen <= own, sorted(seen - own)


def test_a_new_owner_moves_the_post_between_owners_relation_pages(api, blogs):
    amy, ben = api.user("amy"), api.user("ben")
    post = _made(api, POST, "createPost", amy, title="handed over", blogPostsId=blogs[1])
    assert _titles(_pages(api, amy, blogs[1])) == ["handed over"]
    ok(api.graphql(UPDATE, {"i": {"id": post, "owner": "ben"}}, auth=amy), "updatePost")
    assert _titles(_pages(api, amy, blogs[1])) == []
    assert _titles(_pages(api, ben, blogs[1])) == ["handed over"]


def test_a_new_foreign_key_moves_the_post_between_blogs(api, blogs):
    cal = api.user("cal")
    post = _made(api, POST, "createPost", cal, title="moved", blogPostsId=blogs[0])
    assert "moved" in _titles(_pages(api, cal, blogs[0]))
    ok(api.graphql(UPDATE, {"i": {"id": post, "blogPostsId": blogs[1]}}, auth=cal), "updatePost")
    assert "moved" not in _titles(_pages(api, cal, blogs[0]))
    assert "moved" in _titles(_pages(api, cal, blogs[1]))
    # Removing the foreign key leaves every blog's page.
    ok(api.graphql(UPDATE, {"i": {"id": post, "blogPostsId": None}}, auth=cal), "updatePost")
    assert "moved" not in _titles(_pages(api, cal, blogs[0])) + _titles(_pages(api, cal, blogs[1]))
