"""Rule ``unique_directives``: a directive once per place, one relation per field."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "auth-twice",
        """
        type Todo @model @auth(rules: [{ allow: owner }]) @auth(rules: [{ allow: private }]) {
          content: String
        }
        """,
        [(1, 51, "@auth is used more than once")],
    ),
    case(
        "two-relation-directives",
        """
        type Post @model {
          blog: Blog @hasOne @belongsTo
        }
        type Blog @model {
          name: String
        }
        """,
        [(2, 22, "both @hasOne and @belongsTo")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
