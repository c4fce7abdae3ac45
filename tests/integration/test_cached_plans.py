"""On PostgreSQL the statements every trigger runs keep their cached plan, however large the tables.

Reads do not take the plans away: a read-only unit of work ends with COMMIT, since psycopg
deallocates every statement the connection prepared when it sees a ROLLBACK.

The audit insert reads the chain's head (``ORDER BY seq DESC LIMIT 1``), a start the newest
version of its definition. Were their LIMIT a parameter, PostgreSQL's generic plan would be costed
for an unknown limit (a tenth of the rows), look dearer than a custom plan on a long chain or with
many versions, and every execution would be planned anew (~75 µs for the audit insert).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from service.store import Database
from service.store.repositories.definitions import DefinitionRepository

pytestmark = pytest.mark.postgres
LONG_CHAIN = 20_000  # entries before the test appends: the planner sees a large table
APPENDS = 15  # psycopg prepares on the 6th execution; PostgreSQL then plans 5 custom plans
VERSIONS, KEYS = 40, 50  # deployed versions of each of so many process keys
AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def _long_chain(pg_database: Database) -> None:
    """Fill the log with entries (their hashes are not checked here) and let the planner count them."""
    with pg_database.unit_of_work() as uow:
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


def _plans(pg_database: Database, statement_start: str) -> Any:
    """Return how often the connection's prepared statement was run on a generic and a custom plan."""
    with pg_database.unit_of_work(readonly=True) as uow:
        [plans] = uow.conn.execute(
            text("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE :s"),
            {"s": statement_start + "%"},
        ).all()
    return plans


def test_entries_on_a_long_chain_are_inserted_on_the_cached_generic_plan(pg_database: Database) -> None:
    _long_chain(pg_database)
    for n in range(APPENDS):
        with pg_database.unit_of_work() as uow:
            uow.audit.append(at=AT, actor_kind="user", actor="rita", action=f"act{n}", outcome="ok")
            uow.commit()

    plans = _plans(pg_database, "INSERT INTO audit_log")
    with pg_database.unit_of_work(readonly=True) as uow:
        last = uow.conn.execute(text("SELECT max(seq) FROM audit_log")).scalar_one()
    assert last == LONG_CHAIN + APPENDS
    assert plans.custom_plans <= 5  # the planner's first looks, before it compares
    assert plans.generic_plans >= APPENDS - 5 - 5  # every execution after those: no planning


def test_the_latest_version_of_a_definition_is_found_on_the_cached_generic_plan(
    pg_database: Database,
) -> None:
    with pg_database.unit_of_work() as uow:
        uow.conn.execute(text("TRUNCATE process_definitions RESTART IDENTITY CASCADE"))
        uow.conn.execute(
            text(
                "INSERT INTO process_definitions (key, version, content_hash, source_name, bpmn_xml,"
                " forms, called_keys, start_messages, deployed_at)"
                " SELECT 'p' || (g % :keys), (g + :keys - 1) / :keys,"
                " 'h', 's', '<x/>', '{}', '[]', '[]', now()"
                " FROM generate_series(1, :rows) AS g"  # the row g has id g
            ),
            {"keys": KEYS, "rows": KEYS * VERSIONS},
        )
        uow.conn.execute(text("ANALYZE process_definitions"))
        uow.commit()
    for _ in range(APPENDS):
        with pg_database.unit_of_work() as uow:  # as a start asks, in its own (committed) transaction
            assert DefinitionRepository(uow.conn).latest_id("p1") == (VERSIONS - 1) * KEYS + 1
            uow.commit()

    plans = _plans(pg_database, "SELECT process_definitions.id")
    assert plans.custom_plans <= 5
    assert plans.generic_plans >= APPENDS - 5 - 5


def test_reads_between_triggers_leave_the_triggers_statements_prepared(pg_database: Database) -> None:
    with pg_database.unit_of_work() as uow:
        uow.conn.execute(text("TRUNCATE audit_log RESTART IDENTITY"))
        uow.commit()
    for n in range(APPENDS):
        with pg_database.unit_of_work() as uow:
            uow.audit.append(at=AT, actor_kind="user", actor="rita", action=f"act{n}", outcome="ok")
            uow.commit()
        with pg_database.unit_of_work(readonly=True) as uow:  # a page or an API read on the same connection
            assert uow.audit.count() == n + 1

    plans = _plans(pg_database, "INSERT INTO audit_log")  # a ROLLBACK would have deallocated it
    assert plans.generic_plans + plans.custom_plans >= APPENDS - 5


def test_a_read_only_unit_of_work_cannot_write(pg_database: Database) -> None:
    with (
        pytest.raises(DBAPIError, match="read-only transaction"),
        pg_database.unit_of_work(readonly=True) as uow,
    ):
        uow.conn.execute(text("UPDATE audit_log SET detail = detail"))
