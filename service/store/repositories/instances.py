"""Process instances (state + optimistic version) and their incidents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Text, and_, bindparam, func, insert, literal_column, select, update
from sqlalchemy.sql.dml import Update

from service.errors import Conflict
from service.store.prepared import Prepared
from service.store.repositories.derived import TaskRepository
from service.store.rows import IncidentListingRow, IncidentRow, InstanceRow, InstanceSummaryRow
from service.store.schema import FINISHED_STATUSES
from service.store.schema import human_tasks as ht
from service.store.schema import incidents as it
from service.store.schema import process_instances as t
from service.store.typed import typed_row, typed_rows

_COLUMNS = list(t.c)
_SUMMARY = [c for c in t.c if c.name not in ("state", "variables")]
# Built once: the trigger path runs these on every step, so only parameters change per call.
_SELECT = select(*_COLUMNS).where(t.c.id == bindparam("instance_id"))
_GET = Prepared(_SELECT)
_GET_LOCKED = Prepared(_SELECT.with_for_update())
# The instance holding an open task, locked on PostgreSQL: a completion reads its task once, after
# this lock, so it sees a completion that committed while it waited (the task row is gone).
_HOLDING = (
    select(*_COLUMNS).join_from(t, ht, ht.c.instance_id == t.c.id).where(ht.c.id == bindparam("task_id"))
)
_HOLDING_GET = Prepared(_HOLDING)
_HOLDING_LOCKED = Prepared(_HOLDING.with_for_update(of=t))
_INSERT = Prepared.insert(t)
# The open case of a business key, read through the partial unique index of migration 0010: the
# statuses are written out, since a planner cannot match bound values to the index's WHERE (with
# them SQLite searched every case of the process).
_OPEN_CASE = Prepared(
    select(t.c.id).where(
        t.c.process_key == bindparam("process_key"),
        t.c.business_key == bindparam("business_key"),
        t.c.status.not_in([literal_column(f"'{status}'") for status in FINISHED_STATUSES]),
    )
)
_SAVE_COLUMNS = (
    "state",
    "status",
    "has_incident",
    "next_timer_due",
    "variables",
    "updated_at",
    "completed_at",
    "waits",
    "retry_at",
)
# Indexed columns a step often leaves as they were. SQLite rewrites the index entry of every
# column an UPDATE sets, changed or not, so a save sets these only when they change.
_INDEXED_SAVE_COLUMNS = frozenset({"status", "next_timer_due", "retry_at"})


def _update(columns: frozenset[str]) -> Update:
    return (
        update(t)
        .where(and_(t.c.id == bindparam("instance_id"), t.c.version == bindparam("expected_version")))
        .values(version=bindparam("new_version"), **{c: bindparam(c) for c in sorted(columns)})
    )


@cache
def _save_statement(columns: frozenset[str]) -> Prepared:
    return Prepared(_update(columns))


@cache
def _checked_save_statement(columns: frozenset[str]) -> Prepared:
    """Build the save PostgreSQL checks itself: refused unless it updated the one row (0021).

    Refused, it stops the pipeline before the COMMIT queued behind it, so the client need not read
    the row count back first (a round trip).
    """
    saved = _update(columns).returning(literal_column("1")).cte("saved")
    count = select(func.count()).select_from(saved).scalar_subquery()
    return Prepared(
        select(func.rcp_expect_rows(count, literal_column("1"), bindparam("refusal", type_=Text)))
    )


class InstanceRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, instance_id: str, *, lock: bool = False) -> InstanceRow | None:
        # Held until commit on PostgreSQL: a second trigger on this instance waits, then sees the
        # new state. SQLite's BEGIN IMMEDIATE already serialises writers.
        query = _GET_LOCKED if lock and self.conn.dialect.name == "postgresql" else _GET
        r = query.first(self.conn, {"instance_id": instance_id})
        return InstanceRow(**r) if r else None

    def holding_task(
        self, task_id: str, *, lock: bool = False, tasks: TaskRepository | None = None
    ) -> InstanceRow | None:
        """Return the instance an open task belongs to (locked like ``get``); None: no such task.

        With ``tasks`` the task is read in the same round trip, after the lock (``tasks.after``).
        """
        query = _HOLDING_LOCKED if lock and self.conn.dialect.name == "postgresql" else _HOLDING_GET
        params = {"task_id": task_id}
        r = tasks.after(query, params, task_id) if tasks is not None else query.first(self.conn, params)
        return InstanceRow(**r) if r else None

    def summary(self, instance_id: str) -> InstanceSummaryRow | None:
        r = self.conn.execute(select(*_SUMMARY, t.c.variables).where(t.c.id == instance_id)).first()
        return typed_row(InstanceSummaryRow, r)

    def insert(self, **values: Any) -> None:
        _INSERT.send(self.conn, values)

    def open_case(self, process_key: str, business_key: str) -> str | None:
        """Return the id of the open case of ``process_key`` with ``business_key``, if there is one."""
        found = _OPEN_CASE.first(self.conn, {"process_key": process_key, "business_key": business_key})
        return str(found["id"]) if found else None

    def expect_open_case(self, process_key: str, business_key: str) -> Callable[[], str | None]:
        """Ask now for ``open_case``; return the function that gives its answer when wanted."""
        wanted = _OPEN_CASE.prefetch(self.conn, {"process_key": process_key, "business_key": business_key})

        def answer() -> str | None:
            found = wanted.rows()
            return str(found[0]["id"]) if found else None

        return answer

    def save(
        self, instance_id: str, expected_version: int, previous: InstanceRow | None = None, **values: Any
    ) -> int:
        """Write new state if nobody wrote since ``expected_version``; return the new version.

        ``previous`` (the row as loaded) lets the update leave unchanged indexed columns alone.
        """
        columns = set(_SAVE_COLUMNS)
        if previous is not None:
            columns -= {c for c in _INDEXED_SAVE_COLUMNS if getattr(previous, c) == values[c]}
        new_version = expected_version + 1
        params = {
            "instance_id": instance_id,
            "expected_version": expected_version,
            "new_version": new_version,
        }
        params.update((c, values[c]) for c in columns)

        refusal = f"process instance {instance_id} changed meanwhile (expected version {expected_version})"

        def conflict() -> None:
            raise Conflict(refusal, instanceId=instance_id)

        def saved(count: int) -> None:
            if count != 1:
                conflict()

        if self.conn.dialect.name == "postgresql":
            # Checked by the server: the save travels with the COMMIT, a refusal stops it.
            statement = _checked_save_statement(frozenset(columns))
            statement.send(self.conn, {**params, "refusal": refusal}, refused=conflict)
        else:
            _save_statement(frozenset(columns)).send(self.conn, params, check=saved)
        return new_version

    def set_suspended(self, instance_id: str, suspended: bool) -> None:
        self.conn.execute(update(t).where(t.c.id == instance_id).values(suspended=suspended))

    def due_for_timers(self, now: datetime, limit: int) -> list[str]:
        query = (
            select(t.c.id)
            .where(t.c.next_timer_due <= now, t.c.status == "waiting", t.c.suspended.is_(False))
            .order_by(t.c.next_timer_due)
            .limit(limit)
        )
        return [r.id for r in self.conn.execute(query)]


class IncidentRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def open_for(self, instance_id: str) -> list[IncidentRow]:
        rows = self.conn.execute(
            select(it).where(it.c.instance_id == instance_id, it.c.resolved_at.is_(None)).order_by(it.c.id)
        )
        return typed_rows(IncidentRow, rows)

    def record(
        self,
        instance_id: str,
        task_id: str,
        task_name: str,
        message: str,
        detail: str,
        now: datetime,
        attempts: int | None = None,
    ) -> None:
        """Open an incident for a failed task, or count one more attempt on the open one.

        ``attempts`` (the service-task tries counted so far) replaces the count when given.
        """
        existing = self.conn.execute(
            select(it.c.id, it.c.attempts).where(
                it.c.instance_id == instance_id, it.c.task_name == task_name, it.c.resolved_at.is_(None)
            )
        ).first()
        said = {"message": message, "detail": detail, "task_id": task_id}
        if existing:
            tries = attempts or existing.attempts + 1
            self.conn.execute(update(it).where(it.c.id == existing.id).values(attempts=tries, **said))
            return
        self.conn.execute(
            insert(it).values(
                instance_id=instance_id, task_name=task_name, attempts=attempts or 1, created_at=now, **said
            )
        )

    def listing(
        self,
        *,
        resolved: bool | None,
        process_key: str | None = None,
        business_key: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[IncidentListingRow]:
        """Incidents with their instances, newest first (``resolved`` None: both kinds)."""
        query = (
            select(it, t.c.process_key, t.c.business_key, t.c.status.label("instance_status"))
            .join(t, t.c.id == it.c.instance_id)
            .order_by(it.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        if resolved is not None:
            query = query.where(it.c.resolved_at.is_not(None) if resolved else it.c.resolved_at.is_(None))
        if process_key is not None:
            query = query.where(t.c.process_key == process_key)
        if business_key is not None:
            query = query.where(t.c.business_key == business_key)
        return typed_rows(IncidentListingRow, self.conn.execute(query))

    def resolve_all(self, instance_id: str, now: datetime, by: str) -> int:
        result = self.conn.execute(
            update(it)
            .where(it.c.instance_id == instance_id, it.c.resolved_at.is_(None))
            .values(resolved_at=now, resolved_by=by)
        )
        return int(result.rowcount)
