"""Questions about fields (resolvers/lib/questions.js): a filter, a condition and a key
argument each reveal the fields they name through their answer (which records match,
whether a record with that key exists, whether the write succeeds), so every one is judged
by the same grant: what the caller may read of the field.

The model here: anyone with the API key, and every signed-in user, may read a Person;
`ssn` is its owner's alone (an owner rule, a record predicate) and the Admins group's (a
static rule). Key arguments may be confined to the records a predicate admits on; a filter
or a condition needs a static grant (docs/semantics.md "Questions about fields").
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from authorized_appsync.codegen.resolvers.plan import OperationKind, ResolverPlan, SecuritySettings
from authorized_appsync.local.js.runner import HandlerOutcome
from resolver_harness import (
    ALICE,
    API_KEY,
    BOB,
    CAROL,
    IAM_ADMIN,
    IAM_USER,
    LAMBDA,
    UNAUTHORIZED,
    Caller,
    Resolver,
    custom,
    from_ddb,
    owner,
    plan,
    private,
    public,
    static_groups,
)

ADMINS = static_groups("Admins")
SSN_RULES = [owner(), ADMINS]
PERSON_RULES = [public(), private(), owner(), ADMINS]
NOT_FOUND = "Person not found: no item has this key."
CONDITION_FAILED = "DynamoDB:ConditionalCheckFailedException"


def person(kind: OperationKind, **kw: Any) -> ResolverPlan:
    kw.setdefault("read_rules", {"ssn": SSN_RULES})
    return plan(kind, kw.pop("rules", PERSON_RULES), model="Person", **kw)


def by_region(sort_key: str | None = "ssn", partition_key: str = "region") -> ResolverPlan:
    """The @index "byRegion" of Person: region, sorted by ssn."""
    return person(
        OperationKind.QUERY_INDEX,
        index_name="byRegion",
        index_partition_key=partition_key,
        index_sort_key=sort_key,
    )


def teams() -> ResolverPlan:
    """Person keyed by team, sorted by ssn (a composite primary key)."""
    return person(OperationKind.LIST, partition_key="team", sort_key="ssn")


def assert_refused(got: HandlerOutcome) -> None:
    assert got.error is not None, f"the question was answered: {got.result}"
    assert got.error.error_type == UNAUTHORIZED
    assert got.result is None


def assert_sent(got: HandlerOutcome) -> dict[str, Any]:
    assert got.error is None, got.error
    assert isinstance(got.result, dict)
    return got.result


def filter_of(sent: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    expr = sent["filter"]
    return expr["expression"], {k: from_ddb(v) for k, v in expr["expressionValues"].items()}


# ---- finding 2: key arguments ---------------------------------------------------------------

RANGES = {
    "beginsWith": {"beginsWith": "12"},
    "between": {"between": ["100", "199"]},
    "gt": {"gt": "5"},
    "ge": {"ge": "5"},
    "lt": {"lt": "5"},
    "le": {"le": "5"},
    "eq": {"eq": "123-45-6789"},
}


def test_finding_2_an_index_sort_key_condition_on_a_protected_field_is_refused() -> None:
    # The attack: binary search of an owner-only SSN with beginsWith on the index's sort
    # key, ~70 queries with the API key. Each one is refused before DynamoDB is asked.
    sent = Resolver(by_region()).request(
        API_KEY, arguments={"region": "eu", "ssn": {"beginsWith": "12"}}
    )
    assert_refused(sent)


@pytest.mark.parametrize("condition", list(RANGES.values()), ids=list(RANGES))
def test_every_sort_key_condition_on_a_protected_field_is_refused(
    condition: dict[str, Any],
) -> None:
    args = {"region": "eu", "ssn": condition}
    assert_refused(Resolver(by_region()).request(API_KEY, arguments=args))
    table = {"team": "t1", "ssn": condition}
    assert_refused(Resolver(teams()).request(API_KEY, arguments=table))


def test_an_index_partition_key_on_a_protected_field_is_refused() -> None:
    by_ssn = by_region(sort_key=None, partition_key="ssn")
    assert_refused(Resolver(by_ssn).request(API_KEY, arguments={"ssn": "123-45-6789"}))


def test_a_get_naming_a_protected_sort_key_is_refused_to_who_may_never_read_it() -> None:
    get = Resolver(person(OperationKind.GET, partition_key="team", sort_key="ssn"))
    assert_refused(get.request(API_KEY, arguments={"team": "t1", "ssn": "123-45-6789"}))


def test_a_get_on_a_record_whose_key_the_caller_may_not_read_finds_nothing() -> None:
    # Bob may read ssn on his own records only: his get is confined to them. Alice's
    # record answers as no record at all, so Bob cannot brute-force her SSN by get.
    get = Resolver(person(OperationKind.GET, partition_key="team", sort_key="ssn"))
    args = {"team": "t1", "ssn": "123-45-6789"}
    sent = get.request(BOB, arguments=args)
    assert sent.error is None
    alices = {"team": "t1", "ssn": "123-45-6789", "owner": ALICE.owner_value, "name": "A"}
    got = get.response(BOB, arguments=args, stash=sent.stash, result=alices)
    assert (got.error, got.result) == (None, None)
    # Alice herself finds it; so does an Admin (static).
    mine = get.response(ALICE, arguments=args, stash=get.request(ALICE, arguments=args).stash)
    assert mine.result is None  # no item: null as ever
    mine = get.response(
        ALICE, arguments=args, stash=get.request(ALICE, arguments=args).stash, result=alices
    )
    assert mine.error is None
    assert mine.result["ssn"] == "123-45-6789"
    admin = get.response(
        CAROL, arguments=args, stash=get.request(CAROL, arguments=args).stash, result=alices
    )
    assert admin.result["ssn"] == "123-45-6789"


def test_an_owner_queries_by_her_own_protected_key_confined_to_her_records() -> None:
    for resolver, args in (
        (Resolver(by_region()), {"region": "eu", "ssn": {"beginsWith": "12"}}),
        (Resolver(teams()), {"team": "t1", "ssn": {"beginsWith": "12"}}),
    ):
        sent = assert_sent(resolver.request(ALICE, arguments=args))
        assert sent["operation"] == "Query"
        expression, values = filter_of(sent)
        # Her owner predicate joins the filter: others' records never match on ssn.
        assert expression == "#owner IN (:auth0, :auth1, :auth2)"
        assert sorted(values.values()) == sorted([ALICE.owner_value, ALICE.sub, "alice"])


@pytest.mark.parametrize("who", [CAROL, IAM_ADMIN], ids=["static reader", "admin role"])
def test_static_readers_and_admins_query_by_a_protected_key_unconfined(who: Caller) -> None:
    sent = assert_sent(
        Resolver(by_region()).request(who, arguments={"region": "eu", "ssn": {"gt": "1"}})
    )
    assert "filter" not in sent
    iam_mode = SecuritySettings(iam_authorization_mode=True)
    sent = assert_sent(
        Resolver(teams(), iam_mode).request(IAM_USER, arguments={"team": "t1", "ssn": {"gt": "1"}})
    )
    assert "filter" not in sent


def test_keys_the_model_rules_govern_stay_open() -> None:
    args = {"region": "eu", "name": {"beginsWith": "A"}}
    sent = Resolver(by_region(sort_key="name")).request(API_KEY, arguments=args)
    assert "filter" not in assert_sent(sent)


# ---- keys of writes -------------------------------------------------------------------------


def write(kind: OperationKind, **kw: Any) -> Resolver:
    return Resolver(person(kind, partition_key="team", sort_key="ssn", **kw))


@pytest.mark.parametrize("kind", [OperationKind.UPDATE, OperationKind.DELETE])
def test_a_write_keyed_by_a_hidden_value_is_not_found_on_someone_elses_record(
    kind: OperationKind,
) -> None:
    resolver = write(kind, rules=[public(), private()])
    args = {"input": {"team": "t1", "ssn": "123-45-6789"}}
    assert_refused(resolver.request(API_KEY, arguments=args))  # never readable to the key
    sent = resolver.request(BOB, arguments=args)
    expression = assert_sent(sent)["condition"]["expression"]
    assert expression == "(attribute_exists(#team)) AND (#owner IN (:auth0, :auth1, :auth2))"
    # Alice's record holds that key: Bob learns no more than from a missing record.
    alices = {"team": "t1", "ssn": "123-45-6789", "owner": ALICE.owner_value}
    got = resolver.response(
        BOB,
        arguments=args,
        stash=sent.stash,
        result=alices,
        error={"message": "The conditional request failed", "type": CONDITION_FAILED},
    )
    assert got.error is not None
    assert (got.error.message, got.error.error_type) == (NOT_FOUND, CONDITION_FAILED)


# ---- finding 3: conditions of field-only writers ----------------------------------------------

# Notes are their owners'; any signed-in user may update `likes`, which only the owner reads.
LIKES = {"likes": [owner(), private()]}


def note(kind: OperationKind = OperationKind.UPDATE, likes: dict[str, Any] = LIKES) -> Resolver:
    return Resolver(
        plan(
            kind,
            [owner()],
            model="Note",
            field_rules=likes,
            read_rules={"likes": [owner()], "secret": [owner()]},
            view_rules=(owner(),),
        )
    )


def like(who: Caller, condition: dict[str, Any] | None, resolver: Resolver | None = None) -> Any:
    args = {"input": {"id": "n1", "likes": 3}, "condition": condition}
    resolver = resolver or note()
    return resolver, args, resolver.request(who, arguments=args)


def failed_on(resolver: Resolver, who: Caller, args: dict[str, Any], stash: Any) -> Any:
    alices = {"id": "n1", "owner": ALICE.owner_value, "content": "private thoughts"}
    return resolver.response(
        who,
        arguments=args,
        stash=stash,
        result=alices,
        error={"message": "The conditional request failed", "type": CONDITION_FAILED},
    )


def test_finding_3_a_field_only_updater_may_not_condition_on_what_they_cannot_read() -> None:
    # Bob may like Alice's note but not read it: `condition: {content: {beginsWith: ...}}`
    # would tell him her content from success vs ConditionalCheckFailed. His condition is
    # confined to the notes he may read (his own), so on hers the answer is Unauthorized,
    # whatever the content.
    resolver, args, sent = like(BOB, {"content": {"beginsWith": "priv"}})
    expression = assert_sent(sent)["condition"]["expression"]
    assert "#owner IN (" in expression
    got = failed_on(resolver, BOB, args, sent.stash)
    assert got.error is not None
    assert got.error.error_type == UNAUTHORIZED


def test_a_field_only_writer_without_a_predicate_may_not_condition_at_all() -> None:
    # The API key may update `likes` of any note and read none.
    resolver = note(likes={"likes": [owner(), public()]})
    _, _, sent = like(API_KEY, {"content": {"eq": "x"}}, resolver)
    assert_refused(sent)
    _, _, sent = like(API_KEY, None, resolver)
    assert assert_sent(sent)["condition"]["expression"] == "attribute_exists(#id)"


def test_a_field_only_writer_may_not_condition_on_a_field_with_own_rules() -> None:
    _, _, sent = like(BOB, {"secret": {"attributeExists": True}})
    assert_refused(sent)
    _, _, sent = like(BOB, {"or": [{"content": {"eq": "x"}}, {"not": {"likes": {"gt": 2}}}]})
    assert_refused(sent)


def test_the_owner_conditions_her_own_note_and_her_condition_failure_is_hers() -> None:
    resolver, args, sent = like(ALICE, {"content": {"beginsWith": "zzz"}})
    assert "#content" in assert_sent(sent)["condition"]["expressionNames"]
    got = failed_on(resolver, ALICE, args, sent.stash)
    assert got.error is not None
    assert got.error.error_type == CONDITION_FAILED


def test_a_field_only_writer_without_a_condition_is_not_narrowed() -> None:
    _, _, sent = like(BOB, None)
    assert assert_sent(sent)["condition"]["expression"] == "attribute_exists(#id)"


# ---- finding 4: fields a Lambda authorizer denied ----------------------------------------------


def lambda_caller(context: dict[str, Any]) -> Caller:
    return Caller("lambda_denied", LAMBDA.auth_type, {"resolverContext": context}, LAMBDA.request)


DENIED = lambda_caller({"sub": "u-1", "deniedFields": json.dumps(["Post.secret"])})
ARN = "arn:aws:appsync:us-east-1:111122223333:apis/abcdefghijklmnopqrstuvwxyz/types/Post/fields/"
ARN += "secret"
POST_RULES = [custom(), owner()]
ON_SECRET = {"secret": {"eq": "s3cret"}}


def post(kind: OperationKind, **kw: Any) -> Resolver:
    return Resolver(plan(kind, POST_RULES, **kw))


def test_finding_4_lambda_denied_fields_are_refused_in_filters_conditions_and_keys() -> None:
    # AppSync nulls Post.secret in what the caller reads; asking about it is refused too.
    assert_refused(post(OperationKind.LIST).request(DENIED, arguments={"filter": ON_SECRET}))
    for kind in (OperationKind.UPDATE, OperationKind.DELETE):
        args = {"input": {"id": "p1"}, "condition": ON_SECRET}
        assert_refused(post(kind).request(DENIED, arguments=args))
    index = post(OperationKind.QUERY_INDEX, index_name="bySecret", index_partition_key="secret")
    assert_refused(index.request(DENIED, arguments={"secret": "s3cret"}))
    get = post(OperationKind.GET, partition_key="secret")
    assert_refused(get.request(DENIED, arguments={"secret": "s3cret"}))
    listen = post(OperationKind.SUBSCRIBE).response(DENIED, arguments={"filter": ON_SECRET})
    assert listen.error is not None
    assert listen.error.error_type == UNAUTHORIZED


@pytest.mark.parametrize(
    "context",
    [
        {"deniedFields": json.dumps(["Post.secret"])},
        {"deniedFields": f' ["Comment.body", "{ARN}"] '},
        {"deniedFields": ["Post.secret"]},
    ],
    ids=["short form", "field ARN", "array"],
)
def test_denied_fields_in_every_form_the_authorizer_may_pass(context: dict[str, Any]) -> None:
    caller = lambda_caller(context)
    assert_refused(post(OperationKind.LIST).request(caller, arguments={"filter": ON_SECRET}))
    title = {"filter": {"title": {"eq": "x"}}}
    assert_sent(post(OperationKind.LIST).request(caller, arguments=title))


@pytest.mark.parametrize(
    "value",
    ["Post.secret", "[Post.secret]", '["Post.secret", 3]', "{}", 7],
    ids=["not JSON", "unquoted", "a number inside", "an object", "a number"],
)
def test_a_malformed_denied_fields_entry_refuses_every_question(value: Any) -> None:
    caller = lambda_caller({"deniedFields": value})
    title = {"filter": {"title": {"eq": "x"}}}
    assert_refused(post(OperationKind.LIST).request(caller, arguments=title))
    # A list without a question is answered.
    assert_sent(post(OperationKind.LIST).request(caller, arguments={}))


def test_denied_fields_of_other_types_and_other_callers_change_nothing() -> None:
    other = lambda_caller({"deniedFields": json.dumps(["Comment.secret"])})
    assert_sent(post(OperationKind.LIST).request(other, arguments={"filter": ON_SECRET}))
    assert_sent(post(OperationKind.LIST).request(LAMBDA, arguments={"filter": ON_SECRET}))
    # A resolverContext entry means something only for the Lambda mode.
    alice = Caller(
        "alice_context",
        ALICE.auth_type,
        {**ALICE.identity, "resolverContext": {"deniedFields": '["Post.secret"]'}},
        ALICE.request,
    )
    p = plan(OperationKind.LIST, [private()])
    assert_sent(Resolver(p).request(alice, arguments={"filter": ON_SECRET}))


# ---- subscriptions: the user's filter ---------------------------------------------------------


def test_a_subscription_filter_on_a_protected_field_is_refused() -> None:
    listen = Resolver(person(OperationKind.SUBSCRIBE))
    on_ssn = {"filter": {"ssn": {"beginsWith": "12"}}}
    for who in (API_KEY, ALICE):
        got = listen.response(who, arguments=on_ssn)
        assert got.error is not None
        assert got.error.error_type == UNAUTHORIZED
    assert listen.response(CAROL, arguments=on_ssn).error is None
    assert listen.response(API_KEY, arguments={"filter": {"name": {"eq": "A"}}}).error is None
