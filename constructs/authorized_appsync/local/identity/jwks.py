"""JSON Web Key Sets: the RSA public keys that verify user-pool and OIDC tokens.

A JWKS is checked when a configuration is built (every key usable, kids unique), so a bad key
set is a configuration error, not a 401 at request time. ``moto_cognito_jwks`` is the key set
moto's Cognito signs every token with, for in-process tests that sign users in with moto: its
private half ships inside moto's package, so anyone can sign with it, and ``serve`` never
verifies with it (its tokens are signed by a key made for each run).
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = ["RSA_ALGORITHMS", "JwkSet", "moto_cognito_jwks"]

RSA_ALGORITHMS: Mapping[str, type[hashes.HashAlgorithm]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
}
_MIN_RSA_BITS = 2048
_B64URL = re.compile(r"[A-Za-z0-9_-]+")
_MOTO_JWKS = "cognitoidp/resources/jwks-public.json"


def _b64url_int(jwk: Mapping[str, object], name: str, where: str) -> int:
    value = jwk.get(name)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{where}: member {name!r} must be a base64url string.")
    if not _B64URL.fullmatch(value):
        raise ValueError(f"{where}: member {name!r} is not base64url.")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise ValueError(f"{where}: member {name!r} is not base64url.") from None
    return int.from_bytes(raw, "big")


@dataclass(frozen=True)
class _Key:
    public_key: rsa.RSAPublicKey
    alg: str | None


@dataclass(frozen=True, eq=False)
class JwkSet:
    """The usable RSA keys of a JWKS, by ``kid``."""

    keys: Mapping[str | None, _Key]

    @classmethod
    def parse(cls, jwks: Mapping[str, object], where: str = "JWKS") -> JwkSet:
        """Read ``{"keys": [...]}``; raise ``ValueError`` naming the key at fault. Keys for
        encryption (``use: enc``) are left out; every other key must be a usable RSA key."""
        entries = jwks.get("keys")
        if not isinstance(entries, list) or not entries:
            raise ValueError(f'{where} must be an object {{"keys": [...]}} with at least one key.')
        keys: dict[str | None, _Key] = {}
        for index, jwk in enumerate(entries):
            label = f"{where} key {index}"
            if not isinstance(jwk, Mapping):
                raise ValueError(f"{label} must be a JSON object.")
            if jwk.get("use", "sig") != "sig":
                continue
            if jwk.get("kty") != "RSA":
                raise ValueError(f"{label}: kty {jwk.get('kty')!r} is not supported; use RSA.")
            alg, kid = jwk.get("alg"), jwk.get("kid")
            if alg is not None and alg not in RSA_ALGORITHMS:
                raise ValueError(f"{label}: alg {alg!r} is not one of {', '.join(RSA_ALGORITHMS)}.")
            if kid is not None and not isinstance(kid, str):
                raise ValueError(f"{label}: kid must be a string, got {kid!r}.")
            if kid in keys:
                raise ValueError(f"{label}: kid {kid!r} appears twice.")
            numbers = rsa.RSAPublicNumbers(
                _b64url_int(jwk, "e", label), _b64url_int(jwk, "n", label)
            )
            try:
                public_key = numbers.public_key()
            except ValueError as error:
                raise ValueError(f"{label}: not a valid RSA public key ({error}).") from None
            if public_key.key_size < _MIN_RSA_BITS:
                raise ValueError(f"{label}: {public_key.key_size}-bit keys are too small.")
            keys[kid] = _Key(public_key, alg if isinstance(alg, str) else None)
        if not keys:
            raise ValueError(f"{where} has no signing key.")
        return cls(keys)

    def verify(self, kid: object, alg: str, signing_input: bytes, signature: bytes) -> str | None:
        """``None`` when ``signature`` is a valid ``alg`` signature by key ``kid``; otherwise
        why not. A token without ``kid`` is tried only against a set of exactly one key."""
        if kid is None and len(self.keys) == 1:
            key = next(iter(self.keys.values()))
        elif isinstance(kid, str) and kid in self.keys:
            key = self.keys[kid]
        else:
            return f"no key with kid {kid!r} in the JWKS"
        if key.alg is not None and key.alg != alg:
            return f"key {kid!r} is for {key.alg}, the token says {alg}"
        try:
            key.public_key.verify(
                signature, signing_input, padding.PKCS1v15(), RSA_ALGORITHMS[alg]()
            )
        except InvalidSignature:
            return f"the {alg} signature does not verify"
        return None


def moto_cognito_jwks() -> dict[str, object]:
    """The public JWKS of moto's Cognito (``moto/cognitoidp/resources/jwks-public.json``,
    gzipped in recent releases): every token moto issues is signed by its one key, kid
    ``dummy``. Raises ``FileNotFoundError`` when moto is not installed."""
    try:
        package = resources.files("moto")
    except ModuleNotFoundError:
        raise FileNotFoundError("moto is not installed; its Cognito JWKS is unavailable.") from None
    for name, unpack in ((_MOTO_JWKS + ".gz", gzip.decompress), (_MOTO_JWKS, bytes)):
        resource = package / name
        if resource.is_file():
            loaded = json.loads(unpack(resource.read_bytes()))
            if not isinstance(loaded, dict):
                break
            return loaded
    raise FileNotFoundError(f"moto's package has no {_MOTO_JWKS}(.gz).")
