"""Correlate a message, or keep it for a while when the integrator asks and nobody waits yet.

An event can arrive just before its process waits for it (the scanner is faster than the
reviewer). With ``buffer=True`` such a message is kept for ``RCP_API_MESSAGE_BUFFER_TTL`` and
handed to the first instance that starts waiting for it with fitting correlation values
(``service.trigger.buffering``), in that instance's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from service.actions import messages, reported
from service.definitions import forms
from service.errors import FieldError, InvalidData, NotFound
from service.identity.actors import Actor
from service.ids import new_id
from service.store import UnitOfWork
from service.trigger.core import guarded
from service.trigger.save import Audit
from service.views import buffered_messages, instances

if TYPE_CHECKING:
    from service.services import Services


@dataclass(frozen=True)
class Sent:
    """What became of a message: delivered (with the instance's view) or buffered."""

    delivered: bool
    body: dict[str, Any]


@dataclass(frozen=True)
class Letter:
    """A message as the integrator addressed it."""

    name: str
    business_key: str | None
    instance_id: str | None
    correlation_keys: dict[str, Any]
    variables: dict[str, Any]

    @property
    def addressed(self) -> bool:
        return bool(self.business_key or self.instance_id or self.correlation_keys)


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
    letter = Letter(message_name, business_key, instance_id, correlation_keys or {}, variables or {})
    reported.check(letter.variables, services.clock.now(), "variables.")
    if buffer:
        kept = _buffer_unless_awaited(services, letter, actor)
        if kept is not None:
            return Sent(False, kept)
    outcome = messages.deliver(
        services,
        letter.name,
        actor,
        business_key=letter.business_key,
        instance_id=letter.instance_id,
        correlation_keys=letter.correlation_keys,
        variables=letter.variables,
        answer=instances.answering(services),  # read in the delivering transaction
    )
    assert outcome.answer is not None
    return Sent(True, outcome.answer)


def _buffer_unless_awaited(services: Services, letter: Letter, actor: Actor) -> dict[str, Any] | None:
    forms.check_names({**letter.variables, **letter.correlation_keys})
    if not letter.addressed:
        raise InvalidData(
            "a buffered message must say whom it is for",
            [FieldError("buffer", "give businessKey, processInstanceId or correlationKeys")],
        )
    audit = Audit("message", data={"messageName": letter.name, "businessKey": letter.business_key})

    def keep(uow: UnitOfWork) -> dict[str, Any] | None:
        return _keep_unless_awaited(services, uow, letter, actor)

    return guarded(services, actor, audit, lambda: services.db.run(keep), letter.instance_id)


def _keep_unless_awaited(
    services: Services, uow: UnitOfWork, letter: Letter, actor: Actor
) -> dict[str, Any] | None:
    # Under the same per-name lock as ``buffering.settle``: either the instance's trigger sees
    # this message, or this transaction sees the instance's subscription. Never neither.
    uow.mailbox.lock_names([letter.name], exclusive=True)
    matching, starters = messages.candidates(
        uow, letter.name, letter.business_key, letter.instance_id, letter.correlation_keys
    )
    if matching or (starters and letter.instance_id is None):
        return None  # someone waits (or a process starts on it): deliver normally
    if letter.instance_id is not None and uow.instances.summary(letter.instance_id) is None:
        raise NotFound(f"process instance {letter.instance_id} does not exist", instanceId=letter.instance_id)
    message_id = _keep(services, uow, letter, actor)
    row = uow.mailbox.get(message_id)
    uow.commit()
    assert row is not None
    return buffered_messages.view(row)


def _keep(services: Services, uow: UnitOfWork, letter: Letter, actor: Actor) -> str:
    now = services.clock.now()
    message_id = new_id()
    uow.mailbox.add(
        id=message_id,
        message_name=letter.name,
        business_key=letter.business_key,
        instance_id=letter.instance_id,
        correlation_keys=letter.correlation_keys,
        variables=letter.variables,
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
        instance_id=letter.instance_id,
        data={
            "messageName": letter.name,
            "businessKey": letter.business_key,
            "correlationKeys": letter.correlation_keys,
            "variables": letter.variables,
            "bufferedMessageId": message_id,
        },
    )
    return message_id
