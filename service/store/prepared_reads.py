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


def summary(uow: UnitOfWork, instance_id: str) -> InstanceSummaryRow | None:
    """Return an instance without its saved state, or None."""
    return cast(InstanceSummaryRow | None, _SUMMARY.first(uow.conn, {"instance_id": instance_id}))


def open_incidents(uow: UnitOfWork, instance_id: str) -> list[IncidentRow]:
    """Return the instance's unresolved incidents, oldest first."""
    return cast(list[IncidentRow], _INCIDENTS.rows(uow.conn, {"instance_id": instance_id}))


def service_calls(uow: UnitOfWork, instance_id: str) -> list[ServiceCallRow]:
    """Return the instance's failed service-task tries and retries, in order."""
    return cast(list[ServiceCallRow], _CALLS.rows(uow.conn, {"instance_id": instance_id}))


def open_tasks(uow: UnitOfWork, instance_id: str) -> list[TaskRow]:
    """Return the instance's open human tasks, earliest due first."""
    return [TaskRow.of(r) for r in _TASKS.rows(uow.conn, {"instance_id": instance_id})]


def subscriptions(uow: UnitOfWork, instance_id: str) -> list[SubscriptionRow]:
    """Return the messages the instance waits for."""
    return cast(list[SubscriptionRow], _SUBSCRIPTIONS.rows(uow.conn, {"instance_id": instance_id}))


def timers(uow: UnitOfWork, instance_id: str) -> list[TimerRow]:
    """Return the instance's pending timers, earliest first."""
    return cast(list[TimerRow], _TIMERS.rows(uow.conn, {"instance_id": instance_id}))
