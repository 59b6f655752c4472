"""The local DynamoDB data source on moto: what the response handler sees as ctx.result /
ctx.error for each request object the APPSYNC_JS resolvers build (APPSYNC.md §4, §6)."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

boto3 = pytest.importorskip("boto3")
moto = pytest.importorskip("moto")

from authorized_appsync.local.dynamodb.source import (  # noqa: E402
    DataSourceError,
    DataSourceResult,
    DynamoDataSource,
)
from authorized_appsync.local.dynamodb.update import apply_update  # noqa: E402

TABLE = "Post-local"
OTHER = "Comment-local"  # named "Comment" in batch and transaction requests
INDEX = "byOwner"
SERVICE_MESSAGE = re.compile(
    r"^(?P<aws>.+) \(Service: DynamoDb, Status Code: 400, Request ID: [A-Za-z0-9]+\)$"
)
CONDITION_FAILED = "DynamoDB:ConditionalCheckFailedException"

Request = dict[str, Any]


def s(value: str) -> dict[str, str]:
    return {"S": value}


def n(value: float) -> dict[str, str]:
    return {"N": str(value)}


def post(id_: str, owner: str = "alice", rank: int = 0, **extra: Any) -> dict[str, Any]:
    return {"id": s(id_), "owner": s(owner), "rank": n(rank), **extra}


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in (
        ("AWS_DEFAULT_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
    ):
        monkeypatch.setenv(name, value)
    with moto.mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[
                {"AttributeName": "id", "AttributeType": "S"},
                {"AttributeName": "owner", "AttributeType": "S"},
                {"AttributeName": "rank", "AttributeType": "N"},
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": INDEX,
                    "KeySchema": [
                        {"AttributeName": "owner", "KeyType": "HASH"},
                        {"AttributeName": "rank", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        client.create_table(
            TableName=OTHER,
            KeySchema=[
                {"AttributeName": "postId", "KeyType": "HASH"},
                {"AttributeName": "n", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "postId", "AttributeType": "S"},
                {"AttributeName": "n", "AttributeType": "N"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        yield client


@pytest.fixture
def source(client: Any) -> DynamoDataSource:
    return DynamoDataSource(client, TABLE, table_names={"Post": TABLE, "Comment": OTHER})


def seed(client: Any, *items: Mapping[str, Any], table: str = TABLE) -> None:
    for item in items:
        client.put_item(TableName=table, Item=wire(item))


def wire(item: Mapping[str, Any]) -> dict[str, Any]:
    """Typed JSON as boto3 takes it (binary as bytes)."""
    out: dict[str, Any] = {}
    for name, value in item.items():
        ((kind, inner),) = value.items()
        out[name] = {"B": base64.b64decode(inner)} if kind == "B" else value
    return out


def stored(client: Any, id_: str) -> dict[str, Any] | None:
    item = client.get_item(TableName=TABLE, Key={"id": s(id_)}, ConsistentRead=True).get("Item")
    return item if item is None else dict(item)


def ok(result: DataSourceResult) -> Any:
    assert result.error is None, result.error
    return result.result


def failed(result: DataSourceResult, error_type: str) -> DataSourceError:
    assert result.error is not None, f"expected {error_type}, got result {result.result!r}"
    assert result.error.type == error_type, result.error
    return result.error


# --- each operation's ctx.result -------------------------------------------------------

EVERY_TYPE = {
    "id": s("p1"),
    "owner": s("alice"),
    "rank": n(3),
    "score": {"N": "2.5"},
    "big": {"N": "12345678901234567890"},
    "tags": {"SS": ["a"]},
    "sizes": {"NS": ["1"]},
    "blob": {"B": base64.b64encode(b"\x00\xff").decode()},
    "blobs": {"BS": [base64.b64encode(b"x").decode()]},
    "done": {"BOOL": True},
    "gone": {"NULL": True},
    "list": {"L": [s("x"), n(1), {"M": {"deep": {"BOOL": False}}}]},
    "map": {"M": {"k": s("v"), "n": {"N": "1.0"}}},
}
EVERY_TYPE_PLAIN = {
    "id": "p1",
    "owner": "alice",
    "rank": 3,
    "score": 2.5,
    "big": 12345678901234567890,
    "tags": ["a"],
    "sizes": [1],
    "blob": base64.b64encode(b"\x00\xff").decode(),
    "blobs": [base64.b64encode(b"x").decode()],
    "done": True,
    "gone": None,
    "list": ["x", 1, {"deep": False}],
    "map": {"k": "v", "n": 1},
}

SEEDED = [post("p1", rank=1, title=s("one")), post("p2", rank=2), post("p3", "bob", 3)]
SHAPES: list[tuple[str, Request, Any]] = [
    (
        "GetItem",
        {"operation": "GetItem", "key": {"id": s("p1")}},
        {"id": "p1", "owner": "alice", "rank": 1, "title": "one"},
    ),
    ("GetItem missing", {"operation": "GetItem", "key": {"id": s("zz")}}, None),
    (
        "GetItem consistent, projected",
        {
            "operation": "GetItem",
            "key": {"id": s("p1")},
            "consistentRead": True,
            "projection": {"expression": "#t, id", "expressionNames": {"#t": "title"}},
        },
        {"id": "p1", "title": "one"},
    ),
    (
        "PutItem: key merged into attributeValues",
        {"operation": "PutItem", "key": {"id": s("p9")}, "attributeValues": {"rank": n(9)}},
        {"id": "p9", "rank": 9},
    ),
    (
        "UpdateItem: ALL_NEW",
        {
            "operation": "UpdateItem",
            "key": {"id": s("p1")},
            "update": {
                "expression": "SET #t = :t REMOVE #r",
                "expressionNames": {"#t": "title", "#r": "rank"},
                "expressionValues": {":t": s("new")},
            },
        },
        {"id": "p1", "owner": "alice", "title": "new"},
    ),
    (
        "DeleteItem: ALL_OLD",
        {"operation": "DeleteItem", "key": {"id": s("p2")}},
        {"id": "p2", "owner": "alice", "rank": 2},
    ),
    ("DeleteItem missing", {"operation": "DeleteItem", "key": {"id": s("zz")}}, None),
    (
        "Query on the index, descending",
        {
            "operation": "Query",
            "index": INDEX,
            "query": {
                "expression": "#o = :o",
                "expressionNames": {"#o": "owner"},
                "expressionValues": {":o": s("alice")},
            },
            "scanIndexForward": False,
        },
        {
            "items": [
                {"id": "p2", "owner": "alice", "rank": 2},
                {"id": "p1", "owner": "alice", "rank": 1, "title": "one"},
            ],
            "nextToken": None,
            "scannedCount": 2,
        },
    ),
    (
        "Query on the table, selected attributes",
        {
            "operation": "Query",
            "query": {"expression": "id = :id", "expressionValues": {":id": s("p3")}},
            "consistentRead": True,
            "select": "SPECIFIC_ATTRIBUTES",
            "projection": {"expression": "#o", "expressionNames": {"#o": "owner"}},
        },
        {"items": [{"owner": "bob"}], "nextToken": None, "scannedCount": 1},
    ),
    (
        "Scan with a filter",
        {
            "operation": "Scan",
            "filter": {"expression": "#r >= :r", "expressionNames": {"#r": "rank"}}
            | {"expressionValues": {":r": n(2)}},
        },
        {
            "items": [
                {"id": "p2", "owner": "alice", "rank": 2},
                {"id": "p3", "owner": "bob", "rank": 3},
            ],
            "nextToken": None,
            "scannedCount": 3,
        },
    ),
]


@pytest.mark.parametrize(
    ("request_", "expected"), [c[1:] for c in SHAPES], ids=[c[0] for c in SHAPES]
)
def test_result_shapes(
    client: Any, source: DynamoDataSource, request_: Request, expected: Any
) -> None:
    seed(client, *SEEDED)
    result = ok(source.execute(request_))
    if request_["operation"] == "Scan":  # a Scan's order is the table's hash order
        result["items"].sort(key=lambda item: item["id"])
    assert result == expected


def test_values_come_back_as_appsync_converts_them(client: Any, source: DynamoDataSource) -> None:
    assert (
        ok(
            source.execute(
                {"operation": "PutItem", "key": {"id": s("p1")}}
                | {"attributeValues": {k: v for k, v in EVERY_TYPE.items() if k != "id"}}
            )
        )
        == EVERY_TYPE_PLAIN
    )
    assert ok(source.execute({"operation": "GetItem", "key": {"id": s("p1")}})) == EVERY_TYPE_PLAIN
    # binary arrives as base64 text and is stored as bytes, not as the text's bytes
    assert stored(client, "p1")["blob"] == {"B": b"\x00\xff"}
    json.dumps(EVERY_TYPE_PLAIN)  # plain JSON, ready for the response handler


# --- conditions ------------------------------------------------------------------------

NOT_EXISTS = {"expression": "attribute_not_exists(#id)", "expressionNames": {"#id": "id"}}
EXISTS = {"expression": "attribute_exists(#id)", "expressionNames": {"#id": "id"}}
VERSION_1 = {
    "expression": "#v = :v",
    "expressionNames": {"#v": "version"},
    "expressionValues": {":v": n(1)},
}
CURRENT = post("p1", title=s("same"), version=n(2))
CURRENT_PLAIN = {"id": "p1", "owner": "alice", "rank": 0, "title": "same", "version": 2}


def put(condition: Mapping[str, Any], **attributes: Any) -> Request:
    values = {k: v for k, v in CURRENT.items() if k != "id"} | attributes
    return {
        "operation": "PutItem",
        "key": {"id": s("p1")},
        "attributeValues": values,
        "condition": dict(condition),
    }


def update(condition: Mapping[str, Any], title: str, id_: str = "p1") -> Request:
    return {
        "operation": "UpdateItem",
        "key": {"id": s(id_)},
        "update": {
            "expression": "SET #t = :t, #v = #v + :one",
            "expressionNames": {"#t": "title", "#v": "version"},
            "expressionValues": {":t": s(title), ":one": n(1)},
        },
        "condition": dict(condition),
    }


def delete(condition: Mapping[str, Any], id_: str = "p1") -> Request:
    return {"operation": "DeleteItem", "key": {"id": s(id_)}, "condition": dict(condition)}


# (case, request, error type or None, ctx.result, item stored afterwards)
CONDITIONS: list[tuple[str, Request, str | None, Any, Any]] = [
    (
        "put over a different item: fails, current item in result",
        put(NOT_EXISTS, title=s("other")),
        CONDITION_FAILED,
        CURRENT_PLAIN,
        CURRENT,
    ),
    (
        "put over an identical item: the wanted state is there, success",
        put(NOT_EXISTS),
        None,
        CURRENT_PLAIN,
        CURRENT,
    ),
    (
        "put with a stale version, equal apart from equalsIgnore: success",
        put(VERSION_1 | {"equalsIgnore": ["version"]}, version=n(7)),
        None,
        CURRENT_PLAIN,
        CURRENT,
    ),
    (
        "put with a stale version and another change: fails despite equalsIgnore",
        put(VERSION_1 | {"equalsIgnore": ["version"]}, title=s("x")),
        CONDITION_FAILED,
        CURRENT_PLAIN,
        CURRENT,
    ),
    (
        "put with a passing condition writes",
        put(EXISTS, title=s("x")),
        None,
        CURRENT_PLAIN | {"title": "x"},
        CURRENT | {"title": s("x")},
    ),
    (
        "update of a missing item: fails, result null",
        update(EXISTS, "same", id_="zz"),
        CONDITION_FAILED,
        None,
        CURRENT,
    ),
    (
        "update with a stale version: fails, current item in result",
        update(VERSION_1, "new"),
        CONDITION_FAILED,
        CURRENT_PLAIN,
        CURRENT,
    ),
    (
        "update whose result is there apart from equalsIgnore: success",
        update(VERSION_1 | {"equalsIgnore": ["version"]}, "same"),
        None,
        CURRENT_PLAIN,
        CURRENT,
    ),
    (
        "update with a passing condition: ALL_NEW",
        update({**VERSION_1, "expressionValues": {":v": n(2)}}, "new"),
        None,
        CURRENT_PLAIN | {"title": "new", "version": 3},
        CURRENT | {"title": s("new"), "version": n(3)},
    ),
    (
        "delete of a missing item: fails, result null",
        delete(EXISTS, id_="zz"),
        CONDITION_FAILED,
        None,
        CURRENT,
    ),
    (
        "delete with a failing condition: current item in result",
        delete(VERSION_1),
        CONDITION_FAILED,
        CURRENT_PLAIN,
        CURRENT,
    ),
    ("delete with a passing condition: ALL_OLD", delete(EXISTS), None, CURRENT_PLAIN, None),
]


@pytest.mark.parametrize(
    ("request_", "error_type", "result", "after"),
    [c[1:] for c in CONDITIONS],
    ids=[c[0] for c in CONDITIONS],
)
def test_conditions(
    client: Any,
    source: DynamoDataSource,
    request_: Request,
    error_type: str | None,
    result: Any,
    after: Any,
) -> None:
    seed(client, CURRENT)
    outcome = source.execute(request_)
    assert outcome.result == result
    if error_type is None:
        assert outcome.error is None
    else:
        error = failed(outcome, error_type)
        match = SERVICE_MESSAGE.match(error.message)
        assert match is not None, error.message
        assert match["aws"] == "The conditional request failed"
    assert stored(client, "p1") == (None if after is None else wire(after))


# --- pagination ------------------------------------------------------------------------


def owner_query(owner: str, limit: int, token: str | None = None) -> Request:
    request: Request = {
        "operation": "Query",
        "index": INDEX,
        "query": {
            "expression": "#o = :o",
            "expressionNames": {"#o": "owner"},
            "expressionValues": {":o": s(owner)},
        },
        "filter": {
            "expression": "#pub = :t",
            "expressionNames": {"#pub": "published"},
            "expressionValues": {":t": {"BOOL": True}},
        },
        "limit": limit,
    }
    return request if token is None else request | {"nextToken": token}


def scan(limit: int, token: str | None = None) -> Request:
    request: Request = {
        "operation": "Scan",
        "filter": {"expression": "published = :t", "expressionValues": {":t": {"BOOL": True}}},
        "limit": limit,
    }
    return request if token is None else request | {"nextToken": token}


def seed_pages(client: Any) -> set[str]:
    """Ten posts of alice (every third published) and two of bob; alice's published ids."""
    for rank in range(10):
        seed(client, post(f"a{rank}", rank=rank, published={"BOOL": rank % 3 == 0}))
    seed(client, post("b0", "bob", published={"BOOL": True}), post("b1", "bob", 1))
    return {"a0", "a3", "a6", "a9"}


@pytest.mark.parametrize("kind", ["Query", "Scan"])
def test_pages_with_limit_and_filter(client: Any, source: DynamoDataSource, kind: str) -> None:
    published = seed_pages(client)
    expected = published if kind == "Query" else published | {"b0"}
    total = 10 if kind == "Query" else 12
    pages = []
    token: str | None = None
    while True:
        request = owner_query("alice", 4, token) if kind == "Query" else scan(4, token)
        page = ok(source.execute(request))
        pages.append(page)
        token = page["nextToken"]
        if token is None:
            break
        assert isinstance(token, str)
        assert len(pages) < 10
    seen = [item["id"] for page in pages for item in page["items"]]
    assert sorted(seen) == sorted(expected)  # every published item once
    # limit caps the items evaluated: full pages scanned 4, yet returned fewer
    assert all(page["scannedCount"] == 4 for page in pages[:-1])
    assert sum(page["scannedCount"] for page in pages) == total
    assert any(0 < len(p["items"]) < 4 and p["nextToken"] for p in pages)
    if kind == "Query":  # ranks 0..9, limit 4: pages hold a0,a3 / a6 / a9 then the end
        assert [[i["id"] for i in p["items"]] for p in pages] == [["a0", "a3"], ["a6"], ["a9"]]


def test_a_filtered_page_may_be_empty_and_still_have_a_token(
    client: Any, source: DynamoDataSource
) -> None:
    seed_pages(client)
    first = ok(source.execute(owner_query("alice", 1)))
    second = ok(source.execute(owner_query("alice", 1, first["nextToken"])))
    assert [i["id"] for i in first["items"]] == ["a0"]
    assert second["items"] == []
    assert second["nextToken"] is not None
    assert second["scannedCount"] == 1


def _tampered(token: str) -> str:
    envelope = json.loads(base64.b64decode(token))
    sealed = bytearray(base64.b64decode(envelope["token"]))
    sealed[-20] ^= 0x01  # one bit of the encrypted key
    envelope["token"] = base64.b64encode(bytes(sealed)).decode()
    return base64.b64encode(json.dumps(envelope).encode()).decode()


TAMPERED: list[tuple[str, Any]] = [
    ("encrypted key edited, envelope kept", _tampered),
    ("a character flipped", lambda t: t[:10] + ("A" if t[10] != "A" else "B") + t[11:]),
    ("not base64", lambda _t: "not a token!"),
    ("base64 of something else", lambda _t: base64.b64encode(b'{"id": "p1"}').decode()),
    ("empty", lambda _t: ""),
]


@pytest.mark.parametrize("tamper", [c[1] for c in TAMPERED], ids=[c[0] for c in TAMPERED])
def test_a_tampered_token_is_refused(client: Any, source: DynamoDataSource, tamper: Any) -> None:
    seed_pages(client)
    token = ok(source.execute(owner_query("alice", 2)))["nextToken"]
    outcome = source.execute(owner_query("alice", 2, tamper(token)))
    error = failed(outcome, "DynamoDB:UserIllegalArgumentException")
    assert error.message == (
        "com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: "
        "Invalid pagination token given."
    )
    assert outcome.result is None


def test_a_token_is_bound_to_its_table_index_and_key(client: Any, source: DynamoDataSource) -> None:
    seed_pages(client)
    query_token = ok(source.execute(owner_query("alice", 2)))["nextToken"]
    scan_token = ok(source.execute(scan(2)))["nextToken"]
    # a Query token on the index is no Scan token on the table, and the reverse
    failed(source.execute(scan(2, query_token)), "DynamoDB:UserIllegalArgumentException")
    failed(
        source.execute(owner_query("alice", 2, scan_token)), "DynamoDB:UserIllegalArgumentException"
    )
    # another process (another key) does not accept it; the same key does
    other = DynamoDataSource(client, TABLE, token_key=b"another key")
    failed(other.execute(scan(2, scan_token)), "DynamoDB:UserIllegalArgumentException")
    again = DynamoDataSource(client, TABLE)
    assert ok(again.execute(scan(2, scan_token)))["scannedCount"] == 2


# --- batches and transactions ----------------------------------------------------------


def comment(post_id: str, number: int, text: str) -> dict[str, Any]:
    return {"postId": s(post_id), "n": n(number), "text": s(text)}


def test_batch_get_keeps_request_order_with_null_for_missing(
    client: Any, source: DynamoDataSource
) -> None:
    seed(client, *SEEDED)
    seed(client, comment("p1", 1, "hi"), comment("p1", 2, "yo"), table=OTHER)
    result = ok(
        source.execute(
            {
                "operation": "BatchGetItem",
                "tables": {
                    "Post": {"keys": [{"id": s("p3")}, {"id": s("nope")}, {"id": s("p1")}]},
                    "Comment": {
                        "keys": [
                            {"postId": s("p1"), "n": n(2)},
                            {"postId": s("p1"), "n": n(1)},
                            {"postId": s("p1"), "n": n(3)},
                        ],
                        "consistentRead": True,
                        "projection": {"expression": "#t", "expressionNames": {"#t": "text"}},
                    },
                },
            }
        )
    )
    assert result == {
        "data": {
            "Post": [
                {"id": "p3", "owner": "bob", "rank": 3},
                None,
                {"id": "p1", "owner": "alice", "rank": 1, "title": "one"},
            ],
            # the key attributes are read to place the items, then dropped (not projected)
            "Comment": [{"text": "yo"}, {"text": "hi"}, None],
        },
        "unprocessedKeys": {"Post": [], "Comment": []},
    }


def test_batch_put_and_delete(client: Any, source: DynamoDataSource) -> None:
    seed(client, *SEEDED)
    put_result = ok(
        source.execute(
            {
                "operation": "BatchPutItem",
                "tables": {"Post": [post("p7", rank=7)], "Comment": [comment("p7", 1, "c")]},
            }
        )
    )
    assert put_result == {
        "data": {
            "Post": [{"id": "p7", "owner": "alice", "rank": 7}],
            "Comment": [{"postId": "p7", "n": 1, "text": "c"}],
        },
        "unprocessedItems": {"Post": [], "Comment": []},
    }
    deleted = ok(
        source.execute(
            {"operation": "BatchDeleteItem", "tables": {"Post": [{"id": s("p7")}, {"id": s("p1")}]}}
        )
    )
    assert deleted == {
        "data": {"Post": [{"id": "p7"}, {"id": "p1"}]},
        "unprocessedKeys": {"Post": []},
    }
    assert stored(client, "p7") is None
    assert stored(client, "p1") is None


def transaction(condition: Mapping[str, Any]) -> Request:
    return {
        "operation": "TransactWriteItems",
        "transactItems": [
            {
                "table": "Post",
                "operation": "PutItem",
                "key": {"id": s("p8")},
                "attributeValues": {"owner": s("carol"), "rank": n(8)},
            },
            {
                "table": "Post",
                "operation": "UpdateItem",
                "key": {"id": s("p2")},
                "update": {"expression": "SET #r = :r", "expressionNames": {"#r": "rank"}}
                | {"expressionValues": {":r": n(20)}},
            },
            {
                "table": "Post",
                "operation": "ConditionCheck",
                "key": {"id": s("p1")},
                "condition": dict(condition),
            },
            {"table": "Comment", "operation": "DeleteItem", "key": {"postId": s("p1"), "n": n(1)}},
        ],
    }


def test_transact_write_returns_the_keys_in_request_order(
    client: Any, source: DynamoDataSource
) -> None:
    seed(client, *SEEDED)
    seed(client, comment("p1", 1, "hi"), table=OTHER)
    result = ok(source.execute(transaction(EXISTS)))
    assert result == {
        "keys": [{"id": "p8"}, {"id": "p2"}, {"id": "p1"}, {"postId": "p1", "n": 1}],
        "cancellationReasons": None,
    }
    assert stored(client, "p2")["rank"] == n(20)


def test_a_cancelled_transaction_reports_reasons_in_request_order(
    client: Any, source: DynamoDataSource
) -> None:
    seed(client, *SEEDED)
    outcome = source.execute(transaction(NOT_EXISTS))
    error = failed(outcome, "DynamoDB:TransactionCanceledException")
    match = SERVICE_MESSAGE.match(error.message)
    assert match is not None, error.message
    assert match["aws"].startswith("Transaction cancelled")
    assert outcome.result == {
        "keys": None,
        "cancellationReasons": [
            {"type": "None", "message": None},
            {"type": "None", "message": None},
            {
                "type": "ConditionalCheckFailed",
                "message": "The conditional request failed",
                "item": {"id": "p1", "owner": "alice", "rank": 1, "title": "one"},
            },
            {"type": "None", "message": None},
        ],
    }
    assert stored(client, "p8") is None  # nothing of the transaction was written
    assert stored(client, "p2")["rank"] == n(2)


def test_transact_get(client: Any, source: DynamoDataSource) -> None:
    seed(client, *SEEDED)
    result = ok(
        source.execute(
            {
                "operation": "TransactGetItems",
                "transactItems": [
                    {"table": "Post", "key": {"id": s("zz")}},
                    {
                        "table": TABLE,  # physical names work too
                        "key": {"id": s("p3")},
                        "projection": {"expression": "#o", "expressionNames": {"#o": "owner"}},
                    },
                ],
            }
        )
    )
    # (moto ignores a TransactGetItems projection; DynamoDB would return only owner)
    assert result["cancellationReasons"] is None
    assert result["items"][0] is None
    assert result["items"][1]["owner"] == "bob"


# --- errors ----------------------------------------------------------------------------


DYNAMODB_ERRORS: list[tuple[str, Request, str, str]] = [
    (
        "ValidationException is the SDK's DynamoDbException",
        {
            "operation": "Query",
            "query": {"expression": "#o = :o", "expressionNames": {"#o": "owner"}}
            | {"expressionValues": {":o": s("alice")}},
        },
        "DynamoDB:DynamoDbException",
        "Query condition missed key schema element",
    ),
    (
        "botocore's client-side check (Limit >= 1) reads the same",
        {"operation": "Scan", "limit": 0},
        "DynamoDB:DynamoDbException",
        "Invalid value for parameter Limit",
    ),
    (
        "a modelled exception keeps its name",
        {"operation": "BatchGetItem", "tables": {"Missing": {"keys": [{"id": s("1")}]}}},
        "DynamoDB:ResourceNotFoundException",
        "",
    ),
]


@pytest.mark.parametrize(
    ("request_", "error_type", "aws_text"),
    [c[1:] for c in DYNAMODB_ERRORS],
    ids=[c[0] for c in DYNAMODB_ERRORS],
)
def test_dynamodb_errors(
    client: Any, source: DynamoDataSource, request_: Request, error_type: str, aws_text: str
) -> None:
    seed(client, *SEEDED)
    outcome = source.execute(request_)
    error = failed(outcome, error_type)
    match = SERVICE_MESSAGE.match(error.message)
    assert match is not None, error.message
    assert aws_text in match["aws"]
    assert outcome.result is None


GET = {"operation": "GetItem", "key": {"id": s("p1")}}
MALFORMED: list[tuple[str, Any, str]] = [
    ("no operation", {"key": {"id": s("p1")}}, "'$[operation]' not found"),
    ("unknown operation", {"operation": "Frobnicate"}, "Unsupported operation 'Frobnicate'"),
    ("Sync needs versioning", {"operation": "Sync"}, "versioned data source"),
    ("no key", {"operation": "GetItem"}, "'$[key]' not found"),
    (
        "field of another operation",
        {"operation": "Scan", "scanIndexForward": True},
        "'scanIndexForward'",
    ),
    ("untyped value", GET | {"key": {"id": "p1"}}, "exactly one type key"),
    ("two type keys", GET | {"key": {"id": {"S": "a", "N": "1"}}}, "exactly one type key"),
    ("unknown type", GET | {"key": {"id": {"X": "a"}}}, "unknown attribute value type 'X'"),
    ("number not a string", GET | {"key": {"id": {"N": 1}}}, "must be given as a string"),
    ("not a number", GET | {"key": {"id": {"N": "one"}}}, "'one' is not a number"),
    ("bad base64", GET | {"key": {"id": {"B": "%%"}}}, "is not base64"),
    ("boolean as text", GET | {"consistentRead": "yes"}, "'consistentRead' must be a boolean"),
    ("limit as text", {"operation": "Scan", "limit": "10"}, "'limit' must be an integer"),
    ("bad select", {"operation": "Scan", "select": "COUNT"}, "'select' must be one of"),
    (
        "UpdateItem without update",
        {"operation": "UpdateItem", "key": {"id": s("p1")}},
        "'$[update]'",
    ),
    ("Query without query", {"operation": "Query", "index": INDEX}, "'$[query]' not found"),
    (
        "placeholder with two meanings",
        {
            "operation": "UpdateItem",
            "key": {"id": s("p1")},
            "update": {"expression": "SET #a = :a", "expressionNames": {"#a": "title"}}
            | {"expressionValues": {":a": s("x")}},
            "condition": {"expression": "attribute_exists(#a)", "expressionNames": {"#a": "id"}},
        },
        "expression name '#a' of 'condition' stands for 'id'",
    ),
    (
        "Custom conflict handler",
        {
            "operation": "DeleteItem",
            "key": {"id": s("p1")},
            "condition": EXISTS | {"conditionalCheckFailedHandler": {"strategy": "Custom"}},
        },
        "strategy 'Custom' is not supported",
    ),
    ("_version", {"operation": "DeleteItem", "key": {"id": s("p1")}, "_version": 1}, "versioned"),
    (
        "ConditionCheck without condition",
        {
            "operation": "TransactWriteItems",
            "transactItems": [
                {"table": "Post", "operation": "ConditionCheck", "key": {"id": s("p1")}}
            ],
        },
        "'$[condition]' not found",
    ),
]


@pytest.mark.parametrize(
    ("request_", "text"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED]
)
def test_malformed_requests_are_mapping_template_errors(
    source: DynamoDataSource, request_: Any, text: str
) -> None:
    outcome = source.execute(request_)
    error = failed(outcome, "MappingTemplate")
    assert text in error.message
    assert outcome.result is None


def test_a_malformed_request_writes_nothing(client: Any, source: DynamoDataSource) -> None:
    outcome = source.execute(
        {
            "operation": "TransactWriteItems",
            "transactItems": [
                {"table": "Post", "operation": "PutItem", "key": {"id": s("ok")}},
                {"table": "Post", "operation": "PutItem", "key": {"id": {"S": 5}}},
            ],
        }
    )
    failed(outcome, "MappingTemplate")
    assert stored(client, "ok") is None


# --- the update expression, for equalsIgnore -------------------------------------------

ITEM: dict[str, Any] = {"id": s("1"), "n": n(5), "tags": {"SS": ["a", "b"]}, "l": {"L": [s("x")]}}
ITEM |= {"m": {"M": {"inner": {"L": [n(1), n(2)]}}}}
UPDATES: list[tuple[str, str, dict[str, Any], Any]] = [
    ("SET arithmetic", "SET n = n + :v", {":v": n(2)}, ITEM | {"n": {"N": "7"}}),
    ("SET minus, keyword case", "set #n = #n - :v", {":v": n(6)}, ITEM | {"n": {"N": "-1"}}),
    ("if_not_exists present", "SET n = if_not_exists(n, :v)", {":v": n(0)}, ITEM),
    ("if_not_exists absent", "SET c = if_not_exists(c, :v)", {":v": n(0)}, ITEM | {"c": n(0)}),
    (
        "list_append",
        "SET l = list_append(l, :v)",
        {":v": {"L": [s("y")]}},
        ITEM | {"l": {"L": [s("x"), s("y")]}},
    ),
    (
        "nested path",
        "SET m.inner[1] = :v, m.inner[5] = :v",
        {":v": n(9)},
        ITEM | {"m": {"M": {"inner": {"L": [n(1), n(9), n(9)]}}}},
    ),
    (
        "REMOVE",
        "REMOVE tags, m.inner[0]",
        {},
        {k: v for k, v in ITEM.items() if k != "tags"} | {"m": {"M": {"inner": {"L": [n(2)]}}}},
    ),
    (
        "ADD to a number and a set",
        "ADD n :one, tags :c",
        {":one": n(1), ":c": {"SS": ["c", "a"]}},
        ITEM | {"n": {"N": "6"}, "tags": {"SS": ["a", "b", "c"]}},
    ),
    ("DELETE from a set", "DELETE tags :a", {":a": {"SS": ["a"]}}, ITEM | {"tags": {"SS": ["b"]}}),
    ("ADD to a new attribute", "ADD counter :one", {":one": n(1)}, ITEM | {"counter": n(1)}),
    (
        "DELETE the last element removes",
        "DELETE tags :ab",
        {":ab": {"SS": ["a", "b"]}},
        {k: v for k, v in ITEM.items() if k != "tags"},
    ),
    ("unknown placeholder: cannot tell", "SET n = :missing", {}, None),
    ("syntax error: cannot tell", "SET n == :v", {":v": n(1)}, None),
    ("reading a missing attribute: cannot tell", "SET n = nope + :v", {":v": n(1)}, None),
]


@pytest.mark.parametrize(
    ("expression", "values", "expected"),
    [c[1:] for c in UPDATES],
    ids=[c[0] for c in UPDATES],
)
def test_apply_update(expression: str, values: dict[str, Any], expected: Any) -> None:
    assert apply_update(ITEM, expression, {"#n": "n"}, values) == expected


# --- the generated resolvers, end to end -----------------------------------------------


def through(resolver: Any, who: Any, source: DynamoDataSource, **ctx: Any) -> Any:
    """Request handler -> data source -> response handler, as AppSync runs a unit resolver."""
    sent = resolver.request(who, **ctx)
    assert sent.error is None, sent.error
    done = source.execute(sent.result)
    after = ctx | {"result": done.result, "stash": sent.stash}
    if done.error is not None:
        after["error"] = done.error.to_json()
    return resolver.response(who, **after)


def test_generated_resolvers_run_against_the_data_source(source: DynamoDataSource) -> None:
    harness = pytest.importorskip("resolver_harness")
    from authorized_appsync.codegen.resolvers.plan import OperationKind

    rules = [harness.owner()]
    alice, bob = harness.ALICE, harness.BOB

    def resolver(kind: Any, **kw: Any) -> Any:
        return harness.Resolver(harness.plan(kind, rules, **kw))

    create = resolver(OperationKind.CREATE, owner_fields=tuple(rules))
    made = through(create, alice, source, arguments={"input": {"id": "p1", "title": "Hi"}})
    assert made.error is None, made.error
    assert made.result["owner"] == alice.owner_value  # as stored: the subscription event
    # the same create again by the same caller (the harness's clock is fixed): the item is
    # already as wanted, writer included (__writer), so AppSync counts it as done
    retry = through(create, alice, source, arguments={"input": {"id": "p1", "title": "Hi"}})
    assert retry.error is None
    assert retry.result == made.result
    # another caller sending the stored values learns nothing: a different writer
    bobs = through(create, bob, source, arguments={"input": {"id": "p1", "title": "Hi"}})
    assert bobs.error is not None
    clash = through(create, alice, source, arguments={"input": {"id": "p1", "title": "Other"}})
    assert clash.error.error_type == CONDITION_FAILED

    update = resolver(OperationKind.UPDATE)
    changes = {"input": {"id": "p1", "title": "Changed"}}
    assert through(update, bob, source, arguments=changes).error.error_type == "Unauthorized"
    missing = through(update, alice, source, arguments={"input": {"id": "zz", "title": "x"}})
    assert missing.error.error_type == CONDITION_FAILED
    assert "not found" in missing.error.message
    assert through(update, alice, source, arguments=changes).result["title"] == "Changed"

    listing = resolver(OperationKind.LIST)
    args = {"limit": 10}
    assert through(listing, bob, source, arguments=args).result["items"] == []
    mine = through(listing, alice, source, arguments=args).result
    assert [item["id"] for item in mine["items"]] == ["p1"]

    delete = resolver(OperationKind.DELETE)
    assert through(delete, bob, source, arguments={"input": {"id": "p1"}}).error is not None
    assert through(delete, alice, source, arguments={"input": {"id": "p1"}}).result["id"] == "p1"
    gone = through(delete, alice, source, arguments={"input": {"id": "p1"}})
    assert gone.error.error_type == CONDITION_FAILED
