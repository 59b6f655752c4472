"""The blog example as a CDK app: `make synth` writes cdk.out/.

Five authorization modes: a Cognito user pool (default), an API key, an OpenID Connect
issuer, a Lambda authorizer and the identity pool's IAM roles, plus a moderator role with
full access (an admin role).
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Acknowledgment, App, CfnOutput, Duration, RemovalPolicy, Stack, Validations
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_cognito_identitypool as identitypool
from aws_cdk import aws_iam as iam
from constructs import Construct

from authorized_appsync import (
    ApiDefinition,
    ApiKeyConfig,
    AuthorizationModes,
    AuthorizedGraphqlApi,
    DefaultLambdaAuthorizer,
    IdentityPoolConfig,
    LambdaConfig,
    OidcConfig,
    UserPoolConfig,
)

HERE = Path(__file__).resolve().parent


class BlogApiStack(Stack):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        users = cognito.UserPool(
            self,
            "Users",
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(username=True, email=True),
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_digits=True,
                require_lowercase=True,
                require_uppercase=True,
                require_symbols=True,
            ),
            mfa=cognito.Mfa.REQUIRED,
            mfa_second_factor=cognito.MfaSecondFactor(sms=False, otp=True),
            feature_plan=cognito.FeaturePlan.PLUS,
            standard_threat_protection_mode=cognito.StandardThreatProtectionMode.FULL_FUNCTION,
            removal_policy=RemovalPolicy.RETAIN,
        )
        client = users.add_client("WebClient", auth_flows=cognito.AuthFlow(user_srp=True))
        cognito.CfnUserPoolGroup(
            self, "Admins", user_pool_id=users.user_pool_id, group_name="Admins"
        )
        identities = identitypool.IdentityPool(
            self,
            "Identities",
            allow_unauthenticated_identities=True,
            authentication_providers=identitypool.IdentityPoolAuthenticationProviders(
                user_pools=[
                    identitypool.UserPoolAuthenticationProvider(
                        user_pool=users, user_pool_client=client
                    )
                ]
            ),
        )
        # Guests (the unauthenticated role) may read posts: the identity-pool rules of
        # examples/blog.graphql ask for it.
        Validations.of(identities).acknowledge(
            Acknowledgment(
                id="AwsSolutions-COG7",
                reason="Guest access is intended: { allow: public, provider: identityPool } "
                "lets visitors read posts without signing in.",
            )
        )
        moderator = iam.Role(
            self,
            "ModeratorRole",
            assumed_by=iam.AccountRootPrincipal(),
            description="Moderation tools: full access to the blog API (an admin role).",
        )
        issuer = self.node.try_get_context("oidcIssuer") or "https://auth.example.com/"
        # Report tools sign in at the partners' issuer with a client of their own; that
        # issuer sets no token_use claim (a Cognito user pool's ID tokens would: token_use
        # "id", the default).
        authorizer = DefaultLambdaAuthorizer(
            self,
            "ReportAuthorizer",
            jwks_url=f"{issuer.rstrip('/')}/.well-known/jwks.json",
            issuer=issuer,
            audience=self.node.try_get_context("reportAudience") or "blog-reports",
            token_use=None,
        )
        api = AuthorizedGraphqlApi(
            self,
            "BlogApi",
            definition=ApiDefinition.from_files(HERE / "examples" / "blog.graphql"),
            authorization_modes=AuthorizationModes(
                default_authorization_mode="AMAZON_COGNITO_USER_POOLS",
                user_pool_config=UserPoolConfig(user_pool=users, user_pool_client=client),
                api_key_config=ApiKeyConfig(expires=Duration.days(30)),
                oidc_config=OidcConfig(
                    oidc_provider_name="Partners",
                    oidc_issuer_url=issuer,
                    client_id="blog-partners",
                    token_expiry_from_issue=Duration.hours(1),
                ),
                lambda_config=LambdaConfig(function=authorizer, ttl=Duration.minutes(5)),
                identity_pool_config=IdentityPoolConfig(
                    identity_pool_id=identities.identity_pool_id,
                    authenticated_user_role=identities.authenticated_role,
                    unauthenticated_user_role=identities.unauthenticated_role,
                ),
                admin_roles=[moderator],
            ),
        )
        # An admin role passes every resolver check, but AppSync still asks its IAM policy
        # (seed 003: admin roles are "scoped based on their IAM policy"): give it the API.
        api.resources.graphql_api.grant(moderator, appsync.IamResource.all(), "appsync:GraphQL")
        api_id = self.resolve(api.resources.cfn_graphql_api.logical_id)
        Validations.of(moderator).acknowledge(
            Acknowledgment(
                id="AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:appsync:<AWS::Region>:"
                f"<AWS::AccountId>:apis/<{api_id}.ApiId>/*]",
                reason="The moderator is an admin role: full access to this one API "
                "(apis/<id>/*) is what it is for.",
            )
        )
        CfnOutput(self, "GraphqlUrl", value=api.graphql_url)
        CfnOutput(self, "UserPoolId", value=users.user_pool_id)
        CfnOutput(self, "UserPoolClientId", value=client.user_pool_client_id)
        CfnOutput(self, "IdentityPoolId", value=identities.identity_pool_id)


def main() -> None:
    app = App()
    BlogApiStack(app, "BlogApiStack")
    app.synth()


if __name__ == "__main__":
    main()
