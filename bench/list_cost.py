"""Owner-list cost: DynamoDB items read (ScannedCount) per item returned, through the
synthesized resolvers on the local runtime (moto).

1,000 items over 10 owners, their owner stored in each of the three forms in turn
("<sub>::<username>" as create fills it, "<sub>", "<username>"); one owner pages through
with ``limit: 20``. Every page is one Query on the owner index. Target: 1.0 for
owner-only lists (a Query on the owner index reads only the owner's items), against
~10 for a Scan with a filter over the whole table (Amplify's construct).

Run: ``.venv/bin/python bench/list_cost.py [--items 1000] [--owners 10] [--limit 20]``.
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

SCHEMA = "type Todo @model @auth(rules: [{ allow: owner }]) { content: String }"
CREATE = "mutation($c: String, $o: String) { createTodo(input: {content: $c, owner: $o}) { id } }"
PAGE = (
    "query($n: String, $l: Int) { listTodos(limit: $l, nextToken: $n) { items { id } nextToken } }"
)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--owners", type=int, default=10)
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args()
    stack = Stack(App(), "ListCost")
    AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(SCHEMA),
        authorization_modes=AuthorizationModes(
            user_pool_config=UserPoolConfig(user_pool=cognito.UserPool(stack, "Users"))
        ),
    )
    with count_reads(), LocalAppSync.from_stack(stack) as api:
        users = [api.user(f"user{o}") for o in range(args.owners)]
        start = time.perf_counter()
        for n in range(args.items):
            user = users[n % args.owners]
            identity = user.identity or {}
            form = (None, identity["sub"], identity["username"])[(n // args.owners) % 3]
            done = api.graphql(CREATE, {"c": str(n), "o": form}, auth=user)
            assert "errors" not in done, done
        load_s = time.perf_counter() - start
        Counter.scanned = Counter.requests = 0
        token, returned, pages, short = None, 0, 0, 0
        while True:
            body = api.graphql(PAGE, {"n": token, "l": args.limit}, auth=users[0])
            listing = body["data"]["listTodos"]
            pages += 1
            returned += len(listing["items"])
            token = listing["nextToken"]
            if token is None:
                break
            short += len(listing["items"]) < args.limit
    print(
        f"{'items':>6} {'owners':>6} {'limit':>5} {'pages':>5} {'short pages':>11} "
        f"{'returned':>8} {'read':>6} {'requests':>8} {'read/returned':>13}"
    )
    ratio = Counter.scanned / returned if returned else float("nan")
    print(
        f"{args.items:>6} {args.owners:>6} {args.limit:>5} {pages:>5} {short:>11} "
        f"{returned:>8} {Counter.scanned:>6} {Counter.requests:>8} {ratio:>13.2f}"
    )
    print(
        f"\n(loading {args.items} items through createTodo took {load_s:.1f} s; "
        f"target read/returned 1.0; short pages before the last: {short})"
    )


if __name__ == "__main__":
    main()
