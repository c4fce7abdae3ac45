"""The record of deadlines met or missed: one row per task deadline or timer a step closes.

``save`` calls ``record_closed`` with the rows ``write_derived`` removed, so the deadline board can
say how many deadlines of each rule were met on time and how many late over 90 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from handlers.deadlines import citation_in, classify
from service.store import UnitOfWork
from service.store.rows import ClosedTaskRow, ClosedTimerRow, InstanceRow, NewDeadlineRow

# A timer that fires within this of its due time fired on time (the runner's own deadline).
TIMER_TOLERANCE = timedelta(minutes=1)


@dataclass(frozen=True)
class Closed:
    """The open-task and pending-timer rows a step removed (``write_derived`` returns them)."""

    tasks: list[ClosedTaskRow]
    timers: list[ClosedTimerRow]


def record_closed(
    uow: UnitOfWork, row: InstanceRow, closed: Closed, action: str, task_id: str | None, now: datetime
) -> None:
    """Write a history row for each task deadline or timer the step closed."""
    found = [{"kind": "task", **t} for t in closed.tasks if t["due_at"] is not None] + [
        {
            "kind": "timer",
            "id": t["task_id"],
            "name": t["task_name"],
            "title": t["title"],
            "due_at": t["due_at"],
            "due_citation": t["documentation"],
        }
        for t in closed.timers
    ]
    if found:
        uow.deadlines.record([_closed(row, d, action, task_id, now) for d in found])


def _closed(
    row: InstanceRow, d: dict[str, Any], action: str, task_id: str | None, now: datetime
) -> NewDeadlineRow:
    outcome, on_time = _outcome(d, action, task_id, now)
    citation = citation_in(d["due_citation"]) or d["due_citation"]
    return {
        "instance_id": row.id,
        "process_key": row.process_key,
        "business_key": row.business_key,
        "kind": d["kind"],
        "element": d["name"],
        "title": d["title"],
        "rule": classify(d["due_citation"], d["name"], d["title"]),
        "citation": (citation or "")[:200] or None,
        "due_at": d["due_at"],
        "closed_at": now,
        "outcome": outcome,
        "on_time": on_time,
        "action": action,
    }


def _outcome(d: dict[str, Any], action: str, task_id: str | None, now: datetime) -> tuple[str, bool | None]:
    due: datetime = d["due_at"]
    if action == "cancel":
        return "withdrawn", None
    if d["kind"] == "timer":
        if due <= now:
            # A window lapsing, a reminder or an escalation: nobody met or missed anything by it
            # (a task it interrupts is recorded as late on its own). Kept to show the runner's
            # precision: a timer that fired more than a minute after its due time fired late.
            return ("fired" if now - due <= TIMER_TOLERANCE else "fired-late"), None
        # The awaited message came first (e.g. an appeal received inside its window).
        return ("met", True) if action == "message" else ("withdrawn", None)
    if action == "complete" and d["id"] == task_id:
        return ("met", True) if now <= due else ("late", False)
    # Closed by something else (an escalation timer, a message): missed if it was already due.
    return ("late", False) if now > due else ("withdrawn", None)
