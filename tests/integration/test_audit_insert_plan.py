"""On PostgreSQL a trigger's audit entry is inserted on a cached plan, however long the chain.

The insert reads the chain's head (``ORDER BY seq DESC LIMIT 1``). Were its LIMIT a parameter,
PostgreSQL's generic plan would be costed for an unknown limit (a tenth of the table), look dearer
than a custom plan on a long chain, and every execution would be planned anew (~75 µs a trigger).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from service.store.db import Database, make_engine

pytestmark = pytest.mark.postgres
LONG_CHAIN = 20_000  # entries before the test appends: the planner sees a large table
APPENDS = 15  # psycopg prepares on the 6th execution; PostgreSQL then plans 5 custom plans
AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def db(pg_url: str) -> Iterator[Database]:
    database = Database(make_engine(pg_url, pool_size=1))  # one connection: its prepared statements
    try:
        yield database
    finally:
        database.dispose()


def _long_chain(db: Database) -> None:
    """Fill the log with entries (their hashes are not checked here) and let the planner count them."""
    with db.unit_of_work() as uow:
        uow.conn.execute(text("TRUNCATE audit_log RESTART IDENTITY"))
        uow.conn.execute(
            text(
                "INSERT INTO audit_log (at, actor_kind, actor, action, outcome, seq, prev_hash, hash)"
                " SELECT now(), 'system', 'fill', 'fill', 'ok', g, repeat('0', 64), repeat('0', 64)"
                " FROM generate_series(1, :n) AS g"
            ),
            {"n": LONG_CHAIN},
        )
        uow.conn.execute(text("ANALYZE audit_log"))
        uow.commit()


def test_entries_on_a_long_chain_are_inserted_on_the_cached_generic_plan(db: Database) -> None:
    _long_chain(db)
    for n in range(APPENDS):
        with db.unit_of_work() as uow:
            uow.audit.append(at=AT, actor_kind="user", actor="rita", action=f"act{n}", outcome="ok")
            uow.commit()

    with db.unit_of_work(readonly=True) as uow:
        [plans] = uow.conn.execute(
            text(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                " WHERE statement LIKE 'INSERT INTO audit_log%'"
            )
        ).all()
        last = uow.conn.execute(text("SELECT max(seq) FROM audit_log")).scalar_one()
    assert last == LONG_CHAIN + APPENDS
    assert plans.custom_plans <= 5  # the planner's first looks, before it compares
    assert plans.generic_plans >= APPENDS - 5 - 5  # every execution after those: no planning
