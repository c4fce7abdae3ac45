"""Deadlines for people: which rule sets each one, the record of those met or missed, the board.

Every step that closes a task with a due date or a timer writes one ``deadline_history`` row
(``record_closed``, called from ``trigger.save`` with the rows ``write_derived`` removed), so the
board can say how many deadlines of each rule were met on time and how many late over 90 days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from service.errors import Forbidden
from service.store import UnitOfWork
from service.store.repositories.instances import InstanceRow

from .actors import Actor

if TYPE_CHECKING:
    from service.bootstrap import Services

HISTORY = timedelta(days=90)
# A timer that fires within this of its due time fired on time (the runner's own deadline).
TIMER_TOLERANCE = timedelta(minutes=1)
_CITATION = re.compile(r"163\.\d+(?:\([a-z0-9]+\))*", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    id: str
    citation: str | None
    short: str
    label: str
    days: int | None


RULES = (
    Rule(
        "163.11(b)",
        "§163.11(b)",
        "Closing conference",
        "Closing conference held within 15 days after the petition is received",
        15,
    ),
    Rule(
        "163.11(a)(6)",
        "§163.11(a)(6)",
        "Audit report copy",
        "Copy of the audit report sent within 30 days after it is completed",
        30,
    ),
    Rule(
        "163.13(d)-appeal",
        "§163.13(d)",
        "Appeal window",
        "Appeal received within 30 days after the notice is issued",
        30,
    ),
    Rule(
        "163.13(d)-decision",
        "§163.13(d)",
        "Appeal decision",
        "Appeal decided within 30 days after it is received",
        30,
    ),
    Rule("reminder", None, "Reminders", "Reminders and follow-ups", None),
    Rule("other", None, "Other", "Other deadlines", None),
)
RULES_BY_ID = {r.id: r for r in RULES}


def citation_in(text: str | None) -> str | None:
    """Return the first §163 citation in a text (a due citation or an element's documentation)."""
    found = _CITATION.search(text or "")
    return f"§{found.group(0).lower()}" if found else None


def classify(citation: str | None, *texts: str | None) -> str:
    """Return the rule a deadline belongs to, from its citation and the element's names."""
    words = " ".join(t for t in (citation, *texts) if t).lower().replace("_", " ")
    if "remind" in words:
        return "reminder"
    if "appeal window" in words:
        return "163.13(d)-appeal"  # whatever else its text cites, it is the §163.13(d) window
    cited = citation_in(citation) or citation_in(words)
    if cited is None:
        return "other"
    if cited.startswith("§163.11(b)"):
        return "163.11(b)"
    if cited.startswith("§163.11(a)(6)"):
        return "163.11(a)(6)"
    if cited.startswith("§163.13(d)"):
        # §163.13(d) sets two windows: the appeal's receipt and the decision on it.
        return "163.13(d)-decision" if re.search(r"\bdecid|\bdecision", words) else "163.13(d)-appeal"
    return "other"


@dataclass(frozen=True)
class Closed:
    """The open-task and pending-timer rows a step removed (``write_derived`` returns them)."""

    tasks: list[dict[str, Any]]
    timers: list[dict[str, Any]]


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
) -> dict[str, Any]:
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


def board(services: Services, actor: Actor, *, limit: int = 200) -> dict[str, Any]:
    """Open deadlines by rule (due this week, overdue), met on time vs late over 90 days, the list."""
    if not actor.is_supervisor:
        raise Forbidden("the deadline board is for supervisors")
    now = services.clock.now()
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    week_end = monday + timedelta(days=7)
    with services.db.unit_of_work(readonly=True) as uow:
        groups = uow.deadlines.open_groups(now, week_end)
        closed = uow.deadlines.closed_counts(now - HISTORY)
        upcoming = uow.deadlines.upcoming(limit)
    counts = {r.id: dict.fromkeys(("open", "dueThisWeek", "overdue", "metOnTime", "late"), 0) for r in RULES}
    for g in groups:
        c = counts[classify(g["citation"], g["name"], g["title"])]
        c["open"] += int(g["open"])
        c["overdue"] += int(g["overdue"] or 0)
        c["dueThisWeek"] += int(g["this_week"] or 0)
    timers_late = 0
    for h in closed:
        if h["outcome"] == "fired-late":
            timers_late += int(h["n"])
        if h["on_time"] is not None and h["rule"] in counts:
            counts[h["rule"]]["metOnTime" if h["on_time"] else "late"] += int(h["n"])
    return {
        "asOf": now.isoformat(),
        "weekEnds": week_end.isoformat(),
        "historyDays": HISTORY.days,
        "timersFiredLate": timers_late,
        "rules": [
            {
                "id": r.id,
                "citation": r.citation,
                "short": r.short,
                "label": r.label,
                "days": r.days,
                **counts[r.id],
            }
            for r in RULES
        ],
        "deadlines": [_listed(d, now) for d in upcoming],
    }


def _listed(d: dict[str, Any], now: datetime) -> dict[str, Any]:
    rule = classify(d["citation"], d["name"], d["title"])
    return {
        "kind": d["kind"],
        "element": d["name"],
        "title": d["title"] or d["name"],
        "rule": rule,
        "ruleLabel": RULES_BY_ID[rule].label,
        "citation": citation_in(d["citation"]) or RULES_BY_ID[rule].citation,
        "due": d["due_at"].isoformat(),
        "overdue": d["due_at"] < now,
        "instanceId": d["instance_id"],
        "businessKey": d["business_key"],
        "processKey": d["process_key"],
        "candidateGroup": d["lane"],
        "assignee": d["assignee"],
    }
