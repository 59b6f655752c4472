"""Rule ``auth_rule_value_types``: each rule argument has the shape it is read as."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "allow-list",
        """
        type Todo @model @auth(rules: [{ allow: [owner] }]) {
          content: String
        }
        """,
        [(1, 41, 'received ["owner"]')],
    ),
    case(
        "owner-field-not-string",
        """
        type Todo @model @auth(rules: [{ allow: owner, ownerField: 3 }]) {
          content: String
        }
        """,
        [(1, 60, "'ownerField' of the @auth rule on type 'Todo' must be a field name")],
    ),
    case(
        "owner-field-not-a-name",
        """
        type Todo @model @auth(rules: [{ allow: owner, ownerField: "the owner" }]) {
          content: String
        }
        """,
        [(1, 60, 'received "the owner"')],
    ),
    case(
        "operations-not-a-list",
        """
        type Todo @model @auth(rules: [{ allow: owner, operations: { read: true } }]) {
          content: String
        }
        """,
        [(1, 60, "'operations' of the @auth rule on type 'Todo' must be a list")],
    ),
    case(
        "null-provider",
        """
        type Todo @model @auth(rules: [{ allow: owner, provider: null }]) {
          content: String
        }
        """,
        [(1, 58, "received null")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
