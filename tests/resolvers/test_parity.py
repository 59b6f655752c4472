"""The Python compiler and the JavaScript resolvers speak one language: the same wire
strings (strategies, providers, AppSync's authType strings), the same plan defaults, and
the same idea of who a rule admits.

``authz/coverage.covers(A, r)`` decides at synth time that the rules ``A`` admit everyone
``r`` admits (so ``r`` needs no resolver of its own, or is no partial reader); the
resolvers decide per request with ``lib/rules.js``. Over one table of rules and the
recorded callers, whenever Python says ``A`` covers ``r``, every caller the resolvers
admit statically by ``r`` they must admit by ``A`` too.
"""

from __future__ import annotations

import itertools
import re
from functools import cache
from pathlib import Path

import pytest

from authorized_appsync.appsync import AuthorizationMode
from authorized_appsync.authz.coverage import covers
from authorized_appsync.codegen.resolvers.plan import OperationKind, RuleSpec
from authorized_appsync.schema.model import AuthRule, Provider, Strategy
from resolver_harness import (
    ADMIN,
    ALICE,
    API_KEY,
    BOB,
    IAM_ADMIN,
    IAM_AUTH,
    IAM_UNAUTH,
    IAM_USER,
    LAMBDA,
    OIDC,
    Caller,
    Resolver,
    plan,
)

RESOLVERS = Path(__file__).resolve().parents[2] / "resolvers"


def _js(path: str) -> str:
    return (RESOLVERS / path).read_text()


def test_strategies_and_providers_are_the_same_strings() -> None:
    rules = _js("lib/rules.js")
    cases = set(re.findall(r"case '(\w+)':", rules))
    static = {s.value for s in Strategy} - {"owner"}  # owner admits through its predicate
    assert static <= cases | {"groups"}
    modes = dict(re.findall(r"'([^']+)': '(\w+)',", _js("lib/identity.js")))
    assert modes == {m.auth_type: m.rule_provider for m in AuthorizationMode}
    assert set(modes.values()) == {p.value for p in Provider}


def _spec(rule: AuthRule) -> RuleSpec:
    return RuleSpec(
        strategy=rule.strategy,
        provider=rule.provider,
        group_claim=rule.group_claim,
        groups=rule.groups,
    )


def _rule(strategy: Strategy, provider: Provider, *groups: str) -> AuthRule:
    claim = "cognito:groups" if strategy is Strategy.GROUPS else None
    return AuthRule(strategy=strategy, provider=provider, group_claim=claim, groups=groups)


RULES = (
    _rule(Strategy.PUBLIC, Provider.API_KEY),
    _rule(Strategy.PUBLIC, Provider.IAM),
    _rule(Strategy.PRIVATE, Provider.IAM),
    _rule(Strategy.PRIVATE, Provider.USER_POOLS),
    _rule(Strategy.PRIVATE, Provider.OIDC),
    _rule(Strategy.GROUPS, Provider.USER_POOLS, "Admins"),
    _rule(Strategy.GROUPS, Provider.USER_POOLS, "Editors"),
    _rule(Strategy.GROUPS, Provider.USER_POOLS, "Admins", "Editors"),
    _rule(Strategy.GROUPS, Provider.OIDC, "Admins"),
    _rule(Strategy.CUSTOM, Provider.FUNCTION),
)
# An OIDC user in the Admins group (the recorded OIDC caller is in none).
OIDC_ADMIN = Caller(
    "oidc_admin",
    OIDC.auth_type,
    {**OIDC.identity, "claims": {**OIDC.identity["claims"], "cognito:groups": ["Admins"]}},
    OIDC.request,
)
CALLERS = (API_KEY, ALICE, BOB, ADMIN, OIDC, OIDC_ADMIN, IAM_AUTH, IAM_UNAUTH, IAM_USER, LAMBDA)


CALLED = {who.name: who for who in (*CALLERS, IAM_ADMIN)}


def admits(rules: tuple[AuthRule, ...], who: Caller) -> bool:
    """Whether the resolvers admit ``who`` by ``rules`` without a record: a list is then a
    plain Scan (no predicate as filter)."""
    return _admits(rules, who.name)


@cache
def _admits(rules: tuple[AuthRule, ...], name: str) -> bool:
    sent = Resolver(plan(OperationKind.LIST, [_spec(r) for r in rules])).request(CALLED[name])
    return sent.error is None and "filter" not in (sent.result or {})


def test_the_table_reaches_every_rule_and_every_refusal() -> None:
    # Each rule admits someone, and refuses someone: the implication below is not empty.
    for rule in RULES:
        answers = {admits((rule,), who) for who in CALLERS}
        assert answers == {True, False}, rule


@pytest.mark.parametrize(
    ("given", "rule"),
    [
        (given, rule)
        for size in (1, 2)
        for given in itertools.combinations(RULES, size)
        for rule in RULES
        if covers(given, rule)
    ],
    ids=lambda value: repr(value)[:60],
)
def test_what_python_says_is_covered_the_resolvers_admit(
    given: tuple[AuthRule, ...], rule: AuthRule
) -> None:
    for who in CALLERS:
        if admits((rule,), who):
            assert admits(given, who), (who.name, given, rule)


def test_an_admin_role_is_let_through_whatever_the_rules() -> None:
    # The one admission Python leaves to the resolvers: bypass.
    for rule in RULES:
        assert admits((rule,), IAM_ADMIN)
