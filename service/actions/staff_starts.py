"""Staff start a process from the web: the groups that may, the case number and a reason (audited)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from service.actions import starting
from service.errors import Duplicate, FieldError, Forbidden, InvalidData
from service.identity.actors import Actor
from service.store import UnitOfWork
from service.trigger.core import Outcome, guarded

if TYPE_CHECKING:
    from service.services import Services


def start_by_staff(
    services: Services,
    process_key: str,
    variables: dict[str, Any],
    actor: Actor,
    *,
    business_key: str,
    reason: str,
) -> Outcome:
    """Start a process staff may start (``Actor.may_start``), with the case number and a reason."""
    audit = starting.start_audit(process_key, variables, business_key, reason)
    key = business_key.strip()

    def work(uow: UnitOfWork) -> Outcome:
        _check_staff_start(actor, process_key, business_key, reason)
        begun = starting.begin(
            services, uow, process_key, variables, actor,
            business_key=key, startable_only=True, reason=reason.strip(),
        )  # fmt: skip
        uow.commit()
        return begun.committed(services)

    try:
        return guarded(services, actor, audit, lambda: services.db.run(work), None)
    except Duplicate:
        guarded(services, actor, audit, lambda: starting.raced(services, process_key, key), None)
        raise


def _check_staff_start(actor: Actor, process_key: str, business_key: str, reason: str) -> None:
    """Refuse a user who may not start the process, a blank case number or a blank reason."""
    if not actor.may_start(process_key):
        raise Forbidden(f"your groups do not start {process_key}")
    blank = [name for name, value in (("businessKey", business_key), ("reason", reason)) if not value.strip()]
    if blank:
        raise InvalidData("say which case and why", [FieldError(name, "must not be blank") for name in blank])
