"""Webhooks: integrators subscribe a URL to event types, remove it, or ping it.

Events are queued by the step that causes them (``service.trigger.events``) and sent, signed,
by ``service.notify.webhooks`` from the background runner, with retries and backoff.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from service.errors import FieldError, InvalidData, NotFound
from service.ids import new_id
from service.notify import egress
from service.notify.webhooks import signing_secret
from service.trigger.events import enqueue, event_id
from service.views import webhooks as webhook_views

if TYPE_CHECKING:
    from service.services import Services

EVENT_TYPES = {
    "instance.completed": "a process instance reached its end",
    "task.created": "a human task became ready for someone",
    "notice.issued": "a notice was issued to a recordkeeper or applicant",
    "deadline.missed": "an open task passed its due date",
    "incident.created": "a task failed; the instance has an incident",
}
PING = "ping"


def register(
    services: Services, owner: str, url: str, events: list[str], description: str | None = None
) -> dict[str, Any]:
    """Subscribe ``url`` to ``events`` for ``owner``; the signing secret is in the answer only."""
    _check(services, url, events)
    with services.db.unit_of_work() as uow:
        if uow.tokens.by_name(owner) is None:
            raise NotFound(f"no integrator token named '{owner}'")
        webhook_id = new_id()
        salt = secrets.token_hex(16)
        now = services.clock.now()
        uow.webhooks.add(
            webhook_id=webhook_id,
            owner=owner,
            url=url,
            description=description,
            salt=salt,
            events=events,
            now=now,
        )
        row = uow.webhooks.get(webhook_id)
        uow.commit()
    assert row is not None
    return {**webhook_views.view(row), "secret": signing_secret(services.settings, row)}


def _check(services: Services, url: str, events: list[str]) -> None:
    errors = []
    allow = egress.AllowList.parse(services.settings.api.webhook_allow_hosts)
    try:
        # Checked again before every delivery: a name may resolve elsewhere later.
        egress.check(url, allow, services.resolve)
    except egress.UnsafeTarget as exc:
        errors.append(FieldError("url", str(exc)))
    errors += [FieldError("events", f"unknown event type '{e}'") for e in events if e not in EVENT_TYPES]
    if not events:
        errors.append(FieldError("events", "name at least one event type"))
    if errors:
        raise InvalidData("the webhook cannot be registered", errors)


def remove(services: Services, owner: str | None, webhook_id: str) -> None:
    """Stop a webhook; queued deliveries to it are dropped when their turn comes."""
    with services.db.unit_of_work() as uow:
        webhook_views.owned(uow, owner, webhook_id)
        uow.webhooks.remove(webhook_id, services.clock.now())
        uow.commit()


def ping(services: Services, owner: str | None, webhook_id: str) -> dict[str, Any]:
    """Queue a ``ping`` event to one webhook, to check the receiver and its signature check."""
    with services.db.unit_of_work() as uow:
        row = webhook_views.owned(uow, owner, webhook_id)
        now = services.clock.now()
        event_key = new_id()
        enqueue(uow, row, PING, event_key, {"webhookId": webhook_id}, now, None)
        uow.commit()
    return {"webhookId": webhook_id, "eventId": event_id(PING, event_key), "eventType": PING}
