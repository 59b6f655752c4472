"""Rule ``known_operations``: operations exist, and fit the level they are named at."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "unknown-operation",
        """
        type Todo @model @auth(rules: [{ allow: owner, operations: [create, reed] }]) {
          content: String
        }
        """,
        [(1, 69, "Unknown operation 'reed'")],
    ),
    case(
        "field-level-get",
        """
        type Todo @model @auth(rules: [{ allow: owner }]) {
          content: String @auth(rules: [{ allow: owner, operations: [get] }])
        }
        """,
        [(2, 62, "Operation 'get' cannot be used in the field-level @auth rule")],
    ),
    case(
        "field-level-search",
        """
        type Todo @model @auth(rules: [{ allow: owner }]) {
          content: String @auth(rules: [{ allow: private, operations: [read, search] }])
        }
        """,
        [(2, 70, "Operation 'search' cannot be used in the field-level")],
    ),
    case(
        "empty-operations",
        """
        type Todo @model @auth(rules: [{ allow: owner, operations: [] }]) {
          content: String
        }
        """,
        [(1, 60, "grants nothing")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
