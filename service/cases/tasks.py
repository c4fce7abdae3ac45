"""Human tasks: complete (with server-side form validation), claim, unclaim, reassign."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from service.engine import WaitState
from service.errors import Conflict, Forbidden, NotFound
from service.store import UnitOfWork
from service.store.repositories.instances import InstanceRow

from . import forms
from .actors import Actor
from .trigger import Audit, Loaded, Outcome, guarded, on_instance

if TYPE_CHECKING:
    from service.bootstrap import Services


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


def complete(
    services: Services,
    task_id: str,
    data: dict[str, Any],
    actor: Actor,
    *,
    expected_version: int | None = None,
) -> Outcome:
    """Complete a READY task with validated data and run the case to its next wait state."""
    audit = Audit("complete", task_id=task_id, data=data)
    located: dict[str, Any] = {}

    def locate(uow: UnitOfWork) -> str:
        located.update(open_task(services, uow, task_id, actor))
        instance_id: str = located["instance_id"]
        return instance_id

    def apply(loaded: Loaded) -> WaitState:
        # Without a lock from BEGIN (PostgreSQL), read again under the instance's row lock:
        # another completion may have committed between ``locate`` and the lock.
        uow = loaded.uow
        current = located if uow.locked_from_begin else open_task(services, uow, task_id, actor)
        audit.task_name = current["name"]
        if current["assignee"] not in (None, actor.name) and not actor.is_supervisor:
            raise Conflict(
                f"task {task_id} is claimed by {current['assignee']}",
                taskId=task_id,
                assignee=current["assignee"],
            )
        ready = services.engine.find_ready_task(loaded.workflow, task_id)
        if ready is None:
            raise Conflict(f"task {task_id} is no longer ready", taskId=task_id)
        # The form is bound to this task's data, so case-specific bounds (a deadline) hold here too.
        schema = forms.bind(
            task_form(services, loaded.uow, current, loaded.row), services.engine.data_of(ready)
        )
        forms.validate(data, schema, f"form of task {current['name']}")
        return services.engine.complete_task(loaded.workflow, ready, data)

    return on_instance(services, locate, actor, audit, apply, expected_version=expected_version)


def claim(services: Services, task_id: str, actor: Actor) -> dict[str, Any]:
    """Claim a task for the actor; refused when someone else claimed it first."""
    return _assignment(services, task_id, actor, "claim", actor.name)


def unclaim(services: Services, task_id: str, actor: Actor) -> dict[str, Any]:
    """Give a claimed task back to its group queue."""
    return _assignment(services, task_id, actor, "unclaim", None)


def reassign(services: Services, task_id: str, actor: Actor, assignee: str | None) -> dict[str, Any]:
    """Assign a task to someone else (supervisors only)."""
    if not actor.is_supervisor:
        raise Forbidden("only supervisors reassign tasks")
    return _assignment(services, task_id, actor, "reassign", assignee)


def _assignment(
    services: Services, task_id: str, actor: Actor, action: str, assignee: str | None
) -> dict[str, Any]:
    audit = Audit(action, task_id=task_id, data={"assignee": assignee})

    def work(uow: UnitOfWork) -> dict[str, Any]:
        task = open_task(services, uow, task_id, actor)
        now = services.clock.now()
        holder = task["assignee"]
        if action == "claim" and holder not in (None, actor.name):
            raise Conflict(f"task {task_id} is already claimed by {holder}", taskId=task_id, assignee=holder)
        if action == "unclaim" and holder not in (None, actor.name) and not actor.is_supervisor:
            raise Conflict(f"task {task_id} is claimed by {holder}", taskId=task_id, assignee=holder)
        if action == "claim":
            if not uow.tasks.claim(task_id, actor.name, now):
                raise Conflict(f"task {task_id} is already claimed", taskId=task_id)
        else:
            uow.tasks.assign(task_id, assignee, now if assignee else None)
        uow.audit.append(
            at=now,
            actor_kind=actor.kind,
            actor=actor.name,
            action=action,
            outcome="ok",
            instance_id=task["instance_id"],
            task_id=task_id,
            task_name=task["name"],
            data={"assignee": assignee, "previous": holder},
        )
        uow.commit()
        return {**task, "assignee": assignee, "claimed_at": now if assignee else None}

    return guarded(services, actor, audit, lambda: services.db.run(work), None)
