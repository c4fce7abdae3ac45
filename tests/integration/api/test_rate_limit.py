"""The per-token budget holds across web processes: kept in the database or in Redis."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from service.api.ratelimit import DatabaseLimiter, FailOpen, MemoryLimiter, RedisLimiter, limiter_for
from service.clock import MovableClock
from service.config import ApiSettings
from service.services import Services
from service.store.db import Database
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
def web(db_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard) -> Iterator[Services]:
    """One web process's services on the database under test."""
    built = api_services(db_url, tmp_path, clock, board)
    yield built
    built.close()


def test_the_database_budget_is_the_arithmetic_of_the_memory_one(web: Services, clock: MovableClock) -> None:
    """On PostgreSQL the spend is computed by the server; it answers as ``gcra`` does."""
    stored, memory = DatabaseLimiter(web, 3, MINUTE), MemoryLimiter(3, MINUTE)
    now = clock.now()
    steps = [0, 0, 0, 0, 5, 20, 20, 21, 41, 100, 100, 100, 100, 160, 200, 200]  # seconds
    moments = [now + timedelta(seconds=at) for at in steps]
    answers = [(stored.take("portal", at), memory.take("portal", at)) for at in moments]
    assert [db for db, _ in answers] == [mem for _, mem in answers]
    assert [db for db, _ in answers].count(None) == 11  # the refusals carry their waits
    assert answers[3][0] == timedelta(seconds=20) and answers[4][0] == timedelta(seconds=15)


def test_concurrent_requests_spend_the_budget_exactly_once_each(web: Services, clock: MovableClock) -> None:
    limiter, now = DatabaseLimiter(web, 20, MINUTE), clock.now()
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: limiter.take("portal", now), range(40)))
    assert answers.count(None) == 20


@pytest.mark.postgres
def test_a_spend_that_skips_the_flush_wait_leaves_the_next_transaction_durable(
    pg_database: Database,
) -> None:
    """``synchronous_commit`` is off for the spend's own transaction only (SET LOCAL)."""
    limiter = DatabaseLimiter(SimpleNamespace(db=pg_database), 4, MINUTE)  # type: ignore[arg-type]
    assert limiter.take("portal", datetime.now(UTC)) is None
    with pg_database.unit_of_work() as uow:  # the same pooled connection (pool of one)
        setting = uow.conn.exec_driver_sql("SHOW synchronous_commit").scalar_one()
    assert setting == "on"


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
