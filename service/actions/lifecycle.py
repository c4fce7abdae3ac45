"""Cancel, suspend, resume and retry process instances (each recorded with who and why)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service.engine.values import WaitState
from service.errors import Conflict, FieldError, Forbidden, InvalidData
from service.identity.actors import Actor
from service.trigger.core import Loaded, Outcome, on_instance
from service.trigger.save import Audit

if TYPE_CHECKING:
    from service.services import Services


def _reason(reason: str) -> str:
    if not reason.strip():
        raise InvalidData("say why", [FieldError("reason", "must not be blank")])
    return reason.strip()


def cancel(services: Services, instance_id: str, actor: Actor, reason: str) -> Outcome:
    """Cancel an instance: every open task and wait ends; recorded with the reason."""
    reason = _reason(reason)

    def apply(loaded: Loaded) -> WaitState:
        services.engine.cancel(loaded.workflow)
        return WaitState(status="cancelled")

    return on_instance(
        services,
        instance_id,
        actor,
        Audit("cancel", data={"reason": reason}),
        apply,
        status="cancelled",
        ignore_suspension=True,
    )


def suspend(services: Services, instance_id: str, actor: Actor, reason: str) -> Outcome:
    """Suspend an instance (no trigger, no timer until resumed); recorded with the reason."""
    return _set_suspended(services, instance_id, actor, _reason(reason), True)


def resume(services: Services, instance_id: str, actor: Actor, reason: str) -> Outcome:
    """Resume a suspended instance; recorded with the reason."""
    return _set_suspended(services, instance_id, actor, _reason(reason), False)


def _set_suspended(
    services: Services, instance_id: str, actor: Actor, reason: str, suspended: bool
) -> Outcome:
    action = "suspend" if suspended else "resume"

    def apply(loaded: Loaded) -> WaitState:
        if loaded.row.suspended == suspended:
            raise Conflict(
                f"process instance {instance_id} is already {'suspended' if suspended else 'active'}"
            )
        loaded.uow.instances.set_suspended(instance_id, suspended)
        loaded.takes_buffered = not suspended  # a suspended instance takes no message
        return services.engine.wait_state(loaded.workflow)

    return on_instance(
        services, instance_id, actor, Audit(action, data={"reason": reason}), apply, ignore_suspension=True
    )


def retry(services: Services, instance_id: str, actor: Actor) -> Outcome:
    """Retry the failed tasks of an instance (after the cause of its incident was fixed)."""
    if actor.kind == "user" and not actor.is_supervisor:
        raise Forbidden("only supervisors retry incidents")

    def apply(loaded: Loaded) -> WaitState:
        if not loaded.row.has_incident and loaded.row.retry_at is None:
            raise Conflict(f"process instance {instance_id} has no incident to retry")
        failed = {f.task_id for f in services.engine.wait_state(loaded.workflow).failures}
        loaded.attempts.retried.update(failed)
        wait = services.engine.retry_failed(loaded.workflow, failed)
        if not wait.failures:
            loaded.uow.incidents.resolve_all(instance_id, services.clock.now(), f"{actor.kind}:{actor.name}")
        return wait

    return on_instance(services, instance_id, actor, Audit("retry"), apply)
