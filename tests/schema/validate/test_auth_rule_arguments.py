"""Rule ``auth_rule_arguments``: every rule has ``allow`` and only known arguments."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "unknown-rule-argument",
        """
        type Todo @model @auth(rules: [{ allow: owner, ownerfield: "author" }]) {
          content: String
        }
        """,
        [(1, 60, "unknown argument 'ownerfield'")],
    ),
    case(
        "legacy-queries",
        """
        type Todo @model @auth(rules: [{ allow: owner, queries: [get] }]) {
          content: String
        }
        """,
        [(1, 57, "uses 'queries'")],
    ),
    case(
        "legacy-mutations",
        """
        type Todo @model @auth(rules: [{ allow: owner, mutations: [create] }]) {
          content: String
        }
        """,
        [(1, 59, "use 'operations' instead")],
    ),
    case(
        "missing-allow",
        """
        type Todo @model @auth(rules: [{ operations: [read] }]) {
          content: String
        }
        """,
        [(1, 32, "has no 'allow'")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
