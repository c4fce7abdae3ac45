"""Per-token request budgets (generic cell rate algorithm), shared by every web process.

``limit`` requests may come at once; after that one every ``period / limit``. Where the budget is
kept depends on ``RCP_API_RATE_BACKEND``: ``redis`` (any number of processes, the default when
``REDIS_URL`` is set), ``database`` (any number of processes, the default on PostgreSQL) or
``memory`` (one process only: the default of the embedded SQLite run, which serves from one
process; several processes on one SQLite file would each count on their own).
"""

from __future__ import annotations

import logging
import math
import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from service.services import Services

log = logging.getLogger("rcp.ratelimit")


class RateLimiter(Protocol):
    def take(self, bucket: str, now: datetime) -> timedelta | None:
        """Spend one request of ``bucket``; return the wait when its budget is spent."""
        ...


def gcra(
    tat: datetime | None, now: datetime, limit: int, period: timedelta
) -> tuple[datetime | None, timedelta]:
    """Return (new theoretical arrival time or None when refused, wait before a retry)."""
    interval = period / limit
    start = max(tat or now, now)
    late = start - now - (period - interval)
    if late > timedelta(0):
        return None, late
    return start + interval, timedelta(0)


class MemoryLimiter:
    """Budgets in this process's memory (the embedded, single-process run)."""

    def __init__(self, limit: int, period: timedelta) -> None:
        self.limit, self.period = limit, period
        self._tats: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def take(self, bucket: str, now: datetime) -> timedelta | None:
        with self._lock:
            new, wait = gcra(self._tats.get(bucket), now, self.limit, self.period)
            if new is None:
                return wait
            self._tats[bucket] = new
            if len(self._tats) > 10_000:
                self._tats = {k: v for k, v in self._tats.items() if v > now}
            return None


class DatabaseLimiter:
    """Budgets in the ``api_rate_limits`` table (one short update per request).

    On PostgreSQL a request's spend is one statement, sent with its COMMIT in one round trip, and
    its commit does not wait for the disk; elsewhere the row is locked, read and updated.
    """

    def __init__(self, services: Services, limit: int, period: timedelta) -> None:
        self.services, self.limit, self.period = services, limit, period

    def take(self, bucket: str, now: datetime) -> timedelta | None:
        def work(uow: Any) -> timedelta | None:
            if uow.dialect == "postgresql":  # one statement, sent with the COMMIT: one round trip
                interval = self.period / self.limit
                answer = uow.rate_limits.spend(bucket, now, interval, self.period - interval)
                uow.commit()
                spent, current = answer()
                return None if spent is not None else gcra(current, now, self.limit, self.period)[1]
            new, wait = gcra(uow.rate_limits.lock(bucket, now), now, self.limit, self.period)
            if new is None:
                return wait
            uow.rate_limits.set(bucket, new)
            uow.commit()
            return None

        return self.services.db.run(work)


# KEYS[1] bucket; ARGV: now (µs), interval (µs), tolerance (µs). Returns the wait in µs (0: allowed).
_GCRA_LUA = """
local now = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
if tat < now then tat = now end
local late = tat - now - tonumber(ARGV[3])
if late > 0 then return late end
local new = tat + tonumber(ARGV[2])
redis.call('SET', KEYS[1], new, 'PX', math.ceil((new - now) / 1000) + 1000)
return 0
"""


class RedisLimiter:
    """Budgets in Redis (atomic script; keys expire once their budget is full again)."""

    def __init__(self, client: Any, limit: int, period: timedelta, prefix: str = "rcp:ratelimit:") -> None:
        self.client, self.limit, self.period, self.prefix = client, limit, period, prefix
        self._script = client.register_script(_GCRA_LUA)

    def take(self, bucket: str, now: datetime) -> timedelta | None:
        micros = _micros(self.period / self.limit)
        tolerance = _micros(self.period) - micros
        now_us = int(now.timestamp() * 1_000_000)
        late = int(self._script(keys=[self.prefix + bucket], args=[now_us, micros, tolerance]))
        return timedelta(microseconds=late) if late > 0 else None


def _micros(delta: timedelta) -> int:
    return int(delta / timedelta(microseconds=1))


class FailOpen:
    """Let requests through (and say so in the log) when the shared store does not answer."""

    def __init__(self, inner: RateLimiter) -> None:
        self.inner = inner

    def take(self, bucket: str, now: datetime) -> timedelta | None:
        try:
            return self.inner.take(bucket, now)
        except Exception:
            log.exception("rate limit store unavailable; letting the request through")
            return None


def limiter_for(services: Services) -> RateLimiter | None:
    """Build the limiter the settings ask for (None when the limit is off)."""
    api = services.settings.api
    if api.rate_limit <= 0:
        return None
    backend = api.rate_backend
    if backend == "auto":
        if services.settings.redis_url:
            backend = "redis"
        elif services.db.engine.dialect.name == "postgresql":
            backend = "database"
        else:
            backend = "memory"
    if backend == "memory":
        return MemoryLimiter(api.rate_limit, api.rate_period)
    if backend == "database":
        return FailOpen(DatabaseLimiter(services, api.rate_limit, api.rate_period))
    if backend == "redis":
        import redis

        client = redis.Redis.from_url(services.settings.redis_url or "redis://127.0.0.1:6379/0")
        return FailOpen(RedisLimiter(client, api.rate_limit, api.rate_period))
    raise ValueError(f"RCP_API_RATE_BACKEND must be auto, memory, database or redis, not {backend!r}")


def retry_after_seconds(wait: timedelta) -> int:
    """Round a wait up to whole seconds for the Retry-After header (at least 1)."""
    return max(1, math.ceil(wait.total_seconds()))
