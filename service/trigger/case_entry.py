"""What the case list keeps of a case after each step: applicant, importer number, stage, lanes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from service.engine.values import WaitState
from service.store.rows.cases import CaseEntry

# Where a case's applicant and importer number are found among its variables (first match wins).
APPLICANT_PATHS = (
    ("applicant_name",),
    ("applicantName",),
    ("applicant", "name"),
    ("recordkeeper", "name"),
    ("auditee", "name"),
    ("recordkeeper_name",),
    ("importer_name",),
    ("applicant",),
)
IMPORTER_PATHS = (("importer_number",), ("applicant", "importer_number"), ("recordkeeper", "importer_number"))


def entry(
    instance_id: str,
    process_key: str,
    business_key: str | None,
    variables: Any,
    wait: WaitState,
    status: str,
    started_at: datetime,
) -> CaseEntry:
    """Return the case list's row of an instance in the wait state a step left it in."""
    tasks = sorted(wait.ready_tasks, key=lambda t: (t.due_at is None, t.due_at or started_at))
    return CaseEntry(
        instance_id=instance_id,
        process_key=process_key,
        business_key=business_key,
        applicant=first_text(variables, APPLICANT_PATHS),
        importer_number=first_text(variables, IMPORTER_PATHS),
        status=status if status in ("completed", "cancelled", "error") else "open",
        stage=stage(wait),
        due_at=next((t.due_at for t in tasks if t.due_at is not None), None),
        started_at=started_at,
        lanes=tuple(t.lane for t in wait.ready_tasks if t.lane),
    )


def stage(wait: WaitState) -> str | None:
    """Name where the case stands: its first open task, else what it waits for."""
    for task in wait.ready_tasks:
        return task.title or task.name
    for sub in wait.subscriptions:
        return sub.task_name
    for timer in wait.timers:
        return timer.task_name
    return None


def first_text(variables: Any, paths: tuple[tuple[str, ...], ...]) -> str | None:
    """Return the first path of the variables holding a text."""
    for path in paths:
        value = variables
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str) and value.strip():
            return value.strip()[:300]
    return None
