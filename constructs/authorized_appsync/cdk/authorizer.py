"""``DefaultLambdaAuthorizer``: the Lambda authorizer shipped in ``lambda_authorizer/``,
verifying bearer tokens against a JWKS URL or an HMAC secret."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from .._paths import lambda_authorizer_dir
from .nag import acknowledge

__all__ = ["DefaultLambdaAuthorizer"]


TokenUse = Literal["id", "access"]


class DefaultLambdaAuthorizer(lambda_.Function):
    """A Python Lambda that verifies JWTs for AppSync's AWS_LAMBDA mode.

    Give exactly one of ``jwks_url`` (RS256/384/512 tokens) and ``hmac_secret`` (a Secrets
    Manager secret holding the HS256/384/512 key), and both ``issuer`` (the tokens' ``iss``)
    and ``audience`` (one accepted audience, or several): without them a token that any
    issuer or client got from the same keys would pass, so synth refuses. ``token_use``:
    ``"id"`` (default; Cognito ID tokens, the audience in ``aud``), ``"access"`` (Cognito
    access tokens, the app client id in ``client_id``), or ``None`` for an issuer that sets
    no ``token_use`` claim (the audience in ``aud``; a token carrying one is refused).
    ``context_claims`` are copied into ``resolverContext``; ``denied_fields_claim`` names a
    claim listing ``Type.field`` entries to deny.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        jwks_url: str | None = None,
        hmac_secret: secretsmanager.ISecret | None = None,
        issuer: str | None = None,
        audience: str | Sequence[str] | None = None,
        token_use: TokenUse | None = "id",
        context_claims: tuple[str, ...] = ("sub", "username", "email", "groups"),
        denied_fields_claim: str | None = None,
        token_prefix: str | None = None,
    ) -> None:
        path = f"{scope.node.path}/{construct_id}" if scope.node.path else construct_id
        audiences = [audience] if isinstance(audience, str) else list(audience or ())
        problems = _problems(jwks_url, hmac_secret, issuer, audiences, token_use)
        if problems:
            head = f"DefaultLambdaAuthorizer '{path}' cannot be synthesized:"
            raise ValueError("\n".join([head, *(f"- {p}" for p in problems)]))
        environment = {
            "AUTH_CONTEXT_CLAIMS": ",".join(context_claims),
            "AUTH_ISSUER": str(issuer),
            "AUTH_AUDIENCE": ",".join(a.strip() for a in audiences),
            "AUTH_TOKEN_USE": token_use or "none",
        }
        optional = {
            "AUTH_JWKS_URL": jwks_url,
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


def _problems(
    jwks_url: str | None,
    hmac_secret: secretsmanager.ISecret | None,
    issuer: str | None,
    audiences: list[str],
    token_use: str | None,
) -> list[str]:
    found = []
    if (jwks_url is None) == (hmac_secret is None):
        found.append(
            f"give exactly one of jwks_url and hmac_secret (received "
            f"{'both' if jwks_url else 'neither'})."
        )
    if issuer is None or not issuer.strip():
        found.append(
            "issuer is required: the issuer whose tokens are accepted (their 'iss'), e.g. "
            "user_pool.user_pool_provider_url for a Cognito user pool. Without it tokens of "
            "any issuer the keys verify would be accepted."
        )
    if not audiences or any(not a.strip() or "," in a for a in audiences):
        found.append(
            "audience is required: the accepted audience, or a list of them, none empty or "
            "holding a comma (for a Cognito user pool: the app client ids). Without it tokens "
            "issued to any other client of the issuer would be accepted."
        )
    if token_use not in ("id", "access", None):
        found.append(
            f"token_use is {token_use!r}; use 'id' (Cognito ID tokens), 'access' (Cognito "
            f"access tokens) or None (an issuer that sets no token_use claim)."
        )
    return found
