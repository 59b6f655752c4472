"""Rule ``known_strategy_and_provider``: a rule's strategy and provider exist and fit together."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "unknown-strategy",
        """
        type Todo @model @auth(rules: [{ allow: ownr }]) {
          content: String
        }
        """,
        [(1, 41, "Did you mean 'owner'?")],
    ),
    # Seed 003 ("Using OIDC authorization provider") gives this example verbatim:
    #   { allow: group, provider: oidc, groupClaim: "user_groups" }
    # 'group' is not a strategy ('groups' is), so the seed's own schema is rejected, once:
    # with the strategy unknown, no groups-specific check piles on.
    case(
        "seed-003-oidc-group",
        """
        type Todo
        @model
        @auth(
        rules: [
        { allow: owner, provider: oidc, identityClaim: "user_id" }
        { allow: private, provider: oidc }
        { allow: group, provider: oidc, groupClaim: "user_groups" }
        ]
        ) {
        content: String
        }
        """,
        [(7, 10, "Did you mean 'groups'?")],
    ),
    case(
        "unknown-provider",
        """
        type Todo @model @auth(rules: [{ allow: private, provider: userPool }]) {
          content: String
        }
        """,
        [(1, 60, "Did you mean 'userPools'?")],
    ),
    case(
        "owner-with-api-key",
        """
        type Todo @model @auth(rules: [{ allow: owner, provider: apiKey }]) {
          content: String
        }
        """,
        [(1, 58, "cannot use provider 'apiKey'; 'owner' rules accept 'userPools' or 'oidc'")],
    ),
    case(
        "groups-with-identity-pool",
        """
        type Todo @model @auth(rules: [{ allow: groups, groups: ["A"], provider: identityPool }]) {
          content: String
        }
        """,
        [(1, 74, "'identityPool' (an alias of 'iam')")],
    ),
    case(
        "custom-with-user-pools",
        """
        type Todo @model @auth(rules: [{ allow: custom, provider: userPools }]) {
          content: String
        }
        """,
        [(1, 59, "'custom' rules accept 'function'")],
    ),
    case(
        "public-with-oidc",
        """
        type Todo @model @auth(rules: [{ allow: public, provider: oidc }]) {
          content: String
        }
        """,
        [(1, 59, "'public' rules accept 'apiKey', 'iam' or 'identityPool'")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
