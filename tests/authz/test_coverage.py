"""Whether some rules admit everyone another rule admits (authz/coverage.py), with rules as
the user writes them: a field rule against its model's rules."""

from __future__ import annotations

import pytest

from authorized_appsync import ApiDefinition
from authorized_appsync.authz.coverage import covers, rule_text, uncovered
from authorized_appsync.schema.model import AuthRule


def rules(model: str, field: str) -> tuple[tuple[AuthRule, ...], AuthRule]:
    """The model's rules and the (one) rule of its field ``f``."""
    sdl = f"""type T @model @auth(rules: [{model}]) {{
      f: String @auth(rules: [{field}])
    }}"""
    (m,) = ApiDefinition.from_string(sdl, "schema.graphql").schema.models
    f = m.field("f")
    assert f is not None
    assert f.rules is not None
    (rule,) = f.rules
    return m.rules, rule


MANAGERS = '{allow: groups, groups: ["Managers"]}'
BOTH = '{allow: groups, groups: ["Managers", "Admins"]}'


@pytest.mark.parametrize(
    ("model", "field", "covered"),
    [
        # Static groups: a subset of the model's groups, or of several rules' together.
        (BOTH, MANAGERS, True),
        ('{allow: groups, groups: ["Admins", "Managers"]}', BOTH, True),
        (f'{MANAGERS}, {{allow: groups, groups: ["Admins"]}}', BOTH, True),
        (
            f"{BOTH}, {{allow: owner}}",
            '{allow: groups, groups: ["Managers"], operations: [read]}',
            True,
        ),
        (MANAGERS, BOTH, False),
        (BOTH, '{allow: groups, groups: ["Managers"], groupClaim: "roles"}', False),
        (BOTH, '{allow: groups, groups: ["Managers"], provider: oidc}', False),
        ('{allow: groups, groupsField: "teams"}', MANAGERS, False),
        (BOTH, '{allow: groups, groupsField: "teams"}', False),
        # Every owner and group member of a provider is a signed-in caller of it.
        ("{allow: private}", MANAGERS, True),
        ("{allow: private}", "{allow: owner}", True),
        ("{allow: private, provider: oidc}", "{allow: owner, provider: oidc}", True),
        ("{allow: private}", '{allow: groups, groups: ["Managers"], provider: oidc}', False),
        # Owners: the same field and identity claim only.
        ("{allow: owner, operations: [read]}", "{allow: owner}", True),
        ("{allow: owner}", '{allow: owner, identityClaim: "username"}', False),
        ("{allow: owner}", '{allow: owner, ownerField: "editor"}', False),
        # Public, private IAM and custom: the same rule only.
        ("{allow: private}", "{allow: public}", False),
        ("{allow: private}", "{allow: private, provider: iam}", False),
        ("{allow: private, provider: iam}", "{allow: public, provider: iam}", False),
        ("{allow: public, provider: iam}", "{allow: private, provider: iam}", False),
        (
            "{allow: private, provider: iam, operations: [read]}",
            "{allow: private, provider: iam}",
            True,
        ),
        ("{allow: custom, operations: [read]}", "{allow: custom}", True),
    ],
)
def test_covers(model: str, field: str, covered: bool) -> None:
    model_rules, rule = rules(model, field)
    assert covers(model_rules, rule) is covered


def test_uncovered_names_the_groups_left_over() -> None:
    model_rules, rule = rules(BOTH, '{allow: groups, groups: ["Staff", "Managers", "Guests"]}')
    left = uncovered(model_rules, rule)
    assert left is not None
    assert left.groups == ("Staff", "Guests")
    assert left.location == rule.location


@pytest.mark.parametrize(
    ("written", "text"),
    [
        (MANAGERS, MANAGERS),
        ("{allow: owner}", "{allow: owner}"),
        (
            '{allow: owner, ownerField: "editor", identityClaim: "username", '
            "operations: [read, update]}",
            '{allow: owner, ownerField: "editor", identityClaim: "username", '
            "operations: [update, read]}",
        ),
        (
            '{allow: groups, groupsField: "teams", groupClaim: "roles", provider: oidc}',
            '{allow: groups, groupsField: "teams", groupClaim: "roles", provider: oidc}',
        ),
        (
            "{allow: public, provider: identityPool, operations: [read]}",
            "{allow: public, provider: iam, operations: [read]}",
        ),
        ("{allow: private, operations: [get, list]}", "{allow: private, operations: [get, list]}"),
    ],
)
def test_rule_text(written: str, text: str) -> None:
    (rule,), _ = rules(written, "{allow: owner}")
    assert rule_text(rule) == text
