"""Staff start a process from the web: the groups that may, the case number and a reason (audited)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from service.actions import starting
from service.errors import Duplicate, FieldError, Forbidden, InvalidData
from service.identity.actors import Actor
from service.store import UnitOfWork
from service.trigger.core import Outcome, guarded

MAX_BUSINESS_KEY = 200  # as the API's businessKey

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
    given = {"businessKey": business_key.strip(), "reason": reason.strip()}
    errors = [FieldError(name, "must not be blank") for name, value in given.items() if not value]
    if len(given["businessKey"]) > MAX_BUSINESS_KEY:
        errors.append(FieldError("businessKey", f"Use at most {MAX_BUSINESS_KEY} characters"))
    if errors:
        raise InvalidData("say which case and why", errors)
