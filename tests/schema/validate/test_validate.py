"""``validate``, the whole of schema validation, through one harness (validation_harness.py,
beside this module): good inputs (every SDL example of the seeds, SDL equivalents of the
seeds' TypeScript examples, and feature schemas) validate with no problems at all; problems
come in source order and conflicts name both places; every rule module is registered.

Bad inputs are per rule, in ``test_<rule>.py`` beside this module, one per rule module of
``schema/validate/``. (Amplify's schema test library is checked from its npm package in
tests/schema/test_schema_test_library.py.)
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from authorized_appsync.schema import validate as validate_package
from authorized_appsync.schema.validate.rules import RULES
from validation_harness import assert_errors, assert_valid, diagnostics

# -- good inputs: seed 003 (@auth, transformer v2), every SDL example in it
SEED_003 = {
    "owner": """
        type Todo @model @auth(rules: [{ allow: owner }]) {
          content: String
        }
    """,
    "public-read-and-owner": """
        type Todo
        @model
        @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) {
        content: String
        }
    """,
    "global-rule": """
        input AMPLIFY {
        globalAuthRule: AuthRule = { allow: public }
        }
        type Todo @model {
          content: String
        }
    """,
    "public": """
        type Todo @model @auth(rules: [{ allow: public }]) {
        content: String
        }
    """,
    "public-iam": """
        # public authorization with provider override
        type Post @model @auth(rules: [{ allow: public, provider: iam }]) {
        id: ID!
        title: String!
        }
    """,
    "public-identity-pool": """
        # public authorization with provider override
        type Post @model @auth(rules: [{ allow: public, provider: identityPool }]) {
        id: ID!
        title: String!
        }
    """,
    "owner-some-operations": """
        # The "owner" of a Todo record is only allowed to create, read, and update it.
        # The "owner" of a Todo record is denied to delete it.
        type Todo
        @model
        @auth(rules: [{ allow: owner, operations: [create, read, update] }]) {
        content: String
        }
    """,
    "owner-field-author": """
        type Todo @model @auth(rules: [{ allow: owner, ownerField: "author" }]) {
        content: String #^^^^^^^^^^^^^^^^^^^^
        author: String # record owner information now stored in "author" field
        }
    """,
    "owner-field-protected": """
        type Todo @model @auth(rules: [{ allow: owner }]) {
        id: ID!
        description: String
        owner: String @auth(rules: [{ allow: owner, operations: [read, delete] }])
        }
    """,
    "multi-owner": """
        type Todo @model @auth(rules: [{ allow: owner, ownerField: "authors" }]) {
        content: String
        authors: [String]
        }
    """,
    "private": """
        type Todo @model @auth(rules: [{ allow: private }]) {
        content: String
        }
    """,
    "private-iam": """
        type Post @model @auth(rules: [{ allow: private, provider: iam }]) {
        id: ID!
        title: String!
        }
    """,
    "private-identity-pool": """
        type Post @model @auth(rules: [{ allow: private, provider: identityPool }]) {
        id: ID!
        title: String!
        }
    """,
    "connected-child": """
        type Todo @model @auth(rules: [{ allow: owner }]) {
        id: ID!
        name: String!
        task: [Task] @hasMany
        }
        type Task
        @model
        @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }]) {
        id: ID!
        description: String!
        }
    """,
    "static-groups": """
        type Salary @model @auth(rules: [{ allow: groups, groups: ["Admin"] }]) {
        id: ID!
        wage: Int
        currency: String
        }
    """,
    "dynamic-groups-multiple": """
        # Dynamic group authorization with multiple groups
        type Post @model @auth(rules: [{ allow: groups, groupsField: "groups" }]) {
        id: ID!
        title: String
        groups: [String]
        }
    """,
    "dynamic-groups-single": """
        # Dynamic group authorization with a single group
        type Post @model @auth(rules: [{ allow: groups, groupsField: "group" }]) {
        id: ID!
        title: String
        group: String
        }
    """,
    "custom": """
        type Salary @model @auth(rules: [{ allow: custom }]) {
        id: ID!
        wage: Int
        currency: String
        }
    """,
    "multiple-rules": """
        type Post
        @model
        @auth(
        rules: [
        { allow: public, operations: [read], provider: iam }
        { allow: owner }
        ]
        ) {
        title: String
        content: String
        }
    """,
    "field-level": """
        type Employee
        @model
        @auth(rules: [{ allow: private, operations: [read] }, { allow: owner }]) {
        name: String
        email: String
        ssn: String @auth(rules: [{ allow: owner }])
        }
    """,
    "delete-needs-every-field": """
        type Todo
        @model
        @auth(
        rules: [
        { allow: private, provider: iam }
        { allow: groups, groups: ["Admin"] }
        ]
        ) {
        id: ID!
        name: String!
        @auth(
        rules: [
        { allow: private, provider: iam }
        { allow: groups, groups: ["Admin"] }
        ]
        )
        description: String @auth(rules: [{ allow: private, provider: iam }])
        }
    """,
    # The seed's OIDC example with its 'group' typo corrected, and static groups named:
    # this project does not default a groups rule to groupsField: "groups".
    "oidc-corrected": """
        type Todo
        @model
        @auth(
        rules: [
        { allow: owner, provider: oidc, identityClaim: "user_id" }
        { allow: private, provider: oidc }
        { allow: groups, provider: oidc, groupClaim: "user_groups", groups: ["Admin"] }
        ]
        ) {
        content: String
        }
    """,
    "custom-claims": """
        type Post
        @model
        @auth(
        rules: [
        { allow: owner, identityClaim: "user_id" }
        { allow: groups, groups: ["Moderator"], groupClaim: "user_groups" }
        ]
        ) {
        id: ID!
        owner: String
        postname: String
        content: String
        }
    """,
    # Without the "CREATED BEHIND THE SCENES" PostTags type: the join model is generated.
    "many-to-many": """
        type Post
        @model
        @auth(
        rules: [
        { allow: owner }
        ]
        ) {
        id: ID!
        title: String!
        content: String
        tags: [Tag] @manyToMany(relationName: "PostTags")
        }
        type Tag
        @model
        @auth(
        rules: [
        { allow: groups, groups: ["admins"] }
        ]
        ) {
        id: ID!
        label: String!
        posts: [Post] @manyToMany(relationName: "PostTags")
        }
    """,
}

# -- good inputs: seeds 000, 001 and 004 show Gen 2 TypeScript and the Admin UI; these are
# the same schemas in SDL.
SEED_EQUIVALENTS = {
    "000-owner-to-create-read-update": """
        type Todo @model @auth(rules: [{ allow: owner, operations: [create, read, update] }]) {
          content: String
        }
    """,
    "000-owner-defined-in-author": """
        type Todo @model @auth(rules: [{ allow: owner, ownerField: "author" }]) {
          content: String
          author: String
        }
    """,
    "001-private-identity-pool": """
        type Todo @model @auth(rules: [{ allow: private, provider: identityPool }]) {
          content: String
        }
    """,
    "004-blog-post": """
        type Post
          @model
          @auth(
            rules: [
              { allow: public, operations: [read] }
              { allow: owner, operations: [create, update, delete] }
              { allow: groups, groups: ["Admins"], operations: [delete] }
            ]
          ) {
          id: ID!
          content: String
        }
    """,
}

# -- good inputs: what this project supports beyond the seeds
FEATURES = {
    "root-fields": """
        type Query {
          hello: String @auth(rules: [{ allow: private }, { allow: public, provider: iam }])
          admins: [String] @auth(rules: [{ allow: groups, groups: ["Admin"] }])
        }
        extend type Mutation {
          ping: String @auth(rules: [{ allow: custom }])
        }
    """,
    "extensions-and-nonmodels": """
        type Todo @model @auth(rules: [{ allow: owner }]) {
          content: String
          address: Address
          status: Status @default(value: "OPEN")
        }
        extend type Todo @auth(rules: [{ allow: private, operations: [read] }]) {
          done: Boolean @default(value: "false")
          count: Int @default(value: "-3")
        }
        type Address {
          street: String
        }
        enum Status {
          OPEN
          DONE
        }
        input TodoFilter {
          status: Status
        }
        scalar Upload
        interface Node {
          id: ID!
        }
        union Result = Address
    """,
    "timestamps-and-options": """
        type Todo @model(timestamps: { createdAt: "createdOn", updatedAt: null }, queries: null) {
          content: String @index(name: "byContent", sortKeyFields: "createdOn", queryField: "q")
        }
    """,
    "single-strings-coerced-to-lists": """
        type Todo @model @auth(rules: [{ allow: groups, groups: "Admin", operations: read }]) {
          content: String
        }
    """,
    # Amplify: "the fields of a secondary index ... must be scalar or enum"; its transformer
    # takes enums for primary key fields too.
    "enum-keys": """
        type Ticket @model {
          status: Status! @index(name: "byStatus", sortKeyFields: ["priority"], queryField: "q")
          priority: Priority!
          queue: String @index(name: "byQueue", sortKeyFields: ["priority"])
        }
        type Setting @model {
          scope: Status! @primaryKey(sortKeyFields: ["level"])
          level: Priority!
        }
        enum Status {
          OPEN
          CLOSED
        }
        enum Priority {
          P1
          P2
        }
    """,
    "aws-directives-and-deprecated": """
        type Todo @model @aws_api_key @aws_cognito_user_pools {
          content: String @deprecated(reason: "use body") @aws_iam
        }
    """,
}


@pytest.mark.parametrize(
    "sdl",
    [
        *(pytest.param(sdl, id=f"seed-003-{key}") for key, sdl in SEED_003.items()),
        *(pytest.param(sdl, id=f"seed-{key}") for key, sdl in SEED_EQUIVALENTS.items()),
        *(pytest.param(sdl, id=key) for key, sdl in FEATURES.items()),
    ],
)
def test_good_input_has_no_problems(sdl: str) -> None:
    assert_valid(sdl)


def test_every_problem_is_reported_in_source_order() -> None:
    found = assert_errors(
        """
        type Todo @model @auth(rules: [{ allow: ownr }, { allow: owner, provider: apiKey }]) {
          content: Strng
          tags: [String] @default(value: "a")
        }
        type Todo {
          title: String
        }
        type Query @auth(rules: [{ allow: private }]) {
          hello: String
        }
        """,
        [
            (1, 41, "Did you mean 'owner'?"),
            (1, 75, "cannot use provider 'apiKey'"),
            (2, 3, "unknown type 'Strng'"),
            (3, 18, "cannot be used on a list"),
            (5, 1, "only one type named 'Todo'"),
            (8, 12, "cannot be used on the root type 'Query'"),
        ],
    )
    locations = [d.location for d in found]
    assert locations == sorted(locations)


def test_conflicts_blame_both_places() -> None:
    (duplicate_type,) = diagnostics(
        """
        type Todo @model {
          content: String
        }
        enum Todo {
          A
        }
        """
    )
    assert (duplicate_type.location.line, duplicate_type.location.column) == (4, 1)
    assert [(r.line, r.column) for r in duplicate_type.related] == [(1, 1)]
    (duplicate_rule,) = diagnostics(
        """
        type Todo @model @auth(rules: [{ allow: private }, { allow: private, provider: userPools }])
        {
          content: String
        }
        """
    )
    assert "repeats an earlier rule" in duplicate_rule.message
    assert (duplicate_rule.location.line, duplicate_rule.location.column) == (1, 52)
    assert [(r.line, r.column) for r in duplicate_rule.related] == [(1, 32)]


def test_every_rule_module_is_registered() -> None:
    modules = [
        info.name
        for info in pkgutil.iter_modules(validate_package.__path__)
        if not info.name.startswith("_") and info.name not in ("context", "rules")
    ]
    checks = [
        importlib.import_module(f"{validate_package.__name__}.{name}").check for name in modules
    ]
    assert sorted(c.__module__ for c in checks) == sorted(c.__module__ for c in RULES)
