"""Where webhooks may go: strict URLs, public addresses only, checked on the address connected.

A webhook URL is parsed strictly (https; a valid IDNA host; no credentials; a port in range) and
its host is resolved. Every address it resolves to must be public: loopback, private, link-local,
shared (CGNAT), multicast, reserved and unspecified addresses, IPv4 hidden in IPv6 forms, and
cloud metadata services are refused. Hosts and networks on the operator's allow-list
(``RCP_WEBHOOK_ALLOW_HOSTS``) are exempt and may also use http. The sender connects to the
address this check returned, never resolving again, so a name that changes its answer between
the check and the connection (DNS rebinding) cannot reach an internal service.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import idna

if TYPE_CHECKING:
    from service.services import Resolver

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Cloud metadata services answer credentials to whoever asks from inside: never a receiver.
METADATA_HOSTS = frozenset({"metadata", "metadata.google.internal", "metadata.goog", "instance-data"})
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200", "192.0.0.192")
)
SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: inside someone's network
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv4 reached through a NAT64 gateway
PRIVATE_SUFFIXES = (".localhost", ".internal", ".local")  # names that never leave a site
# A numeric last label makes resolvers read the name as an IPv4 address (127.1, 0x7f000001).
NUMERIC_LABEL = re.compile(r"0x[0-9a-f]*|[0-9]+")


class UnsafeTarget(ValueError):
    """The URL is malformed or leads somewhere webhooks may not go (the message says why)."""


@dataclass(frozen=True)
class Target:
    """A checked URL: its scheme, ASCII host, port, path with query, and the address to connect."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


@dataclass(frozen=True)
class AllowList:
    """Hosts (by name) and networks the operator lets webhooks reach without the address rules."""

    names: frozenset[str]
    networks: tuple[Network, ...]

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        """Read ``RCP_WEBHOOK_ALLOW_HOSTS`` entries: an address or CIDR is a network, else a name."""
        names, networks = set(), []
        for entry in entries:
            try:
                networks.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError:
                names.add(entry.strip().lower().rstrip("."))
        return cls(frozenset(names), tuple(networks))

    def holds(self, address: Address) -> bool:
        """Say whether ``address`` lies in an allowed network."""
        return any(address in network for network in self.networks)


def system_resolve(host: str, port: int) -> list[str]:
    """Return the addresses the system resolver gives ``host`` (numeric forms like 127.1 too)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%", 1)[0] for info in found))


def check(url: str, allow: AllowList, resolve: Resolver | None = None) -> Target:
    """Parse ``url``, resolve its host once and return the target to connect to, or refuse it."""
    scheme, host, port, path = parse(url)
    _refuse_names(host, allow)
    try:
        resolved = [ipaddress.ip_address(a) for a in (resolve or system_resolve)(host, port)]
    except (OSError, UnicodeError, ValueError) as exc:
        raise UnsafeTarget(f"the host {host} does not resolve ({exc})") from None
    if not resolved:
        raise UnsafeTarget(f"the host {host} does not resolve")
    target = Target(scheme, host, port, path, str(resolved[0]))
    if host in allow.names:
        return target
    where = f"{host} is" if str(resolved[0]) == host else f"the host {host} resolves to"
    for address in resolved:
        reason = None if allow.holds(address) else address_problem(address)
        if reason:
            raise UnsafeTarget(f"{where} {reason}; webhooks go to public addresses only")
    if scheme != "https" and not all(allow.holds(a) for a in resolved):
        raise UnsafeTarget("must use https (http only for hosts on RCP_WEBHOOK_ALLOW_HOSTS)")
    return target


def parse(url: str) -> tuple[str, str, int, str]:
    """Split an absolute http(s) URL into scheme, ASCII host, port and path, strictly."""
    if any(ord(c) <= 0x20 or ord(c) == 0x7F or c == "\\" for c in url):
        raise UnsafeTarget("must not contain spaces, control characters or backslashes")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeTarget(f"is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget("must be an absolute https:// URL")
    if "@" in parts.netloc:
        raise UnsafeTarget("must not carry credentials; verify the signature instead")
    if port == 0:
        raise UnsafeTarget("port must be between 1 and 65535")
    path = parts.path or "/"
    if not (path + parts.query).isascii():
        raise UnsafeTarget("path and query must be ASCII (percent-encode them)")
    query = f"?{parts.query}" if parts.query else ""
    host = _ascii_host(parts.hostname)
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path + query


def _ascii_host(hostname: str) -> str:
    """Return the host as an IP literal or an IDNA 2008 A-label name, refusing invalid ones."""
    if "%" in hostname:
        raise UnsafeTarget("host must not carry a zone id")
    try:
        return str(ipaddress.ip_address(hostname))
    except ValueError:
        pass
    try:
        name = idna.encode(hostname.rstrip("."), uts46=True).decode("ascii").lower()
    except idna.IDNAError as exc:
        raise UnsafeTarget(f"host is not a valid domain name ({exc})") from None
    if NUMERIC_LABEL.fullmatch(name.rsplit(".", 1)[-1]):
        raise UnsafeTarget(f"host {hostname} is neither a canonical IP address nor a domain name")
    if "." not in name:
        raise UnsafeTarget(f"host {hostname} must be a fully qualified domain name")
    return name


def _refuse_names(host: str, allow: AllowList) -> None:
    if host in allow.names:
        return
    if host in METADATA_HOSTS or host.split(".", 1)[0] == "metadata":
        raise UnsafeTarget(f"the host {host} names a cloud metadata service")
    if host == "localhost" or host.endswith(PRIVATE_SUFFIXES):
        raise UnsafeTarget(f"the host {host} is a local or site-internal name")


def address_problem(address: Address) -> str | None:
    """Say why a webhook may not connect to ``address`` (None: it is a public address)."""
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return address_problem(embedded)
    kinds = [
        ("a loopback address", address.is_loopback),
        ("the unspecified address", address.is_unspecified),
        ("a link-local address", address.is_link_local),
        ("a multicast address", address.is_multicast),
        ("a shared (CGNAT) address", isinstance(address, ipaddress.IPv4Address) and address in SHARED),
        ("a private address", address.is_private),
        ("a reserved address", address.is_reserved or not address.is_global),
    ]
    return next((reason for reason, hit in kinds if hit), None)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 form carries (mapped, 6to4, Teredo, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None
