"""The per-token budget holds across web processes: kept in the database or in Redis."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from service.api.ratelimit import DatabaseLimiter, FailOpen, MemoryLimiter, RedisLimiter, limiter_for
from service.clock import MovableClock
from service.config import ApiSettings
from tests.apikit import api_services
from tests.conftest import service_missing
from tests.support import Switchboard

REDIS_URL = os.environ.get("RCP_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
MINUTE = timedelta(minutes=1)


def test_two_processes_share_one_budget_in_the_database(
    db_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard
) -> None:
    web1 = api_services(db_url, tmp_path, clock, board)
    web2 = api_services(db_url, tmp_path, clock, board)  # its own engine and pool, like another process
    try:
        first, second = DatabaseLimiter(web1, 4, MINUTE), DatabaseLimiter(web2, 4, MINUTE)
        now = clock.now()
        spent = [limiter.take("portal", now) for limiter in (first, second, first, second)]
        assert spent == [None] * 4
        assert second.take("portal", now) == timedelta(seconds=15)
        assert first.take("scanner", now) is None
        assert first.take("portal", now + timedelta(seconds=15)) is None
    finally:
        web1.close()
        web2.close()


@pytest.fixture
def redis_client() -> Iterator[object]:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        service_missing("Redis", str(exc))
    yield client
    client.close()


@pytest.mark.redis
def test_two_processes_share_one_budget_in_redis(redis_client: object, clock: MovableClock) -> None:
    prefix = f"rcp-test-api:{uuid.uuid4().hex}:"
    first = RedisLimiter(redis_client, 4, MINUTE, prefix)
    second = RedisLimiter(redis_client, 4, MINUTE, prefix)
    now = clock.now()

    assert [limiter.take("portal", now) for limiter in (first, second, first, second)] == [None] * 4
    assert second.take("portal", now) == timedelta(seconds=15)
    assert first.take("portal", now + timedelta(seconds=15)) is None
    assert 0 < redis_client.pttl(prefix + "portal") <= 61_000  # type: ignore[attr-defined]


def test_the_backend_follows_the_settings(
    sqlite_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard
) -> None:
    services = api_services(sqlite_url, tmp_path, clock, board, rate_limit=10)
    try:
        assert isinstance(limiter_for(services), MemoryLimiter)  # embedded SQLite run: one process
        services.settings = replace(
            services.settings, api=ApiSettings(rate_limit=10, rate_backend="database")
        )
        assert isinstance(limiter_for(services), FailOpen)
        services.settings = replace(services.settings, api=ApiSettings(rate_limit=0))
        assert limiter_for(services) is None
        services.settings = replace(services.settings, redis_url=REDIS_URL, api=ApiSettings(rate_limit=10))
        chosen = limiter_for(services)
        assert isinstance(chosen, FailOpen) and isinstance(chosen.inner, RedisLimiter)
    finally:
        services.close()


def test_an_unreachable_store_lets_requests_through(clock: MovableClock) -> None:
    class Down:
        def take(self, bucket: str, now: object) -> timedelta | None:
            raise ConnectionError("redis is down")

    assert FailOpen(Down()).take("portal", clock.now()) is None
