"""Hot-path statements on the DBAPI cursor store and read values exactly as SQLAlchemy Core does."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import bindparam, event, insert, select, update
from sqlalchemy.exc import IntegrityError

from service.store.db import Database, make_engine
from service.store.prepared import Prepared
from service.store.schema import process_definitions, process_instances

pi = process_instances
AT = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)

_INSERT = Prepared.insert(pi)
_GET = Prepared(select(pi).where(pi.c.id == bindparam("instance_id")))
_TOUCH = Prepared(update(pi).where(pi.c.id == bindparam("instance_id")).values(status=bindparam("status")))
_NEWEST = Prepared(select(pi.c.id, pi.c.version).order_by(pi.c.version.desc()).limit(1))


class Watcher:
    """A cursor-event listener, as tracing and query-counting tools install one."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        self.statements.append(statement)


@pytest.fixture(params=["on the cursor", "watched, through the connection"])
def db(request: pytest.FixtureRequest, db_url: str) -> Iterator[Database]:
    """The database, bare (the cursor path) or with a cursor-event listener (through the Connection)."""
    database = Database(make_engine(db_url))
    if request.param.startswith("watched"):
        event.listen(database.engine, "after_cursor_execute", Watcher())
    with database.unit_of_work() as uow:
        uow.conn.execute(
            insert(process_definitions).values(
                id=1,
                key="p",
                version=1,
                content_hash="h",
                source_name="p.bpmn",
                bpmn_xml="<x/>",
                forms={},
                called_keys=[],
                start_messages=[],
                deployed_at=AT,
            )
        )
        uow.commit()
    yield database
    database.dispose()


def _instance(instance_id: str, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": instance_id,
        "definition_id": 1,
        "process_key": "p",
        "called_definitions": {"sub": 2},
        "business_key": None,
        "status": "waiting",
        "suspended": False,
        "has_incident": True,
        "state": '{"tasks": {}}',
        "serializer_version": "v",
        "version": 3,
        "variables": {"amount": "12.50", "dates": ["2026-03-01"], "nested": {"ok": True}},
        "next_timer_due": AT + timedelta(days=15),
        "retry_at": None,
        "waits": {"tasks": 1},
        "created_at": AT,
        "updated_at": AT,
        "completed_at": None,
        "started_by": "user:ada",
    }
    values.update(changes)
    return values


def test_a_row_written_on_the_cursor_is_stored_byte_for_byte_like_one_written_by_core(db: Database) -> None:
    with db.unit_of_work() as uow:
        assert _INSERT.run(uow.conn, _instance("fast")) == 1
        uow.conn.execute(insert(pi), _instance("core"))
        uow.commit()
    with db.unit_of_work() as uow:
        stored = {
            r[0]: r[1:]
            for r in uow.conn.exec_driver_sql(
                "SELECT id, called_definitions, suspended, has_incident, variables, next_timer_due,"
                " retry_at, waits, created_at FROM process_instances"
            )
        }
    assert stored["fast"] == stored["core"]


def test_rows_read_on_the_cursor_equal_the_rows_core_reads(db: Database) -> None:
    with db.unit_of_work() as uow:
        uow.conn.execute(insert(pi), _instance("i-1", retry_at=AT))
        fast = _GET.first(uow.conn, {"instance_id": "i-1"})
        core = uow.conn.execute(select(pi).where(pi.c.id == "i-1")).one()._mapping
    assert fast == dict(core)
    assert fast is not None and fast["next_timer_due"] == AT + timedelta(days=15)
    assert fast["next_timer_due"].tzinfo is not None and fast["suspended"] is False


def test_a_statement_with_a_limit_fills_in_its_own_parameters(db: Database) -> None:
    with db.unit_of_work() as uow:
        _INSERT.run(uow.conn, [_instance("a", version=1), _instance("b", version=7)])
        assert _NEWEST.rows(uow.conn) == [{"id": "b", "version": 7}]


def test_an_insert_fills_left_out_columns_with_their_defaults_or_null(db: Database) -> None:
    values = _instance("short")
    for left_out in ("suspended", "business_key", "retry_at", "completed_at", "started_by"):
        del values[left_out]
    with db.unit_of_work() as uow:
        _INSERT.run(uow.conn, values)
        row = _GET.first(uow.conn, {"instance_id": "short"})
    assert row is not None
    assert (row["suspended"], row["business_key"], row["started_by"]) == (False, None, None)


def test_a_missing_row_reads_as_none(db: Database) -> None:
    with db.unit_of_work() as uow:
        assert _GET.first(uow.conn, {"instance_id": "nobody"}) is None


def test_a_database_error_on_the_cursor_is_raised_as_sqlalchemys_own(db: Database) -> None:
    with db.unit_of_work() as uow:
        _INSERT.run(uow.conn, _instance("twice"))
        with pytest.raises(IntegrityError):
            _INSERT.run(uow.conn, _instance("twice"))


def test_cursor_writes_belong_to_the_transaction_and_vanish_without_a_commit(db: Database) -> None:
    with db.unit_of_work() as uow:
        _INSERT.run(uow.conn, _instance("rolled-back"))
    with db.unit_of_work() as uow:
        assert _GET.first(uow.conn, {"instance_id": "rolled-back"}) is None


def test_a_statement_refuses_to_run_without_a_parameter_it_needs(db: Database) -> None:
    values = _instance("no-state")
    del values["state"]
    with db.unit_of_work() as uow, pytest.raises(KeyError, match="'state'"):
        _INSERT.run(uow.conn, values)


def _round_trip(conn: Any) -> tuple[Any, ...]:
    """Write, read and update through prepared statements; return what each said."""
    return (
        _INSERT.run(conn, [_instance("r-1", version=1), _instance("r-2", version=4)]),
        _GET.first(conn, {"instance_id": "r-1"}),
        _NEWEST.rows(conn),
        _TOUCH.run(conn, {"instance_id": "r-2", "status": "completed"}),
        _GET.first(conn, {"instance_id": "r-2"}),
    )


def test_a_cursor_event_listener_sees_every_prepared_statement_and_changes_no_result(db: Database) -> None:
    with db.unit_of_work() as uow:
        unwatched = _round_trip(uow.conn)
    watcher = Watcher()
    event.listen(db.engine, "before_cursor_execute", watcher)
    with db.unit_of_work() as uow:
        watched = _round_trip(uow.conn)
    assert watched == unwatched
    assert [s.split()[0] for s in watcher.statements] == ["INSERT", "SELECT", "SELECT", "UPDATE", "SELECT"]
    assert all("process_instances" in s for s in watcher.statements)


def test_sql_logging_shows_prepared_statements(db: Database, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    with db.unit_of_work() as uow:
        _INSERT.run(uow.conn, _instance("logged"))
        assert _GET.first(uow.conn, {"instance_id": "logged"}) is not None
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("sqlalchemy.engine")]
    assert any(m.startswith("INSERT INTO process_instances") for m in logged)
    assert any(m.startswith("SELECT") and "process_instances" in m for m in logged)
