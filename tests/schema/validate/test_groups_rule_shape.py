"""Rule ``groups_rule_shape``: a groups rule names its groups exactly one way."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "groups-neither",
        """
        type Todo @model @auth(rules: [{ allow: groups }]) {
          content: String
        }
        """,
        [(1, 32, "names no groups; add groups: [")],
    ),
    case(
        "groups-both",
        """
        type Todo @model @auth(rules: [{ allow: groups, groups: ["A"], groupsField: "editors" }]) {
          content: String
        }
        """,
        [(1, 77, "both 'groups' and 'groupsField'")],
    ),
    case(
        "groups-empty",
        """
        type Todo @model @auth(rules: [{ allow: groups, groups: [] }]) {
          content: String
        }
        """,
        [(1, 57, "'groups' list of the groups rule on type 'Todo' is empty")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
