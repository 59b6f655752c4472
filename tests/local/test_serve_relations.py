"""Relations over HTTP: the Amplify documentation's Todo / Task example ("the owner of a
Todo record can query all the tasks connected to it, since the Task model allows private
read access"), the public blog whose posts the API key may not read, and the Post / Tag
many-to-many whose join table has "a union of the authorization rules", run by
``authorized-appsync serve`` as a subprocess and called with gql, as a client would. The
in-process tests (``test_local_relations.py``) hold every case; these show the same answers
come over the wire."""

from __future__ import annotations

from typing import Any

import pytest
import test_local_many_to_many as many
import test_local_relations as relations
from serve_harness import Served, serving, synth
from stacks import ok


@pytest.fixture(scope="module")
def assembly(tmp_path_factory):
    return synth(tmp_path_factory.mktemp("relations") / "cdk.out", relations.build, many.build)


@pytest.fixture(scope="module")
def served(assembly):
    with serving(assembly, "Relations") as running:
        yield running


def _made(served: Served, mutation: str, field: str, auth: Any, **values: Any) -> str:
    return str(ok(served.run(auth, mutation, {"i": values}), field)["id"])


def test_todo_tasks_and_notes_through_each_path(served):
    alice, bob, carol = served.user("alice"), served.user("bob"), served.user("carol")
    todo = _made(served, relations.TODO, "createTodo", alice, title="shop")
    _made(served, relations.TASK, "createTask", alice, description="milk", todoTasksId=todo)
    # Bob attaches a task to alice's todo: the Task rules alone decide a create.
    _made(served, relations.TASK, "createTask", bob, description="eggs", todoTasksId=todo)
    _made(served, relations.NOTE, "createNote", alice, text="alice's", todoId=todo)
    _made(served, relations.NOTE, "createNote", bob, text="bob's", todoId=todo)
    for reader in (alice, carol):
        got = ok(served.run(reader, relations.TODO_TASKS, {"id": todo}), "getTodo")
        assert sorted(t["description"] for t in got["tasks"]["items"]) == ["eggs", "milk"]
        assert {t["todo"]["title"] for t in got["tasks"]["items"]} == {"shop"}
    # Note admits its owner only: each reader sees their own notes, carol an empty page.
    seen = {}
    for name, reader in (("alice", alice), ("bob", bob), ("carol", carol)):
        got = ok(served.run(reader, relations.TODO_NOTES, {"id": todo}), "getTodo")
        seen[name] = [n["text"] for n in got["notes"]["items"]]
    assert seen == {"alice": ["alice's"], "bob": ["bob's"], "carol": []}


def test_a_public_blog_read_with_the_api_key_refuses_only_its_posts(served):
    alice = served.user("alice")
    blog = _made(served, relations.BLOG, "createBlog", alice, name="news")
    _made(served, relations.POST, "createPost", alice, title="hello", blogPostsId=blog)
    got = served.run(served.api_key(), relations.BLOG_POSTS, {"id": blog})
    assert got["data"] == {"getBlog": {"name": "news", "posts": None}}
    (error,) = got["errors"]
    assert (error["errorType"], error["path"]) == ("Unauthorized", ["getBlog", "posts"])
    signed_in = ok(served.run(alice, relations.BLOG_POSTS, {"id": blog}), "getBlog")
    assert signed_in["posts"]["items"] == [{"title": "hello"}]


def test_posts_and_tags_through_the_join_model(assembly):
    with serving(assembly, "ManyToMany") as served:
        alice, bob = served.user("alice"), served.user("bob")
        admin = served.user("root", "admins")
        post = _made(served, many.POST, "createPost", alice, title="hello")
        # "Tags that are created by a system admin": alice may not create one.
        refused = served.run(alice, many.TAG, {"i": {"label": "spam"}})
        assert refused["data"] == {"createTag": None}
        assert [e["errorType"] for e in refused["errors"]] == ["Unauthorized"]
        news = _made(served, many.TAG, "createTag", admin, label="news")
        _made(served, many.LINK, "createPostTags", alice, postId=post, tagId=news)
        _made(served, many.LINK, "createPostTags", bob, postId=post, tagId=news)
        # Alice reads her post and her own link (PostTags' owner rule), not bob's; the tag
        # behind it is the admins' (Tag's rules): null, with its error.
        seen = served.run(alice, many.POST_TAGS, {"id": post})
        links = seen["data"]["getPost"]["tags"]["items"]
        assert [(link["owner"], link["tag"]) for link in links] == [("alice", None)]
        assert [(e["errorType"], e["path"][-1]) for e in seen["errors"]] == [
            ("Unauthorized", "tag")
        ]
        # An admin reads every link of the tag; each post is alice's (Post's owner rule).
        through_tag = served.run(admin, many.TAG_POSTS, {"id": news})
        got = through_tag["data"]["getTag"]
        assert sorted(link["owner"] for link in got["posts"]["items"]) == ["alice", "bob"]
        assert [link["post"] for link in got["posts"]["items"]] == [None, None]
