"""Instance and task triggers for integrators, answered with the views the API returns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from service.errors import FieldError, InvalidData, NotFound
from service.store.repositories.derived import TaskFilter

from . import lifecycle, queries, tasks
from .actors import Actor

if TYPE_CHECKING:
    from service.bootstrap import Services


def _reason(reason: str) -> str:
    if not reason.strip():
        raise InvalidData("say why", [FieldError("reason", "must not be blank")])
    return reason.strip()


def suspend(services: Services, instance_id: str, actor: Actor, reason: str) -> dict[str, Any]:
    """Suspend an instance (no trigger, no timer until resumed); recorded with the reason."""
    lifecycle.set_suspended(services, instance_id, actor, _reason(reason), True)
    return queries.instance(services, instance_id)


def resume(services: Services, instance_id: str, actor: Actor, reason: str) -> dict[str, Any]:
    """Resume a suspended instance; recorded with the reason."""
    lifecycle.set_suspended(services, instance_id, actor, _reason(reason), False)
    return queries.instance(services, instance_id)


def cancel(services: Services, instance_id: str, actor: Actor, reason: str) -> dict[str, Any]:
    """Cancel an instance; recorded with the reason."""
    lifecycle.cancel(services, instance_id, actor, _reason(reason))
    return queries.instance(services, instance_id)


def task_list(
    services: Services, actor: Actor, f: TaskFilter, *, overdue: bool = False
) -> list[dict[str, Any]]:
    """List open tasks; ``overdue`` keeps those whose due time has passed on the service clock."""
    if overdue:
        now = services.clock.now()
        due_before = min(f.due_before, now) if f.due_before else now
        f = TaskFilter(**{**f.__dict__, "due_before": due_before})
    return queries.tasks(services, actor, f)


def task(services: Services, actor: Actor, task_id: str) -> dict[str, Any]:
    """Return an open task with the JSON Schema of its form."""
    with services.db.unit_of_work(readonly=True) as uow:
        row = uow.tasks.get(task_id)
        if row is None:
            raise NotFound(f"task {task_id} is not open", taskId=task_id)
        form = tasks.task_form(services, uow, row)
    return {**queries.task_view(row), "formSchema": form}


def claim(services: Services, task_id: str, actor: Actor) -> dict[str, Any]:
    """Claim a task for the integrator; 409 when someone else holds it."""
    return queries.task_view(tasks.claim(services, task_id, actor))


def unclaim(services: Services, task_id: str, actor: Actor) -> dict[str, Any]:
    """Give a task back to its group; 409 when someone else holds it."""
    return queries.task_view(tasks.unclaim(services, task_id, actor))


def complete(
    services: Services, task_id: str, data: dict[str, Any], actor: Actor, version: int | None
) -> dict[str, Any]:
    """Complete a task with its form data; answer with the instance at its next wait state."""
    outcome = tasks.complete(services, task_id, data, actor, expected_version=version)
    return queries.instance(services, outcome.instance_id)
