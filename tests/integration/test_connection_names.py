"""PostgreSQL connections say which process holds them, so a stuck transaction can be traced."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from service.store.db import Database, application_name, make_engine

pytestmark = pytest.mark.postgres


def _names(url: str) -> tuple[str, str]:
    database = Database(make_engine(url))
    try:
        with database.unit_of_work(readonly=True) as uow:
            own = uow.conn.execute(text("SELECT current_setting('application_name')")).scalar_one()
            seen = uow.conn.execute(
                text("SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()")
            ).scalar_one()
    finally:
        database.dispose()
    return own, seen


def test_each_connection_is_named_after_the_process_that_opened_it(pg_url: str) -> None:
    assert _names(pg_url) == (application_name(os.getpid()),) * 2
    assert application_name(os.getpid()) == f"rcp:{os.getpid()}"


def test_an_application_name_in_the_database_url_is_kept(pg_url: str) -> None:
    joiner = "&" if "?" in pg_url else "?"
    assert _names(f"{pg_url}{joiner}application_name=rcp-reports") == ("rcp-reports", "rcp-reports")
