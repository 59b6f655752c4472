"""Owner-list and relation-page cost: DynamoDB items read (ScannedCount) per item
returned, through the synthesized resolvers on the local runtime (moto).

Owner lists: 1,000 items over 10 owners, their owner stored in each of the three forms in
turn ("<sub>::<username>" as create fills it, "<sub>", "<username>"); one owner pages
through with ``limit: 20``. Every page is one Query on the owner index. Target: 1.0 for
owner-only lists (a Query on the owner index reads only the owner's items), against
~10 for a Scan with a filter over the whole table (Amplify's construct).

@hasMany pages (``Blog.posts``, ``Blog.notes``, ``Blog.drafts``), ``limit: 20``:
- posts (any signed-in user may read them): 1,000 over 50 blogs, 20 per blog; a reader
  pages through one blog's on the foreign-key index. Target 1.0.
- notes (owner only): 500 on one blog, from 10 owners; one owner pages through theirs,
  each page one Query on the relation owner index (foreign key, then owner key): every
  page but the last full, target 1.0.
- drafts (a multi-owner list field: no owner key, so the foreign-key index and the owner
  filter): the same 500 on one blog, for contrast; pages come back short, ~10 read per
  item returned.

Run: ``.venv/bin/python bench/list_cost.py [--items 1000] [--owners 10] [--limit 20]
[--children 1000] [--parents 50] [--owned 500]``.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any
from unittest.mock import patch

os.environ.setdefault("CDK_VALIDATION", "false")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from aws_cdk import App, Stack
from aws_cdk import aws_cognito as cognito

from authorized_appsync import (
    ApiDefinition,
    AuthorizationModes,
    AuthorizedGraphqlApi,
    UserPoolConfig,
)
from authorized_appsync.local import LocalAppSync
from authorized_appsync.local.dynamodb.source import DynamoDataSource

# The owner field is declared, so that each owner stores themselves in the form chosen (an
# owner field an owner rule adds is in no input, as in Amplify).
SCHEMA = "type Todo @model @auth(rules: [{ allow: owner }]) { content: String  owner: String }"
CREATE = "mutation($c: String, $o: String) { createTodo(input: {content: $c, owner: $o}) { id } }"
PAGE = (
    "query($n: String, $l: Int) { listTodos(limit: $l, nextToken: $n) { items { id } nextToken } }"
)
RELATIONS = """
type Blog @model @auth(rules: [{ allow: private, operations: [read] }, { allow: owner }]) {
  name: String
  posts: [Post] @hasMany
  notes: [Note] @hasMany
  drafts: [Draft] @hasMany
}
type Post @model @auth(rules: [{ allow: private, operations: [read] }, { allow: owner }]) {
  title: String
}
type Note @model @auth(rules: [{ allow: owner }]) { text: String }
type Draft @model @auth(rules: [{ allow: owner, ownerField: "editors" }]) {
  text: String
  editors: [String]
}
"""
CHILD = "mutation($i: Create{0}Input!) {{ create{0}(input: $i) {{ id }} }}"
RELATION_PAGE = """query($id: ID!, $n: String, $l: Int) {{ getBlog(id: $id) {{
  {0}(limit: $l, nextToken: $n) {{ items {{ id }} nextToken }} }} }}"""


class Counter:
    scanned = 0
    requests = 0


def count_reads() -> Any:
    """A patch (use as a context manager) counting what every DynamoDB read scanned."""
    original = DynamoDataSource.execute

    def execute(self: DynamoDataSource, request: Any) -> Any:
        outcome = original(self, request)
        scanned = outcome.result.get("scannedCount") if isinstance(outcome.result, dict) else None
        if isinstance(scanned, int):
            Counter.scanned += scanned
            Counter.requests += 1
        return outcome

    return patch.object(DynamoDataSource, "execute", execute)


def _api(name: str, schema: str) -> Stack:
    stack = Stack(App(), name)
    AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(schema),
        authorization_modes=AuthorizationModes(
            user_pool_config=UserPoolConfig(user_pool=cognito.UserPool(stack, "Users"))
        ),
    )
    return stack


class Pages:
    """What paging through to the last page gave: pages, short ones before the last,
    items returned, and the DynamoDB items read and requests made meanwhile."""

    def __init__(
        self, api: LocalAppSync, query: str, path: tuple[str, ...], auth: Any, **fixed: Any
    ) -> None:
        Counter.scanned = Counter.requests = 0
        token, self.returned, self.pages, self.short = None, 0, 0, 0
        while True:
            listing = api.graphql(query, {**fixed, "n": token}, auth=auth)
            for key in ("data", *path):
                listing = listing[key]
            self.pages += 1
            self.returned += len(listing["items"])
            token = listing["nextToken"]
            if token is None:
                break
            self.short += len(listing["items"]) < fixed["l"]
        self.read, self.requests = Counter.scanned, Counter.requests

    @property
    def ratio(self) -> float:
        return self.read / self.returned if self.returned else float("nan")


def relation_table(args: argparse.Namespace) -> None:
    """The @hasMany page table (see the module's docstring)."""
    with LocalAppSync.from_stack(_api("RelationCost", RELATIONS)) as api:
        writer = api.user("writer")
        blogs = [
            api.graphql(CHILD.format("Blog"), {"i": {"name": str(b)}}, auth=writer)["data"][
                "createBlog"
            ]["id"]
            for b in range(args.parents)
        ]
        users = [api.user(f"user{o}") for o in range(args.owners)]
        start = time.perf_counter()
        for n in range(args.children):
            post = {"title": str(n), "blogPostsId": blogs[n % args.parents]}
            done = api.graphql(CHILD.format("Post"), {"i": post}, auth=writer)
            assert "errors" not in done, done
        for model, key in (("Note", "blogNotesId"), ("Draft", "blogDraftsId")):
            for n in range(args.owned):
                child = {"text": str(n), key: blogs[0]}
                done = api.graphql(CHILD.format(model), {"i": child}, auth=users[n % args.owners])
                assert "errors" not in done, done
        load_s = time.perf_counter() - start
        rows = []
        for field, children, owners, reader in (
            ("posts", args.children // args.parents, 1, writer),
            ("notes", args.owned, args.owners, users[0]),
            ("drafts", args.owned, args.owners, users[0]),
        ):
            query = RELATION_PAGE.format(field)
            found = Pages(api, query, ("getBlog", field), reader, id=blogs[0], l=args.limit)
            rows.append((field, children, owners, found))
    print(
        f"\n{'relation':>11} {'children':>8} {'owners':>6} {'limit':>5} {'pages':>5} "
        f"{'short pages':>11} {'returned':>8} {'read':>6} {'requests':>8} {'read/returned':>13}"
    )
    for field, children, owners, found in rows:
        print(
            f"{'Blog.' + field:>11} {children:>8} {owners:>6} {args.limit:>5} {found.pages:>5} "
            f"{found.short:>11} {found.returned:>8} {found.read:>6} {found.requests:>8} "
            f"{found.ratio:>13.2f}"
        )
    print(
        f"\n(children: {args.children} posts over {args.parents} blogs, "
        f"{args.owned} notes and {args.owned} drafts on one blog from {args.owners} owners; "
        f"loading them took {load_s:.1f} s. Target read/returned 1.0 and no short page "
        f"before the last for posts and notes; drafts (a list owner field) filter.)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--owners", type=int, default=10)
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--children", type=int, default=1000)
    parser.add_argument("--parents", type=int, default=50)
    parser.add_argument("--owned", type=int, default=500)
    args = parser.parse_args()
    with count_reads():
        owner_list_table(args)
        relation_table(args)


def owner_list_table(args: argparse.Namespace) -> None:
    """The owner-list table (see the module's docstring)."""
    with LocalAppSync.from_stack(_api("ListCost", SCHEMA)) as api:
        users = [api.user(f"user{o}") for o in range(args.owners)]
        start = time.perf_counter()
        for n in range(args.items):
            user = users[n % args.owners]
            identity = user.identity or {}
            form = (None, identity["sub"], identity["username"])[(n // args.owners) % 3]
            done = api.graphql(CREATE, {"c": str(n), "o": form}, auth=user)
            assert "errors" not in done, done
        load_s = time.perf_counter() - start
        found = Pages(api, PAGE, ("listTodos",), users[0], l=args.limit)
    print(
        f"{'items':>6} {'owners':>6} {'limit':>5} {'pages':>5} {'short pages':>11} "
        f"{'returned':>8} {'read':>6} {'requests':>8} {'read/returned':>13}"
    )
    print(
        f"{args.items:>6} {args.owners:>6} {args.limit:>5} {found.pages:>5} {found.short:>11} "
        f"{found.returned:>8} {found.read:>6} {found.requests:>8} {found.ratio:>13.2f}"
    )
    print(
        f"\n(loading {args.items} items through createTodo took {load_s:.1f} s; "
        f"target read/returned 1.0; short pages before the last: {found.short})"
    )


if __name__ == "__main__":
    main()
