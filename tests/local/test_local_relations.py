"""Relation fields end to end, each resolved with the related model's rules (issue 12), on
Amplify's own documentation examples ("Customize authorization rules", "Authorize
relationships"):

- a Todo whose owner "can query all the tasks connected to it, since the Task model allows
  private read access"; and an owner-only Note, of which another user sees, through a todo
  they may read, only their own;
- a public blog read with the API key: ``name`` is returned, ``posts`` is null with an
  Unauthorized error when Post admits no API key, the rest of the response stays;
- ``@belongsTo`` resolves the parent with the parent's rules (null foreign key: null);
- a child created pointing at someone else's parent is allowed (as in Amplify), and the
  parent's owner sees it through the relation when the child's rules let them.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import App, Stack
from stacks import api_stack, ok

from authorized_appsync.local.app import LocalAppSync

SCHEMA = """
type Todo @model @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }]) {
  title: String
  tasks: [Task] @hasMany
  notes: [Note] @hasMany(references: ["todoId"])
}

type Task @model @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }]) {
  description: String
  todo: Todo @belongsTo
}

type Note @model(subscriptions: null) @auth(rules: [{ allow: owner }]) {
  todoId: ID
  text: String
  secret: String @auth(rules: [{ allow: groups, groups: ["Admin"] }])
  todo: Todo @belongsTo(references: ["todoId"])
}

type Blog @model @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) {
  name: String
  posts: [Post] @hasMany
  banner: Banner @hasOne(references: ["blogId"])
}

type Banner @model(subscriptions: null) @auth(rules: [{ allow: owner }]) {
  blogId: ID
  text: String
}

type Post @model @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }]) {
  title: String
  blog: Blog @belongsTo
}
"""

TODO = "mutation($i: CreateTodoInput!) { createTodo(input: $i) { id } }"
TASK = "mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }"
NOTE = "mutation($i: CreateNoteInput!) { createNote(input: $i) { id } }"
BLOG = "mutation($i: CreateBlogInput!) { createBlog(input: $i) { id } }"
POST = "mutation($i: CreatePostInput!) { createPost(input: $i) { id } }"
TODO_TASKS = """query($id: ID!) { getTodo(id: $id) {
  title tasks { items { description todo { title } } nextToken } } }"""
TODO_NOTES = "query($id: ID!) { getTodo(id: $id) { title notes { items { text } } } }"
BLOG_POSTS = "query($id: ID!) { getBlog(id: $id) { name posts { items { title } } } }"


def _made(api: LocalAppSync, mutation: str, field: str, auth: Any, **values: Any) -> str:
    return str(ok(api.graphql(mutation, {"i": values}, auth=auth), field)["id"])


def build(app: App | None = None) -> Stack:
    """User-pool users by default, and an API key."""
    return api_stack("Relations", SCHEMA, app=app, api_key=True)


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(build()) as local:
        yield local


@pytest.fixture(scope="module")
def todo(api):
    """alice's todo with two tasks (alice's, and one bob attached) and a note of each."""
    alice, bob = api.user("alice"), api.user("bob")
    todo = _made(api, TODO, "createTodo", alice, title="shop")
    _made(api, TASK, "createTask", alice, description="milk", todoTasksId=todo)
    _made(api, TASK, "createTask", bob, description="eggs", todoTasksId=todo)
    _made(api, NOTE, "createNote", alice, text="alice's note", todoId=todo)
    _made(api, NOTE, "createNote", bob, text="bob's note", todoId=todo)
    _made(api, TODO, "createTodo", alice, title="other")  # no tasks: not connected
    return todo


def _descriptions(response: dict[str, Any]) -> list[str]:
    return sorted(t["description"] for t in ok(response, "getTodo")["tasks"]["items"])


def test_the_owner_reads_every_task_connected_since_task_allows_private_read(api, todo):
    got = api.graphql(TODO_TASKS, {"id": todo}, auth=api.user("alice"))
    # bob's task too: Task's private read rule admits alice on it.
    assert _descriptions(got) == ["eggs", "milk"]
    # belongsTo back to the todo, by the Todo rules.
    items = ok(got, "getTodo")["tasks"]["items"]
    assert {t["todo"]["title"] for t in items} == {"shop"}


def test_another_user_sees_the_todo_and_the_connected_tasks_task_lets_them_read(api, todo):
    got = api.graphql(TODO_TASKS, {"id": todo}, auth=api.user("carol"))
    assert ok(got, "getTodo")["title"] == "shop"
    assert _descriptions(got) == ["eggs", "milk"]


def test_owner_only_children_are_filtered_not_refused(api, todo):
    """Note admits only its owner: each reader of the todo sees their own notes through it,
    and one who owns none sees an empty page, not an error."""
    seen = {}
    for user in ("alice", "bob", "carol"):
        got = ok(api.graphql(TODO_NOTES, {"id": todo}, auth=api.user(user)), "getTodo")
        seen[user] = [n["text"] for n in got["notes"]["items"]]
    assert seen == {"alice": ["alice's note"], "bob": ["bob's note"], "carol": []}


def test_reading_through_the_relation_shows_what_reading_directly_shows(api, todo):
    """The same items and the same field errors: Note.secret admits Admins only, so it is
    null with an error through the relation as when listing notes directly."""
    query = """query($id: ID!) { getTodo(id: $id) { notes { items { text secret } } } }"""
    direct = "{ listNotes { items { text secret } } }"
    bob = api.user("bob")
    through = api.graphql(query, {"id": todo}, auth=bob)
    listed = api.graphql(direct, auth=bob)
    assert through["data"]["getTodo"]["notes"]["items"] == listed["data"]["listNotes"]["items"]
    assert through["data"]["getTodo"]["notes"]["items"] == [{"text": "bob's note", "secret": None}]
    errors = [(e["errorType"], e["path"][-1]) for e in through["errors"]]
    assert errors == [(e["errorType"], e["path"][-1]) for e in listed["errors"]]
    assert errors == [("Unauthorized", "secret")]


def test_a_public_blog_read_with_the_api_key_shows_its_name_and_refuses_its_posts(api):
    alice = api.user("alice")
    blog = _made(api, BLOG, "createBlog", alice, name="news")
    _made(api, POST, "createPost", alice, title="hello", blogPostsId=blog)
    got = api.graphql(BLOG_POSTS, {"id": blog}, auth=api.api_key())
    assert got["data"] == {"getBlog": {"name": "news", "posts": None}}
    (error,) = got["errors"]
    assert (error["errorType"], error["path"]) == ("Unauthorized", ["getBlog", "posts"])
    # Its owner, signed in, gets the posts (Post allows private read).
    signed_in = ok(api.graphql(BLOG_POSTS, {"id": blog}, auth=alice), "getBlog")
    assert signed_in["posts"]["items"] == [{"title": "hello"}]


def test_belongs_to_resolves_the_parent_with_the_parents_rules(api, todo):
    bob = api.user("bob")
    post_blog = "query($id: ID!) { getPost(id: $id) { title blog { name } } }"
    blog = _made(api, BLOG, "createBlog", api.user("alice"), name="alice's")
    post = _made(api, POST, "createPost", bob, title="bob's post", blogPostsId=blog)
    orphan = _made(api, POST, "createPost", bob, title="orphan")
    # The blog's owner reads bob's post (Post's private read) and her blog through it.
    alice = api.user("alice")
    assert ok(api.graphql(post_blog, {"id": post}, auth=alice), "getPost")["blog"] == {
        "name": "alice's"
    }
    # Blog admits signed-in users as owners only: bob reads his post, not alice's blog.
    got = api.graphql(post_blog, {"id": post}, auth=bob)
    assert got["data"] == {"getPost": {"title": "bob's post", "blog": None}}
    assert [(e["errorType"], e["path"]) for e in got["errors"]] == [
        ("Unauthorized", ["getPost", "blog"])
    ]
    # No foreign key: null without an error.
    assert ok(api.graphql(post_blog, {"id": orphan}, auth=bob), "getPost")["blog"] is None
    # The note's todo: Todo admits private read, so bob reads alice's todo through his note.
    note_todo = "{ listNotes { items { text todo { title } } } }"
    items = ok(api.graphql(note_todo, auth=bob), "listNotes")["items"]
    assert items == [{"text": "bob's note", "todo": {"title": "shop"}}]


def test_belongs_to_is_refused_by_appsync_for_modes_the_parent_admits_not(api):
    """The API key reads blogs but no post: ``getPost`` itself is refused for it."""
    alice = api.user("alice")
    blog = _made(api, BLOG, "createBlog", alice, name="mine")
    post = _made(api, POST, "createPost", alice, title="p", blogPostsId=blog)
    query = "query($id: ID!) { getPost(id: $id) { title blog { name } } }"
    got = api.graphql(query, {"id": post}, auth=api.api_key())
    assert got["data"] == {"getPost": None}
    assert [e["errorType"] for e in got["errors"]] == ["Unauthorized"]
    assert ok(api.graphql(query, {"id": post}, auth=alice), "getPost")["blog"] == {"name": "mine"}


def test_has_one_with_references_is_the_first_connected_record_the_reader_may_read(api):
    """Banner admits its owner only: alice's blog shows her banner to her, null (no error)
    to bob, whose own banner on another blog is not connected here."""
    alice, bob = api.user("alice"), api.user("bob")
    mine = _made(api, BLOG, "createBlog", alice, name="with banner")
    other = _made(api, BLOG, "createBlog", alice, name="other")
    banner = "mutation($i: CreateBannerInput!) { createBanner(input: $i) { id } }"
    _made(api, banner, "createBanner", alice, text="welcome", blogId=mine)
    _made(api, banner, "createBanner", bob, text="bob's", blogId=other)
    query = "query($id: ID!) { getBlog(id: $id) { name banner { text } } }"
    assert ok(api.graphql(query, {"id": mine}, auth=alice), "getBlog")["banner"] == {
        "text": "welcome"
    }
    # No banner alice may read on the other blog (bob's is his alone).
    assert ok(api.graphql(query, {"id": other}, auth=alice), "getBlog")["banner"] is None
    # The API key reads blogs, and no banner: AppSync refuses the field itself.
    got = api.graphql(query, {"id": mine}, auth=api.api_key())
    assert got["data"] == {"getBlog": {"name": "with banner", "banner": None}}
    assert [(e["errorType"], e["path"]) for e in got["errors"]] == [
        ("Unauthorized", ["getBlog", "banner"])
    ]


def test_a_child_may_point_at_someone_elses_parent_and_its_owner_then_sees_it(api):
    """As in Amplify: creating a child is decided by the child's rules alone."""
    alice, mallory = api.user("alice"), api.user("mallory")
    mine = _made(api, TODO, "createTodo", alice, title="mine")
    _made(api, TASK, "createTask", mallory, description="planted", todoTasksId=mine)
    got = api.graphql(TODO_TASKS, {"id": mine}, auth=alice)
    assert _descriptions(got) == ["planted"]


def test_relation_fields_are_not_resolved_for_subscribers(api, todo):
    """The event is the mutation's response, and a mutation's response does not resolve
    relation fields: no subscriber receives a related record by the mutation's selection."""
    alice = api.user("alice")
    selection = "{ description todo { title } }"
    create = f"mutation($i: CreateTaskInput!) {{ createTask(input: $i) {selection} }}"
    with api.subscribe(f"subscription {{ onCreateTask {selection} }}", auth=alice) as sub:
        made = api.graphql(create, {"i": {"description": "heard", "todoTasksId": todo}}, auth=alice)
        event = sub.next()
    assert ok(made, "createTask") == {"description": "heard", "todo": None}
    assert event["data"]["onCreateTask"] == {"description": "heard", "todo": None}
    # Read back, the relation resolves.
    query = "{ listTasks { items { description todo { title } } } }"
    items = ok(api.graphql(query, auth=alice), "listTasks")["items"]
    assert {"description": "heard", "todo": {"title": "shop"}} in items


PARTIAL = """
type Card @model(subscriptions: null) @auth(rules: [{ allow: owner }]) {
  id: ID! @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }])
  title: String @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }])
  body: String
  stickers: [Sticker] @hasMany
}

type Sticker @model(subscriptions: null)
  @auth(rules: [{ allow: private, operations: [read] }, { allow: owner }]) {
  label: String
}
"""


def test_a_partial_reader_of_the_parent_gets_the_relation_by_the_related_models_rules():
    """bob may read only Card.id and Card.title (field rules), yet Sticker lets every
    signed-in user read: through the card he lists he gets its stickers, without an error
    for the relation field (the related model's rules decide it), and `body` is null with
    its error."""
    stack = api_stack("RelationsPartial", PARTIAL)
    with LocalAppSync.from_stack(stack) as api:
        alice, bob = api.user("alice"), api.user("bob")
        create = "mutation($i: CreateCardInput!) { createCard(input: $i) { id } }"
        card = _made(api, create, "createCard", alice, title="t", body="b")
        sticker = "mutation($i: CreateStickerInput!) { createSticker(input: $i) { id } }"
        _made(api, sticker, "createSticker", alice, label="star", cardStickersId=card)
        query = "{ listCards { items { title body stickers { items { label } } } } }"
        got = api.graphql(query, auth=bob)
        stickers = {"items": [{"label": "star"}]}
        card_seen = {"title": "t", "body": None, "stickers": stickers}
        assert got["data"] == {"listCards": {"items": [card_seen]}}
        errors = [(e["errorType"], e["message"]) for e in got["errors"]]
        assert errors == [("Unauthorized", "Not Authorized to access body on type Card")]
