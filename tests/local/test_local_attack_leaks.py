"""Attacks: a protected field leaking through any channel. An owner-only SSN (a field with
its own ``@auth``, also the sort key of an index) is read by another signed-in user through
every door the API has: get, list, the index query and its page token, a mutation's
response, subscription events, and the error messages of requests the rules refuse. A
unique canary value stands for the SSN; it must appear in nothing the attacker receives,
decoded page tokens included.

Seed 003: "When an authorization rule is added to a field, it'll strictly define the
authorization rules applied on the field."
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from typing import Any

import pytest
from stacks import api_stack, ok

from authorized_appsync.local.app import LocalAppSync

CANARY = "SSN-CANARY-7f3a9c01"
SCHEMA = """
type Patient @model @auth(rules: [
  { allow: owner },
  { allow: private, operations: [read, update] }
]) {
  name: String
  ward: String @index(name: "byWard", queryField: "patientsByWard", sortKeyFields: ["ssn"])
  ssn: String @auth(rules: [{ allow: owner }])
}
"""
FIELDS = "id name ward ssn owner"
CREATE = f"mutation($i: CreatePatientInput!) {{ createPatient(input: $i) {{ {FIELDS} }} }}"
GET = f"query($id: ID!) {{ getPatient(id: $id) {{ {FIELDS} }} }}"
LIST = (
    f"query($f: ModelPatientFilterInput) {{ listPatients(filter: $f) {{ items {{ {FIELDS} }} }} }}"
)
BY_WARD = f"""query($ssn: ModelStringKeyConditionInput, $limit: Int, $next: String) {{
  patientsByWard(ward: "W1", ssn: $ssn, limit: $limit, nextToken: $next) {{
    items {{ {FIELDS} }} nextToken }} }}"""
UPDATE = f"""mutation($i: UpdatePatientInput!, $c: ModelPatientConditionInput) {{
  updatePatient(input: $i, condition: $c) {{ {FIELDS} }} }}"""
DELETE = f"mutation($id: ID!) {{ deletePatient(input: {{id: $id}}) {{ {FIELDS} }} }}"
ON_CREATE = f"subscription {{ onCreatePatient {{ {FIELDS} }} }}"
ON_UPDATE = f"subscription {{ onUpdatePatient {{ {FIELDS} }} }}"


def decoded(value: object, depth: int = 3) -> Iterator[str]:
    """``value`` as text, and every string in it read as base64 (again, to ``depth``)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from decoded(item, depth)
    elif isinstance(value, list):
        for item in value:
            yield from decoded(item, depth)
    elif isinstance(value, str):
        yield value
        if depth == 0 or len(value) < 8:
            return
        try:
            raw = base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_")
        except (binascii.Error, ValueError):
            return
        text = raw.decode("utf-8", "replace")
        yield text
        try:
            yield from decoded(json.loads(text), depth - 1)
        except ValueError:
            yield from decoded(text, depth - 1) if text != value else iter(())


def leaks(response: Any) -> bool:
    """Whether the canary is anywhere in ``response``, page tokens decoded."""
    return any(CANARY in text for text in decoded(response)) or CANARY in json.dumps(response)


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(api_stack("Leaks", SCHEMA)) as local:
        yield local


@pytest.fixture(scope="module")
def patient(api) -> dict[str, Any]:
    alice = api.user("alice")
    for n in range(3):  # neighbours, so the index query pages
        made = api.graphql(
            CREATE, {"i": {"name": f"n{n}", "ward": "W1", "ssn": f"X{n}"}}, auth=alice
        )
        ok(made, "createPatient")
    made = api.graphql(CREATE, {"i": {"name": "p", "ward": "W1", "ssn": CANARY}}, auth=alice)
    created = ok(made, "createPatient")
    # The owner reads it: the detector sees the canary when it is there.
    assert leaks(api.graphql(GET, {"id": created["id"]}, auth=alice))
    return created


def test_attack_the_detector_finds_the_canary_in_a_page_token(api, patient):
    # A page token holding the key in clear would be caught: base64 JSON inside base64.
    inner = base64.b64encode(json.dumps({"ward": "W1", "ssn": CANARY}).encode()).decode()
    envelope = base64.b64encode(json.dumps({"version": 1, "token": inner}).encode()).decode()
    assert leaks({"nextToken": envelope})


def test_attack_leak_through_get_and_list(api, patient):
    mallory = api.user("mallory")
    got = api.graphql(GET, {"id": patient["id"]}, auth=mallory)
    assert got["data"]["getPatient"]["ssn"] is None
    assert got["data"]["getPatient"]["name"] == "p"
    listed = api.graphql(LIST, auth=mallory)
    assert [i["ssn"] for i in listed["data"]["listPatients"]["items"]] == [None] * 4
    assert not leaks(got)
    assert not leaks(listed)


def test_attack_leak_through_the_index_query_and_its_page_tokens(api, patient):
    mallory = api.user("mallory")
    seen, token, pages = [], None, 0
    while True:
        page = api.graphql(BY_WARD, {"limit": 1, "next": token}, auth=mallory)
        assert not leaks(page), page
        result = page["data"]["patientsByWard"]
        seen += result["items"]
        token, pages = result["nextToken"], pages + 1
        if token is None:
            break
    assert pages >= 4  # the tokens stood on the canary's item
    assert patient["id"] in [i["id"] for i in seen]
    assert {i["ssn"] for i in seen} == {None}
    # The attacker's token is opaque to them, but still works for the owner's next page.
    owners = api.graphql(BY_WARD, {"limit": 2}, auth=api.user("alice"))
    assert ok(owners, "patientsByWard")["nextToken"]


@pytest.mark.parametrize(
    "question",
    [
        {"beginsWith": CANARY[:8]},
        {"between": [CANARY[:-1], CANARY[:-1] + "~"]},
        {"eq": "SSN-CANARY-0000000"},
    ],
    ids=["beginsWith", "between", "eq"],
)
def test_attack_leak_through_questions_on_the_index_sort_key(api, patient, question):
    # Asked of the sort key, a matching and a failing question answer alike.
    mallory = api.user("mallory")
    answer = api.graphql(BY_WARD, {"ssn": question}, auth=mallory)
    miss = api.graphql(BY_WARD, {"ssn": {"beginsWith": "NO-SUCH-PREFIX"}}, auth=mallory)
    assert answer == miss
    assert not leaks(answer)


def test_attack_leak_through_mutation_responses(api, patient):
    mallory = api.user("mallory")
    renamed = api.graphql(UPDATE, {"i": {"id": patient["id"], "name": "renamed"}}, auth=mallory)
    assert renamed["data"]["updatePatient"]["name"] == "renamed"
    assert renamed["data"]["updatePatient"]["ssn"] is None  # with its Unauthorized error
    refused = [
        api.graphql(UPDATE, {"i": {"id": patient["id"], "ssn": "000"}}, auth=mallory),
        api.graphql(
            UPDATE,
            {"i": {"id": patient["id"], "name": "x"}, "c": {"ssn": {"beginsWith": "SSN"}}},
            auth=mallory,
        ),
        api.graphql(DELETE, {"id": patient["id"]}, auth=mallory),
        # A create on the taken key: the failed condition reads the stored item back.
        api.graphql(CREATE, {"i": {"id": patient["id"], "name": "dup"}}, auth=mallory),
    ]
    for response in [renamed, *refused]:
        assert not leaks(response), response
    for response in refused:
        assert response["errors"], response
    assert (
        ok(api.graphql(GET, {"id": patient["id"]}, auth=api.user("alice")), "getPatient")["ssn"]
        == CANARY
    )


def test_attack_leak_through_subscription_events(api, patient):
    alice, mallory = api.user("alice"), api.user("mallory")
    with (
        api.subscribe(ON_CREATE, auth=mallory) as created,
        api.subscribe(ON_UPDATE, auth=mallory) as updated,
        api.subscribe(ON_UPDATE, auth=alice) as owners,
    ):
        made = api.graphql(CREATE, {"i": {"name": "q", "ward": "W2", "ssn": CANARY}}, auth=alice)
        new_id = ok(made, "createPatient")["id"]
        changed = api.graphql(UPDATE, {"i": {"id": new_id, "ssn": CANARY + "!"}}, auth=alice)
        ok(changed, "updatePatient")
        events = created.events + updated.events
    assert len(events) == 2
    assert {e["data"][f]["ssn"] for e in events for f in e["data"]} == {None}
    assert not leaks(events)
    # Mutation responses null protected fields for everyone, the owner too: the response
    # is what subscribers receive, and they may differ (docs/semantics.md).
    assert changed["data"]["updatePatient"]["ssn"] is None
    assert [e["data"]["onUpdatePatient"]["ssn"] for e in owners.events] == [None]


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (GET, {"id": {"a": 1}}),
        (GET, {}),
        (LIST, {"f": {"ssn": {"eq": "x"}}}),
        (LIST, {"f": {"or": [{"name": {"eq": "p"}}, {"ssn": {"beginsWith": "S"}}]}}),
        (BY_WARD, {"next": "not-a-token"}),
        (BY_WARD, {"limit": -1}),
        ("query { getPatient(id: 1) { ssn nope } }", {}),
    ],
    ids=["id-type", "no-id", "filter", "filter-under-or", "bad-token", "bad-limit", "invalid"],
)
def test_attack_leak_through_error_messages(api, patient, query, variables):
    response = api.graphql(query, variables, auth=api.user("mallory"))
    assert response.get("errors"), response
    assert not leaks(response), response
