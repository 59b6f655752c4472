"""The Cognito endpoint of ``serve``: the user-pool API a client needs, in front of moto's
Cognito run inside this process (moto's server is never exposed).

Each request is checked before moto sees it (``cognito_actions.py`` holds the lists):

- its ``Host`` header must be a name of this server (``endpoints/host_check.py``, against DNS
  rebinding);
- ``POST /`` with ``X-Amz-Target: AWSCognitoIdentityProviderService.<Action>`` only (and,
  once :meth:`CognitoFront.serve_identities` is called, ``AWSCognitoIdentityService.GetId``
  and ``GetCredentialsForIdentity``: ``cognito_identity.py``): any other service or path is
  refused, so the API's tables stay private to the process;
- client actions (sign-up, sign-in, refresh, GetUser, ...) are taken from anyone;
  administrator actions only signed (SigV4, service ``cognito-idp``) with this run's admin
  credentials; every other action is refused;
- a challenge answer must name the session, challenge and user this endpoint issued, and an
  access token must be one it handed out;
- an SRP sign-in (``USER_SRP_AUTH``) is taken when the template's app client allows it, and its
  proof is checked here against a verifier of the user's password (``cognito_srp.py``).

Tokens are signed with a key made for this run: moto signs with the key it ships (its private
half is in moto's package), so the ID and access tokens of moto's answers are signed again,
claims unchanged, by the run's RSA key, whose public JWKS is served at
``/<pool id>/.well-known/jwks.json`` and is the only key ``serve`` verifies user-pool tokens
with. Access tokens sent back (GetUser, ChangePassword, GlobalSignOut) are mapped to moto's.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from .. import json_input
from ..assembly.template import ACCOUNT, REGION
from ..endpoints.host_check import HostCheck
from ..identity.config import IamAuth, IamCredential
from ..identity.issuer import LocalIssuer
from ..identity.result import Rejected
from ..identity.sigv4 import ALGORITHM, verify_sigv4
from .cognito import CognitoPool, PoolSpec
from .cognito_actions import (
    ADMIN_ACTIONS,
    ADMIN_FLOWS,
    PUBLIC_ACTIONS,
    PUBLIC_FLOWS,
    TARGET_PREFIX,
    CognitoRefusal,
    flow_not_enabled,
    not_served,
    unknown_attributes,
    unsupported_flow,
)
from .cognito_identity import IDENTITY_TARGET_PREFIX, IdentityDesk
from .cognito_srp import SRP_FLOW, SrpDesk, password_change
from .keys import random_key_id, random_secret

__all__ = ["CognitoFront"]

_SERVICE = "cognito-idp"
_JSON = "application/x-amz-json-1.1"
_SESSION_S = 180  # Cognito's sign-in sessions last three minutes
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date",
}
_AUTH_FLOWS = [
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
]


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    loaded: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return loaded


def _usernames(*places: object) -> Iterable[object]:
    for place in places:
        if isinstance(place, Mapping):
            yield from (place.get(name) for name in ("USERNAME", "USER_ID_FOR_SRP"))


class _Issued:
    """What this endpoint handed out: its access tokens (-> moto's) and challenge sessions."""

    def __init__(self) -> None:
        self.access: dict[str, tuple[str, float]] = {}
        self.sessions: dict[str, tuple[str, str, float]] = {}

    def prune(self, now: float) -> None:
        self.access = {k: v for k, v in self.access.items() if v[1] > now}
        self.sessions = {k: v for k, v in self.sessions.items() if v[2] > now}


class CognitoFront:
    """The Cognito endpoint on ``host:port`` (port 0: any free port), on a daemon thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, hosts: HostCheck | None = None):
        from moto.moto_server.werkzeug_app import create_backend_app
        from werkzeug.serving import WSGIRequestHandler, make_server

        class QuietHandler(WSGIRequestHandler):
            def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
                return  # `serve` prints its own lines

        self.hosts = hosts or HostCheck.for_bind(host)
        self.admin_key_id = random_key_id("AKIA")
        self._admin = IamAuth(
            credentials={
                self.admin_key_id: IamCredential(
                    secret_access_key=random_secret(),
                    arn=f"arn:aws:iam::{ACCOUNT}:user/serve-cognito-admin",
                )
            }
        )
        self._moto = create_backend_app("cognito-idp")
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._signer: LocalIssuer | None = None
        self._pool_id = ""
        self._spec = PoolSpec(name="")
        self._issued = _Issued()
        self._srp = SrpDesk()
        self._identities: IdentityDesk | None = None
        self._lock = threading.Lock()
        self._server = make_server(
            host, port, self._wsgi, threaded=True, request_handler=QuietHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="cognito-front", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        return f"http://{name}:{port}"

    @property
    def admin_secret(self) -> str:
        return self._admin.credentials[self.admin_key_id].secret_access_key

    @property
    def jwks(self) -> dict[str, object]:
        """The public key set of this run's token key: the only one tokens verify with."""
        if self._signer is None:
            raise RuntimeError("CognitoFront.create_pool has not run: there is no key set yet.")
        return self._signer.jwks

    def start(self) -> CognitoFront:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    def create_pool(self, spec: PoolSpec) -> CognitoPool:
        """The user pool standing for the template's, its app client and groups."""

        def ok(action: str, params: Mapping[str, object]) -> dict[str, Any]:
            status, body, _ = self._forward(action, params)
            if status != 200:
                raise RuntimeError(f"moto's Cognito refused {action}: {body.decode()}")
            loaded: dict[str, Any] = json.loads(body)
            return loaded

        pool_id = ok("CreateUserPool", {"PoolName": spec.name})["UserPool"]["Id"]
        client_id = ok(
            "CreateUserPoolClient",
            {
                "UserPoolId": pool_id,
                "ClientName": spec.client_name,
                "ExplicitAuthFlows": _AUTH_FLOWS,
            },
        )["UserPoolClient"]["ClientId"]
        for group in spec.groups:
            ok("CreateGroup", {"UserPoolId": pool_id, "GroupName": group})
        pool = CognitoPool(
            self.url, pool_id, client_id, spec.groups, self.admin_key_id, self.admin_secret
        )
        self._pool_id = pool_id
        self._spec = spec
        self._signer = LocalIssuer(
            pool.issuer, kid=f"serve-{secrets.token_hex(8)}", private_key=self._key
        )
        return pool

    def serve_identities(self, desk: IdentityDesk) -> None:
        """Answer Cognito Identity's GetId and GetCredentialsForIdentity with ``desk``."""
        self._identities = desk

    # -- requests -------------------------------------------------------------------------
    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        response = self._answer(Request(environ))
        response.headers.update(_CORS)
        response.headers.setdefault("x-amzn-RequestId", str(uuid.uuid4()))
        result: Iterable[bytes] = response(environ, start_response)
        return result

    def _answer(self, request: Request) -> Response:
        host = request.headers.get("Host")
        if not self.hosts.allows(host):
            return _refuse(CognitoRefusal(403, "ForbiddenException", self.hosts.refusal(host)))
        if request.method == "OPTIONS":
            return _preflight(request)
        if request.method in ("GET", "HEAD") and request.path == self._jwks_path():
            return Response(json.dumps(self.jwks), 200, content_type="application/json")
        return self._action(request)

    def _action(self, request: Request) -> Response:
        """``POST /`` of a served action: checked, then called."""
        target = request.headers.get("X-Amz-Target", "")
        action = target.removeprefix(TARGET_PREFIX)
        public = action in PUBLIC_ACTIONS
        if request.method != "POST" or request.path != "/":
            return _refuse(not_served("", f"{request.method} {request.path}"))
        if self._identities is not None and target.startswith(IDENTITY_TARGET_PREFIX):
            return _identity_answer(self._identities, target, request.get_data())
        if not (public or action in ADMIN_ACTIONS):
            return _refuse(not_served(target))
        body = request.get_data()
        try:
            params = json_input.loads(body or b"{}")
        except ValueError:
            params = None
        refusal = (
            CognitoRefusal(400, "SerializationException", "The request body is not a JSON object.")
            if not isinstance(params, dict)
            else None
            if public
            else self._admin_refusal(request, body, action)
        )
        if refusal is not None:
            return _refuse(refusal)
        with self._lock:
            return self._call(action, params)

    def _jwks_path(self) -> str:
        return f"/{self._pool_id}/.well-known/jwks.json"

    def _admin_refusal(self, request: Request, body: bytes, action: str) -> CognitoRefusal | None:
        headers = {name.lower(): value for name, value in request.headers.items()}
        hint = (
            f"{action} is an administrator action: sign it (SigV4, service {_SERVICE}) with "
            f"the Cognito admin credentials that `authorized-appsync serve` printed."
        )
        authorization = headers.get("authorization", "")
        if not authorization.startswith(f"{ALGORITHM} "):
            return CognitoRefusal(
                400, "MissingAuthenticationTokenException", f"Missing Authentication Token. {hint}"
            )
        path = request.path + (f"?{request.query_string.decode()}" if request.query_string else "")
        verdict = verify_sigv4(
            headers,
            body,
            iam=self._admin,
            region=REGION,
            method=request.method,
            path=path,
            now=time.time(),
            source_ip=(str(request.remote_addr),),
            service=_SERVICE,
        )
        if isinstance(verdict, Rejected):
            return CognitoRefusal(400, verdict.error_type, f"{verdict.message} {hint}")
        return None

    def _call(self, action: str, params: dict[str, Any]) -> Response:
        """Check what the request names against what was issued, call moto, sign its tokens
        again. Runs under the lock."""
        now = time.time()
        self._issued.prune(now)
        refusal = self._check(action, params)
        if refusal is not None:
            return _refuse(refusal)
        status, body, error_type = self._forward(action, params)
        if status == 200 and body:
            answer = json.loads(body)
            if action == "InitiateAuth" and answer.get("ChallengeName") == "PASSWORD_VERIFIER":
                self._srp.open(params, answer, now)
            self._bookkeep(action, params, answer, now)
            self._note_password(action, params)
            body = json.dumps(answer).encode()
        response = Response(body, status, content_type=_JSON)
        if error_type:
            response.headers["x-amzn-ErrorType"] = error_type
        return response

    def _check(self, action: str, params: dict[str, Any]) -> CognitoRefusal | None:
        if action == "SignUp" and (refusal := unknown_attributes(params.get("UserAttributes"))):
            return refusal
        if action in ("InitiateAuth", "AdminInitiateAuth"):
            return self._flow_refusal(action, params)
        if action == "RespondToAuthChallenge" and params.get("ChallengeName") == (
            "PASSWORD_VERIFIER"
        ):
            return self._srp.answer(self._pool_id, params, time.time())
        if action in ("RespondToAuthChallenge", "AdminRespondToAuthChallenge"):
            issued = self._issued.sessions.get(str(params.get("Session")))
            responses = params.get("ChallengeResponses")
            user = responses.get("USERNAME") if isinstance(responses, Mapping) else None
            if issued is None or (params.get("ChallengeName"), user) != issued[:2]:
                return CognitoRefusal(
                    400,
                    "NotAuthorizedException",
                    "Invalid session for the user: Session, ChallengeName and "
                    "ChallengeResponses.USERNAME must be those of a challenge this endpoint "
                    "issued.",
                )
        if "AccessToken" in params:
            mapped = self._issued.access.get(str(params["AccessToken"]))
            if mapped is None:
                return CognitoRefusal(400, "NotAuthorizedException", "Invalid Access Token")
            params["AccessToken"] = mapped[0]
        return None

    def _flow_refusal(self, action: str, params: Mapping[str, Any]) -> CognitoRefusal | None:
        """The refusal of a sign-in flow not served, or not allowed by the app client."""
        flow = params.get("AuthFlow")
        allowed = PUBLIC_FLOWS if action == "InitiateAuth" else ADMIN_FLOWS
        if flow not in allowed:
            return unsupported_flow(action, flow, allowed)
        if flow != SRP_FLOW:
            return None
        if f"ALLOW_{SRP_FLOW}" not in self._spec.auth_flows:
            return flow_not_enabled(SRP_FLOW, self._spec.client_name, self._spec.auth_flows)
        return self._srp.bad_a(params)

    def _bookkeep(
        self, action: str, params: Mapping[str, Any], answer: dict[str, Any], now: float
    ) -> None:
        """Record challenge sessions; sign tokens again with this run's key."""
        if isinstance(session := answer.get("Session"), str) and answer.get("ChallengeName"):
            user = next(
                (
                    str(name)
                    for name in _usernames(
                        answer.get("ChallengeParameters"),
                        params.get("AuthParameters"),
                        params.get("ChallengeResponses"),
                    )
                    if name
                ),
                "",
            )
            self._issued.sessions[session] = (str(answer["ChallengeName"]), user, now + _SESSION_S)
        result = answer.get("AuthenticationResult")
        if not isinstance(result, dict):
            return
        if "Session" in params:
            self._issued.sessions.pop(str(params["Session"]), None)
        if isinstance(result.get("IdToken"), str):
            result["IdToken"] = self._sign_again(result["IdToken"])
        if isinstance(moto_access := result.get("AccessToken"), str):
            ours = self._sign_again(moto_access)
            expiry = float(_claims(moto_access).get("exp", now + 3600))
            self._issued.access[ours] = (moto_access, expiry)
            result["AccessToken"] = ours

    def _note_password(self, action: str, params: Mapping[str, Any]) -> None:
        """Keep a verifier of a password moto took (for SRP sign-in), under the pool's name of
        the user."""
        token = params.get("AccessToken") if action == "ChangePassword" else None
        access_user = str(_claims(token).get("username", "")) if isinstance(token, str) else ""
        change = password_change(action, params, access_user)
        if change is None:
            return
        user, password = change
        status, body, _ = self._forward(
            "AdminGetUser", {"UserPoolId": self._pool_id, "Username": user}
        )
        if status == 200:
            user = str(json.loads(body).get("Username", user))
        self._srp.remember(self._pool_id, user, password)

    def _sign_again(self, token: str) -> str:
        if self._signer is None:  # pragma: no cover - tokens come only from the pool made
            raise RuntimeError("No user pool: there is no token key.")
        return self._signer.sign(_claims(token), {"kid": self._signer.kid, "alg": "RS256"})

    def _forward(self, action: str, params: Mapping[str, object]) -> tuple[int, bytes, str]:
        """moto's answer (status, body, error type), unsigned, as from this region."""
        response = Client(self._moto).post(
            "/",
            data=json.dumps(params),
            headers={
                "X-Amz-Target": f"{TARGET_PREFIX}{action}",
                "Content-Type": _JSON,
                "Host": f"{_SERVICE}.{REGION}.amazonaws.com",
            },
        )
        return (
            response.status_code,
            response.get_data(),
            response.headers.get("x-amzn-ErrorType", ""),
        )


def _identity_answer(desk: IdentityDesk, target: str, body: bytes) -> Response:
    try:
        params = json_input.loads(body or b"{}")
    except ValueError:
        params = None
    if not isinstance(params, dict):
        return _refuse(
            CognitoRefusal(400, "SerializationException", "The request body is not a JSON object.")
        )
    answer = desk.answer(target.removeprefix(IDENTITY_TARGET_PREFIX), params)
    if isinstance(answer, CognitoRefusal):
        return _refuse(answer)
    return Response(json.dumps(answer), 200, content_type=_JSON)


def _refuse(refusal: CognitoRefusal) -> Response:
    response = Response(refusal.body(), refusal.status, content_type=_JSON)
    response.headers["x-amzn-ErrorType"] = refusal.error_type
    return response


def _preflight(request: Request) -> Response:
    """Cognito's answer to a browser's preflight: any origin, the headers asked for."""
    response = Response(b"", 200)
    response.headers["Access-Control-Allow-Methods"] = "POST"
    response.headers["Access-Control-Max-Age"] = "86400"
    asked = request.headers.get("Access-Control-Request-Headers", "").strip()
    if asked:
        response.headers["Access-Control-Allow-Headers"] = asked
    return response
