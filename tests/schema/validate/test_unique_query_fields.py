"""Rule ``unique_query_fields``: an index's query field takes a free name."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "index-query-field-clash",
        """
        type Todo @model {
          category: String @index(name: "byCategory", queryField: "todosBy")
          status: String @index(name: "byStatus", queryField: "todosBy")
        }
        """,
        [(3, 55, "queryField 'todosBy'")],
    ),
    case(
        "query-field-clashes-with-query",
        """
        type Todo @model {
          category: String @index(name: "byCategory", queryField: "todos")
        }
        type Query {
          todos: [Todo]
        }
        """,
        [(2, 59, "clashes with the field 'Query.todos'")],
    ),
    case(
        "query-field-clashes-with-get",
        """
        type Todo @model {
          category: String @index(name: "byCategory", queryField: "getTodo")
        }
        """,
        [(2, 59, "clashes with the generated query 'getTodo'")],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
