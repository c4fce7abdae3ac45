"""The deadline board: open deadlines by rule, and those met on time or late over 90 days.

The history it counts is written by every step that closes a deadline
(``service.trigger.deadline_history``); the rules, their periods and labels are the one table
``handlers.deadlines.RULES``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from handlers.deadlines import RULES, RULES_BY_ID, Rule, citation_in, classify
from service.errors import Forbidden
from service.identity.actors import Actor
from service.store.rows import UpcomingDeadlineRow

if TYPE_CHECKING:
    from service.services import Services

HISTORY = timedelta(days=90)


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
        "rules": [_rule(r, counts[r.id]) for r in RULES],
        "deadlines": [_listed(d, now) for d in upcoming],
    }


def _rule(r: Rule, counts: dict[str, int]) -> dict[str, Any]:
    return {
        "id": r.id,
        "citation": r.citation,
        "short": r.short,
        "label": r.label,
        "days": r.period,
        **counts,
    }


def _listed(d: UpcomingDeadlineRow, now: datetime) -> dict[str, Any]:
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
