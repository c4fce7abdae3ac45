"""Plain sentences the pages say: how long is left, what a completed task led to, what changed."""

from __future__ import annotations

from datetime import UTC, tzinfo

from service.actions.tasks import Completed
from service.views import labels
from service.views.local_time import when
from service.views.task_changes import Change


def days_phrase(days: int | None, urgency: str | None = None) -> str:
    """Say how long is left ("due today", "2 days left", "3 days overdue")."""
    if days is None:
        return "no due date"
    if days == 0:
        return "overdue since earlier today" if urgency == "overdue" else "due today"
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} left"
    return f"{-days} day{'s' if days != -1 else ''} overdue"


def next_steps(outcome: Completed, zone: tzinfo = UTC) -> list[str]:
    """Say in plain sentences what happens next in the case."""
    if outcome.status == "completed":
        return ["The case is complete."]
    wait = outcome.wait
    found = [
        f"Next: \u201c{t.title or t.name}\u201d for {labels.group_title(t.lane)}"
        + (f", due {when(t.due_at, zone)}" if t.due_at else "")
        + "."
        for t in wait.ready_tasks
    ]
    waiting = sorted({s.message_name for s in wait.subscriptions})
    if waiting:
        found.append(f"The case now waits for {', '.join(map(labels.message_title, waiting))}.")
    if wait.next_timer_due:
        found.append(f"A timer is due {when(wait.next_timer_due, zone)}.")
    if wait.failures:
        found.append(
            "A step failed and needs attention: "
            + "; ".join(f"{f.task_name}: {f.message}" for f in wait.failures)
            + "."
        )
    return found or ["The case has nothing left to wait for."]


def completed(outcome: Completed, zone: tzinfo = UTC) -> str:
    """Return the sentence the inbox shows after a task is completed."""
    key = f" for case {outcome.business_key}" if outcome.business_key else ""
    return " ".join([f"\u201c{outcome.task_title}\u201d completed{key}.", *next_steps(outcome, zone)])


def changed(change: Change | None, zone: tzinfo = UTC) -> str:
    """Say what happened to a task while its form was open ("bea reassigned it to carl ...")."""
    if change is None:
        return "The task or its case changed while you had the form open."
    at = when(change.at, zone)
    if change.action == "complete":
        return f"{change.actor} completed this task on {at}."
    if change.action == "claim":
        return f"{change.actor} claimed this task on {at}."
    if change.action == "reassign" and change.assignee:
        return f"{change.actor} reassigned this task to {change.assignee} on {at}."
    return f"{change.actor} put this task back in its group queue on {at}."
