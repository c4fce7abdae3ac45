"""Open human tasks as people and integrators see them: lists, one task, its form.

Lists read the indexed open-task rows and never load instance state; a form bound to case data
(``{{path}}`` placeholders) restores the case read-only to fill it in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from service.definitions.forms import Form
from service.engine.values import ContextEntry
from service.errors import Conflict, NotFound
from service.identity.actors import SUPERVISORS, Actor
from service.store import UnitOfWork
from service.store.repositories import task_list
from service.store.rows import GroupMemberRow, InstanceRow, TaskFilter, TaskRow

if TYPE_CHECKING:
    from service.services import Services


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def task_view(task: TaskRow) -> dict[str, Any]:
    """Describe an open task for the API."""
    return {
        "id": task.id,
        "name": task.name,
        "title": task.title,
        "candidateGroup": task.lane,
        "assignee": task.assignee,
        "form": task.form,
        "uiForm": task.ui_form,
        "due": _iso(task.due_at),
        "dueCitation": task.due_citation,
        "instructions": task.instructions,
        "processInstanceId": task.instance_id,
        "processKey": task.process_key,
        "businessKey": task.business_key,
        "created": _iso(task.created_at),
        "claimed": _iso(task.claimed_at),
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
        return [task_view(t) for t in task_list.open_tasks(uow, f)]


def task(services: Services, actor: Actor, task_id: str) -> dict[str, Any]:
    """Return an open task with the JSON Schema of its form."""
    with services.db.unit_of_work(readonly=True) as uow:
        row = uow.tasks.get(task_id)
        if row is None:
            raise NotFound(f"task {task_id} is not open", taskId=task_id)
        form = form_of(services, uow, row)
    return {**task_view(row), "formSchema": form.schema}


def open_task(uow: UnitOfWork, task_id: str, actor: Actor) -> TaskRow:
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
    if not actor.may_work_on(task.lane):
        # Same answer as for a task that does not exist: a guessed URL learns nothing.
        raise NotFound(f"task {task_id} is not open", taskId=task_id)
    return task


def form_of(services: Services, uow: UnitOfWork, task: TaskRow, row: InstanceRow | None = None) -> Form:
    """Return a task's form (not yet bound to case data), from the version its case runs on."""
    if not task.form:
        return Form(None)
    row = row or uow.instances.get(task.instance_id)
    if row is None:
        raise NotFound(f"process instance {task.instance_id} does not exist")

    def named(filename: str | None) -> dict[str, Any] | None:
        if not filename:
            return None
        return services.catalog.form(
            uow, row.definition_id, row.called_definitions, task.process_key, filename
        )

    return Form(named(task.form), named(task.ui_form))


@dataclass(frozen=True)
class AtTask:
    """An open task's data and what it declares it shows beside its form, read from its case."""

    data: dict[str, Any]
    context: list[ContextEntry]


def at_task(services: Services, uow: UnitOfWork, task: TaskRow, row: InstanceRow) -> AtTask:
    """Restore the task's case read-only and return the task's data and declared context."""
    bundle = services.catalog.bundle(uow, row.definition_id, row.called_definitions)
    workflow = services.engine.restore(
        row.state, bundle, services.engine.script_engine(None, row.id, row.business_key)
    )
    ready = services.engine.find_ready_task(workflow, task.id)
    if ready is None:
        raise Conflict(f"task {task.id} is no longer ready", taskId=task.id)
    return AtTask(services.engine.data_of(ready), services.engine.context_of(ready))


def context_in(services: Services, uow: UnitOfWork, task: TaskRow, row: InstanceRow) -> AtTask | None:
    """Return the task's data and declared context, or None when its diagram declares no context."""
    bundle = services.catalog.bundle(uow, row.definition_id, row.called_definitions)
    if not services.engine.declares_context(bundle, task.name):
        return None
    return at_task(services, uow, task, row)


def bound_form_in(
    services: Services, uow: UnitOfWork, task: TaskRow, row: InstanceRow, found: AtTask | None = None
) -> Form:
    """Return a task's form bound to its case data, restoring the case read-only when it must."""
    form = form_of(services, uow, task, row)
    if not form.needs_data:
        return form
    return form.bound((found or at_task(services, uow, task, row)).data)


def bound_form(services: Services, task_id: str, actor: Actor) -> Form:
    """Return an open task's form bound to its case data, as the person filling it sees it."""
    with services.db.unit_of_work(readonly=True) as uow:
        task = open_task(uow, task_id, actor)
        row = uow.instances.get(task.instance_id)
        if row is None:
            raise NotFound(f"process instance {task.instance_id} does not exist")
        return bound_form_in(services, uow, task, row)


def assignable(uow: UnitOfWork, lane: str | None) -> list[GroupMemberRow]:
    """Return the active users a task of ``lane`` may be given to: its group and supervisors."""
    found = {u["username"]: u for u in uow.users.in_group(SUPERVISORS)}
    if lane:
        found.update({u["username"]: u for u in uow.users.in_group(lane)})
    return [found[name] for name in sorted(found)]
