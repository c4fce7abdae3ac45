"""What happened to a task while someone had its form open: who took it or completed it, when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from service.identity.actors import Actor

if TYPE_CHECKING:
    from service.services import Services

ASSIGNING = ("claim", "reassign", "unclaim")


@dataclass(frozen=True)
class Change:
    """The last change to a task: ``complete``, ``claim``, ``reassign`` or ``unclaim``."""

    action: str
    actor: str
    at: datetime
    assignee: str | None


def last_change(services: Services, task_id: str, actor: Actor) -> Change | None:
    """Return the task's last completion or assignment the actor may know of, from the audit log."""
    with services.db.unit_of_work(readonly=True) as uow:
        done = uow.audit.completed_task(task_id)
        if done is not None:
            return Change("complete", done["actor"], done["at"], None)
        task = uow.tasks.get(task_id)
        if task is None or not actor.may_work_on(task.lane):
            return None
        entries = uow.audit.for_instance(task.instance_id)
    found = [
        e for e in entries if e["task_id"] == task_id and e["action"] in ASSIGNING and e["outcome"] == "ok"
    ]
    if not found:
        return None
    last = found[-1]
    assignee = (last["data"] or {}).get("assignee") if last["action"] == "reassign" else last["actor"]
    return Change(
        last["action"], last["actor"], last["at"], None if last["action"] == "unclaim" else assignee
    )
