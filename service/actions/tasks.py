"""Human tasks: complete (with server-side form validation), claim, unclaim, reassign."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from service.definitions import forms
from service.engine.values import WaitState
from service.errors import Conflict, Forbidden
from service.identity.actors import Actor
from service.store import UnitOfWork
from service.trigger.core import Loaded, Outcome, guarded, on_instance
from service.trigger.save import Audit
from service.views import open_tasks

if TYPE_CHECKING:
    from service.services import Services


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
        located.update(open_tasks.open_task(services, uow, task_id, actor))
        instance_id: str = located["instance_id"]
        return instance_id

    def apply(loaded: Loaded) -> WaitState:
        # Without a lock from BEGIN (PostgreSQL), read again under the instance's row lock:
        # another completion may have committed between ``locate`` and the lock.
        uow = loaded.uow
        current = located if uow.locked_from_begin else open_tasks.open_task(services, uow, task_id, actor)
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
            open_tasks.task_form(services, loaded.uow, current, loaded.row), services.engine.data_of(ready)
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
        task = open_tasks.open_task(services, uow, task_id, actor)
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
