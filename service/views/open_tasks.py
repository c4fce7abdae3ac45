"""Open human tasks as people and integrators see them: lists, one task, its form.

Lists read the indexed open-task rows and never load instance state; a form bound to case data
(``{{path}}`` placeholders) restores the case read-only to fill it in.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from service.definitions import forms
from service.errors import Conflict, NotFound
from service.identity.actors import Actor
from service.store import UnitOfWork
from service.store.repositories.derived import TaskFilter
from service.store.repositories.instances import InstanceRow

if TYPE_CHECKING:
    from service.services import Services


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def task_view(task: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": task["id"],
        "name": task["name"],
        "title": task["title"],
        "candidateGroup": task["lane"],
        "assignee": task["assignee"],
        "form": task["form"],
        "uiForm": task["ui_form"],
        "due": _iso(task["due_at"]),
        "dueCitation": task["due_citation"],
        "instructions": task["instructions"],
        "processInstanceId": task["instance_id"],
        "processKey": task["process_key"],
        "businessKey": task["business_key"],
        "created": _iso(task["created_at"]),
        "claimed": _iso(task["claimed_at"]),
    }


def tasks(services: Services, actor: Actor, f: TaskFilter, *, overdue: bool = False) -> list[dict[str, Any]]:
    """List open tasks the actor may see; ``overdue`` keeps those due before the service clock's now."""
    if overdue:
        now = services.clock.now()
        f = TaskFilter(**{**f.__dict__, "due_before": min(f.due_before, now) if f.due_before else now})
    if actor.kind == "user" and not actor.is_supervisor:
        allowed = sorted(actor.groups)
        groups = [g for g in (f.candidate_groups or allowed) if g in allowed]
        f = TaskFilter(**{**f.__dict__, "candidate_groups": groups})
    with services.db.unit_of_work(readonly=True) as uow:
        return [task_view(t) for t in uow.tasks.list(f)]


def open_task(services: Services, uow: UnitOfWork, task_id: str, actor: Actor) -> dict[str, Any]:
    """Return an open task the actor may work on; 404 for a task they may not see."""
    task = uow.tasks.get(task_id)
    if task is None:
        done = uow.audit.completed_task(task_id)
        if done is not None:
            raise Conflict(
                f"task {task_id} was already completed by {done['actor']} at {done['at'].isoformat()}",
                taskId=task_id,
            )
        raise NotFound(f"task {task_id} is not open", taskId=task_id)
    if not actor.may_work_on(task["lane"]):
        # Same answer as for a task that does not exist: a guessed URL learns nothing.
        raise NotFound(f"task {task_id} is not open", taskId=task_id)
    return task


def task_form(
    services: Services, uow: UnitOfWork, task: dict[str, Any], row: InstanceRow | None = None
) -> dict[str, Any] | None:
    """Return the JSON Schema of a task's form, from the version its case runs on."""
    if not task["form"]:
        return None
    row = row or uow.instances.get(task["instance_id"])
    if row is None:
        raise NotFound(f"process instance {task['instance_id']} does not exist")
    return services.catalog.form(
        uow, row.definition_id, row.called_definitions, task["process_key"], task["form"]
    )


def bound_form(services: Services, task_id: str, actor: Actor) -> dict[str, Any]:
    """Return an open task's form schema bound to its case data, and its UI schema, for display."""
    with services.db.unit_of_work(readonly=True) as uow:
        task = open_task(services, uow, task_id, actor)
        row = uow.instances.get(task["instance_id"])
        if row is None:
            raise NotFound(f"process instance {task['instance_id']} does not exist")
        schema = task_form(services, uow, task, row)
        ui = None
        if task["ui_form"]:
            ui = services.catalog.form(
                uow, row.definition_id, row.called_definitions, task["process_key"], task["ui_form"]
            )
        if schema is None or not forms.placeholders(schema):
            return {"schema": schema, "uiSchema": ui}
        bundle = services.catalog.bundle(uow, row.definition_id, row.called_definitions)
    workflow = services.engine.restore(
        row.state, bundle, services.engine.script_engine(None, row.id, row.business_key)
    )
    ready = services.engine.find_ready_task(workflow, task_id)
    if ready is None:
        raise Conflict(f"task {task_id} is no longer ready", taskId=task_id)
    return {"schema": forms.bind(schema, services.engine.data_of(ready)), "uiSchema": ui}


def task(services: Services, actor: Actor, task_id: str) -> dict[str, Any]:
    """Return an open task with the JSON Schema of its form."""
    with services.db.unit_of_work(readonly=True) as uow:
        row = uow.tasks.get(task_id)
        if row is None:
            raise NotFound(f"task {task_id} is not open", taskId=task_id)
        form = task_form(services, uow, row)
    return {**task_view(row), "formSchema": form}
