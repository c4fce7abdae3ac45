"""Derived, indexed rows kept in step with instance state: open tasks, subscriptions, timers.

The inbox, message routing and the timer scheduler read these and never load instance state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Connection, and_, bindparam, delete, or_, select, update

from service.engine.values import PendingTimer, ReadyTask, Subscription
from service.store.prepared import Prepared
from service.store.rows import (
    ClosedTaskRow,
    ClosedTimerRow,
    SubscriptionRow,
    TaskFilter,
    TaskRow,
    TimerRow,
)
from service.store.schema import human_tasks as ht
from service.store.schema import message_subscriptions as st
from service.store.schema import pending_timers as tt
from service.store.typed import typed_rows

# Built once: the trigger path runs these on every step.
# The rows a step replaces come back with what the deadline history needs (no extra query).
_TASK_ROWS = Prepared(
    select(ht.c.id, ht.c.name, ht.c.title, ht.c.due_at, ht.c.due_citation).where(
        ht.c.instance_id == bindparam("instance_id")
    )
)
_TASK_GET = Prepared(select(ht).where(ht.c.id == bindparam("task_id")))
_TASK_DELETE = Prepared(delete(ht).where(ht.c.id == bindparam("task_id")))
_TASK_INSERT = Prepared.insert(ht)
_SUB_DELETE = Prepared(delete(st).where(st.c.instance_id == bindparam("instance_id")))
_SUB_INSERT = Prepared.insert(st)
_TIMER_DELETE = Prepared(
    delete(tt)
    .where(tt.c.instance_id == bindparam("instance_id"))
    .returning(tt.c.task_id, tt.c.task_name, tt.c.title, tt.c.due_at, tt.c.documentation)
)
_TIMER_INSERT = Prepared.insert(tt)


@dataclass(frozen=True)
class TaskChanges:
    """What a sync did to an instance's open tasks."""

    created: list[ReadyTask]
    closed: list[ClosedTaskRow]


class TaskRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        # Per instance, its open-task rows as this transaction knows them (``assume``, ``sync``).
        self._open: dict[str, dict[str, ClosedTaskRow]] = {}
        # Task rows read together with a lock on their case, for the ``get`` that follows it.
        self._read: dict[str, TaskRow | None] = {}

    def assume(self, instance_id: str, rows: Mapping[str, ClosedTaskRow]) -> None:
        """Take ``rows`` as the instance's open-task rows, so its next sync need not read them.

        Only for rows known to be what the database holds under the instance's lock: those the
        sync that committed the instance's current version left (nothing else writes these columns).
        """
        self._open[instance_id] = dict(rows)

    def open_rows(self, instance_id: str) -> dict[str, ClosedTaskRow] | None:
        """Return the instance's open-task rows as this transaction's last sync left them."""
        return self._open.get(instance_id)

    def get(self, task_id: str) -> TaskRow | None:
        if task_id in self._read:  # read in this transaction under its case's lock (``after``)
            return self._read.pop(task_id)
        found = _TASK_GET.first(self.conn, {"task_id": task_id})
        return TaskRow.of(found) if found is not None else None

    def after(self, first: Prepared, params: Mapping[str, Any], task_id: str) -> Mapping[str, Any] | None:
        """Run ``first`` (a read locking the task's case), then read the task; return first's row.

        One round trip on PostgreSQL; the task read still runs after the lock is granted, so it
        sees a completion that committed meanwhile. When ``first`` found its row, the next
        ``get(task_id)`` of this transaction returns the task read without reading again.
        """
        found, task = first.rows_then(self.conn, params, _TASK_GET, {"task_id": task_id})
        if not found:
            return None
        self._read[task_id] = TaskRow.of(task[0]) if task else None
        return found[0]

    def sync(
        self,
        instance_id: str,
        ready: Iterable[ReadyTask],
        *,
        business_key: str | None,
        now: datetime,
        had: int = 1,
    ) -> TaskChanges:
        """Make the open-task rows of an instance equal its READY human tasks (claims kept).

        Return the tasks that opened, and the rows (id, name, title, due_at, due_citation) of those
        that closed.
        """
        wanted = {t.task_id: t for t in ready}
        existing = self._open.pop(instance_id, None)
        if existing is None:
            existing = {}
            if had:
                rows = cast(list[ClosedTaskRow], _TASK_ROWS.rows(self.conn, {"instance_id": instance_id}))
                existing = {r["id"]: r for r in rows}
        gone = sorted(existing.keys() - wanted.keys())
        _TASK_DELETE.send(self.conn, [{"task_id": tid} for tid in gone])
        new = [t for tid, t in wanted.items() if tid not in existing]
        _TASK_INSERT.send(self.conn, [_task_values(t, instance_id, business_key, now) for t in new])
        kept = {tid: row for tid, row in existing.items() if tid in wanted}
        self._open[instance_id] = kept | {t.task_id: _open_row(t) for t in new}
        return TaskChanges(new, [existing[tid] for tid in gone])

    def remove_all(self, instance_id: str) -> None:
        self.conn.execute(delete(ht).where(ht.c.instance_id == instance_id))

    def claim(self, task_id: str, user: str, now: datetime) -> bool:
        """Assign an unassigned task; False when someone else holds it."""
        result = self.conn.execute(
            update(ht)
            .where(ht.c.id == task_id, or_(ht.c.assignee.is_(None), ht.c.assignee == user))
            .values(assignee=user, claimed_at=now)
        )
        return result.rowcount == 1

    def assign(self, task_id: str, user: str | None, now: datetime | None) -> None:
        self.conn.execute(update(ht).where(ht.c.id == task_id).values(assignee=user, claimed_at=now))

    def list(self, f: TaskFilter) -> list[TaskRow]:
        conditions: list[ColumnElement[bool]] = []
        if f.candidate_groups is not None:
            conditions.append(ht.c.lane.in_(list(f.candidate_groups)))
        if f.assignee is not None:
            conditions.append(ht.c.assignee == f.assignee)
        if f.unassigned:
            conditions.append(ht.c.assignee.is_(None))
        if f.instance_id is not None:
            conditions.append(ht.c.instance_id == f.instance_id)
        if f.business_key is not None:
            conditions.append(ht.c.business_key == f.business_key)
        if f.business_key_like:
            conditions.append(ht.c.business_key.like(f"{f.business_key_like}%"))
        if f.process_key is not None:
            conditions.append(ht.c.process_key == f.process_key)
        if f.due_before is not None:
            conditions.append(ht.c.due_at <= f.due_before)
        query = (
            select(ht)
            .where(and_(True, *conditions))
            .order_by(ht.c.due_at.is_(None), ht.c.due_at, ht.c.created_at, ht.c.id)
            .limit(f.limit)
            .offset(f.offset)
        )
        return [TaskRow.of(r._mapping) for r in self.conn.execute(query)]


def _open_row(t: ReadyTask) -> ClosedTaskRow:
    """Return the row ``_TASK_ROWS`` will read back for a task inserted now (due_at in UTC)."""
    due_at = t.due_at.astimezone(UTC) if t.due_at is not None else None
    return {
        "id": t.task_id,
        "name": t.name,
        "title": t.title,
        "due_at": due_at,
        "due_citation": t.due_citation,
    }


def _task_values(
    t: ReadyTask, instance_id: str, business_key: str | None, now: datetime
) -> Mapping[str, Any]:
    row = TaskRow(
        id=t.task_id,
        instance_id=instance_id,
        name=t.name,
        title=t.title,
        lane=t.lane,
        assignee=None,
        form=t.form,
        ui_form=t.ui_form,
        due_at=t.due_at,
        due_citation=t.due_citation,
        instructions=t.instructions,
        process_key=t.process_key,
        business_key=business_key,
        created_at=now,
        claimed_at=None,
    )
    return vars(row)  # the row's columns by name, as the insert takes them


class SubscriptionRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def sync(
        self,
        instance_id: str,
        subscriptions: Sequence[Subscription],
        *,
        business_key: str | None,
        now: datetime,
        had: int = 1,
    ) -> None:
        if had:
            _SUB_DELETE.send(self.conn, {"instance_id": instance_id})
        _SUB_INSERT.send(
            self.conn,
            [
                {
                    "instance_id": instance_id,
                    "message_name": s.message_name,
                    "business_key": business_key,
                    "correlation": s.correlation,
                    "task_id": s.task_id,
                    "task_name": s.task_name,
                    "created_at": now,
                }
                for s in subscriptions
            ],
        )

    def find(
        self, message_name: str, *, business_key: str | None = None, instance_id: str | None = None
    ) -> list[SubscriptionRow]:
        query = select(st).where(st.c.message_name == message_name)
        if business_key is not None:
            query = query.where(st.c.business_key == business_key)
        if instance_id is not None:
            query = query.where(st.c.instance_id == instance_id)
        return typed_rows(SubscriptionRow, self.conn.execute(query.order_by(st.c.id)))

    def for_instance(self, instance_id: str) -> list[SubscriptionRow]:
        rows = self.conn.execute(select(st).where(st.c.instance_id == instance_id).order_by(st.c.id))
        return typed_rows(SubscriptionRow, rows)


class TimerRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def sync(self, instance_id: str, timers: Sequence[PendingTimer], had: int = 1) -> list[ClosedTimerRow]:
        """Replace the instance's timer rows; return the rows of timers that are no longer pending."""
        deleted = _TIMER_DELETE.rows(self.conn, {"instance_id": instance_id}) if had else []
        before = cast(list[ClosedTimerRow], deleted)
        _TIMER_INSERT.send(
            self.conn,
            [
                {
                    "task_id": p.task_id,
                    "instance_id": instance_id,
                    "task_name": p.task_name,
                    "title": p.title,
                    "due_at": p.due_at,
                    "documentation": p.documentation,
                }
                for p in timers
            ],
        )
        still = {p.task_id for p in timers}
        return [r for r in before if r["task_id"] not in still]

    def for_instance(self, instance_id: str) -> list[TimerRow]:
        rows = self.conn.execute(select(tt).where(tt.c.instance_id == instance_id).order_by(tt.c.due_at))
        return typed_rows(TimerRow, rows)
