"""Rule ``directive_argument_types``: directive arguments have their shapes."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "timestamps-not-an-object",
        """
        type Todo @model(timestamps: true) {
          content: String
        }
        """,
        [(1, 30, "'timestamps' of @model on type 'Todo' must be null or an object")],
    ),
    case(
        "queries-a-string",
        """
        type Todo @model(queries: "off") {
          content: String
        }
        """,
        [(1, 27, 'received "off"')],
    ),
    case(
        "timestamps-unknown-key",
        """
        type Todo @model(timestamps: { created: "createdOn" }) {
          content: String
        }
        """,
        [(1, 41, "Did you mean 'createdAt'?")],
    ),
    case(
        "default-value-not-a-string",
        """
        type Todo @model {
          count: Int @default(value: 5)
        }
        """,
        [(2, 30, "'value' of @default on field 'Todo.count' must be a string")],
    ),
    case(
        "many-to-many-without-relation-name",
        """
        type Post @model {
          tags: [Tag] @manyToMany
        }
        type Tag @model {
          label: String
        }
        """,
        [(2, 15, "needs the argument 'relationName'")],
    ),
    case(
        "has-many-limit-not-positive",
        """
        type Post @model {
          comments: [Comment] @hasMany(limit: 0)
        }
        type Comment @model {
          content: String
        }
        """,
        [(2, 39, "must be a positive Int; received 0")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
