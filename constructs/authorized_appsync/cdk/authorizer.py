"""``DefaultLambdaAuthorizer``: the Lambda authorizer shipped in ``lambda_authorizer/``,
verifying bearer tokens against a JWKS URL or an HMAC secret."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from .._paths import lambda_authorizer_dir
from .nag import acknowledge

__all__ = ["DefaultLambdaAuthorizer"]


class DefaultLambdaAuthorizer(lambda_.Function):
    """A Python Lambda that verifies JWTs for AppSync's AWS_LAMBDA mode.

    Give exactly one of ``jwks_url`` (RS256/384/512 tokens) and ``hmac_secret`` (a Secrets
    Manager secret holding the HS256/384/512 key). ``issuer`` and ``audience`` are checked
    when given; ``context_claims`` are copied into ``resolverContext``;
    ``denied_fields_claim`` names a claim listing ``Type.field`` entries to deny.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        jwks_url: str | None = None,
        hmac_secret: secretsmanager.ISecret | None = None,
        issuer: str | None = None,
        audience: str | None = None,
        context_claims: tuple[str, ...] = ("sub", "username", "email", "groups"),
        denied_fields_claim: str | None = None,
        token_prefix: str | None = None,
    ) -> None:
        if (jwks_url is None) == (hmac_secret is None):
            raise ValueError(
                f"DefaultLambdaAuthorizer '{construct_id}': give exactly one of jwks_url and "
                f"hmac_secret (received {'both' if jwks_url else 'neither'})."
            )
        environment = {"AUTH_CONTEXT_CLAIMS": ",".join(context_claims)}
        optional = {
            "AUTH_JWKS_URL": jwks_url,
            "AUTH_ISSUER": issuer,
            "AUTH_AUDIENCE": audience,
            "AUTH_DENIED_FIELDS_CLAIM": denied_fields_claim,
            "AUTH_TOKEN_PREFIX": token_prefix,
            "AUTH_HMAC_SECRET_ARN": hmac_secret.secret_arn if hmac_secret else None,
        }
        environment.update({k: v for k, v in optional.items() if v is not None})
        super().__init__(
            scope,
            construct_id,
            runtime=lambda_.Runtime.PYTHON_3_14,
            handler="index.handler",
            code=lambda_.Code.from_asset(
                str(lambda_authorizer_dir()), exclude=["__pycache__", "*.pyc", "README.md"]
            ),
            timeout=Duration.seconds(10),
            memory_size=256,
            environment=environment,
        )
        if hmac_secret is not None:
            hmac_secret.grant_read(self)
        if self.role is not None:
            acknowledge(
                self.role,
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                "AWSLambdaBasicExecutionRole]",
                "The basic execution policy only lets the authorizer write its own logs.",
            )
