"""Rule ``relation_key_arity``: a relation's key fields match the key, one for one."""

from __future__ import annotations

from validation_harness import case, rule_tests

BAD_INPUTS = [
    case(
        "relation-fields-arity",
        """
        type Project @model {
          teamID: ID
          teamName: String
          team: Team @hasOne(fields: ["teamID", "teamName"])
        }
        type Team @model {
          name: String
        }
        """,
        [(4, 30, "names 2 field(s), but the primary key of 'Team' has 1")],
    ),
    case(
        "references-arity",
        """
        type Primary @model {
          tenantId: ID! @primaryKey(sortKeyFields: ["recordId"])
          recordId: ID!
          related: [Related] @hasMany(references: ["primaryTenantId"])
        }
        type Related @model {
          primaryTenantId: ID!
        }
        """,
        [(4, 43, "has 2 ('tenantId', 'recordId')")],
    ),
    case(
        "has-many-fields-partial-sort-key",
        """
        type Shelf @model {
          room: String! @primaryKey(sortKeyFields: ["row"])
          row: Int!
          books: [Book] @hasMany(indexName: "byShelf", fields: ["room", "row"])
        }
        type Book @model {
          shelfRoom: String @index(name: "byShelf", sortKeyFields: ["shelfRow", "slot"])
          shelfRow: Int
          slot: Int
        }
        """,
        [
            (
                4,
                56,
                "'fields' of @hasMany on field 'Shelf.books' names 2 field(s), but index "
                "'byShelf' of 'Book' it queries has 3 ('shelfRoom', 'shelfRow', 'slot'); give "
                "one field, matched with its partition key 'shelfRoom', or one per key field",
            )
        ],
    ),
    case(
        "has-many-fields-without-index-name",
        """
        type Album @model {
          a: ID
          b: Int
          c: Int
          tracks: [Track] @hasMany(fields: ["a", "b", "c"])
        }
        type Track @model {
          albumId: ID! @primaryKey(sortKeyFields: ["position"])
          position: Int!
        }
        """,
        [(5, 36, "but the primary key of 'Track' it queries has 2 ('albumId', 'position')")],
    ),
    case(
        "has-many-index-name-by-a-composite-primary-key",
        """
        type Shelf @model {
          room: String! @primaryKey(sortKeyFields: ["row"])
          row: Int!
          books: [Book] @hasMany(indexName: "byRoom")
        }
        type Book @model {
          shelfRoom: String @index(name: "byRoom")
        }
        """,
        [
            (
                4,
                37,
                "@hasMany on field 'Shelf.books' matches the primary key of 'Shelf' ('room', "
                "'row') with index 'byRoom' of 'Book' ('shelfRoom'), which has 1 field(s); "
                "name the fields of 'Shelf' it matches with 'fields': one, for its partition "
                "key 'shelfRoom', or one per key field, in that order.",
            )
        ],
    ),
]

test_bad_input_is_reported, test_check_command_prints_located_message_and_fails = rule_tests(
    BAD_INPUTS
)
