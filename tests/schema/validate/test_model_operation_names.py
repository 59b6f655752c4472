"""Rule ``model_operation_names``: ``@model`` operations keep Amplify's names."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "model-renamed-query",
        """
        type Todo @model(queries: { get: "fetchTodo" }) @auth(rules: [{ allow: owner }]) {
          content: String
        }
        """,
        [(1, 27, "custom operation names and levels are not supported yet")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
