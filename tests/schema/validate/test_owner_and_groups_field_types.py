"""Rule ``owner_and_groups_field_types``: owner and groups fields hold strings."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "owner-field-int",
        """
        type Todo @model @auth(rules: [{ allow: owner, ownerField: "author" }]) {
          content: String
          author: Int
        }
        """,
        [(1, 60, "field 'Todo.author' of type 'Int'; the ownerField must have type String")],
    ),
    case(
        "default-owner-field-id",
        """
        type Todo @model @auth(rules: [{ allow: owner }]) {
          content: String
          owner: ID
        }
        """,
        [(1, 32, "ownerField 'owner'")],
    ),
    case(
        "groups-field-int-list",
        """
        type Todo @model @auth(rules: [{ allow: groups, groupsField: "editors" }]) {
          content: String
          editors: [Int]
        }
        """,
        [(1, 62, "groupsField 'editors'")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
