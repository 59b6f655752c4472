"""A field guard's error names the field the caller asked for and may not read.

docs/semantics.md, "Field guards": the guard returns null "with `Not Authorized to access
<field> on type <M>` when the client selected the field". Found by the conformance oracle
(tests/conformance): when none of the field's *read* rules has the caller's provider but
another of its rules does (here a user-pool group may only create it), the field's
directive admits the caller's mode, so the error is the guard's to give; it judged the mode
by the read rules alone and nulled the field silently. The plan's `guardModes` now carries
the directive's modes for such fields.
"""

from __future__ import annotations

import pytest
from stacks import api_stack

from authorized_appsync.local.app import LocalAppSync

SCHEMA = """
type Memo @model(timestamps: null, subscriptions: null) @auth(rules: [{ allow: private }]) {
  id: ID!
  title: String
  secret: String @auth(rules: [
    { allow: private, provider: oidc, operations: [read] }
    { allow: groups, groups: ["Staff"], operations: [create] }
  ])
}
"""


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(api_stack("GuardErrors", SCHEMA, oidc=True)) as local:
        yield local


def test_a_user_pool_reader_denied_a_field_gets_its_error(api):
    staff = api.user("sam", groups=("Staff",))
    made = api.graphql(
        'mutation { createMemo(input: {title: "t", secret: "s"}) { id } }', auth=staff
    )
    memo = made["data"]["createMemo"]["id"]
    got = api.graphql(
        "query($id: ID!) { getMemo(id: $id) { id title secret } }",
        {"id": memo},
        auth=api.user("bob"),
    )
    assert got["data"]["getMemo"] == {"id": memo, "title": "t", "secret": None}
    assert [e["message"] for e in got.get("errors", [])] == [
        "Not Authorized to access secret on type Memo"
    ]
