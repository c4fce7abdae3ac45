"""Fixtures: a moved clock, test handlers, and services on SQLite and (when it answers) PostgreSQL."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import create_engine, text

from service.clock import MovableClock
from service.services import Services
from service.store import Database, make_engine
from service.store.migrate import upgrade
from tests.support import START, Switchboard, make_services

PG_ADMIN = os.environ.get("RCP_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
UNDER_CI = os.environ.get("CI") == "true"


def service_missing(what: str, why: str) -> None:
    """Skip a test whose server is absent, except under CI=true where absence is a failure."""
    message = f"{what} is not reachable: {why}"
    if UNDER_CI:
        pytest.fail(message + " (CI=true: the service must run)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        service_missing("PostgreSQL", str(exc).strip())
    name = f"rcp_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    upgrade(url)
    yield url
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _truncate(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        tables = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT tablename FROM pg_tables"
                    " WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                )
            )
        ]
        if tables:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(START)


@pytest.fixture
def board() -> Switchboard:
    return Switchboard()


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    target = tmp_path / "rcp.db"
    shutil.copy(sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == "sqlite":
        target = tmp_path / "rcp.db"
        shutil.copy(sqlite_template, target)
        return f"sqlite:///{target}"
    url: str = request.getfixturevalue("pg_url")
    _truncate(url)
    return url


@pytest.fixture
def pg_database(pg_url: str) -> Iterator[Database]:
    """A database on the session's PostgreSQL with one pooled connection: every step reuses it
    (and the statements it prepared)."""
    database = Database(make_engine(pg_url, pool_size=1))
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def services(db_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard) -> Iterator[Services]:
    built = make_services(db_url, tmp_path, clock, board)
    yield built
    built.close()


@pytest.fixture(autouse=True)
def states_are_written_as_spiffworkflow_writes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """Check every state a test saves against SpiffWorkflow's own converters (engine.state_tasks).

    The faster writer must give the same state in every case the suite drives: a difference fails
    the test that saved it.
    """
    from service.engine import serializer
    from tests.state_reference import reference_state

    def checked(workflow: Any) -> str:
        written = dump(workflow)
        assert json.loads(written) == reference_state(workflow), (
            "the state writer departs from SpiffWorkflow's"
        )
        return written

    dump = serializer.dump_state
    monkeypatch.setattr(serializer, "dump_state", checked)
