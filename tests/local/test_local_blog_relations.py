"""The shipped blog example (examples/blog.graphql) through its relations: `Post.comments`
(@hasMany on the Comment index `byPost`) and `Comment.post` (@belongsTo), each resolved with
the related model's rules.

Amplify, "Customize authorization rules": a relation returns what the related model's rules
let the caller read ("any user authorized to fetch it from the parent model will be able to
read the connected child model" only when the child allows it), so the comments a reader sees
through a post are the comments they could list directly.
"""

from __future__ import annotations

from typing import Any

import pytest
from stacks import ok
from test_local_blog_ownership import blog_stack

from authorized_appsync.local.app import LocalAppSync

POST = "mutation($i: CreatePostInput!) { createPost(input: $i) { id } }"
COMMENT = "mutation($i: CreateCommentInput!) { createComment(input: $i) { id } }"
POST_COMMENTS = """query($id: ID!) { getPost(id: $id) {
  title comments { items { content } nextToken } } }"""
COMMENT_POST = "query($id: ID!) { getComment(id: $id) { content post { title } } }"
LIST_COMMENTS = """query($p: ID!) { listComments(filter: {postId: {eq: $p}}) {
  items { content } } }"""


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(blog_stack("BlogRelations")) as local:
        yield local


def _made(api: LocalAppSync, mutation: str, field: str, auth: Any, **values: Any) -> str:
    return str(ok(api.graphql(mutation, {"i": values}, auth=auth), field)["id"])


@pytest.fixture(scope="module")
def blog(api) -> dict[str, Any]:
    alice, bob, carol = api.user("alice"), api.user("bob"), api.user("carol")
    post = _made(api, POST, "createPost", alice, title="Hello")
    made = {
        "alice": _made(api, COMMENT, "createComment", alice, postId=post, content="by alice"),
        # Anyone signed in may comment on alice's post: the Comment rules alone decide.
        "bob": _made(api, COMMENT, "createComment", bob, postId=post, content="by bob"),
        # Carol's comment names bob as an editor and the group Readers.
        "carol": _made(
            api,
            COMMENT,
            "createComment",
            carol,
            postId=post,
            content="by carol",
            editors=[f"{bob.identity['sub']}::bob"],
            groups=["Readers"],
        ),
    }
    return {"post": post, "comments": made}


def _contents(response: dict[str, Any]) -> set[str]:
    return {item["content"] for item in ok(response, "getPost")["comments"]["items"]}


def test_the_post_owner_sees_through_the_relation_only_the_comments_she_may_read(api, blog):
    alice = api.user("alice")
    seen = api.graphql(POST_COMMENTS, {"id": blog["post"]}, auth=alice)
    # The Comment rules filter the connected comments: alice owns only her own.
    assert _contents(seen) == {"by alice"}
    direct = ok(api.graphql(LIST_COMMENTS, {"p": blog["post"]}, auth=alice), "listComments")
    assert {i["content"] for i in direct["items"]} == _contents(seen)


def test_an_editor_sees_through_his_post_the_comments_he_edits_and_his_own(api):
    alice, bob, carol = api.user("alice"), api.user("bob"), api.user("carol")
    post = _made(api, POST, "createPost", bob, title="Bob's")
    _made(api, COMMENT, "createComment", alice, postId=post, content="alice on bob")
    _made(api, COMMENT, "createComment", bob, postId=post, content="bob on bob")
    editors = [f"{bob.identity['sub']}::bob"]
    _made(api, COMMENT, "createComment", carol, postId=post, content="carol", editors=editors)
    seen = api.graphql(POST_COMMENTS, {"id": post}, auth=bob)
    # His own (owner rule) and carol's (editors rule); alice's is filtered out, not refused.
    assert _contents(seen) == {"bob on bob", "carol"}
    assert "errors" not in seen


def test_who_may_not_read_the_post_gets_neither_it_nor_its_comments(api, blog):
    # Bob may not read alice's post (owner rule; he is no admin), nor may dave, whose group
    # reads carol's comment: the whole get is refused before any comment is read.
    for caller in (api.user("bob"), api.user("dave", groups=("Readers",))):
        seen = api.graphql(POST_COMMENTS, {"id": blog["post"]}, auth=caller)
        assert seen["data"] == {"getPost": None}
        assert [e["errorType"] for e in seen["errors"]] == ["Unauthorized"]


def test_the_public_reads_the_post_but_not_its_comments(api, blog):
    # Through the API key the post is public, but Comment admits no API key: the comments
    # are null with an error at their path, the title stays.
    public = api.graphql(POST_COMMENTS, {"id": blog["post"]}, auth=api.api_key())
    assert public["data"] == {"getPost": {"title": "Hello", "comments": None}}
    (error,) = public["errors"]
    assert (error["errorType"], error["path"]) == ("Unauthorized", ["getPost", "comments"])


def test_an_admin_sees_every_comment_through_the_post(api, blog):
    ada = api.user("ada", groups=("Admins",))
    seen = api.graphql(POST_COMMENTS, {"id": blog["post"]}, auth=ada)
    assert _contents(seen) == {"by alice", "by bob", "by carol"}


def test_a_comment_leads_to_its_post_only_for_those_the_post_rules_admit(api, blog):
    alice, bob = api.user("alice"), api.user("bob")
    mine = ok(
        api.graphql(COMMENT_POST, {"id": blog["comments"]["alice"]}, auth=alice), "getComment"
    )
    assert mine == {"content": "by alice", "post": {"title": "Hello"}}
    # Bob reads his own comment, but the post it points at is alice's: the Post rules refuse
    # him, so `post` is null with an error and the title does not leak.
    his = api.graphql(COMMENT_POST, {"id": blog["comments"]["bob"]}, auth=bob)
    assert his["data"] == {"getComment": {"content": "by bob", "post": None}}
    (error,) = his["errors"]
    assert (error["errorType"], error["path"]) == ("Unauthorized", ["getComment", "post"])
    # An admin follows any comment to its post.
    ada = api.user("ada", groups=("Admins",))
    theirs = ok(api.graphql(COMMENT_POST, {"id": blog["comments"]["bob"]}, auth=ada), "getComment")
    assert theirs["post"] == {"title": "Hello"}


TAG = "mutation($i: CreateTagInput!) { createTag(input: $i) { id } }"
LINK = "mutation($i: CreatePostTagsInput!) { createPostTags(input: $i) { id owner } }"
UNLINK = "mutation($id: ID!) { deletePostTags(input: {id: $id}) { id } }"
POST_TAGS = """query($id: ID!) { getPost(id: $id) {
  title tags { items { owner tag { label } } } } }"""
TAG_POSTS = "query($id: ID!) { getTag(id: $id) { label posts { items { post { title } } } } }"


@pytest.fixture(scope="module")
def tagged(api, blog) -> dict[str, Any]:
    """The Admins create the tag "news"; alice links her post to it, and so does bob (any
    signed-in user may link: the join model's rules are the union of both models')."""
    ada, alice, bob = api.user("ada", groups=("Admins",)), api.user("alice"), api.user("bob")
    tag = _made(api, TAG, "createTag", ada, label="news")
    mine = ok(
        api.graphql(LINK, {"i": {"postId": blog["post"], "tagId": tag}}, auth=alice),
        "createPostTags",
    )
    his = ok(
        api.graphql(LINK, {"i": {"postId": blog["post"], "tagId": tag}}, auth=bob), "createPostTags"
    )
    return {"tag": tag, "alice": mine, "bob": his}


def test_only_the_admins_create_tags(api):
    refused = api.graphql(TAG, {"i": {"label": "mine"}}, auth=api.user("alice"))
    assert refused["data"] == {"createTag": None}
    assert [e["errorType"] for e in refused["errors"]] == ["Unauthorized"]


def test_the_creator_of_a_link_owns_it(api, tagged):
    # Amplify, "Authorizing @manyToMany relationships": the join table gets "a union of the
    # authorization rules of the individual models" (the Post's owner rule among them).
    # (A mutation returns the owner as stored: "<sub>::<username>".)
    assert tagged["alice"]["owner"].endswith("::alice")
    assert tagged["bob"]["owner"].endswith("::bob")
    # Bob may not remove alice's link; an admin may, and bob his own.
    refused = api.graphql(UNLINK, {"id": tagged["alice"]["id"]}, auth=api.user("bob"))
    assert refused["data"] == {"deletePostTags": None}
    assert [e["errorType"] for e in refused["errors"]] == ["Unauthorized"]


def test_a_posts_tags_through_the_join_model_for_each_reader(api, blog, tagged):
    # Every signed-in user reads links and tags (Tag's private read joins the union).
    alice = ok(api.graphql(POST_TAGS, {"id": blog["post"]}, auth=api.user("alice")), "getPost")
    assert sorted(i["owner"] for i in alice["tags"]["items"]) == ["alice", "bob"]
    assert {i["tag"]["label"] for i in alice["tags"]["items"]} == {"news"}
    # The public (API key) reads the post, its links and the tags.
    public = ok(api.graphql(POST_TAGS, {"id": blog["post"]}, auth=api.api_key()), "getPost")
    assert [i["tag"] for i in public["tags"]["items"]] == [{"label": "news"}] * 2


def test_a_tags_posts_each_by_the_post_rules(api, blog, tagged):
    public = ok(api.graphql(TAG_POSTS, {"id": tagged["tag"]}, auth=api.api_key()), "getTag")
    assert [i["post"] for i in public["posts"]["items"]] == [{"title": "Hello"}] * 2
    # Bob reads the tag and its links, but the Post rules refuse him alice's post: each
    # `post` is null with its error, the tag and the links stay.
    seen = api.graphql(TAG_POSTS, {"id": tagged["tag"]}, auth=api.user("bob"))
    got = seen["data"]["getTag"]
    assert got["label"] == "news"
    assert [i["post"] for i in got["posts"]["items"]] == [None, None]
    assert {(e["errorType"], e["path"][-1]) for e in seen["errors"]} == {("Unauthorized", "post")}
