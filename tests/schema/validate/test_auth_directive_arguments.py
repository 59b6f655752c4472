"""Rule ``auth_directive_arguments``: ``@auth(rules:)`` is a non-empty list of objects."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "rules-missing",
        """
        type Todo @model @auth {
          content: String
        }
        """,
        [(1, 18, "has no 'rules' argument")],
    ),
    case(
        "rules-not-a-list",
        """
        type Todo @model @auth(rules: "owner") {
          content: String
        }
        """,
        [(1, 31, "must be a list of rule objects")],
    ),
    case(
        "rules-empty",
        """
        type Todo @model @auth(rules: []) {
          content: String
        }
        """,
        [(1, 31, "empty 'rules' list")],
    ),
    case(
        "rule-not-an-object",
        """
        type Todo @model @auth(rules: [owner]) {
          content: String
        }
        """,
        [(1, 32, "rules[0] of @auth on type 'Todo' must be a rule object")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
