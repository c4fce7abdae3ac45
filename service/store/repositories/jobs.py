"""Due background work, taken through indexed columns; service-call attempts; scheduler leases.

On PostgreSQL a due instance is taken with ``SELECT … FOR UPDATE SKIP LOCKED``: concurrent workers
each get a different instance, and the row lock lasts until the transaction that fires it commits
(or dies with its connection). SQLite's ``BEGIN IMMEDIATE`` already serialises writers.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from service.store.rows import InstanceRow, LeaseRow, ServiceCallRow
from service.store.schema import outbox as ot
from service.store.schema import process_instances as t
from service.store.schema_jobs import job_leases as lt
from service.store.schema_jobs import service_calls as ct
from service.store.typed import typed_row, typed_rows

_ELIGIBLE = (t.c.status == "waiting", t.c.suspended.is_(False))


class DueWorkRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def take_due_timers(self, now: datetime, limit: int) -> list[InstanceRow]:
        """Lock and return up to ``limit`` instances whose timers are due, most overdue first."""
        return self._take(t.c.next_timer_due, now, limit)

    def take_due_retries(self, now: datetime, limit: int) -> list[InstanceRow]:
        """Lock and return up to ``limit`` instances with a service-task retry due."""
        return self._take(t.c.retry_at, now, limit)

    def _take(self, column: ColumnElement[Any], now: datetime, limit: int) -> list[InstanceRow]:
        query = select(*t.c).where(column <= now, *_ELIGIBLE).order_by(column).limit(limit)
        if self.conn.dialect.name == "postgresql":
            # Rows another worker (or a person's step) holds are passed over, not waited for.
            query = query.with_for_update(skip_locked=True)
        return [InstanceRow(**r._mapping) for r in self.conn.execute(query)]

    def next_timer_due(self) -> datetime | None:
        return self.conn.execute(select(func.min(t.c.next_timer_due)).where(*_ELIGIBLE)).scalar()

    def next_retry_due(self) -> datetime | None:
        return self.conn.execute(select(func.min(t.c.retry_at)).where(*_ELIGIBLE)).scalar()

    def next_outbox_due(self, kinds: Collection[str]) -> datetime | None:
        if not kinds:
            return None
        query = select(func.min(ot.c.next_attempt_at)).where(
            ot.c.status == "pending", ot.c.kind.in_(list(kinds))
        )
        return self.conn.execute(query).scalar()

    def quarantine(self, instance_id: str) -> None:
        """Stop background work on an instance that cannot be processed (it gets an incident)."""
        self.conn.execute(
            update(t).where(t.c.id == instance_id).values(status="error", has_incident=True, retry_at=None)
        )


class ServiceCallRepository:
    """One row per failed service-task attempt and per retry that followed a failure."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def record(self, **values: Any) -> None:
        self.conn.execute(insert(ct).values(**values))

    def for_instance(self, instance_id: str) -> list[ServiceCallRow]:
        rows = self.conn.execute(select(ct).where(ct.c.instance_id == instance_id).order_by(ct.c.id))
        return typed_rows(ServiceCallRow, rows)

    def latest(self, instance_id: str) -> dict[str, ServiceCallRow]:
        """Return the most recent attempt of each task of the instance, by task id."""
        return {row["task_id"]: row for row in self.for_instance(instance_id)}


class LeaseRepository:
    """Named leases in the database: at most one live holder each (scheduler leader election)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def acquire(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        """Take or renew ``name`` for ``holder``; False while another holder's lease is live."""
        taken = self.conn.execute(
            update(lt)
            .where(lt.c.name == name, (lt.c.holder == holder) | (lt.c.expires_at <= now))
            .values(
                holder=holder,
                expires_at=now + ttl,
                acquired_at=case((lt.c.holder == holder, lt.c.acquired_at), else_=now),
            )
        )
        if taken.rowcount == 1:
            return True
        if self.conn.execute(select(lt.c.name).where(lt.c.name == name)).first() is not None:
            return False
        try:
            with self.conn.begin_nested():
                self.conn.execute(
                    insert(lt).values(name=name, holder=holder, acquired_at=now, expires_at=now + ttl)
                )
        except IntegrityError:
            return False  # another candidate created it first
        return True

    def release(self, name: str, holder: str, now: datetime) -> None:
        self.conn.execute(update(lt).where(lt.c.name == name, lt.c.holder == holder).values(expires_at=now))

    def get(self, name: str) -> LeaseRow | None:
        r = self.conn.execute(select(lt).where(lt.c.name == name)).first()
        return typed_row(LeaseRow, r)
