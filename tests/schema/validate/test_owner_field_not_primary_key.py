"""Rule ``owner_field_not_primary_key``: an owner field is no key field."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "owner-field-is-id",
        """
        type Todo @model @auth(rules: [{ allow: owner, ownerField: "id" }]) {
          content: String
        }
        """,
        [(1, 60, "ownerField 'id' of the owner rule on type 'Todo' is the primary key")],
    ),
    case(
        "owner-field-is-primary-key",
        """
        type Todo @model @auth(rules: [{ allow: owner, ownerField: "email" }]) {
          email: String! @primaryKey
          content: String
        }
        """,
        [(1, 60, "ownerField 'email'")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
