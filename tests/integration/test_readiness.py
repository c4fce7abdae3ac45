"""/healthz (alive) and /readyz (ready): the database answers, is at head, the broker answers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import psycopg
import pytest

from service import create_app
from service.bootstrap import bootstrap
from service.config import Settings
from service.services import Services
from service.store.migrate import upgrade
from tests.conftest import service_missing
from tests.scaleout import TEST_REDIS, redis_reachable

PG_MAINTENANCE = "postgresql://postgres@127.0.0.1:5432/postgres"  # scratch databases come from here


def _settings(url: str, tmp: Path, **changes: Any) -> Settings:
    return Settings(database_url=url, secret_key="test-secret", instance_dir=tmp, runner="off", **changes)


def _ready(services: Services) -> tuple[int, dict[str, Any]]:
    answer = create_app(services=services).test_client().get("/readyz")
    return answer.status_code, answer.get_json()


def test_ready_when_the_database_answers_at_the_migrations_head(sqlite_url: str, tmp_path: Path) -> None:
    services = bootstrap(_settings(sqlite_url, tmp_path))
    try:
        status, body = _ready(services)
        alive = create_app(services=services).test_client().get("/healthz")
    finally:
        services.close()

    assert status == 200
    assert body["status"] == "ready"
    assert body["checks"]["database"] == {"status": "ok", "detail": "sqlite answered"}
    assert body["checks"]["migrations"]["status"] == "ok"
    assert "broker" not in body["checks"]  # no REDIS_URL: no broker to ask
    assert (alive.status_code, alive.get_json()) == (200, {"status": "ok"})
    assert alive.headers["Cache-Control"] == "no-store"


def test_not_ready_while_migrations_are_behind_the_code(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0007")  # the database of the release before
    services = bootstrap(_settings(url, tmp_path), migrate=False)
    try:
        answer = create_app(services=services).test_client().get("/readyz")
    finally:
        services.close()

    assert answer.status_code == 503
    assert answer.mimetype == "application/problem+json"
    body = answer.get_json()
    assert body["failing"] == ["migrations"]
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["migrations"]["status"] == "failing"
    assert body["checks"]["migrations"]["detail"].startswith("database at 0007, code expects ")
    assert body["detail"] == "not ready: migrations failing"


@pytest.fixture
def scratch_pg() -> Iterator[tuple[psycopg.Connection[Any], str]]:
    """A PostgreSQL database of this test's own, made from the maintenance database, dropped after."""
    try:
        admin = psycopg.connect(PG_MAINTENANCE, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        service_missing("PostgreSQL", str(exc).strip())
    name = f"rcp_readyz_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin, name
    finally:
        for leftover in (name, f"{name}_away"):
            admin.execute(f'DROP DATABASE IF EXISTS "{leftover}" WITH (FORCE)')
        admin.close()


@pytest.mark.postgres
def test_not_ready_while_the_database_is_down_and_ready_again_once_it_is_back(
    scratch_pg: tuple[psycopg.Connection[Any], str], tmp_path: Path
) -> None:
    admin, name = scratch_pg
    services = bootstrap(_settings(f"postgresql://postgres@127.0.0.1:5432/{name}", tmp_path))
    try:
        assert _ready(services)[0] == 200

        # Down for real: every session of it ended and the database gone from under its name.
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        admin.execute(f'ALTER DATABASE "{name}" RENAME TO "{name}_away"')
        status, body = _ready(services)
        alive = create_app(services=services).test_client().get("/healthz")
        scraped = create_app(services=services).test_client().get("/metrics")

        admin.execute(f'ALTER DATABASE "{name}_away" RENAME TO "{name}"')
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        back = _ready(services)
    finally:
        services.close()

    assert status == 503
    assert body["failing"] == ["database", "migrations"]
    assert body["checks"]["database"] == {"status": "failing", "detail": "did not answer (OperationalError)"}
    assert name not in str(body)  # the public answer names no database, host or user
    assert alive.get_json() == {"status": "ok"}  # alive all the same: restarting it would not help
    assert scraped.status_code == 200  # a scrape still answers, saying the database is away
    assert "rcp_database_up 0.0" in scraped.get_data(as_text=True)
    assert back[0] == 200


@pytest.mark.redis
def test_the_broker_is_checked_when_one_is_configured(sqlite_url: str, tmp_path: Path) -> None:
    missing = redis_reachable()
    if missing is not None:
        service_missing("Redis", missing)
    services = bootstrap(_settings(sqlite_url, tmp_path, redis_url=TEST_REDIS))
    try:
        status, body = _ready(services)
        nobody = replace(services, settings=replace(services.settings, redis_url="redis://127.0.0.1:1/0"))
        down_status, down = _ready(nobody)
    finally:
        services.close()

    assert status == 200
    assert body["checks"]["broker"] == {"status": "ok", "detail": "redis answered"}
    assert down_status == 503
    assert down["failing"] == ["broker"]
    assert down["checks"]["broker"]["status"] == "failing"
