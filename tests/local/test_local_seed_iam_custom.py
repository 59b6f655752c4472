"""IAM and Lambda rules end to end (seed 003): the identity pool's unauthenticated role
(``public``/``iam``) and authenticated role (``private``/``iam``), admin roles matched by
exact name, and ``{ allow: custom }`` with a Lambda authorizer's ``deniedFields``; the
template's own resolvers on moto's DynamoDB, allowed and denied callers for each rule.

Locally a role's name is its logical id (``local/assembly/intrinsics.py``);
``LocalAppSync.iam(name)`` puts it in ``userArn`` as
``arn:aws:sts::<account>:assumed-role/<name>/local``.
"""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack
from stacks import IdentityPool, api_stack, assert_denied, ok, role_name

from authorized_appsync.local.app import LocalAppSync
from authorized_appsync.local.engine import Caller

SCHEMA = """
type Post @model @auth(rules: [
  { allow: public, provider: iam, operations: [read] }
  { allow: private, provider: iam }
]) {
  id: ID!
  title: String!
}

type Salary @model @auth(rules: [{ allow: custom }]) {
  id: ID!
  wage: Int
  currency: String
}
"""

AUTHORIZER = "def handler(event, context):\n    return {'isAuthorized': True}\n"

CREATE_POST = 'mutation { createPost(input: {title: "t"}) { id title } }'
GET_POST = "query($id: ID!) { getPost(id: $id) { id title } }"
LIST_POSTS = "{ listPosts { items { id title } } }"
UPDATE_POST = 'mutation($id: ID!) { updatePost(input: {id: $id, title: "u"}) { id title } }'
DELETE_POST = "mutation($id: ID!) { deletePost(input: {id: $id}) { id } }"

CREATE_SALARY = 'mutation { createSalary(input: {wage: 5, currency: "EUR"}) { id } }'
GET_SALARY = "query($id: ID!) { getSalary(id: $id) { id wage currency } }"
LIST_SALARIES = "{ listSalaries { items { id wage currency } } }"
UPDATE_SALARY = "mutation($id: ID!) { updateSalary(input: {id: $id, wage: 6}) { id wage } }"
DELETE_SALARY = "mutation($id: ID!) { deleteSalary(input: {id: $id}) { id } }"


def build(app: App | None = None) -> Stack:
    """Both roles of a new identity pool by IAM (the default), the admin role ``Ops``, and a
    Lambda authorizer that allows every token; no user pool."""
    return api_stack(
        "IamCustom",
        SCHEMA,
        app=app,
        default_mode="AWS_IAM",
        user_pool=False,
        identity_pool=IdentityPool(),
        authorizer=AUTHORIZER,
        admin_role="Ops",
    )


@pytest.fixture(scope="module")
def setup():
    stack = build()
    with LocalAppSync.from_stack(stack) as local:
        yield local, role_name(stack, "Ops")


@pytest.fixture
def api(setup):
    return setup[0]


@pytest.fixture
def admin_name(setup):
    return setup[1]


def new_post(api):
    return ok(api.graphql(CREATE_POST, auth=api.iam("authenticated")), "createPost")["id"]


def assert_no_post_access(api, caller, update_message="Unauthorized on [title]"):
    post_id = new_post(api)
    assert_denied(api.graphql(GET_POST, {"id": post_id}, auth=caller), "getPost", "Query")
    assert_denied(api.graphql(LIST_POSTS, auth=caller), "listPosts", "Query")
    assert_denied(api.graphql(CREATE_POST, auth=caller), "createPost", "Mutation")
    updated = api.graphql(UPDATE_POST, {"id": post_id}, auth=caller)
    assert_denied(updated, "updatePost", "Mutation", update_message)
    assert_denied(api.graphql(DELETE_POST, {"id": post_id}, auth=caller), "deletePost", "Mutation")


# -- identity pool ----------------------------------------------------------------------


def test_the_unauthenticated_role_reads_and_cannot_write(api):
    # Seed 003: "any user (signed in or not, verified by IAM) is allowed to read all posts"
    # via "{ allow: public, operations: [read], provider: iam }".
    guest = api.iam("unauthenticated")
    post_id = new_post(api)
    assert ok(api.graphql(GET_POST, {"id": post_id}, auth=guest), "getPost")["id"] == post_id
    listed = ok(api.graphql(LIST_POSTS, auth=guest), "listPosts")["items"]
    assert post_id in [p["id"] for p in listed]
    assert_denied(api.graphql(CREATE_POST, auth=guest), "createPost", "Mutation")
    # The guest role's IAM policy (generated from the rules) does not name updatePost:
    # AppSync refuses the field before the resolver runs.
    updated = api.graphql(UPDATE_POST, {"id": post_id}, auth=guest)
    assert_denied(updated, "updatePost", "Mutation")
    assert_denied(api.graphql(DELETE_POST, {"id": post_id}, auth=guest), "deletePost", "Mutation")


def test_the_authenticated_role_has_crud(api):
    # Seed 003: "you can use an "Authenticated Role" from the Cognito identity pool for
    # granting access to signed-in users."
    signed_in = api.iam("authenticated")
    post = ok(api.graphql(CREATE_POST, auth=signed_in), "createPost")
    assert ok(api.graphql(GET_POST, {"id": post["id"]}, auth=signed_in), "getPost") == post
    assert (
        ok(api.graphql(UPDATE_POST, {"id": post["id"]}, auth=signed_in), "updatePost")["title"]
        == "u"
    )
    assert ok(api.graphql(DELETE_POST, {"id": post["id"]}, auth=signed_in), "deletePost")


def test_an_iam_role_outside_the_pool_is_denied(api):
    # Seed 003: "IAM-based @auth rules are scoped down to only work with Amplify-generated
    # IAM roles." - and without iamConfig no other principal gets in.
    assert_no_post_access(api, api.iam("SomeLambdaRole"))


def test_credentials_of_another_identity_pool_are_denied(api):
    # Unauthenticated credentials, but from another pool and another role.
    stranger = Caller(
        "AWS_IAM",
        {
            "accountId": "123456789012",
            "cognitoIdentityPoolId": "us-east-1:other-pool",
            "cognitoIdentityId": "us-east-1:someone",
            "sourceIp": ["127.0.0.1"],
            "username": "AROALOCAL:OtherGuest",
            "userArn": "arn:aws:sts::123456789012:assumed-role/OtherGuest/local",
            "cognitoIdentityAuthType": "unauthenticated",
            "cognitoIdentityAuthProvider": None,
        },
    )
    assert_denied(api.graphql(LIST_POSTS, auth=stranger), "listPosts", "Query")


# -- admin roles ------------------------------------------------------------------------


def test_the_admin_role_has_full_access(api, admin_name):
    # Seed 003: "These "Admin Roles" have special access privileges that are scoped based
    # on their IAM policy instead of any particular @auth rule."
    admin = api.iam(admin_name)
    post = ok(api.graphql(CREATE_POST, auth=admin), "createPost")
    assert ok(api.graphql(GET_POST, {"id": post["id"]}, auth=admin), "getPost") == post
    assert post in ok(api.graphql(LIST_POSTS, auth=admin), "listPosts")["items"]
    assert (
        ok(api.graphql(UPDATE_POST, {"id": post["id"]}, auth=admin), "updatePost")["title"] == "u"
    )
    assert ok(api.graphql(DELETE_POST, {"id": post["id"]}, auth=admin), "deletePost")
    # Every model, whatever its rules: Salary is custom-only.
    salary_id = ok(api.graphql(CREATE_SALARY, auth=admin), "createSalary")["id"]
    assert ok(api.graphql(GET_SALARY, {"id": salary_id}, auth=admin), "getSalary")["wage"] == 5
    assert (
        ok(api.graphql(UPDATE_SALARY, {"id": salary_id}, auth=admin), "updateSalary")["wage"] == 6
    )
    assert ok(api.graphql(DELETE_SALARY, {"id": salary_id}, auth=admin), "deleteSalary")


@pytest.mark.parametrize("shape", ["{}Extra", "My{}", "x{}x", "{}-readonly"])
def test_a_role_whose_name_contains_the_admin_role_is_denied(api, admin_name, shape):
    # Amplify's VTL compared adminRoles with `$ctx.identity.userArn.contains(...)`;
    # docs/semantics.md: "matched by **exact** role name or ARN ..., never by substring".
    lookalike = api.iam(shape.format(admin_name))
    assert_no_post_access(api, lookalike)
    assert_denied(api.graphql(LIST_SALARIES, auth=lookalike), "listSalaries", "Query")


# -- custom (Lambda authorizer) ---------------------------------------------------------


def test_the_lambda_caller_has_crud_on_custom_models(api):
    # Seed 003: "The AppSync GraphQL API will receive a payload from Lambda after invocation
    # to allow or deny the API call accordingly."
    caller = api.lambda_caller({"userid": "user-id"})
    salary_id = ok(api.graphql(CREATE_SALARY, auth=caller), "createSalary")["id"]
    got = ok(api.graphql(GET_SALARY, {"id": salary_id}, auth=caller), "getSalary")
    assert got == {"id": salary_id, "wage": 5, "currency": "EUR"}
    assert got in ok(api.graphql(LIST_SALARIES, auth=caller), "listSalaries")["items"]
    assert (
        ok(api.graphql(UPDATE_SALARY, {"id": salary_id}, auth=caller), "updateSalary")["wage"] == 6
    )
    assert ok(api.graphql(DELETE_SALARY, {"id": salary_id}, auth=caller), "deleteSalary")


@pytest.mark.parametrize(
    "denied",
    [
        "Salary.wage",
        # The seed's authorizer template names fields by ARN (the local API id is "localapi").
        "arn:aws:appsync:us-east-1:123456789012:apis/localapi/types/Salary/fields/wage",
    ],
)
def test_denied_fields_are_forced_to_null(api, denied):
    # Seed 003: ""deniedFields": ["TypeName.FieldName"], // Forces the fields to "null"
    # when returned to the client"
    salary_id = ok(api.graphql(CREATE_SALARY, auth=api.lambda_caller({})), "createSalary")["id"]
    caller = api.lambda_caller({"userid": "user-id"}, (denied,))
    got = api.graphql(GET_SALARY, {"id": salary_id}, auth=caller)
    assert got == {"data": {"getSalary": {"id": salary_id, "wage": None, "currency": "EUR"}}}
    listed = ok(api.graphql(LIST_SALARIES, auth=caller), "listSalaries")["items"]
    assert {"id": salary_id, "wage": None, "currency": "EUR"} in listed
    assert all(item["wage"] is None for item in listed)


def test_other_callers_are_denied_the_custom_model(api):
    salary_id = ok(api.graphql(CREATE_SALARY, auth=api.lambda_caller({})), "createSalary")["id"]
    for caller in (api.iam("authenticated"), api.iam("unauthenticated"), api.iam("Nobody")):
        assert_denied(api.graphql(GET_SALARY, {"id": salary_id}, auth=caller), "getSalary", "Query")
        assert_denied(api.graphql(LIST_SALARIES, auth=caller), "listSalaries", "Query")
        assert_denied(api.graphql(CREATE_SALARY, auth=caller), "createSalary", "Mutation")
        refused = api.graphql(DELETE_SALARY, {"id": salary_id}, auth=caller)
        assert_denied(refused, "deleteSalary", "Mutation")


def test_the_lambda_caller_is_denied_the_iam_model(api):
    # Post carries no @aws_lambda: AppSync refuses the field before any resolver runs.
    lambda_caller = api.lambda_caller({"userid": "user-id"})
    assert_no_post_access(
        api, lambda_caller, "Not Authorized to access updatePost on type Mutation"
    )
