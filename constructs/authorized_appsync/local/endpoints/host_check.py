"""Which ``Host`` headers the local servers answer: the guard against DNS rebinding.

A web page can point a name it controls at 127.0.0.1 (DNS rebinding) and then call a local
server as its own origin, reading the answers. The browser still sends the page's name in
``Host``, so a server that answers only to its own names is out of reach. The local servers
(GraphQL, real-time, and the Cognito stand-in of ``serve``) answer to:

- any IP address literal (``127.0.0.1:4000``, ``[::1]:4000``, a LAN address): a page whose
  origin is an address is served from that address, so it is never a rebinding;
- ``localhost`` and names under ``.localhost`` (browsers resolve them to loopback themselves);
- the name given as ``--host``, this machine's host name when bound to a non-loopback
  address, and every name given with ``--allow-host``.

Anything else is refused with HTTP 403 and a sentence naming the header and what is allowed
(403 rather than 421: the request is refused, not misdirected, and no client should retry it
elsewhere). The port in the header is not checked: the name is what rebinding changes.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["HostCheck", "is_loopback"]


def _address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address ``name`` spells: an IPv4 or IPv6 literal, the latter bracketed or not."""
    if name.startswith("[") != name.endswith("]"):
        return None
    try:
        return ipaddress.ip_address(name.removeprefix("[").removesuffix("]").split("%", 1)[0])
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """Whether a server bound to ``host`` is reachable only from this machine."""
    name = host.strip().lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    address = _address(name)
    return address is not None and address.is_loopback


def _name_of(header: str) -> str:
    """The host name of a ``Host`` header value: without the port, lower case, no final
    dot; an IPv6 literal keeps its brackets."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[: value.find("]") + 1] if "]" in value else value
    name, colon, port = value.rpartition(":")
    if colon and port.isdigit():
        value = name
    return value.rstrip(".")


@dataclass(frozen=True)
class HostCheck:
    """The names a server answers to besides address literals and ``localhost``."""

    names: frozenset[str] = frozenset()

    @classmethod
    def for_bind(cls, host: str, allowed: Iterable[str] = ()) -> HostCheck:
        """The check of a server bound to ``host``, also answering to ``allowed``."""
        names = {_name_of(name) for name in allowed if name.strip()}
        if _address(host) is None and host.strip():
            names.add(_name_of(host))
        if not is_loopback(host):
            names.update(_name_of(n) for n in (socket.gethostname(), socket.getfqdn()) if n)
        return cls(frozenset(names))

    def allows(self, header: str | None) -> bool:
        if not header or not header.strip():
            return False
        name = _name_of(header)
        if _address(name) is not None:
            return True
        if name == "localhost" or name.endswith(".localhost"):
            return True
        return name in self.names

    def refusal(self, header: str | None) -> str:
        """Why a request with ``header`` is refused, in one sentence."""
        names = ", ".join(sorted({"localhost", *self.names}))
        given = "no Host header" if not header or not header.strip() else f"Host {header!r}"
        return (
            f"This local server refuses requests with {given}: it answers to IP addresses "
            f"and {names} only, a guard against DNS rebinding (serve: --allow-host NAME adds "
            f"a name)."
        )
