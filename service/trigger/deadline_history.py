"""The record of deadlines met or missed: one row per task deadline or timer a step closes.

``save`` calls ``record_closed`` with the rows ``write_derived`` removed, so the deadline board can
say how many deadlines of each rule were met on time and how many late over 90 days. A timer's
outcome follows its rule (``handlers.deadlines.Rule``): its firing is a missed deadline when the
rule says so, only the messages the rule names meet it, and a timer closed early whose deadline
stays open (re-armed, or handed to a task of the same rule) was moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from handlers.deadlines import REMINDERS, RULES_BY_ID, Rule, citation_in, classify
from service.store import UnitOfWork
from service.store.rows import ClosedTaskRow, ClosedTimerRow, InstanceRow, NewDeadlineRow, TaskFilter

# A timer that fires within this of its due time fired on time (the runner's own deadline).
TIMER_TOLERANCE = timedelta(minutes=1)


@dataclass(frozen=True)
class Closed:
    """The open-task and pending-timer rows a step removed (``write_derived`` returns them)."""

    tasks: list[ClosedTaskRow]
    timers: list[ClosedTimerRow]


@dataclass(frozen=True)
class Step:
    """What closed the deadlines: the trigger, its task or message, and what stays open after it."""

    action: str
    task_id: str | None
    message: str | None
    now: datetime
    open_rules: frozenset[str] = frozenset()
    open_timers: frozenset[str] = frozenset()


def record_closed(
    uow: UnitOfWork,
    row: InstanceRow,
    closed: Closed,
    action: str,
    task_id: str | None,
    now: datetime,
    data: Any = None,
) -> None:
    """Write a history row for each task deadline or timer the step closed (``data``: the audit's)."""
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
    if not found:
        return
    message = data.get("messageName") if action == "message" and isinstance(data, dict) else None
    step = Step(action, task_id, message, now)
    early = any(t["due_at"] > now for t in closed.timers)
    if early or any(_rule(d).met_by for d in found if d["kind"] == "task"):
        step = _still_open(uow, row.id, step)  # a deadline closed early: was it moved?
    uow.deadlines.record([_closed(row, d, step) for d in found])


def _still_open(uow: UnitOfWork, instance_id: str, step: Step) -> Step:
    """Return the step with the rules and timer elements still open after it (same transaction)."""
    timers = uow.timers.for_instance(instance_id)
    tasks = uow.tasks.list(TaskFilter(instance_id=instance_id, limit=1000))
    rules = {classify(t["documentation"], t["task_name"], t["title"]) for t in timers} | {
        classify(t.due_citation, t.name, t.title) for t in tasks if t.due_at is not None
    }
    elements = frozenset(t["task_name"] for t in timers)
    return Step(step.action, step.task_id, step.message, step.now, frozenset(rules), elements)


def _rule(d: dict[str, Any]) -> Rule:
    return RULES_BY_ID[classify(d["due_citation"], d["name"], d["title"])]


def _closed(row: InstanceRow, d: dict[str, Any], step: Step) -> NewDeadlineRow:
    rule = _rule(d)
    outcome, on_time = _outcome(d, rule, step)
    citation = citation_in(d["due_citation"]) or d["due_citation"]
    return {
        "instance_id": row.id,
        "process_key": row.process_key,
        "business_key": row.business_key,
        "kind": d["kind"],
        "element": d["name"],
        "title": d["title"],
        "rule": rule.id,
        "citation": (citation or "")[:200] or None,
        "due_at": d["due_at"],
        "closed_at": step.now,
        "outcome": outcome,
        "on_time": on_time,
        "action": step.action,
    }


def _outcome(d: dict[str, Any], rule: Rule, step: Step) -> tuple[str, bool | None]:
    due: datetime = d["due_at"]
    if step.action == "cancel":
        return "withdrawn", None
    if d["kind"] == "timer":
        return _timer_outcome(d["name"], due, rule, step)
    if rule.met_by and step.now <= due:
        # Under a rule only a message meets (§163.6(a)), a staff task is a step on the way: the
        # message meets it; a decision that leaves the rule's deadline running moved it.
        if step.message in rule.met_by:
            return "met", True
        if rule.id in step.open_rules:
            return "moved", None
    if step.action == "complete" and d["id"] == step.task_id:
        return ("met", True) if step.now <= due else ("late", False)
    # Closed by something else (an escalation timer, a message): missed if it was already due.
    return ("late", False) if step.now > due else ("withdrawn", None)


def _timer_outcome(element: str, due: datetime, rule: Rule, step: Step) -> tuple[str, bool | None]:
    if due <= step.now:
        if rule.missed_when_fired:  # e.g. §163.6(a): the period passed without the records
            return "late", False
        # A window lapsing, a reminder or an escalation: nobody met or missed anything by it
        # (a task it interrupts is recorded as late on its own). Kept to show the runner's
        # precision: a timer that fired more than a minute after its due time fired late.
        return ("fired" if step.now - due <= TIMER_TOLERANCE else "fired-late"), None
    if rule is REMINDERS:
        return "withdrawn", None  # a reminder is nobody's duty: its period ending early meets nothing
    if step.message is not None and step.message in rule.met_by:
        return "met", True
    if element in step.open_timers or (rule.met_by and rule.id in step.open_rules):
        # Re-armed in the same step (a delay letter, §163.11(a)(5)) or handed to a task of the
        # same rule (an extension request staff decide, §163.6(a)): the deadline moved.
        return "moved", None
    if step.message is not None and not rule.met_by:
        return "met", True  # the awaited message came first (e.g. an appeal inside its window)
    return "withdrawn", None
