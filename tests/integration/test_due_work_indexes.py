"""PostgreSQL finds due timers and retries through their partial indexes (migration 0020).

The indexes hold only instances that have a due time (``WHERE column IS NOT NULL``): the planner
may use one only for a query that implies the condition. The table holds what production's does:
many waiting cases, few of them with a timer or a retry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, insert, text

from service.store import Database
from service.store.repositories.jobs import DueWorkRepository
from service.store.schema import process_definitions
from tests.store_rows import definition_row

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 3, 1, 9, tzinfo=UTC)
WAITING, TIMED, RETRYING = 2000, 20, 20  # waiting cases, those with a timer, those with a retry


def _waiting_cases(pg_database: Database) -> None:
    """Store many waiting cases, a few with a timer and a few others with a retry; analyse them."""
    with pg_database.unit_of_work() as uow:
        uow.conn.execute(text("TRUNCATE process_definitions RESTART IDENTITY CASCADE"))
        uow.conn.execute(insert(process_definitions).values(definition_row(1, "p")))
        uow.conn.execute(
            text(
                "INSERT INTO process_instances (id, definition_id, process_key, called_definitions,"
                " status, suspended, has_incident, state, serializer_version, version, variables,"
                " waits, created_at, updated_at, next_timer_due, retry_at)"
                " SELECT 'i' || g, 1, 'p', '{}', 'waiting', false, false, '{}', 's', 1, '{}', '{}',"
                " :now, :now,"
                " CASE WHEN g <= :timed THEN :now + g * interval '1 hour' END,"
                " CASE WHEN g > :timed AND g <= :timed + :retrying THEN :now - g * interval '1 minute' END"
                " FROM generate_series(1, :waiting) AS g"
            ),
            {"now": NOW, "timed": TIMED, "retrying": RETRYING, "waiting": WAITING},
        )
        uow.conn.execute(text("ANALYZE process_instances"))
        uow.commit()


def _plans(pg_database: Database, call: Callable[[DueWorkRepository], Any]) -> str:
    """Run ``call`` and return the plan of every statement it sent, joined."""
    sent: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        sent.append((statement, parameters))

    with pg_database.unit_of_work() as uow:
        event.listen(uow.conn, "before_cursor_execute", capture)
        try:
            call(DueWorkRepository(uow.conn))
        finally:
            event.remove(uow.conn, "before_cursor_execute", capture)
        plans = [
            "\n".join(r[0] for r in uow.conn.exec_driver_sql("EXPLAIN " + sql, params))
            for sql, params in sent
        ]
    return "\n".join(plans)


@pytest.mark.parametrize(
    ("call", "index"),
    [
        (lambda due: due.take_due_timers(NOW, 10), "ix_process_instances_next_timer_due"),
        (lambda due: due.next_timer_due(), "ix_process_instances_next_timer_due"),
        (lambda due: due.take_due_retries(NOW, 10), "ix_process_instances_retry_at"),
        (lambda due: due.next_retry_due(), "ix_process_instances_retry_at"),
    ],
    ids=["due timers", "next timer", "due retries", "next retry"],
)
def test_due_work_is_found_through_its_partial_index(
    pg_database: Database, call: Callable[[DueWorkRepository], Any], index: str
) -> None:
    _waiting_cases(pg_database)
    assert f"Index Scan using {index}" in _plans(pg_database, call)
