"""Subscriptions in-process (``LocalAppSync.subscribe``): the template's own subscription
resolvers decide at subscribe time who may listen and install the enhanced filters; each
mutation then publishes its result to the subscribers whose filters and arguments match,
shaped by their selection sets (APPSYNC.md §7)."""

from __future__ import annotations

import pytest
from graphql import parse
from stacks import api_stack, ok

from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.engine import Caller, Published
from authorized_appsync.local.js.runner import HandlerOutcome
from authorized_appsync.local.subscriptions.hub import SubscriptionRefusedError

SCHEMA = """
type Post @model @auth(rules: [
  { allow: public, operations: [read] }
  { allow: owner }
  { allow: groups, groups: ["Admins"], operations: [read, delete] }
]) {
  title: String!
  content: String
  rating: Int
  draftNotes: String @auth(rules: [{ allow: owner }])
}

type Note @model @auth(rules: [{ allow: owner, ownerField: "editors" }]) {
  text: String
  editors: [String]
}

type Audit @model @auth(rules: [{ allow: groups, groups: ["Admins"] }]) {
  message: String
}

# A custom query returns Memo, so its guarded field is a Memo.body resolver of its own,
# which AppSync runs wherever a Memo is returned - subscription events included.
type Memo @model @auth(rules: [
  { allow: public, operations: [read] }
  { allow: owner }
  { allow: groups, groups: ["Admins"], operations: [read] }
]) {
  title: String!
  body: String @auth(rules: [{ allow: owner }])
}

type Query {
  pinnedMemo: Memo @auth(rules: [{ allow: public }])
}
"""

ON_CREATE = "subscription { onCreatePost { id title owner } }"
CREATE = """mutation($t: String!, $r: Int, $d: String) {
  createPost(input: {title: $t, rating: $r, draftNotes: $d}) {
    id title owner rating draftNotes } }"""
UPDATE = (
    "mutation($id: ID!, $t: String) { updatePost(input: {id: $id, title: $t}) { id title owner } }"
)


@pytest.fixture(scope="module")
def api():
    with LocalAppSync.from_stack(api_stack("Subscriptions", SCHEMA, api_key=True)) as local:
        yield local


def create(api, caller, title, **variables):
    return ok(api.graphql(CREATE, {"t": title, **variables}, auth=caller), "createPost")


def titles(subscription, field="onCreatePost"):
    return [event["data"][field]["title"] for event in subscription.events]


# -- who may listen, and to what -------------------------------------------------------


def test_an_owner_receives_only_their_own_posts(api):
    alice, bob = api.user("alice"), api.user("bob")
    with api.subscribe(ON_CREATE, auth=alice) as mine, api.subscribe(ON_CREATE, auth=bob) as his:
        create(api, alice, "alice 1")
        create(api, bob, "bob 1")
        create(api, alice, "alice 2")
        assert titles(mine) == ["alice 1", "alice 2"]
        assert titles(his) == ["bob 1"]
    event = mine.events[0]["data"]["onCreatePost"]
    # The owner as stored: what the owner subscription's filter judged.
    assert event["owner"] == f"{alice.identity['sub']}::alice"


def test_a_static_group_member_and_an_api_key_receive_every_post(api):
    admin = api.user("root", groups=("Admins",))
    with (
        api.subscribe(ON_CREATE, auth=admin) as moderator,
        api.subscribe(ON_CREATE, auth=api.api_key()) as public,
    ):
        create(api, api.user("alice"), "from alice")
        create(api, api.user("bob"), "from bob")
        assert titles(moderator) == ["from alice", "from bob"]
        assert titles(public) == ["from alice", "from bob"]


def test_a_mode_the_subscription_does_not_take_is_refused(api):
    # Note has only owner rules (user pools): the API key is not among the field's modes.
    with pytest.raises(SubscriptionRefusedError) as refused:
        api.subscribe("subscription { onCreateNote { id } }", auth=api.api_key())
    assert refused.value.errors == [
        {
            "errorType": "Unauthorized",
            "message": "Not Authorized to access onCreateNote on type Subscription",
        }
    ]


def test_the_subscription_resolver_refuses_a_user_outside_the_group(api):
    # The mode is right (user pools) but no rule admits bob: util.unauthorized() at
    # subscribe time. A member of Admins is admitted.
    with pytest.raises(SubscriptionRefusedError) as refused:
        api.subscribe("subscription { onCreateAudit { id } }", auth=api.user("bob"))
    assert refused.value.errors[0]["errorType"] == "Unauthorized"
    assert refused.value.errors[0]["message"] == (
        "Not Authorized to access onCreateAudit on type Subscription"
    )
    admin = api.user("root", groups=("Admins",))
    with api.subscribe("subscription { onCreateAudit { message } }", auth=admin) as audits:
        api.graphql('mutation { createAudit(input: {message: "m"}) { id message } }', auth=admin)
        assert audits.next(timeout=1) == {"data": {"onCreateAudit": {"message": "m"}}}


def test_a_subscription_field_a_lambda_authorizer_denies_is_refused(api):
    denied = Caller("API_KEY", None, frozenset({"Subscription.onCreatePost"}))
    with pytest.raises(SubscriptionRefusedError) as refused:
        api.subscribe(ON_CREATE, auth=denied)
    assert refused.value.errors[0]["errorType"] == "Unauthorized"


def test_editors_of_a_multi_owner_record_receive_it(api):
    alice, bob, carol = api.user("alice"), api.user("bob"), api.user("carol")
    listen = "subscription { onCreateNote { text editors } }"
    with api.subscribe(listen, auth=bob) as editor, api.subscribe(listen, auth=carol) as other:
        response = api.graphql(
            'mutation { createNote(input: {text: "shared", editors: ["alice", "bob"]}) '
            "{ id text editors } }",
            auth=alice,
        )
        assert "errors" not in response, response
        assert [e["data"]["onCreateNote"]["text"] for e in editor.events] == ["shared"]
        assert other.events == []


def test_the_operation_a_document_names_is_the_one_published(api):
    # A document holding a query and a mutation, the mutation picked by operationName (an
    # unnamed pick of several is a GraphQL error, and nothing runs).
    alice = api.user("alice")
    document = """query Q { listPosts { items { id } } }
      mutation M($t: String!) { createPost(input: {title: $t}) { id title owner } }"""
    with api.subscribe(ON_CREATE, auth=alice) as events:
        ok(api.graphql(document, {"t": "picked"}, auth=alice, operation_name="M"), "createPost")
        unnamed = api.graphql(document, {"t": "unnamed"}, auth=alice)
    assert unnamed["data"] is None
    assert titles(events) == ["picked"]


def test_a_denied_mutation_publishes_nothing(api):
    alice, bob = api.user("alice"), api.user("bob")
    post = create(api, alice, "original")
    listen = "subscription { onUpdatePost { id title } }"
    with api.subscribe(listen, auth=api.api_key()) as updates:
        denied = api.graphql(UPDATE, {"id": post["id"], "t": "hijacked"}, auth=bob)
        assert denied["data"] == {"updatePost": None}
        assert updates.events == []
        api.graphql(UPDATE, {"id": post["id"], "t": "edited"}, auth=alice)
        assert titles(updates, "onUpdatePost") == ["edited"]


# -- filters and arguments ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("{rating: {gt: 3}}", ["four", "five"]),
        ("{rating: {le: 3}}", ["three"]),
        ("{rating: {between: [4, 4]}}", ["four"]),
        ("{rating: {ne: 4}}", ["three", "five"]),
        ('{title: {beginsWith: "f"}}', ["four", "five"]),
        ('{title: {contains: "v"}}', ["five"]),
        ('{title: {notContains: "e"}}', ["four"]),
        ('{title: {in: ["three", "five"]}}', ["three", "five"]),
        ('{title: {notIn: ["three", "five"]}}', ["four"]),
        ('{or: [{title: {eq: "three"}}, {rating: {ge: 5}}]}', ["three", "five"]),
        ('{and: [{rating: {ge: 4}}, {title: {beginsWith: "fo"}}]}', ["four"]),
    ],
)
def test_the_filter_argument_selects_events(api, condition, expected):
    listen = f"subscription {{ onCreatePost(filter: {condition}) {{ title rating }} }}"
    with api.subscribe(listen, auth=api.api_key()) as filtered:
        alice = api.user("alice")
        for title, rating in (("three", 3), ("four", 4), ("five", 5)):
            create(api, alice, title, r=rating)
        assert titles(filtered) == expected


def test_an_owners_filter_narrows_their_own_events_only(api):
    alice, bob = api.user("alice"), api.user("bob")
    listen = 'subscription { onCreatePost(filter: {title: {beginsWith: "keep"}}) { title } }'
    with api.subscribe(listen, auth=alice) as mine:
        create(api, bob, "keep bob's")
        create(api, alice, "drop this")
        create(api, alice, "keep this")
        assert titles(mine) == ["keep this"]


def test_an_argument_must_equal_the_published_field(api):
    admin = api.user("root", groups=("Admins",))
    bob = api.user("bob")
    stored = f"{bob.identity['sub']}::bob"
    listen = "subscription($o: String) { onCreatePost(owner: $o) { title owner } }"
    with (
        api.subscribe(listen, {"o": stored}, auth=admin) as bobs,
        api.subscribe(listen, {"o": "bob"}, auth=admin) as by_username,
    ):
        create(api, api.user("alice"), "by alice")
        create(api, bob, "by bob")
        # A mutation that does not select `owner` publishes no owner to compare with.
        api.graphql('mutation { createPost(input: {title: "unselected"}) { id title } }', auth=bob)
        assert [e["data"]["onCreatePost"] for e in bobs.events] == [
            {"title": "by bob", "owner": stored}
        ]
        # Events carry the owner as stored, so the username alone matches no event stored
        # as "<sub>::<username>" (docs/semantics.md: the owner arguments of subscriptions).
        assert by_username.events == []


# -- what an event carries --------------------------------------------------------------


def test_an_event_holds_what_the_mutation_selected(api):
    alice = api.user("alice")
    listen = "subscription { onCreatePost { id title content rating } }"
    with (
        api.subscribe(listen, auth=api.api_key()) as public,
        api.subscribe(listen, auth=alice) as mine,
    ):
        response = api.graphql(
            'mutation { made: createPost(input: {title: "t", content: "c", rating: 2}) '
            "{ id heading: title rating } }",
            auth=alice,
        )
        made = response["data"]["made"]
        assert public.next(timeout=1) == {
            "data": {"onCreatePost": {"id": made["id"], "title": "t", "content": None, "rating": 2}}
        }
        # The owner's filter tests `owner`, which this mutation did not select: filters see
        # the published event only, so owner subscriptions need mutations that select the
        # owner field (nothing is delivered on a field the event lacks).
        assert mine.events == []


def test_field_protected_values_are_null_in_events(api):
    alice = api.user("alice")
    admin = api.user("root", groups=("Admins",))
    listen = "subscription { onCreatePost { title draftNotes } }"
    with api.subscribe(listen, auth=admin) as moderator, api.subscribe(listen, auth=alice) as mine:
        create(api, alice, "with notes", d="private")
        assert moderator.events == [
            {"data": {"onCreatePost": {"title": "with notes", "draftNotes": None}}}
        ]
        assert mine.events == [
            {"data": {"onCreatePost": {"title": "with notes", "draftNotes": None}}}
        ]


def test_field_read_resolvers_run_for_each_subscriber(api):
    # Memo.body is a resolver of its own (a custom query returns Memo). Even if a mutation
    # result carried a field-protected value, each subscriber's own read rule decides: the
    # owner sees it, a moderator and an API key get null.
    assert ("Memo", "body") in api.api.resolvers
    alice = api.user("alice")
    listen = "subscription { onCreateMemo { title body } }"
    with (
        api.subscribe(listen, auth=alice) as owner,
        api.subscribe(listen, auth=api.user("root", groups=("Admins",))) as moderator,
        api.subscribe(listen, auth=api.api_key()) as public,
    ):
        document = parse('mutation { createMemo(input: {title: "x"}) { title owner body } }')
        event = {"createMemo": {"title": "x", "owner": "alice", "body": "secret"}}
        with api.lock:
            api.subscriptions.publish(Published(document, event, ()))
        assert owner.events[0]["data"]["onCreateMemo"]["body"] == "secret"
        assert moderator.events[0]["data"]["onCreateMemo"]["body"] is None
        assert public.events[0]["data"]["onCreateMemo"]["body"] is None


def test_a_model_no_other_field_returns_has_no_field_resolver(api):
    # Post.draftNotes is guarded by the resolvers returning Posts; events carry the mutation's
    # response, where the protected field is already null (the test above this one's).
    assert ("Post", "draftNotes") not in api.api.resolvers


# -- lifetime ----------------------------------------------------------------------------


def test_closing_a_subscription_stops_delivery(api):
    alice = api.user("alice")
    subscription = api.subscribe(ON_CREATE, auth=alice)
    create(api, alice, "before")
    subscription.close()
    create(api, alice, "after")
    assert titles(subscription) == ["before"]
    assert subscription.next(timeout=1)["data"]["onCreatePost"]["title"] == "before"
    with pytest.raises(EOFError):
        subscription.next(timeout=1)


def test_next_times_out_when_nothing_is_published(api):
    with api.subscribe(ON_CREATE, auth=api.user("alice")) as quiet, pytest.raises(TimeoutError):
        quiet.next(timeout=0.05)


def test_an_invalidation_ends_matching_subscriptions(api):
    alice = api.user("alice")
    with (
        api.subscribe(ON_CREATE, auth=alice) as kept,
        api.subscribe(ON_CREATE, auth=alice) as ended,
    ):
        # What a subscription response handler's setSubscriptionInvalidationFilter and a
        # mutation response handler's invalidateSubscriptions would leave.
        hub = api.subscriptions
        ended._listener.invalidation_filter = {
            "filterGroup": [{"filters": [{"fieldName": "id", "operator": "eq", "value": "p1"}]}]
        }
        invalidate = HandlerOutcome(
            result=None,
            invalidations=({"subscriptionField": "onCreatePost", "payload": {"id": "p1"}},),
        )
        with api.lock:
            hub.publish(
                Published(parse("mutation { x: __typename }"), {"x": "Mutation"}, (invalidate,))
            )
        assert ended.completed
        assert not kept.completed
        create(api, alice, "still listening")
        assert titles(kept) == ["still listening"]
        assert ended.events == []


@pytest.mark.parametrize(
    ("query", "error_type"),
    [
        ("{ listPosts { items { id } } }", "UnsupportedOperation"),
        ("subscription { onCreatePost { nosuch } }", "ValidationError"),
        ("subscription {", "ValidationError"),
    ],
)
def test_what_is_not_a_subscription_is_refused(api, query, error_type):
    with pytest.raises(SubscriptionRefusedError) as refused:
        api.subscribe(query, auth=api.api_key())
    assert refused.value.errors[0]["errorType"] == error_type
