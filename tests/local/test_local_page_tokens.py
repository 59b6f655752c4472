"""Page tokens are opaque (finding 11 of the security review): AppSync's ``nextToken`` holds
the ``LastEvaluatedKey`` encrypted, so a token says nothing of the item a page stopped at. A
key attribute may be a field the caller may not read (an owner-only sort key, an index key on a
protected field): the local token must not carry it in clear either. Altered tokens are still
refused as AppSync refuses them, and pages still chain."""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from stacks import api_stack, ok

from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.dynamodb.tokens import InvalidPageTokenError, PageTokens

# Values long enough that random ciphertext (decoded every way) cannot hold one by chance:
# a two-digit number appeared in about one token in a few hundred.
SECRET_KEY = {
    "ssn": {"S": "078-05-1120"},
    "tenant": {"S": "acme-private"},
    "n": {"N": "73914058263"},
}
KEY_VALUES = ("078-05-1120", "acme-private", "73914058263")
BASE64 = re.compile(r"[A-Za-z0-9+/=_-]{8,}")


def every_decoding(text: str, depth: int = 3) -> Iterator[bytes]:
    """``text`` and everything base64 inside it, decoded again and again (JSON strings too):
    what anyone holding the token can read without a key."""
    yield text.encode()
    if depth == 0:
        return
    for chunk in BASE64.findall(text):
        for alphabet in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                raw = alphabet(chunk + "=" * (-len(chunk) % 4))
            except (binascii.Error, ValueError):
                continue
            yield raw
            inner = raw.decode("utf-8", errors="ignore")
            with contextlib.suppress(ValueError):
                inner = json.dumps(json.loads(inner))
            yield from every_decoding(inner, depth - 1)


def test_finding_11_a_page_token_holds_no_key_value():
    tokens = PageTokens(b"k" * 32)
    token = tokens.encode("Member-local", "byTenant", SECRET_KEY)
    assert token is not None
    readable = b"\n".join(every_decoding(token))
    for value in KEY_VALUES:
        assert value.encode() not in readable, (value, readable)
    for name in SECRET_KEY:
        assert f'"{name}"'.encode() not in readable
    # AppSync's envelope shape: base64 of {"version": ..., "token": ...}.
    envelope = json.loads(base64.b64decode(token))
    assert set(envelope) == {"version", "token"}
    assert tokens.decode(token, "Member-local", "byTenant") == SECRET_KEY


def test_the_same_position_gives_a_new_token_each_time():
    tokens = PageTokens(b"k" * 32)
    first = tokens.encode("T", None, SECRET_KEY)
    assert first != tokens.encode("T", None, SECRET_KEY)  # a fresh nonce: no linkable tokens


def _flip(token: str, where: int) -> str:
    envelope = json.loads(base64.b64decode(token))
    sealed = bytearray(base64.b64decode(envelope["token"]))
    sealed[where] ^= 0x01
    envelope["token"] = base64.b64encode(bytes(sealed)).decode()
    return base64.b64encode(json.dumps(envelope).encode()).decode()


def _envelope(**fields: Any) -> str:
    return base64.b64encode(json.dumps(fields).encode()).decode()


CLEAR = _envelope(version=1, token={"id": {"S": "p1"}}, mac="AAAA")


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: _flip(t, 0),  # the nonce
        lambda t: _flip(t, 20),  # the ciphertext
        lambda t: _flip(t, -1),  # the tag
        lambda t: _envelope(version=2, token="AAAA"),  # too short to hold a tag
        lambda t: _envelope(version=2, token={"id": {"S": "p1"}}),  # a key in clear
        lambda _t: CLEAR,  # the old clear envelope, whatever its MAC
        lambda t: t + "x",
    ],
    ids=["nonce", "ciphertext", "tag", "short", "clear key", "old envelope", "appended"],
)
def test_finding_11_a_tampered_token_is_refused(tamper):
    tokens = PageTokens(b"k" * 32)
    token = tokens.encode("T", None, SECRET_KEY)
    with pytest.raises(InvalidPageTokenError):
        tokens.decode(tamper(token), "T", None)


def test_a_token_opens_only_for_its_table_index_and_key():
    tokens = PageTokens(b"k" * 32)
    token = tokens.encode("T", "byTenant", SECRET_KEY)
    assert token is not None
    for table, index in (("T", None), ("Other", "byTenant"), ("T", "byOwner")):
        with pytest.raises(InvalidPageTokenError):
            tokens.decode(token, table, index)
    with pytest.raises(InvalidPageTokenError):
        PageTokens(b"another key").decode(token, "T", "byTenant")


MEMBER = """
type Member @model @auth(rules: [{ allow: public, provider: apiKey, operations: [read] }]) {
  tenant: String! @primaryKey(sortKeyFields: ["ssn"])
  ssn: String!
  name: String
}
"""
PAGE = """query($n: String) { listMembers(limit: 2, nextToken: $n) {
  items { name } nextToken } }"""


@pytest.fixture(scope="module")
def members():
    stack = api_stack("PageTokens", MEMBER, default_mode="API_KEY", user_pool=False, api_key=True)
    with LocalAppSync.from_stack(stack) as local:
        table = next(t.name for t in local.api.tables.values() if "Member" in t.name)
        for n in range(5):
            local.client.put_item(
                TableName=table,
                Item={
                    "tenant": {"S": "acme-private"},
                    "ssn": {"S": f"078-05-112{n}"},
                    "name": {"S": f"m{n}"},
                    "__typename": {"S": "Member"},
                },
            )
        yield local


def test_finding_11_pages_chain_and_their_tokens_name_no_key(members):
    token, names, tokens = None, [], []
    while True:
        page = ok(members.graphql(PAGE, {"n": token}, auth=members.api_key()), "listMembers")
        names += [item["name"] for item in page["items"]]
        token = page["nextToken"]
        if token is None:
            break
        tokens.append(token)
    assert sorted(names) == [f"m{n}" for n in range(5)]
    assert tokens, "five items, two a page: there are tokens"
    for token in tokens:
        readable = b"\n".join(every_decoding(token))
        assert b"078-05" not in readable
        assert b"acme-private" not in readable
