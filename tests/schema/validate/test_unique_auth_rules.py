"""Rule ``unique_auth_rules``: no rule repeats another once defaults are filled in."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "duplicate-rule-after-defaults",
        """
        type Todo @model @auth(rules: [
          { allow: owner }
          { allow: owner, ownerField: "owner", provider: userPools }
        ]) {
          content: String
        }
        """,
        [(3, 3, "repeats an earlier rule")],
    ),
    case(
        "duplicate-rule-read-expanded",
        """
        type Todo @model @auth(rules: [
          { allow: public, operations: [read] }
          { allow: public, operations: [get, list, sync, listen, search] }
        ]) {
          content: String
        }
        """,
        [(3, 3, "repeats an earlier rule")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
