"""Who may read /metrics: a bearer token from the environment, or an address on the allow-list."""

from __future__ import annotations

import hmac
import ipaddress
from dataclasses import dataclass

from service.config import ObserveSettings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Refusal:
    """Why a scrape is refused: 401 (no or a wrong token) or 403 (an address not allowed)."""

    status: int
    detail: str


@dataclass(frozen=True)
class MetricsAccess:
    """The metrics token and the networks that need none (``RCP_METRICS_TOKEN``, ``_ALLOW``)."""

    token: str | None
    networks: tuple[Network, ...]

    @classmethod
    def from_settings(cls, settings: ObserveSettings) -> MetricsAccess:
        """Parse the allow-list (a malformed network stops the app from starting)."""
        return cls(
            settings.metrics_token,
            tuple(ipaddress.ip_network(n, strict=False) for n in settings.metrics_allow),
        )

    def refusal(self, authorization: str | None, remote: str | None) -> Refusal | None:
        """Return why this scrape is refused, or None when it may read the metrics."""
        if authorization is not None:
            # Credentials sent must be right, wherever they come from.
            scheme, _, given = authorization.strip().partition(" ")
            if self.token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), self.token):
                return None
            return Refusal(401, "the metrics token is not valid")
        if self.allows(remote):
            return None
        if self.token:
            return Refusal(401, "send the metrics token: Authorization: Bearer <RCP_METRICS_TOKEN>")
        return Refusal(403, f"{remote} is not allowed to read the metrics (RCP_METRICS_ALLOW)")

    def allows(self, remote: str | None) -> bool:
        """Return True when ``remote`` is in an allowed network."""
        try:
            address = ipaddress.ip_address(remote or "")
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address in network for network in self.networks)
