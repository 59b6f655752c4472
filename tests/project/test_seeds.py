"""Every SDL example of the seed documents (../shared/seeds/), with its expected matrix.

Each case names its seed file and quotes the sentence that states the expected access.
"""

from __future__ import annotations

import re

import pytest

from acm_notation import sdl_matrix

SEED_003 = "003_75a29147d71750f3.txt"
SEED_004 = "004_8c63b2ef969dc6f8.txt"
OWNER = "userPools:owner:owner"
# Seed 003's "CREATED BEHIND THE SCENES" PostTags, plus the timestamps every model gets.
JOIN_FIELDS = ("id", "postId", "post", "tagId", "tag", "owner", "createdAt", "updatedAt")

CASES = [
    pytest.param(
        # 003: "each signed-in user, or also known as "owner", of a Todo can create, read,
        # update, and delete their own Todos."
        """type Todo @model @auth(rules: [{ allow: owner }]) { content: String }""",
        "Todo",
        {OWNER: {"content": "crud"}},
        id=f"{SEED_003}:owner",
    ),
    pytest.param(
        # 003: "everyone (public) can read every Todo but owner (authenticated users) can
        # create, read, update, and delete their own Todos."
        """type Todo @model
           @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) {
             content: String
           }""",
        "Todo",
        {"apiKey:public": {"content": "-r--"}, OWNER: {"content": "crud"}},
        id=f"{SEED_003}:public-read-and-owner",
    ),
    pytest.param(
        # 003: "To grant everyone access, use the public authorization strategy. Behind the
        # scenes, the API will be protected with an API Key."
        """type Todo @model @auth(rules: [{ allow: public }]) { content: String }""",
        "Todo",
        {"apiKey:public": {"content": "crud"}},
        id=f"{SEED_003}:public-api-key",
    ),
    pytest.param(
        # 003: "you can use an "Unauthenticated Role" from the Cognito identity pool for
        # public access instead of an API Key."
        """type Post @model @auth(rules: [{ allow: public, provider: iam }]) {
             id: ID!
             title: String!
           }""",
        "Post",
        {"iam:public": {"id": "crud", "title": "crud"}},
        id=f"{SEED_003}:public-iam",
    ),
    pytest.param(
        # 003: the same rule with `provider: identityPool` (the CDK construct's name).
        """type Post @model @auth(rules: [{ allow: public, provider: identityPool }]) {
             id: ID!
             title: String!
           }""",
        "Post",
        {"iam:public": {"id": "crud", "title": "crud"}},
        id=f"{SEED_003}:public-identity-pool",
    ),
    pytest.param(
        # 003: "The "owner" of a Todo record is only allowed to create, read, and update it.
        # The "owner" of a Todo record is denied to delete it."
        """type Todo @model
           @auth(rules: [{ allow: owner, operations: [create, read, update] }]) {
             content: String
           }""",
        "Todo",
        {OWNER: {"content": "cru-"}},
        id=f"{SEED_003}:owner-no-delete",
    ),
    pytest.param(
        # 003: "You can override the owner field to your own preferred field, by specifying
        # a custom ownerField in the authorization rule."
        """type Todo @model @auth(rules: [{ allow: owner, ownerField: "author" }]) {
             content: String
             author: String
           }""",
        "Todo",
        {"userPools:owner:author": {"content": "crud", "author": "crud"}},
        id=f"{SEED_003}:owner-field-author",
    ),
    pytest.param(
        # 003: "To prevent an owner from reassigning their record to another user, protect
        # the owner field ... with a field-level authorization rule."
        """type Todo @model @auth(rules: [{ allow: owner }]) {
             id: ID!
             description: String
             owner: String @auth(rules: [{ allow: owner, operations: [read, delete] }])
           }""",
        "Todo",
        {OWNER: {"id": "crud", "description": "crud", "owner": "-r-d"}},
        id=f"{SEED_003}:owner-field-protected",
    ),
    pytest.param(
        # 003: "Any user listed in the authors field can access the record."
        """type Todo @model @auth(rules: [{ allow: owner, ownerField: "authors" }]) {
             content: String
             authors: [String]
           }""",
        "Todo",
        {"userPools:owner:authors": {"content": "crud", "authors": "crud"}},
        id=f"{SEED_003}:multi-owner",
    ),
    pytest.param(
        # 003: "anyone with a valid JWT token from Cognito user pool are allowed to access
        # all Todos."
        """type Todo @model @auth(rules: [{ allow: private }]) { content: String }""",
        "Todo",
        {"userPools:private": {"content": "crud"}},
        id=f"{SEED_003}:private",
    ),
    pytest.param(
        # 003: "you can use an "Authenticated Role" from the Cognito identity pool for
        # granting access to signed-in users."
        """type Post @model @auth(rules: [{ allow: private, provider: iam }]) {
             id: ID!
             title: String!
           }""",
        "Post",
        {"iam:private": {"id": "crud", "title": "crud"}},
        id=f"{SEED_003}:private-iam",
    ),
    pytest.param(
        # 003: "the owner of a Todo record can query all the tasks connected to it, since
        # the Task model allows private read access."
        """type Todo @model @auth(rules: [{ allow: owner }]) {
             id: ID!
             name: String!
             task: [Task] @hasMany
           }
           type Task @model
             @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }]) {
             id: ID!
             description: String!
           }""",
        "Task",
        {
            OWNER: {"id": "crud", "description": "crud"},
            "userPools:private": {"id": "-r--", "description": "-r--"},
        },
        id=f"{SEED_003}:has-many-private-child",
    ),
    pytest.param(
        # 003: "only users that are part of the "Admin" user group are granted access to the
        # Salary model."
        """type Salary @model @auth(rules: [{ allow: groups, groups: ["Admin"] }]) {
             id: ID!
             wage: Int
             currency: String
           }""",
        "Salary",
        {"userPools:staticGroup:Admin": {"id": "crud", "wage": "crud", "currency": "crud"}},
        id=f"{SEED_003}:static-group",
    ),
    pytest.param(
        # 003: "Dynamic group authorization with multiple groups"
        """type Post @model @auth(rules: [{ allow: groups, groupsField: "groups" }]) {
             id: ID!
             title: String
             groups: [String]
           }""",
        "Post",
        {"userPools:dynamicGroup:groups": {"id": "crud", "title": "crud", "groups": "crud"}},
        id=f"{SEED_003}:dynamic-groups-list",
    ),
    pytest.param(
        # 003: "Dynamic group authorization with a single group"
        """type Post @model @auth(rules: [{ allow: groups, groupsField: "group" }]) {
             id: ID!
             title: String
             group: String
           }""",
        "Post",
        {"userPools:dynamicGroup:group": {"id": "crud", "title": "crud", "group": "crud"}},
        id=f"{SEED_003}:dynamic-group-single",
    ),
    pytest.param(
        # 003: "You can define your own custom authorization rule with a Lambda function."
        """type Salary @model @auth(rules: [{ allow: custom }]) {
             id: ID!
             wage: Int
             currency: String
           }""",
        "Salary",
        {"function:custom": {"id": "crud", "wage": "crud", "currency": "crud"}},
        id=f"{SEED_003}:custom",
    ),
    pytest.param(
        # 003: "any user (signed in or not, verified by IAM) is allowed to read all posts;
        # owners are allowed to create, read, update, and delete their own posts."
        """type Post @model
           @auth(rules: [{ allow: public, operations: [read], provider: iam }
                         { allow: owner }]) {
             title: String
             content: String
           }""",
        "Post",
        {
            "iam:public": {"title": "-r--", "content": "-r--"},
            OWNER: {"title": "crud", "content": "crud"},
        },
        id=f"{SEED_003}:iam-public-read-and-owner",
    ),
    pytest.param(
        # 003: "Any signed in user can read data with the exception of the ssn field. This
        # field only has owner auth applied"
        """type Employee @model
           @auth(rules: [{ allow: private, operations: [read] }, { allow: owner }]) {
             name: String
             email: String
             ssn: String @auth(rules: [{ allow: owner }])
           }""",
        "Employee",
        {
            "userPools:private": {"name": "-r--", "email": "-r--", "ssn": "----"},
            OWNER: {"name": "crud", "email": "crud", "ssn": "crud"},
        },
        id=f"{SEED_003}:field-level-ssn",
    ),
    pytest.param(
        # 003: "Since the description field is not accessible by "Admin" Cognito group
        # users, they cannot delete any Todo records."
        """type Todo @model
           @auth(rules: [{ allow: private, provider: iam }
                         { allow: groups, groups: ["Admin"] }]) {
             id: ID!
             name: String!
               @auth(rules: [{ allow: private, provider: iam }
                             { allow: groups, groups: ["Admin"] }])
             description: String @auth(rules: [{ allow: private, provider: iam }])
           }""",
        "Todo",
        {
            "iam:private": {"id": "crud", "name": "crud", "description": "crud"},
            "userPools:staticGroup:Admin": {"id": "crud", "name": "crud", "description": "----"},
        },
        id=f"{SEED_003}:delete-needs-every-field",
    ),
    pytest.param(
        # 003: "the record owner will check against a user_id claim. Similarly, if the
        # user_groups claim contains a "Moderator" string then access will be granted."
        """type Post @model
           @auth(rules: [{ allow: owner, identityClaim: "user_id" }
                         { allow: groups, groups: ["Moderator"], groupClaim: "user_groups" }]) {
             id: ID!
             owner: String
             postname: String
             content: String
           }""",
        "Post",
        {
            OWNER: dict.fromkeys(("id", "owner", "postname", "content"), "crud"),
            "userPools:staticGroup:Moderator": dict.fromkeys(
                ("id", "owner", "postname", "content"), "crud"
            ),
        },
        id=f"{SEED_003}:custom-claims",
    ),
    pytest.param(
        # 003: "Amplify creates a PostTags table with both owner and groups auth"
        """type Post @model @auth(rules: [{ allow: owner }]) {
             id: ID!
             title: String!
             content: String
             tags: [Tag] @manyToMany(relationName: "PostTags")
           }
           type Tag @model @auth(rules: [{ allow: groups, groups: ["admins"] }]) {
             id: ID!
             label: String!
             posts: [Post] @manyToMany(relationName: "PostTags")
           }""",
        "PostTags",
        {
            OWNER: dict.fromkeys(JOIN_FIELDS, "crud"),
            "userPools:staticGroup:admins": dict.fromkeys(JOIN_FIELDS, "crud"),
        },
        id=f"{SEED_003}:many-to-many-join",
    ),
    pytest.param(
        # 004: "Anyone can read any posts; Any signed-in user can create, read, update, or
        # delete their own posts [owner 'Read' unchecked]; Any user that are part of the
        # "Admins" group is allowed to delete any posts"
        """type Post @model
           @auth(rules: [{ allow: public, operations: [read] }
                         { allow: owner, operations: [create, update, delete] }
                         { allow: groups, groups: ["Admins"], operations: [delete] }]) {
             id: ID!
             content: String!
           }""",
        "Post",
        {
            "apiKey:public": {"id": "-r--", "content": "-r--"},
            OWNER: {"id": "c-ud", "content": "c-ud"},
            "userPools:staticGroup:Admins": {"id": "---d", "content": "---d"},
        },
        id=f"{SEED_004}:social-feed",
    ),
]


@pytest.mark.parametrize(("sdl", "type_name", "expected"), CASES)
def test_seed_example_matrix(sdl: str, type_name: str, expected: dict[str, dict[str, str]]):
    implicit = type_name == "PostTags"  # the join model's fields are all implicit
    assert sdl_matrix(sdl, type_name, implicit=implicit) == expected


GLOBAL_RULE = """
input AMPLIFY { globalAuthRule: AuthRule = { allow: public } }
type Todo @model { content: String }
"""


def test_global_rule_opens_models_without_rules_only_in_sandbox_mode():
    # 003: "The global authorization rule (in this case { allow: public } - allows anyone
    # to create, read, update, and delete) is applied to every data model" -- in the CDK
    # construct only once "sandbox mode" is "explicitly enabled".
    assert sdl_matrix(GLOBAL_RULE, "Todo", sandbox=True) == {"apiKey:public": {"content": "crud"}}
    assert sdl_matrix(GLOBAL_RULE, "Todo") == {}


def test_model_rule_wins_over_global_rule():
    # 003: "a model-level authorization rule will be used in favor of a global
    # authorization rule."
    sdl = GLOBAL_RULE + "type Note @model @auth(rules: [{ allow: owner }]) { text: String }"
    assert sdl_matrix(sdl, "Note", sandbox=True) == {OWNER: {"text": "crud"}}


def test_no_auth_is_deny_by_default():
    # 003: "Authorization rules operate on the deny-by-default principle."
    assert sdl_matrix("type Todo @model { content: String }", "Todo") == {}


def test_blog_acm_prints_exactly_the_seed_tables():
    # 003: `amplify status api -acm Blog` -- the two tables, borders exactly as printed.
    from authorized_appsync import ApiDefinition
    from authorized_appsync.authz import plan_schema, render_tables

    sdl = """type Blog @model
      @auth(rules: [{ allow: public, operations: [read], provider: iam }, { allow: owner }]) {
        title: String
        content: String
      }"""
    printed = render_tables(plan_schema(ApiDefinition.from_string(sdl).schema).acm.for_type("Blog"))
    seed = (
        "iam:public\n"
        "┌─────────┬────────┬──────┬────────┬────────┐\n"
        "│ (index) │ create │ read │ update │ delete │\n"
        "├─────────┼────────┼──────┼────────┼────────┤\n"
        "│ title │ false │ true │ false │ false │\n"
        "│ content │ false │ true │ false │ false │\n"
        "└─────────┴────────┴──────┴────────┴────────┘\n"
        "userPools:owner:owner\n"
        "┌─────────┬────────┬──────┬────────┬────────┐\n"
        "│ (index) │ create │ read │ update │ delete │\n"
        "├─────────┼────────┼──────┼────────┼────────┤\n"
        "│ title │ true │ true │ true │ true │\n"
        "│ content │ true │ true │ true │ true │\n"
        "└─────────┴────────┴──────┴────────┴────────┘"
    )

    # The seed's text lost console.table's centring spaces inside cells (its border
    # lines show the real widths), so cells are compared with runs of spaces folded;
    # border lines and the line count are compared exactly.
    def fold(text: str) -> list[str]:
        return [re.sub(r" +", " ", line) for line in text.splitlines()]

    assert fold(printed) == fold(seed)

    def borders(text: str) -> list[str]:
        return [line for line in text.splitlines() if line[0] in "┌├└"]

    assert borders(printed) == borders(seed)
