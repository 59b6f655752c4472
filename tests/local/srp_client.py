"""The client side of Cognito's SRP sign-in, written for the tests from the formulas Amplify JS
uses (its ``AuthenticationHelper``, ``getPaddedHex``, ``getHkdfKey``, ``getSignatureString``),
apart from the endpoint's own ``srp.py`` so that the two check each other."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

# RFC 3526 group 15 = RFC 5054's 3072-bit group, as printed there (the same digits Cognito's
# clients carry).
PRIME = int(
    """
    FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 29024E08 8A67CC74 020BBEA6 3B139B22
    514A0879 8E3404DD EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 E485B576 625E7EC6
    F44C42E9 A637ED6B 0BFF5CB6 F406B7ED EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D
    C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F 83655D23 DCA3AD96 1C62F356 208552BB
    9ED52907 7096966D 670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B E39E772C 180E8603
    9B2783A2 EC07A28F B5C55DF0 6F4C52C9 DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510
    15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64 ECFB8504 58DBEF0A 8AEA7157 5D060C7D
    B3970F85 A6E1E4C7 ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B F12FFA06 D98A0864
    D8760273 3EC86A64 521F2B18 177B200C BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31
    43DB5BFC E0FD108E 4B82D120 A93AD2CA FFFFFFFF FFFFFFFF
    """.replace(" ", "").replace("\n", ""),
    16,
)


def padded_hex(number: int) -> str:
    """Amplify's getPaddedHex for a number >= 0: even length, "00" before a high nibble."""
    text = format(number, "x")
    text = "0" + text if len(text) % 2 else text
    return "00" + text if text[0] in "89abcdef" else text


def hex_hash(hex_text: str) -> str:
    return hashlib.sha256(bytes.fromhex(hex_text)).hexdigest()


@dataclass
class SrpClient:
    """One sign-in attempt's secret ``a`` and public ``A``."""

    pool_id: str
    a: int = 0

    def __post_init__(self) -> None:
        self.a = self.a or secrets.randbits(1024)

    @property
    def srp_a(self) -> str:
        return format(pow(2, self.a, PRIME), "x")

    def answer(
        self, parameters: dict[str, str], password: str, timestamp: str | None = None
    ) -> dict[str, str]:
        """The ``ChallengeResponses`` of a ``PASSWORD_VERIFIER`` challenge."""
        pool = self.pool_id.split("_", 1)[1]
        user = parameters["USER_ID_FOR_SRP"]
        big_b, salt = int(parameters["SRP_B"], 16), int(parameters["SALT"], 16)
        k = int(hex_hash(padded_hex(PRIME) + padded_hex(2)), 16)
        u = int(hex_hash(padded_hex(pow(2, self.a, PRIME)) + padded_hex(big_b)), 16)
        inner = hashlib.sha256(f"{pool}{user}:{password}".encode()).hexdigest()
        x = int(hex_hash(padded_hex(salt) + inner), 16)
        s = pow((big_b - k * pow(2, x, PRIME)) % PRIME, self.a + u * x, PRIME)
        prk = hmac.new(
            bytes.fromhex(padded_hex(u)), bytes.fromhex(padded_hex(s)), hashlib.sha256
        ).digest()
        key = hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]
        now = timestamp or time.strftime("%a %b %-d %H:%M:%S UTC %Y", time.gmtime())
        block = parameters["SECRET_BLOCK"]
        message = pool.encode() + user.encode() + base64.b64decode(block) + now.encode()
        signature = base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
        return {
            "USERNAME": user,
            "PASSWORD_CLAIM_SECRET_BLOCK": block,
            "PASSWORD_CLAIM_SIGNATURE": signature,
            "TIMESTAMP": now,
        }
