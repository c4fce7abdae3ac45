"""Deadlines: the open ones (derived task and timer rows) and the history of those that closed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, case, exists, func, insert, select, true

from service.store.rows import (
    ClosedCountRow,
    DeadlineGroupRow,
    DeadlineHistoryRow,
    NewDeadlineRow,
    UpcomingDeadlineRow,
)
from service.store.schema import human_tasks as ht
from service.store.schema import pending_timers as tt
from service.store.schema import process_instances as it
from service.store.schema_jobs import deadline_history as dh
from service.store.typed import typed, typed_rows


class DeadlineRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def record(self, rows: Sequence[NewDeadlineRow]) -> None:
        if rows:
            self.conn.execute(insert(dh), list(rows))

    def open_groups(self, now: datetime, week_end: datetime) -> list[DeadlineGroupRow]:
        """Count open deadlines per diagram element: all, overdue, and due before ``week_end``.

        A timer guarding a task's own due moment (its boundary "deadline passed") is the same
        deadline as the task: only the task counts.
        """
        groups: list[DeadlineGroupRow] = []
        for kind, table, name, title, citation, alone in (
            ("task", ht, ht.c.name, ht.c.title, ht.c.due_citation, true()),
            ("timer", tt, tt.c.task_name, tt.c.title, tt.c.documentation, _unguarded()),
        ):
            due = table.c.due_at
            query = (
                select(
                    name.label("name"),
                    title.label("title"),
                    citation.label("citation"),
                    func.count().label("open"),
                    func.sum(case((due < now, 1), else_=0)).label("overdue"),
                    func.sum(case(((due >= now) & (due < week_end), 1), else_=0)).label("this_week"),
                )
                .where(due.is_not(None), alone)
                .group_by(name, title, citation)
            )
            groups += [
                typed(DeadlineGroupRow, {"kind": kind, **r._mapping}) for r in self.conn.execute(query)
            ]
        return groups

    def upcoming(self, limit: int) -> list[UpcomingDeadlineRow]:
        """Return the ``limit`` nearest open deadlines (overdue first), with their cases."""
        tasks = self.conn.execute(
            select(
                ht.c.id,
                ht.c.name,
                ht.c.title,
                ht.c.due_at,
                ht.c.due_citation.label("citation"),
                ht.c.lane,
                ht.c.assignee,
                ht.c.instance_id,
                ht.c.business_key,
                ht.c.process_key,
            )
            .where(ht.c.due_at.is_not(None))
            .order_by(ht.c.due_at)
            .limit(limit)
        )
        timers = self.conn.execute(
            select(
                tt.c.task_id.label("id"),
                tt.c.task_name.label("name"),
                tt.c.title,
                tt.c.due_at,
                tt.c.documentation.label("citation"),
                tt.c.instance_id,
                it.c.business_key,
                it.c.process_key,
            )
            .join(it, it.c.id == tt.c.instance_id)
            .where(_unguarded())
            .order_by(tt.c.due_at)
            .limit(limit)
        )
        rows = [typed(UpcomingDeadlineRow, {"kind": "task", **r._mapping}) for r in tasks]
        rows += [
            typed(UpcomingDeadlineRow, {"kind": "timer", "lane": None, "assignee": None, **r._mapping})
            for r in timers
        ]
        return sorted(rows, key=lambda r: r["due_at"])[:limit]

    def closed_counts(self, since: datetime) -> list[ClosedCountRow]:
        """Count deadlines closed since ``since`` per rule and outcome."""
        query = (
            select(dh.c.rule, dh.c.outcome, dh.c.on_time, func.count().label("n"))
            .where(dh.c.closed_at >= since)
            .group_by(dh.c.rule, dh.c.outcome, dh.c.on_time)
        )
        return typed_rows(ClosedCountRow, self.conn.execute(query))

    def for_instance(self, instance_id: str) -> list[DeadlineHistoryRow]:
        rows = self.conn.execute(select(dh).where(dh.c.instance_id == instance_id).order_by(dh.c.id))
        return typed_rows(DeadlineHistoryRow, rows)


def _unguarded() -> ColumnElement[bool]:
    """Select timers that are not the twin of an open task of their instance due at the same moment."""
    twin = select(ht.c.id).where(ht.c.instance_id == tt.c.instance_id, ht.c.due_at == tt.c.due_at)
    return ~exists(twin)
