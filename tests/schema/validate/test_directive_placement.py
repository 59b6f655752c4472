"""Rule ``directive_placement``: directives go where they mean something."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "model-on-field",
        """
        type Todo @model {
          content: String @model
        }
        """,
        [(2, 19, "@model belongs on a type")],
    ),
    case(
        "primary-key-on-type",
        """
        type Todo @model @primaryKey {
          content: String
        }
        """,
        [(1, 18, "@primaryKey belongs on a field")],
    ),
    case(
        "relation-on-non-model",
        """
        type Todo @model {
          content: String
        }
        type Folder {
          todos: [Todo] @hasMany
        }
        """,
        [(5, 17, "'Folder' is not a @model")],
    ),
    case(
        "model-on-root-type",
        """
        type Query @model {
          hello: String
        }
        """,
        [(1, 12, "'Query' is a root type and cannot be a @model")],
    ),
    case(
        "model-on-extension",
        """
        type Todo {
          content: String
        }
        extend type Todo @model
        """,
        [(4, 18, "not on 'extend type Todo'")],
    ),
    case(
        "auth-on-input",
        """
        input TodoInput @auth(rules: [{ allow: owner }]) {
          content: String
        }
        """,
        [(1, 17, "@auth cannot be used on input 'TodoInput'")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
