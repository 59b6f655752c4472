"""An owner is not locked out of their own records by a field rule that lets others read
one field.

docs/semantics.md, "Partial readers": on an owner-only ``Profile`` whose ``name`` every
signed-in user may read, the other users are partial readers; the owner is not ("callers
only field rules admit"), and "a key is always a conjunct, so there an owner or
dynamic-group read rule counts and confines the question". Found by the conformance oracle
(tests/conformance): the owner, also admitted by the field's ``private`` rule, was treated
as a partial reader for the key, so ``getProfile(id)`` of her own profile was Unauthorized.
"""

from __future__ import annotations

import pytest
from stacks import api_stack, assert_denied, ok

from authorized_appsync.local.app import LocalAppSync

SCHEMA = """
type Profile @model(subscriptions: null) @auth(rules: [{ allow: owner }]) {
  id: ID!
  name: String @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }])
  bio: String
}
"""

CREATE = 'mutation($n: String) { createProfile(input: {name: $n, bio: "b"}) { id } }'
GET = "query($id: ID!) { getProfile(id: $id) { id name bio } }"


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(api_stack("PartialOwnerKeys", SCHEMA)) as local:
        yield local


def test_the_owner_gets_her_own_profile_by_its_id(api):
    alice = api.user("alice")
    mine = ok(api.graphql(CREATE, {"n": "Alice"}, auth=alice), "createProfile")["id"]
    got = api.graphql(GET, {"id": mine}, auth=alice)
    assert ok(got, "getProfile") == {"id": mine, "name": "Alice", "bio": "b"}


def test_her_key_is_confined_to_her_records(api):
    alice = api.user("alice")
    ok(api.graphql(CREATE, {"n": "Alice"}, auth=alice), "createProfile")
    bobs = ok(api.graphql(CREATE, {"n": "Bob"}, auth=api.user("bob")), "createProfile")["id"]
    # Bob's profile, which she reads only partially, answers as no profile at all, as it
    # does for every signed-in user but Bob (each may own profiles, none owns this one).
    assert ok(api.graphql(GET, {"id": bobs}, auth=alice), "getProfile") is None
    assert ok(api.graphql(GET, {"id": bobs}, auth=api.user("carol")), "getProfile") is None
    # A filter on a field the model's rules govern stays refused to her: it would be
    # answered on the records she reads partially too.
    listed = api.graphql('{ listProfiles(filter: {bio: {eq: "b"}}) { items { id } } }', auth=alice)
    assert_denied(listed, "listProfiles")
