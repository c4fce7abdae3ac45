"""Cancel, suspend, resume and retry process instances (each recorded with who and why)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service.engine.values import WaitState
from service.errors import Conflict, FieldError, Forbidden, InvalidData
from service.identity.actors import Actor
from service.trigger.core import Answering, Loaded, Outcome, guarded, on_instance
from service.trigger.save import Audit

if TYPE_CHECKING:
    from service.services import Services


CONFIRM = "Tick the box to confirm the cancellation"


def _reason(reason: str) -> str:
    if not reason.strip():
        raise InvalidData("say why", [FieldError("reason", "must not be blank")])
    return reason.strip()


def _supervisors_only(services: Services, actor: Actor, action: str, instance_id: str) -> None:
    """Refuse (and audit) a staff user who is not a supervisor; integrators hold a token's scope."""

    def check() -> None:
        if actor.kind == "user" and not actor.is_supervisor:
            raise Forbidden(f"only supervisors {action} cases")

    guarded(services, actor, Audit(action), check, instance_id)


def cancel(
    services: Services,
    instance_id: str,
    actor: Actor,
    reason: str,
    *,
    confirmed: bool = True,
    answer: Answering | None = None,
) -> Outcome:
    """Cancel an instance: every open task and wait ends; recorded with the reason.

    ``confirmed``: the pages ask first (a cancelled case cannot be resumed); the API's call is its own.
    ``answer`` builds the outcome's ``answer`` in the same transaction (``trigger.core.Answering``).
    """
    _supervisors_only(services, actor, "cancel", instance_id)
    reason = _reason(reason)
    if not confirmed:
        raise InvalidData("confirm the cancellation", [FieldError("confirm", CONFIRM)])

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
        answer=answer,
    )


def suspend(
    services: Services, instance_id: str, actor: Actor, reason: str, *, answer: Answering | None = None
) -> Outcome:
    """Suspend an instance (no trigger, no timer until resumed); recorded with the reason."""
    _supervisors_only(services, actor, "suspend", instance_id)
    return _set_suspended(services, instance_id, actor, _reason(reason), True, answer)


def resume(
    services: Services, instance_id: str, actor: Actor, reason: str, *, answer: Answering | None = None
) -> Outcome:
    """Resume a suspended instance; recorded with the reason."""
    _supervisors_only(services, actor, "resume", instance_id)
    return _set_suspended(services, instance_id, actor, _reason(reason), False, answer)


def _set_suspended(
    services: Services,
    instance_id: str,
    actor: Actor,
    reason: str,
    suspended: bool,
    answer: Answering | None = None,
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
        services,
        instance_id,
        actor,
        Audit(action, data={"reason": reason}),
        apply,
        ignore_suspension=True,
        answer=answer,
    )


def retry(services: Services, instance_id: str, actor: Actor, reason: str | None = None) -> Outcome:
    """Retry the failed tasks of an instance (after the cause of its incident was fixed)."""
    _supervisors_only(services, actor, "retry", instance_id)
    audit = Audit("retry") if reason is None else Audit("retry", data={"reason": _reason(reason)})

    def apply(loaded: Loaded) -> WaitState:
        if not loaded.row.has_incident and loaded.row.retry_at is None:
            raise Conflict(f"process instance {instance_id} has no incident to retry")
        failed = {f.task_id for f in services.engine.wait_state(loaded.workflow).failures}
        loaded.attempts.retried.update(failed)
        wait = services.engine.retry_failed(loaded.workflow, failed)
        if not wait.failures:
            loaded.uow.incidents.resolve_all(instance_id, services.clock.now(), f"{actor.kind}:{actor.name}")
        return wait

    return on_instance(services, instance_id, actor, audit, apply)
