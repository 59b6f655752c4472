"""Rule ``known_directives``: known directives, with the arguments they take, once."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "auth-unknown-argument",
        """
        type Todo @model @auth(rules: [{ allow: owner }], rule: []) {
          content: String
        }
        """,
        [(1, 51, "unknown argument 'rule'; it takes 'rules'")],
    ),
    case(
        "unknown-type-directive",
        """
        type Todo @modle {
          content: String
        }
        """,
        [(1, 11, "Did you mean '@model'?")],
    ),
    case(
        "unknown-field-directive",
        """
        type Todo @model {
          email: String! @primarykey
        }
        """,
        [(2, 18, "Did you mean '@primaryKey'?")],
    ),
    case(
        "unknown-directive-argument",
        """
        type Todo @model {
          category: String @index(name: "byCategory", sortKeyField: ["content"])
          content: String
        }
        """,
        [(2, 47, "Did you mean 'sortKeyFields'?")],
    ),
    case(
        "unknown-directive-on-root-field",
        """
        type Query {
          echo: String @lambda(name: "echo")
        }
        """,
        [(2, 16, "Unknown directive '@lambda'")],
    ),
    case(
        "repeated-directive-argument",
        """
        type Todo @model {
          category: String @index(name: "byCategory", name: "byKind")
        }
        """,
        [(2, 47, "is given 'name' more than once")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
