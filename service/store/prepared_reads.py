"""The instance view's reads, compiled once (``Prepared``): every API answer about an instance runs them.

Each reads exactly what its repository method reads (same columns, conditions and order), so the
view is the same either way; only SQLAlchemy's per-execution compile and cache-key work is gone.
Inside a write transaction they see its writes (on PostgreSQL they send its queue first).
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import BindParameter, bindparam, select

from service.store.db import UnitOfWork
from service.store.prepared import Prepared
from service.store.rows import (
    IncidentRow,
    InstanceSummaryRow,
    ServiceCallRow,
    SubscriptionRow,
    TaskRow,
    TimerRow,
)
from service.store.schema import human_tasks as ht
from service.store.schema import incidents as it
from service.store.schema import message_subscriptions as st
from service.store.schema import pending_timers as tt
from service.store.schema import process_instances as t
from service.store.schema_jobs import service_calls as ct

_ID: BindParameter[str] = bindparam("instance_id")
# InstanceRepository.summary: every column but the saved state.
_SUMMARY = Prepared(select(*(c for c in t.c if c.name != "state")).where(t.c.id == _ID))
# IncidentRepository.open_for
_INCIDENTS = Prepared(select(it).where(it.c.instance_id == _ID, it.c.resolved_at.is_(None)).order_by(it.c.id))
# ServiceCallRepository.for_instance
_CALLS = Prepared(select(ct).where(ct.c.instance_id == _ID).order_by(ct.c.id))
# TaskRepository.list(TaskFilter(instance_id=..., limit=1000)): earliest due first, undated last
_TASKS = Prepared(
    select(ht)
    .where(ht.c.instance_id == _ID)
    .order_by(ht.c.due_at.is_(None), ht.c.due_at, ht.c.created_at, ht.c.id)
    .limit(1000)
)
# SubscriptionRepository.for_instance, TimerRepository.for_instance
_SUBSCRIPTIONS = Prepared(select(st).where(st.c.instance_id == _ID).order_by(st.c.id))
_TIMERS = Prepared(select(tt).where(tt.c.instance_id == _ID).order_by(tt.c.due_at))


class InstanceReads:
    """The instance view's reads, asked for together (``Prepared.prefetch``).

    In a PostgreSQL write transaction (a trigger's answer) they all travel in one round trip with
    the trigger's queued writes, instead of one round trip each; elsewhere each runs when wanted,
    so a read the view skips (an empty table, by the ``waits`` counts) costs nothing.
    """

    def __init__(self, uow: UnitOfWork, instance_id: str) -> None:
        params = {"instance_id": instance_id}
        conn = uow.conn
        self._summary = _SUMMARY.prefetch(conn, params)
        self._incidents = _INCIDENTS.prefetch(conn, params)
        self._calls = _CALLS.prefetch(conn, params)
        self._tasks = _TASKS.prefetch(conn, params)
        self._subscriptions = _SUBSCRIPTIONS.prefetch(conn, params)
        self._timers = _TIMERS.prefetch(conn, params)
        # All queued (a PostgreSQL write transaction): they arrive with the next round trip,
        # the COMMIT's included, and need the transaction no more.
        reads = (self._summary, self._incidents, self._calls, self._tasks, self._subscriptions, self._timers)
        self.queued = all(read.queued for read in reads)

    def summary(self) -> InstanceSummaryRow | None:
        found = self._summary.rows()
        return cast(InstanceSummaryRow, found[0]) if found else None

    def open_incidents(self) -> list[IncidentRow]:
        return cast(list[IncidentRow], self._incidents.rows())

    def service_calls(self) -> list[ServiceCallRow]:
        return cast(list[ServiceCallRow], self._calls.rows())

    def open_tasks(self) -> list[TaskRow]:
        return [TaskRow.of(r) for r in self._tasks.rows()]

    def subscriptions(self) -> list[SubscriptionRow]:
        return cast(list[SubscriptionRow], self._subscriptions.rows())

    def timers(self) -> list[TimerRow]:
        return cast(list[TimerRow], self._timers.rows())
