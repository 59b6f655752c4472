"""SRP sign-in (``USER_SRP_AUTH``, Amplify JS's default) at the Cognito endpoint of ``serve``,
checked here because moto accepts any SRP proof.

The endpoint keeps a salted verifier (``srp.Verifier``, never the password) of each user whose
password it sees pass (sign-up, an administrator's password, a changed or new password), and
answers ``USER_SRP_AUTH`` with a challenge of its own: ``SALT`` and ``SRP_B`` from the user's
verifier, ``USER_ID_FOR_SRP`` the user name, and a random ``SECRET_BLOCK`` that names the
challenge. The ``PASSWORD_VERIFIER`` answer must bring that block back, for the same user and
app client, within three minutes and once; its ``PASSWORD_CLAIM_SIGNATURE`` must prove the
password. Only then is moto's own (unchecked) SRP answer given, so moto hands out the tokens,
or the next challenge (``NEW_PASSWORD_REQUIRED``), exactly as for a password sign-in.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .cognito_actions import CognitoRefusal
from .srp import Challenge, N, Verifier, parse_hex, pool_name

__all__ = ["SRP_FLOW", "SrpDesk", "password_change"]

SRP_FLOW = "USER_SRP_AUTH"
_SESSION_S = 180  # Cognito's sign-in sessions last three minutes
_WRONG = CognitoRefusal(400, "NotAuthorizedException", "Incorrect username or password.")
_STALE = CognitoRefusal(
    400,
    "NotAuthorizedException",
    "Invalid session for the user: PASSWORD_CLAIM_SECRET_BLOCK must be the SECRET_BLOCK of a "
    "PASSWORD_VERIFIER challenge this endpoint issued to the same user and app client in the "
    "last three minutes, answered once.",
)


def password_change(
    action: str, params: Mapping[str, Any], access_user: str
) -> tuple[str, str | None] | None:
    """The user whose password ``action`` set (with the password) or made unknown (None),
    once moto took it; ``access_user``: the user the request's access token names."""
    responses = params.get("ChallengeResponses")
    responses = responses if isinstance(responses, Mapping) else {}
    user, password = {
        "SignUp": (params.get("Username"), params.get("Password")),
        "AdminCreateUser": (params.get("Username"), params.get("TemporaryPassword")),
        "AdminSetUserPassword": (params.get("Username"), params.get("Password")),
        "ChangePassword": (access_user, params.get("ProposedPassword")),
        "RespondToAuthChallenge": (responses.get("USERNAME"), responses.get("NEW_PASSWORD")),
        "AdminRespondToAuthChallenge": (responses.get("USERNAME"), responses.get("NEW_PASSWORD")),
        "AdminResetUserPassword": (params.get("Username"), None),
        "AdminDeleteUser": (params.get("Username"), None),
    }.get(action, (None, None))
    if not isinstance(user, str) or not user:
        return None
    if isinstance(password, str) and password:
        return user, password
    return (user, None) if action in ("AdminResetUserPassword", "AdminDeleteUser") else None


@dataclass(frozen=True)
class _Open:
    """An issued challenge: for whom, through which client, and moto's session for it."""

    user: str
    client_id: str
    challenge: Challenge = field(repr=False)
    moto_block: str = field(repr=False)
    expires: float


class SrpDesk:
    """The verifiers of the pool's users and the SRP challenges open (the endpoint's lock
    guards both)."""

    def __init__(self) -> None:
        self._verifiers: dict[str, Verifier] = {}
        self._open: dict[str, _Open] = {}

    def remember(self, pool_id: str, user: str, password: str | None) -> None:
        """Keep the verifier of ``user``'s new password (None: the password is unknown)."""
        if password is None:
            self._verifiers.pop(user, None)
        else:
            self._verifiers[user] = Verifier.of(pool_name(pool_id), user, password)

    @staticmethod
    def bad_a(params: Mapping[str, Any]) -> CognitoRefusal | None:
        """The refusal of an ``InitiateAuth`` whose ``SRP_A`` is no usable SRP number."""
        auth = params.get("AuthParameters")
        srp_a = parse_hex(auth.get("SRP_A") if isinstance(auth, Mapping) else None)
        if srp_a is not None and srp_a % N:
            return None
        return CognitoRefusal(
            400,
            "InvalidParameterException",
            "AuthParameters.SRP_A must be the client's SRP public value A: a hexadecimal "
            "number that is not 0 modulo the 3072-bit group's prime.",
        )

    def open(self, params: Mapping[str, Any], answer: dict[str, Any], now: float) -> None:
        """Turn moto's ``PASSWORD_VERIFIER`` challenge (made-up values) into a checked one."""
        self._open = {k: v for k, v in self._open.items() if v.expires > now}
        shown = answer.get("ChallengeParameters", {})
        user = str(shown.get("USERNAME", ""))
        srp_a = parse_hex(params["AuthParameters"]["SRP_A"])
        challenge = Challenge.start(srp_a or 0, self._verifiers.get(user) or Verifier.unknown())
        if challenge is None:  # pragma: no cover - bad_a refused it before moto was asked
            raise ValueError("SRP_A was not checked before the challenge.")
        block = base64.b64encode(secrets.token_bytes(64)).decode()
        self._open[block] = _Open(
            user,
            str(params.get("ClientId")),
            challenge,
            str(answer.pop("Session", shown.get("SECRET_BLOCK", ""))),
            now + _SESSION_S,
        )
        answer["ChallengeParameters"] = {
            "SALT": format(challenge.verifier.salt, "x"),
            "SRP_B": format(challenge.b_public, "x"),
            "SECRET_BLOCK": block,
            "USERNAME": user,
            "USER_ID_FOR_SRP": user,
        }

    def answer(self, pool_id: str, params: dict[str, Any], now: float) -> CognitoRefusal | None:
        """Check a ``PASSWORD_VERIFIER`` answer; when it proves the password, rewrite it into
        the answer moto's own challenge takes."""
        responses = params.get("ChallengeResponses")
        responses = responses if isinstance(responses, Mapping) else {}
        block = responses.get("PASSWORD_CLAIM_SECRET_BLOCK")
        issued = self._open.pop(block, None) if isinstance(block, str) else None
        if (
            issued is None
            or issued.expires <= now
            or responses.get("USERNAME") != issued.user
            or params.get("ClientId") != issued.client_id
        ):
            return _STALE
        proven = issued.challenge.verifies(
            responses.get("PASSWORD_CLAIM_SIGNATURE"),
            pool_name(pool_id),
            issued.user,
            base64.b64decode(str(block)),
            responses.get("TIMESTAMP"),
        )
        if not proven:
            return _WRONG
        params["ChallengeResponses"] = {
            "USERNAME": issued.user,
            "PASSWORD_CLAIM_SECRET_BLOCK": issued.moto_block,
            "PASSWORD_CLAIM_SIGNATURE": "checked by the serve endpoint",
            "TIMESTAMP": str(responses.get("TIMESTAMP")),
        }
        params.pop("Session", None)
        return None
