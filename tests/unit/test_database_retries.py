"""A trigger meeting a lock is tried again; a caller never sees the raw lock error."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from service.errors import Busy
from service.store import Database, UnitOfWork, make_engine


def _locked(*_: object) -> None:
    raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    built = Database(make_engine(f"sqlite:///{tmp_path / 'locks.db'}"))
    yield built
    built.dispose()


def test_a_lock_that_goes_away_is_waited_out(database: Database) -> None:
    tries: list[int] = []

    def work(uow: UnitOfWork) -> str:
        tries.append(1)
        if len(tries) < 3:
            _locked()
        return "done"

    assert database.run(work) == "done"
    assert len(tries) == 3


def test_a_lock_that_stays_becomes_busy_never_a_raw_lock_error(database: Database) -> None:
    with pytest.raises(Busy) as refused:
        database.run(_locked, attempts=3)

    assert refused.value.status == 503
    assert "try again" in refused.value.detail


def test_an_error_that_is_not_about_locks_is_not_retried(database: Database) -> None:
    tries: list[int] = []

    def work(uow: UnitOfWork) -> None:
        tries.append(1)
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: nowhere"))

    with pytest.raises(OperationalError):
        database.run(work)
    assert len(tries) == 1
