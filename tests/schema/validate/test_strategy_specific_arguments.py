"""Rule ``strategy_specific_arguments``: a rule argument only on its strategy."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "identity-claim-on-private",
        """
        type Todo @model @auth(rules: [{ allow: private, identityClaim: "user_id" }]) {
          content: String
        }
        """,
        [(1, 65, "'identityClaim' applies only to 'owner' rules")],
    ),
    case(
        "owner-field-on-groups",
        """
        type Todo @model @auth(rules: [{ allow: groups, groups: ["A"], ownerField: "author" }]) {
          content: String
        }
        """,
        [(1, 76, "'ownerField' applies only to 'owner' rules")],
    ),
    case(
        "group-claim-on-owner",
        """
        type Todo @model @auth(rules: [{ allow: owner, groupClaim: "user_groups" }]) {
          content: String
        }
        """,
        [(1, 60, "'groupClaim' applies only to 'groups' rules")],
    ),
    case(
        "groups-on-public",
        """
        type Todo @model @auth(rules: [{ allow: public, groups: ["Admin"] }]) {
          content: String
        }
        """,
        [(1, 57, "'groups' applies only to 'groups' rules")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
