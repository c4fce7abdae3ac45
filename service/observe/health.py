"""Readiness: the database answers, its schema is at the migrations' head, the broker answers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from service.views import operations

if TYPE_CHECKING:
    from service.services import Services

log = logging.getLogger("rcp.readiness")

BROKER_TIMEOUT = 2.0  # seconds a Redis ping may take before the broker counts as down


@dataclass(frozen=True)
class Check:
    """One readiness check's result."""

    name: str
    ok: bool
    detail: str

    def as_dict(self) -> dict[str, object]:
        return {"status": "ok" if self.ok else "failing", "detail": self.detail}


def readiness(services: Services) -> list[Check]:
    """Run every readiness check; a check that cannot run counts as failing."""
    checks: list[tuple[str, Callable[[Services], str]]] = [
        ("database", _database),
        ("migrations", _migrations),
    ]
    if services.settings.redis_url:
        checks.append(("broker", _broker))
    return [_run(name, check, services) for name, check in checks]


def _run(name: str, check: Callable[[Services], str], services: Services) -> Check:
    try:
        return Check(name, True, check(services))
    except NotReady as exc:
        return Check(name, False, str(exc))
    except Exception as exc:
        # The answer is public: it names the error's kind; the log has the whole message.
        log.warning("readiness: %s failed: %s: %s", name, type(exc).__name__, exc)
        return Check(name, False, f"did not answer ({type(exc).__name__})")


class NotReady(Exception):
    """A check ran and found the service not ready (nothing broke)."""


def _database(services: Services) -> str:
    services.db.ping()
    return f"{services.db.engine.dialect.name} answered"


def _migrations(services: Services) -> str:
    found = operations.migrations(services)
    if not found.at_head:
        current, heads = ", ".join(sorted(found.current)) or "none", ", ".join(sorted(found.heads))
        raise NotReady(f"database at {current}, code expects {heads}: run rcp migrate")
    return f"at {', '.join(sorted(found.heads))}"


def _broker(services: Services) -> str:
    import redis  # the [scale] extra: only deployments with REDIS_URL have it

    url = services.settings.redis_url or ""
    client = redis.Redis.from_url(url, socket_connect_timeout=BROKER_TIMEOUT, socket_timeout=BROKER_TIMEOUT)
    try:
        client.ping()
    finally:
        client.close()
    return "redis answered"
