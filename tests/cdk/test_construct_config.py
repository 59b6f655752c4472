"""Construct-time validation: bad configurations fail at synth with the construct path, the
thing at fault and what is allowed (never a jsii traceback as the only clue)."""

from __future__ import annotations

import pytest
from aws_cdk import App, Duration, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Annotations, Match

from authorized_appsync import (
    ApiDefinition,
    ApiKeyConfig,
    AuthorizationModes,
    AuthorizedGraphqlApi,
    ConfigurationError,
    IamConfig,
    IdentityPoolConfig,
    LambdaConfig,
    UserPoolConfig,
)

OWNER = "type Todo @model @auth(rules: [{ allow: owner }]) { content: String }"
PUBLIC = "type Todo @model @auth(rules: [{ allow: public }]) { content: String }"


@pytest.fixture
def stack() -> Stack:
    return Stack(App(), "Test")


def _pool(stack: Stack) -> UserPoolConfig:
    return UserPoolConfig(user_pool=cognito.UserPool(stack, "Users"))


def _roles(stack: Stack) -> tuple[iam.Role, iam.Role]:
    principal = iam.AccountRootPrincipal()
    return iam.Role(stack, "Auth", assumed_by=principal), iam.Role(
        stack, "Unauth", assumed_by=principal
    )


def problems(stack: Stack, sdl: str, modes: AuthorizationModes, **props: object) -> list[str]:
    with pytest.raises(ConfigurationError) as caught:
        AuthorizedGraphqlApi(
            stack,
            "Api",
            definition=ApiDefinition.from_string(sdl, "schema.graphql"),
            authorization_modes=modes,
            **props,  # type: ignore[arg-type]
        )
    assert str(caught.value).startswith("AuthorizedGraphqlApi 'Test/Api' cannot be synthesized:")
    return list(caught.value.problems)


def test_no_mode(stack):
    (problem,) = problems(stack, PUBLIC, AuthorizationModes())
    assert problem.startswith("no authorization mode is configured")


def test_several_modes_need_a_default(stack):
    found = problems(
        stack,
        OWNER,
        AuthorizationModes(api_key_config=ApiKeyConfig(), user_pool_config=_pool(stack)),
    )
    assert found == [
        "several authorization modes are configured (API_KEY, AMAZON_COGNITO_USER_POOLS); "
        "set default_authorization_mode to one of them."
    ]


def test_unknown_default_mode_suggests(stack):
    (problem,) = problems(
        stack,
        PUBLIC,
        AuthorizationModes(default_authorization_mode="API_KYE", api_key_config=ApiKeyConfig()),
    )
    assert "default_authorization_mode 'API_KYE' is not an AppSync authorization mode" in problem
    assert "Did you mean 'API_KEY'?" in problem


def test_default_mode_must_be_configured(stack):
    (problem,) = problems(
        stack,
        PUBLIC,
        AuthorizationModes(default_authorization_mode="AWS_LAMBDA", api_key_config=ApiKeyConfig()),
    )
    assert problem == (
        "default_authorization_mode is AWS_LAMBDA but that mode is not configured; "
        "add lambda_config."
    )


def test_rule_with_unconfigured_provider_names_rule_type_and_mode(stack):
    (problem,) = problems(stack, OWNER, AuthorizationModes(api_key_config=ApiKeyConfig()))
    assert problem == (
        "schema.graphql:1:32: the rule { allow: owner, provider: userPools } on type 'Todo' "
        "needs the AMAZON_COGNITO_USER_POOLS authorization mode, which is not configured; "
        "add user_pool_config."
    )


def test_field_rule_provider_is_checked_too(stack):
    sdl = """type Todo @model @auth(rules: [{ allow: public }]) {
      secret: String @auth(rules: [{ allow: custom }])
    }"""
    found = problems(stack, sdl, AuthorizationModes(api_key_config=ApiKeyConfig()))
    (problem,) = [p for p in found if "on field 'Todo.secret'" in p]
    assert "needs the AWS_LAMBDA authorization mode" in problem


def test_iam_rule_needs_identity_pool(stack):
    sdl = "type Todo @model @auth(rules: [{ allow: public, provider: iam }]) { c: String }"
    (problem,) = problems(
        stack, sdl, AuthorizationModes(iam_config=IamConfig(enable_iam_authorization_mode=True))
    )
    assert "needs the identity pool's roles, but no identity_pool_config is given" in problem


def test_public_iam_rule_needs_unauthenticated_role(stack):
    auth, _ = _roles(stack)
    sdl = "type Todo @model @auth(rules: [{ allow: public, provider: identityPool }]) { c: String }"
    (problem,) = problems(
        stack,
        sdl,
        AuthorizationModes(
            identity_pool_config=IdentityPoolConfig(
                identity_pool_id="us-east-1:pool", authenticated_user_role=auth
            )
        ),
    )
    assert "identity_pool_config has no unauthenticated_user_role" in problem


def test_admin_role_may_not_be_an_identity_pool_role(stack):
    auth, unauth = _roles(stack)
    found = problems(
        stack,
        PUBLIC,
        AuthorizationModes(
            default_authorization_mode="API_KEY",
            api_key_config=ApiKeyConfig(),
            identity_pool_config=IdentityPoolConfig(
                identity_pool_id="us-east-1:pool",
                authenticated_user_role=auth,
                unauthenticated_user_role=unauth,
            ),
            admin_roles=[unauth],
        ),
    )
    assert any("is also a role of the identity pool" in p for p in found)


@pytest.mark.parametrize("days", [0.5, 366])
def test_api_key_expiry_limits(stack, days):
    expires = Duration.hours(days * 24)
    (problem,) = problems(
        stack, PUBLIC, AuthorizationModes(api_key_config=ApiKeyConfig(expires=expires))
    )
    assert problem == (
        f"api_key_config.expires is {days:g} days; AppSync accepts API keys valid for "
        "1 to 365 days."
    )


def test_lambda_ttl_limits(stack):
    fn = lambda_.Function(
        stack,
        "Fn",
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(e, c): return {'isAuthorized': True}"),
    )
    sdl = "type Todo @model @auth(rules: [{ allow: custom }]) { c: String }"
    (problem,) = problems(
        stack,
        sdl,
        AuthorizationModes(lambda_config=LambdaConfig(function=fn, ttl=Duration.hours(2))),
    )
    assert problem == "lambda_config.ttl is 7200 s; AppSync caches authorizer answers 0 to 3600 s."


def test_sandbox_needs_api_key(stack):
    found = problems(
        stack,
        "type Todo @model { c: String }",
        AuthorizationModes(user_pool_config=_pool(stack)),
        sandbox_mode_enabled=True,
    )
    assert any(
        p.startswith("sandbox_mode_enabled applies the global { allow: public } rule")
        for p in found
    )


def test_schema_errors_surface_with_locations(stack):
    found = problems(
        stack,
        "type Todo @model @auth(rules: [{ allow: ownr }]) { c: String }",
        AuthorizationModes(api_key_config=ApiKeyConfig()),
    )
    assert found[0].startswith("schema.graphql:1:41: Unknown authorization strategy 'allow: ownr'")


def test_relations_not_generated_yet_are_refused_at_their_place(stack):
    sdl = """type Post @model @auth(rules: [{ allow: public }]) { tags: [Tag]
      @hasMany @auth(rules: [{ allow: public }]) }
    type Tag @model @auth(rules: [{ allow: public }]) { label: String }"""
    found = problems(stack, sdl, AuthorizationModes(api_key_config=ApiKeyConfig()))
    assert found[0].startswith("schema.graphql:1:54: field 'Post.tags' uses @hasMany: ")
    assert all("is not generated yet" in problem for problem in found)


def test_every_problem_is_reported_at_once(stack):
    found = problems(
        stack,
        """type A @model @auth(rules: [{ allow: owner }]) { x: String }
           type B @model @auth(rules: [{ allow: custom }]) { y: String }""",
        AuthorizationModes(api_key_config=ApiKeyConfig(expires=Duration.days(400))),
    )
    assert len(found) == 3


# Seed 003: "to facilitate field-level authorization with subscriptions, you need to either
# apply field-level authorization rules to all required fields, make the other fields
# nullable, or disable subscriptions by setting it to public or off."
EMPLOYEE = """type Employee @model{options}
  @auth(rules: [{{ allow: private, operations: [read] }}, {{ allow: owner }}]) {{
  name: String
  ssn: String{required} @auth(rules: [{{ allow: owner }}])
}}"""


def _employee(stack: Stack, *, required: bool, options: str = "") -> AuthorizedGraphqlApi:
    sdl = EMPLOYEE.format(options=options, required="!" if required else "")
    return AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(sdl, "schema.graphql"),
        authorization_modes=AuthorizationModes(user_pool_config=_pool(stack)),
    )


def test_a_required_field_hidden_from_subscribers_is_refused(stack):
    sdl = EMPLOYEE.format(options="", required="!")
    (problem,) = problems(stack, sdl, AuthorizationModes(user_pool_config=_pool(stack)))
    assert problem == (
        "schema.graphql:4:3: field 'Employee.ssn' is required ('String!') but its own @auth "
        "rules ({allow: owner}) hide it from subscribers admitted by the model's rule "
        "{allow: private, operations: [read]} (schema.graphql:2:17; role userPools:private), "
        "so every create, update and delete response returns it as null and would fail. Add "
        "a rule admitting them to its @auth, make it nullable ('String'), or turn "
        "subscriptions off with @model(subscriptions: null)."
    )


def test_a_required_field_hidden_from_readers_is_refused_while_subscriptions_are_on(stack):
    # Owners alone listen (private readers may get and list only): no subscriber is refused
    # ssn, but signed-in readers are, and their reads would fail whole.
    sdl = """type Employee @model @auth(rules: [
      { allow: private, operations: [get, list] }, { allow: owner }]) {
      ssn: String! @auth(rules: [{ allow: owner }])
    }"""
    (problem,) = problems(stack, sdl, AuthorizationModes(user_pool_config=_pool(stack)))
    assert (
        "hide it from callers who may read Employee records, admitted by the model's rule "
        "{allow: private, operations: [get, list]} (schema.graphql:2:7; role userPools:private), "
        "whose reads would fail." in problem
    )


def test_a_required_field_the_directive_hides_is_refused_too(stack):
    # API-key readers are refused `secret` by AppSync itself: null all the same.
    sdl = """type Post @model
      @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) {
      secret: String! @auth(rules: [{ allow: owner }])
    }"""
    modes = AuthorizationModes(
        default_authorization_mode="API_KEY",
        api_key_config=ApiKeyConfig(),
        user_pool_config=_pool(stack),
    )
    (problem,) = problems(stack, sdl, modes)
    assert problem.startswith("schema.graphql:3:7: field 'Post.secret' is required")


def test_a_nullable_or_unsubscribed_field_is_accepted(stack):
    _employee(stack, required=False)
    _employee(Stack(App(), "Other"), required=True, options="(subscriptions: null)")


def test_owner_subscriptions_a_protected_owner_field_silences_are_a_warning(stack):
    # Seed 000's protected owner field on a model the API key also reads: mutation
    # responses null `owner` (API-key subscribers may not read it), so the owners'
    # subscription filter never matches.
    sdl = """type Todo @model
      @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) {
      content: String
      owner: String @auth(rules: [{ allow: owner, operations: [read, delete] }])
    }"""
    AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(sdl),
        authorization_modes=AuthorizationModes(
            default_authorization_mode="API_KEY",
            api_key_config=ApiKeyConfig(),
            user_pool_config=_pool(stack),
        ),
    )
    Annotations.from_stack(stack).has_warning(
        "/Test/Api",
        Match.string_like_regexp("owner rule on 'owner' will receive no events"),
    )


def test_an_owner_field_every_subscriber_reads_gives_no_warning(stack):
    AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(OWNER),
        authorization_modes=AuthorizationModes(user_pool_config=_pool(stack)),
    )
    assert Annotations.from_stack(stack).find_warning("*", Match.any_value()) == []
