"""Correlate a message, or keep it for a while when the integrator asks and nobody waits yet.

An event can arrive just before its process waits for it (the scanner is faster than the
reviewer). With ``buffer=True`` such a message is kept for ``RCP_API_MESSAGE_BUFFER_TTL`` and
handed to the first instance that starts waiting for it with fitting correlation values
(``service.cases.buffering``), in that instance's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from service.errors import FieldError, InvalidData, NotFound
from service.ids import new_id
from service.store import UnitOfWork

from . import forms, messages, queries
from .actors import Actor
from .trigger import Audit, guarded

if TYPE_CHECKING:
    from service.bootstrap import Services

KEEP_FINISHED = timedelta(days=7)  # delivered/expired records stay readable this long


@dataclass(frozen=True)
class Sent:
    """What became of a message: delivered (with the instance's view) or buffered."""

    delivered: bool
    body: dict[str, Any]


def send(
    services: Services,
    message_name: str,
    actor: Actor,
    *,
    business_key: str | None = None,
    instance_id: str | None = None,
    correlation_keys: dict[str, Any] | None = None,
    variables: dict[str, Any] | None = None,
    buffer: bool = False,
) -> Sent:
    """Deliver a message to the one instance waiting for it; buffer it if asked and none waits."""
    correlation_keys = correlation_keys or {}
    variables = variables or {}
    if buffer:
        forms.check_names({**variables, **correlation_keys})
        if not (business_key or instance_id or correlation_keys):
            raise InvalidData(
                "a buffered message must say whom it is for",
                [FieldError("buffer", "give businessKey, processInstanceId or correlationKeys")],
            )
        audit = Audit("message", data={"messageName": message_name, "businessKey": business_key})
        kept = guarded(
            services,
            actor,
            audit,
            lambda: services.db.run(
                lambda uow: _keep_unless_awaited(
                    services, uow, message_name, actor, business_key, instance_id, correlation_keys, variables
                )
            ),
            instance_id,
        )
        if kept is not None:
            return Sent(False, kept)
    outcome = messages.deliver(
        services,
        message_name,
        actor,
        business_key=business_key,
        instance_id=instance_id,
        correlation_keys=correlation_keys,
        variables=variables,
    )
    return Sent(True, queries.instance(services, outcome.instance_id))


def _keep_unless_awaited(
    services: Services,
    uow: UnitOfWork,
    message_name: str,
    actor: Actor,
    business_key: str | None,
    instance_id: str | None,
    correlation_keys: dict[str, Any],
    variables: dict[str, Any],
) -> dict[str, Any] | None:
    # Under the same per-name lock as ``buffering.settle``: either the instance's trigger sees
    # this message, or this transaction sees the instance's subscription. Never neither.
    uow.mailbox.lock_names([message_name])
    matching, starters = messages.candidates(uow, message_name, business_key, instance_id, correlation_keys)
    if matching or (starters and instance_id is None):
        return None  # someone waits (or a process starts on it): deliver normally
    if instance_id is not None and uow.instances.summary(instance_id) is None:
        raise NotFound(f"process instance {instance_id} does not exist", instanceId=instance_id)
    now = services.clock.now()
    message_id = new_id()
    uow.mailbox.add(
        id=message_id,
        message_name=message_name,
        business_key=business_key,
        instance_id=instance_id,
        correlation_keys=correlation_keys,
        variables=variables,
        sender_kind=actor.kind,
        sender=actor.name,
        status="pending",
        created_at=now,
        expires_at=now + services.settings.api.message_buffer_ttl,
    )
    uow.audit.append(
        at=now,
        actor_kind=actor.kind,
        actor=actor.name,
        action="message",
        outcome="buffered",
        instance_id=instance_id,
        data={
            "messageName": message_name,
            "businessKey": business_key,
            "correlationKeys": correlation_keys,
            "variables": variables,
            "bufferedMessageId": message_id,
        },
    )
    row = uow.mailbox.get(message_id)
    uow.commit()
    assert row is not None
    return buffered_view(row)


def buffered_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "status": row["status"],
        "messageName": row["message_name"],
        "businessKey": row["business_key"],
        "processInstanceId": row["instance_id"],
        "correlationKeys": row["correlation_keys"],
        "created": row["created_at"].isoformat(),
        "expires": row["expires_at"].isoformat(),
        "delivered": row["delivered_at"].isoformat() if row["delivered_at"] else None,
        "deliveredTo": row["delivered_to"],
    }


def buffered(services: Services, actor: Actor, message_id: str) -> dict[str, Any]:
    """Return a buffered message of this sender: still pending, delivered (to whom), or expired."""
    with services.db.unit_of_work(readonly=True) as uow:
        row = uow.mailbox.get(message_id)
    if row is None or (row["sender_kind"], row["sender"]) != (actor.kind, actor.name):
        raise NotFound(f"buffered message {message_id} does not exist", messageId=message_id)
    if row["status"] == "pending" and row["expires_at"] <= services.clock.now():
        row = {**row, "status": "expired"}
    return buffered_view(row)


def expire(services: Services) -> int:
    """Mark overdue buffered messages expired and forget old finished ones; return how many expired."""
    now = services.clock.now()

    def work(uow: UnitOfWork) -> int:
        count = uow.mailbox.expire(now, now - KEEP_FINISHED)
        uow.commit()
        return count

    return services.db.run(work)
