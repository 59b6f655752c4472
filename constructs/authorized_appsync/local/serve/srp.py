"""The server side of Amazon Cognito's SRP sign-in (``USER_SRP_AUTH``), as Cognito's clients
compute it (Amplify JS, the AWS mobile SDKs): SRP-6a over the 3072-bit group of RFC 5054
(``g = 2``), SHA-256, and numbers hashed in their minimal two's-complement bytes (a leading
zero byte when the top bit is set, as Java's ``BigInteger.toByteArray`` writes them).

- The verifier of a password: ``x = H(salt | H(pool | user | ":" | password))``,
  ``v = g^x mod N`` (``pool``: the part of the pool id after ``_``).
- The challenge: ``B = k*v + g^b mod N`` with ``k = H(N | g)``; the client answers with
  ``u = H(A | B)``, ``S = (B - k*g^x)^(a + u*x)``, which the server finds as
  ``(A * v^u)^b mod N``.
- The proof: ``key = HKDF-SHA256(ikm=S, salt=u, info="Caldera Derived Key")`` (16 bytes),
  ``PASSWORD_CLAIM_SIGNATURE = base64(HMAC-SHA256(key, pool | user | secret block |
  timestamp))``.

Nothing here keeps a password: a :class:`Verifier` holds the salt and ``v`` only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

__all__ = ["Challenge", "G", "N", "Verifier", "pool_name", "proof_signature"]

# RFC 5054, appendix A: the 3072-bit group (the prime of RFC 3526's group 15).
N = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879"
    "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B"
    "0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA4836"
    "1C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804"
    "F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6"
    "955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64"
    "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D226"
    "1AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2"
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    16,
)
G = 2
_INFO = b"Caldera Derived Key\x01"


def to_bytes(number: int) -> bytes:
    """``number`` (>= 0) in the fewest bytes that keep its top bit clear."""
    return number.to_bytes(number.bit_length() // 8 + 1, "big")


def _hash(*parts: bytes) -> int:
    return int.from_bytes(hashlib.sha256(b"".join(parts)).digest(), "big")


_K = _hash(to_bytes(N), to_bytes(G))


def pool_name(user_pool_id: str) -> str:
    """The pool's name in SRP: its id without the region (``us-east-1_Ab12`` -> ``Ab12``)."""
    return user_pool_id.split("_", 1)[-1]


def _x(salt: int, pool: str, user: str, password: str) -> int:
    inner = hashlib.sha256(f"{pool}{user}:{password}".encode()).hexdigest()
    return _hash(to_bytes(salt), bytes.fromhex(inner))


@dataclass(frozen=True)
class Verifier:
    """What proves a password without keeping it: a random salt and ``v = g^x mod N``."""

    salt: int
    v: int = field(repr=False)

    @classmethod
    def of(cls, pool: str, user: str, password: str) -> Verifier:
        salt = int.from_bytes(secrets.token_bytes(16), "big")
        return cls(salt, pow(G, _x(salt, pool, user, password), N))

    @classmethod
    def unknown(cls) -> Verifier:
        """A verifier no password matches (no one knows its ``x``): for users whose password
        this endpoint never saw, so their challenge looks like anyone else's and fails."""
        return cls(int.from_bytes(secrets.token_bytes(16), "big"), pow(G, secrets.randbits(256), N))


def proof_signature(key: bytes, pool: str, user: str, secret_block: bytes, timestamp: str) -> str:
    """``PASSWORD_CLAIM_SIGNATURE``: base64 of HMAC-SHA256 under the proof ``key``."""
    message = pool.encode() + user.encode() + secret_block + timestamp.encode()
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def hkdf_key(s: int, u: int) -> bytes:
    """The 16-byte proof key Cognito's clients derive from ``S`` and ``u``."""
    prk = hmac.new(to_bytes(u), to_bytes(s), hashlib.sha256).digest()
    return hmac.new(prk, _INFO, hashlib.sha256).digest()[:16]


def parse_hex(value: object) -> int | None:
    """A hex number a client sent (``SRP_A``), or None when it is none."""
    if not isinstance(value, str) or not 0 < len(value) <= 2048:
        return None
    try:
        return int(value, 16)
    except ValueError:
        return None


@dataclass(frozen=True)
class Challenge:
    """One ``PASSWORD_VERIFIER`` challenge: the client's ``A``, the server's secret ``b``
    and public ``B``, for one user's verifier."""

    a_public: int
    verifier: Verifier = field(repr=False)
    b_secret: int = field(repr=False)
    b_public: int

    @classmethod
    def start(cls, a_public: int, verifier: Verifier) -> Challenge | None:
        """The challenge answering ``A``, or None when ``A`` is 0 modulo ``N`` (an ``A`` that
        would make ``S`` known without the password)."""
        if a_public % N == 0:
            return None
        while True:
            b = secrets.randbits(256)
            b_public = (_K * verifier.v + pow(G, b, N)) % N
            if b_public and _hash(to_bytes(a_public), to_bytes(b_public)):
                return cls(a_public, verifier, b, b_public)

    def key(self) -> bytes:
        """The proof key the client derives when its password is the verifier's."""
        u = _hash(to_bytes(self.a_public), to_bytes(self.b_public))
        s = pow(self.a_public * pow(self.verifier.v, u, N), self.b_secret, N)
        return hkdf_key(s, u)

    def verifies(
        self, signature: object, pool: str, user: str, secret_block: bytes, timestamp: object
    ) -> bool:
        """Whether ``signature`` proves the password for this challenge (constant time)."""
        if not isinstance(signature, str) or not isinstance(timestamp, str):
            return False
        try:
            given = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            return False
        expected = base64.b64decode(
            proof_signature(self.key(), pool, user, secret_block, timestamp)
        )
        return hmac.compare_digest(given, expected)
