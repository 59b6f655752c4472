"""A certificate made for one run of the local servers, so the GraphQL port also answers
``wss://`` (TLS) connections: Amplify JS derives its real-time URL from a GraphQL URL that
is not an AppSync domain as ``<url>/realtime`` with the scheme replaced by ``wss://``, even
for ``http://`` (``getRealtimeEndpointUrl`` in ``@aws-amplify/api-graphql``), so a client
configured with ``http://127.0.0.1:4000/graphql`` connects to
``wss://127.0.0.1:4000/graphql/realtime``.

The certificate is self-signed (a CA certificate for the names the server answers), made
with a new key each run; its PEM goes to a file a client trusts explicitly (node:
``NODE_EXTRA_CA_CERTS``). The private key stays in memory (loaded through a file only the
owner may read, removed at once).
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import ssl
import tempfile
from collections.abc import Iterable
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

__all__ = ["TLS_HANDSHAKE", "RunCertificate"]

TLS_HANDSHAKE = 0x16  # the first byte of a TLS ClientHello record; no HTTP request starts so
VALID_DAYS = 7


def _names(hosts: Iterable[str]) -> list[x509.GeneralName]:
    found: list[x509.GeneralName] = []
    for host in dict.fromkeys([*hosts, "localhost", "127.0.0.1", "::1"]):
        try:
            found.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            if host:
                found.append(x509.DNSName(host))
    return found


class RunCertificate:
    """A self-signed certificate for ``hosts`` (names and addresses; loopback is always
    included) and the server-side TLS context that presents it."""

    def __init__(self, hosts: Iterable[str]) -> None:
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "authorized-appsync serve")])
        now = datetime.datetime.now(datetime.UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
            .add_extension(x509.SubjectAlternativeName(_names(hosts)), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        self.pem = certificate.public_bytes(serialization.Encoding.PEM)
        key_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        handle, name_on_disk = tempfile.mkstemp(suffix=".pem")
        try:
            os.write(handle, self.pem + key_pem)
            os.close(handle)
            self.context.load_cert_chain(name_on_disk)
        finally:
            os.unlink(name_on_disk)

    def write(self, path: Path) -> None:
        """The certificate (no key) as PEM, for clients to trust."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.pem)
