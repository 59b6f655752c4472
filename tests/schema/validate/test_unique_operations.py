"""Rule ``unique_operations``: a rule names each operation once."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "read-with-list",
        """
        type Todo @model @auth(rules: [{ allow: public, operations: [read, list] }]) {
          content: String
        }
        """,
        [(1, 68, "lists both 'read' and 'list'")],
    ),
    case(
        "duplicate-operation",
        """
        type Todo @model @auth(rules: [{ allow: owner, operations: [create, update, create] }]) {
          content: String
        }
        """,
        [(1, 77, "Operation 'create' is listed more than once")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
