"""Read-only counts for the metrics endpoint: tasks by lane, due timers, outbox backlog, incidents.

Each is one aggregate statement over indexed columns, run when Prometheus scrapes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, case, func, select

from service.store.rows.gauges import BacklogRow, DueTimersRow, LaneTasksRow
from service.store.schema import human_tasks as tt
from service.store.schema import incidents as it
from service.store.schema import outbox as ot
from service.store.schema import pending_timers as pt
from service.store.schema import process_instances as pi
from service.store.typed import typed, typed_rows


class GaugeRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def tasks_by_lane(self, now: datetime) -> list[LaneTasksRow]:
        """Count open tasks per lane, and those whose due time has passed."""
        overdue = func.sum(case((tt.c.due_at < now, 1), else_=0))
        query = (
            select(tt.c.lane, func.count().label("open"), func.coalesce(overdue, 0).label("overdue"))
            .group_by(tt.c.lane)
            .order_by(tt.c.lane)
        )
        return typed_rows(LaneTasksRow, self.conn.execute(query))

    def due_timers(self, now: datetime) -> DueTimersRow:
        """Count timers due by ``now`` on waiting, unsuspended cases (what the runner owes)."""
        query = (
            select(func.count().label("due"), func.min(pt.c.due_at).label("oldest_due_at"))
            .select_from(pt.join(pi, pi.c.id == pt.c.instance_id))
            .where(pt.c.due_at <= now, pi.c.status == "waiting", pi.c.suspended.is_(False))
        )
        return typed(DueTimersRow, self.conn.execute(query).one()._mapping)

    def outbox_backlog(self) -> list[BacklogRow]:
        """Count pending outbox messages per kind."""
        query = (
            select(ot.c.kind, func.count().label("pending"))
            .where(ot.c.status == "pending")
            .group_by(ot.c.kind)
            .order_by(ot.c.kind)
        )
        return typed_rows(BacklogRow, self.conn.execute(query))

    def open_incidents(self) -> int:
        """Count incidents not yet resolved."""
        query = select(func.count()).select_from(it).where(it.c.resolved_at.is_(None))
        return int(self.conn.execute(query).scalar_one())
