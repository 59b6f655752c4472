"""``LocalAppSync``: the synthesized API, in-process, for pytest.

    with LocalAppSync.from_stack(stack) as api:
        alice = api.user("alice")
        api.graphql("mutation { createPost(input: {content: \\"hi\\"}) { id } }", auth=alice)

Tables are created in an embedded moto DynamoDB; the resolvers are the template's own code,
run in a persistent node process. The identity helpers build the identities AppSync would
put in ``ctx.identity`` for each mode (the HTTP server verifies real credentials).
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from ..errors import AuthorizedAppSyncError
from .assembly.template import (
    ACCOUNT,
    API_ID,
    REGION,
    ApiRef,
    LoadedApi,
    load_template,
    locate_api,
    synthesized_stack,
)
from .engine import RESOLVER_TIMEOUT_S, Caller, Engine, EngineStats, GraphQLResponse
from .identity.lambda_auth import LambdaAuthorizerRunner, denied_field_names
from .identity.result import Rejected
from .identity.types import AuthMode
from .js.runner import JsSession
from .lambdas.authorizer import lambda_authorizer
from .subscriptions.hub import Subscription, SubscriptionHub

__all__ = ["CredentialsRejectedError", "LocalAppSync"]


class CredentialsRejectedError(AuthorizedAppSyncError):
    """The credentials were refused before execution, as AppSync refuses them: ``status``
    (401) and ``body`` (AppSync's error list)."""

    def __init__(self, rejected: Rejected) -> None:
        self.status = rejected.status
        self.body = rejected.body()
        super().__init__(f"{rejected.status} {rejected.error_type}: {rejected.message}")


_ISSUER = f"https://cognito-idp.{REGION}.amazonaws.com/"


class LocalAppSync:
    """The API of a synthesized template, run in-process (use as a context manager).

    Load it with :meth:`from_stack`, :meth:`from_assembly` or :meth:`from_template`; all
    three read the stack's template and its nested stacks' templates the same way
    (``assembly/template.py``, ``load_template``). Keywords they share:

    - ``dynamodb_client``: a boto3 DynamoDB client for another endpoint (DynamoDB Local,
      AWS), made before entering (moto swaps the environment's credentials); tables that
      already exist there are kept. Default: the embedded moto.
    - ``resolver_timeout``: seconds one resolver handler may run before its field fails with
      ``ExecutionTimeout`` (default: AppSync's 30 s limit). Setting the ``resolver_timeout``
      attribute before entering works too.
    """

    # The default of the resolver_timeout keyword (see the class docstring).
    resolver_timeout: float = RESOLVER_TIMEOUT_S

    def __init__(
        self,
        api: LoadedApi,
        *,
        identity_pool_id: str | None = None,
        dynamodb_client: Any = None,
        resolver_timeout: float | None = None,
    ) -> None:
        """``identity_pool_id``: the identity pool the API trusts when the resolvers' plans
        do not name one (default: the templates' own pool)."""
        self.api = api
        self.identity_pool_id = identity_pool_id or api.identity_pool_id
        if resolver_timeout is not None:
            self.resolver_timeout = resolver_timeout
        self._dynamodb_client = dynamodb_client
        self._engine: Engine | None = None
        self._hub: SubscriptionHub | None = None
        # Serializes work on the engine (one node host): requests, subscribes, and the
        # events they publish. Servers in other threads take it too (endpoints/realtime.py).
        self.lock = threading.RLock()
        self._js: JsSession | None = None
        self._mock: Any = None
        self.client: Any = None
        # The template (and its assembly folder) the API was read from, for the Lambda
        # authorizer (lambda_token); None when built from a LoadedApi directly.
        self._source: tuple[Mapping[str, Any], Path | None] | None = None
        self._authorizer: LambdaAuthorizerRunner | None = None

    # -- loading -----------------------------------------------------------------------
    @classmethod
    def from_template(
        cls,
        template: Mapping[str, Any],
        dynamodb_client: Any = None,
        *,
        resolver_timeout: float | None = None,
        assembly: str | Path | None = None,
        name: str = "the template",
        api: str | ApiRef | None = None,
        construct_paths: Mapping[str, str] | None = None,
    ) -> LocalAppSync:
        """The API of a stack's ``template`` (CloudFormation JSON). ``assembly``: the cloud
        assembly folder it came from (nested stacks' templates, Lambda assets); ``name``:
        its stack's name; ``api``: which API (see :meth:`from_assembly`); ``construct_paths``:
        logical id -> construct path, when the template lacks ``aws:cdk:path`` metadata."""
        folder = None if assembly is None else Path(assembly)
        loaded = load_template(
            template, assembly=folder, name=name, api=api, construct_paths=construct_paths
        )
        local = cls(loaded, dynamodb_client=dynamodb_client, resolver_timeout=resolver_timeout)
        local._source = (template, folder)
        return local

    @classmethod
    def from_stack(
        cls,
        stack: Any,
        *,
        api: Any = None,
        dynamodb_client: Any = None,
        resolver_timeout: float | None = None,
    ) -> LocalAppSync:
        """The API of a CDK ``Stack``: its app is synthesized (as
        ``aws_cdk.assertions.Template.from_stack`` does) and read like an assembly. ``api``:
        which API, when the stack holds several: the ``AuthorizedGraphqlApi`` itself or its
        construct path (``"MyStack/Api"``)."""
        entry, template = synthesized_stack(stack)
        return cls.from_template(
            template,
            dynamodb_client,
            resolver_timeout=resolver_timeout,
            assembly=entry.folder,
            name=entry.display,
            api=api.node.path if hasattr(api, "node") else api,
            construct_paths=entry.construct_paths,
        )

    @classmethod
    def from_assembly(
        cls,
        path: str | Path,
        stack: str | None = None,
        *,
        api: str | None = None,
        dynamodb_client: Any = None,
        resolver_timeout: float | None = None,
    ) -> LocalAppSync:
        """The API of a cloud assembly (``cdk.out``, or one of its ``*.template.json``),
        stacks of nested assemblies (``Stage``) and nested stacks included: the one ``api``
        names, or the only one. ``api`` is the construct path of the ``AuthorizedGraphqlApi``
        (``"MyStack/Api"``, ``"Prod/MyStack/Api"`` in the stage ``Prod``), or that path
        relative to ``stack``; ``stack`` (as ``cdk ls`` names it, or its stack name) narrows
        the search."""
        located = locate_api(Path(path), stack, api)
        return cls.from_template(
            located.template,
            dynamodb_client,
            resolver_timeout=resolver_timeout,
            assembly=located.stack.folder,
            name=located.stack.display,
            api=located.api,
        )

    # -- lifetime ----------------------------------------------------------------------
    def __enter__(self) -> LocalAppSync:
        from moto import mock_aws

        for name, value in (
            ("AWS_ACCESS_KEY_ID", "local"),
            ("AWS_SECRET_ACCESS_KEY", "local"),
            ("AWS_DEFAULT_REGION", REGION),
        ):
            os.environ.setdefault(name, value)
        import boto3

        self._mock = mock_aws()
        self._mock.start()
        try:
            self._create_tables(boto3)
        except BaseException:
            self._mock.stop()
            self._mock = None
            raise
        self._js = JsSession()
        self._engine = Engine(
            self.api, self.client, self._js, resolver_timeout=self.resolver_timeout
        )
        self._hub = SubscriptionHub(self._engine)
        return self

    def _create_tables(self, boto3: Any) -> None:
        self.client = self._dynamodb_client or boto3.client("dynamodb", region_name=REGION)
        existing = set(self.client.list_tables()["TableNames"])
        for table in self.api.tables.values():
            if table.name in existing:
                if self._dynamodb_client is not None:
                    continue  # another endpoint: its tables and items are kept
                raise RuntimeError(
                    f"Table {table.name!r} already exists in the embedded DynamoDB: another "
                    f"LocalAppSync (or serve) is open in this process with the same tables. "
                    f"Close it first (one embedded API at a time per process), or give "
                    f"dynamodb_client= a client of another endpoint."
                )
            kwargs: dict[str, Any] = {
                "TableName": table.name,
                "KeySchema": [{"AttributeName": n, "KeyType": k} for n, k in table.key_schema],
                "AttributeDefinitions": [
                    {"AttributeName": n, "AttributeType": t} for n, t in table.attributes
                ],
                "BillingMode": "PAY_PER_REQUEST",
            }
            if table.indexes:
                kwargs["GlobalSecondaryIndexes"] = [
                    {
                        "IndexName": name,
                        "Projection": {"ProjectionType": "ALL"},
                        "KeySchema": [{"AttributeName": n, "KeyType": k} for n, k in key],
                    }
                    for name, key in table.indexes
                ]
            self.client.create_table(**kwargs)
            if table.ttl_attribute:
                self.client.update_time_to_live(
                    TableName=table.name,
                    TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute},
                )

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._js is not None:
            self._js.close()
        if self._mock is not None:
            self._mock.stop()
        self._engine = self._js = self._mock = None
        self._hub = None

    @property
    def stats(self) -> EngineStats:
        """Cumulative time in requests, node round trips and data-source calls."""
        if self._engine is None:
            raise RuntimeError("Use LocalAppSync as a context manager: with ... as api:")
        return self._engine.stats

    # -- requests ----------------------------------------------------------------------
    def graphql(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        auth: Caller,
        operation_name: str | None = None,
    ) -> GraphQLResponse:
        """Run ``query`` as ``auth``; ``operation_name`` picks one of several operations in
        it (the request's ``operationName``)."""
        if self._engine is None:
            raise RuntimeError("Use LocalAppSync as a context manager: with ... as api:")
        with self.lock:
            return self._engine.run(query, variables, auth, operation_name)

    def subscribe(
        self, query: str, variables: Mapping[str, Any] | None = None, *, auth: Caller
    ) -> Subscription:
        """Subscribe as ``auth`` (the subscription resolver runs now); mutations run
        afterwards deliver their events to it. Raises ``SubscriptionRefusedError`` with AppSync's
        errors when the subscription does not start::

            with api.subscribe("subscription { onCreatePost { id } }", auth=alice) as sub:
                api.graphql(CREATE_POST, auth=alice)
                sub.next(timeout=1)  # {"data": {"onCreatePost": {"id": ...}}}
        """
        with self.lock:
            return Subscription(self.subscriptions, query, variables, auth)

    @property
    def subscriptions(self) -> SubscriptionHub:
        """The live subscriptions (the WebSocket endpoint registers its own here)."""
        if self._hub is None:
            raise RuntimeError("Use LocalAppSync as a context manager: with ... as api:")
        return self._hub

    # -- identities, as AppSync puts them in ctx.identity (APPSYNC.md §1) --------------
    def api_key(self) -> Caller:
        return Caller(AuthMode.API_KEY, None)

    def user(
        self,
        name: str,
        *,
        groups: tuple[str, ...] = (),
        sub: str | None = None,
        claims: Mapping[str, Any] | None = None,
    ) -> Caller:
        sub = sub or str(uuid.uuid5(uuid.NAMESPACE_DNS, name))
        pool = self.api.api.user_pool_id or "local_pool"
        all_claims = {
            "sub": sub,
            "cognito:username": name,
            "iss": _ISSUER + pool,
            "token_use": "id",
            **({"cognito:groups": list(groups)} if groups else {}),
            **dict(claims or {}),
        }
        return Caller(
            AuthMode.AMAZON_COGNITO_USER_POOLS,
            {
                "sub": sub,
                "issuer": _ISSUER + pool,
                "username": name,
                "claims": all_claims,
                "sourceIp": ["127.0.0.1"],
                "defaultAuthStrategy": "ALLOW",
                "groups": list(groups) or None,
            },
        )

    def oidc_user(self, claims: Mapping[str, Any]) -> Caller:
        issuer = self.api.api.oidc_issuer or "https://issuer.local/"
        return Caller(
            AuthMode.OPENID_CONNECT,
            {"sub": claims.get("sub"), "issuer": issuer, "claims": {"iss": issuer, **dict(claims)}},
        )

    def iam(self, role: str) -> Caller:
        """``"authenticated"``/``"unauthenticated"`` (the identity pool's roles, by the role
        names the template gives them) or any role name (an admin role, or a stranger)."""
        pool_type = role if role in ("authenticated", "unauthenticated") else None
        role_name = self._pool_role(role) if pool_type else role
        return Caller(
            AuthMode.AWS_IAM,
            {
                "accountId": ACCOUNT,
                "cognitoIdentityPoolId": self._pool_id() if pool_type else None,
                "cognitoIdentityId": f"{REGION}:{uuid.uuid4()}" if pool_type else None,
                "sourceIp": ["127.0.0.1"],
                "username": f"AROALOCAL:{role_name}",
                "userArn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role_name}/local",
                "cognitoIdentityAuthType": pool_type,
                "cognitoIdentityAuthProvider": None,
            },
        )

    def lambda_caller(
        self, resolver_context: Mapping[str, str], denied_fields: tuple[str, ...] = ()
    ) -> Caller:
        """A caller the Lambda authorizer admitted. ``denied_fields`` as the authorizer
        answers them: ``"Type.field"`` or the field's ARN in this API (``apis/localapi``)."""
        return Caller(
            AuthMode.AWS_LAMBDA,
            {"resolverContext": dict(resolver_context)},
            denied_field_names(list(denied_fields), API_ID),
        )

    def lambda_token(self, token: str, headers: Mapping[str, str] | None = None) -> Caller:
        """The caller the template's Lambda authorizer admits for ``token``, run from its
        code as AppSync runs it (its ``resolverContext``, ``deniedFields`` and ``ttlOverride``
        cache honoured). Raises :class:`CredentialsRejectedError` with AppSync's 401 body
        when it refuses."""
        if self._authorizer is None:
            self._authorizer = self._lambda_runner()
        answer = self._authorizer.authorize(token, headers or {}, b"", now=time.time())
        if isinstance(answer, Rejected):
            raise CredentialsRejectedError(answer)
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        return Caller(answer.mode, answer.to_context(), answer.denied_fields, lowered)

    def _lambda_runner(self) -> LambdaAuthorizerRunner:
        template, folder = self._source or ({}, None)
        source = self.api.source
        if source is None or not template or "AWS_LAMBDA" not in self.api.api.modes:
            raise ValueError(
                "lambda_token() runs the API's Lambda authorizer, but this API has no AWS_LAMBDA "
                "mode read from a template; use lambda_caller(resolver_context, denied_fields) "
                "to stand for an admitted caller instead."
            )
        config, note = lambda_authorizer(template, source.props, folder)
        if note is not None:
            raise ValueError(f"lambda_token() cannot run the authorizer here. {note}")
        return LambdaAuthorizerRunner(config, api_id=API_ID, account_id=ACCOUNT)

    def _pool_role(self, kind: str) -> str:
        security = self.api.api.security
        role = (
            security.authenticated_role
            if kind == "authenticated"
            else security.unauthenticated_role
        )
        return role or f"{kind}Role"

    def _pool_id(self) -> str:
        """The identity pool the API trusts (the construct's recorded ``identityPoolId``,
        which may be a literal id of a pool outside the template); never None, as AppSync
        always fills ``cognitoIdentityPoolId`` for identity-pool credentials - a None would
        make the caller look like a non-pool IAM principal (full access with iam_config)."""
        return self.api.api.security.identity_pool_id or self.identity_pool_id or f"{REGION}:local"
