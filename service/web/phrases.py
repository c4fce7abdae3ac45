"""Plain sentences the pages say: how long is left, what a completed task led to."""

from __future__ import annotations

from service.actions.tasks import Completed


def days_phrase(days: int | None, urgency: str | None = None) -> str:
    """Say how long is left ("due today", "2 days left", "3 days overdue")."""
    if days is None:
        return "no due date"
    if days == 0:
        return "overdue since earlier today" if urgency == "overdue" else "due today"
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} left"
    return f"{-days} day{'s' if days != -1 else ''} overdue"


def next_steps(outcome: Completed) -> list[str]:
    """Say in plain sentences what happens next in the case."""
    if outcome.status == "completed":
        return ["The case is complete."]
    wait = outcome.wait
    found = [
        f"Next: \u201c{t.title or t.name}\u201d for {t.lane or 'supervisors'}"
        + (f", due {t.due_at.isoformat()[:10]}" if t.due_at else "")
        + "."
        for t in wait.ready_tasks
    ]
    waiting = sorted({s.message_name for s in wait.subscriptions})
    if waiting:
        found.append(f"The case now waits for: {', '.join(waiting)}.")
    if wait.next_timer_due:
        found.append(f"A timer is due {wait.next_timer_due.isoformat()[:16].replace('T', ' ')} UTC.")
    if wait.failures:
        found.append(
            "A step failed and needs attention: "
            + "; ".join(f"{f.task_name}: {f.message}" for f in wait.failures)
            + "."
        )
    return found or ["The case has nothing left to wait for."]


def completed(outcome: Completed) -> str:
    """Return the sentence the inbox shows after a task is completed."""
    key = f" for case {outcome.business_key}" if outcome.business_key else ""
    return " ".join([f"\u201c{outcome.task_title}\u201d completed{key}.", *next_steps(outcome)])
