"""Webhooks: integrators subscribe a URL to event types; events are queued in the outbox.

An event is written to the outbox in the transaction of the step that causes it (one row per
subscribed webhook, keyed so it is queued once) and sent later, signed, by
``service.webhook_delivery`` from the background runner, with retries and backoff.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from service.engine import ReadyTask, WaitState
from service.errors import FieldError, InvalidData, NotFound
from service.ids import new_id
from service.store import UnitOfWork
from service.store.repositories.webhooks import delivery_key

if TYPE_CHECKING:
    from service.bootstrap import Services
    from service.config import Settings

EVENT_TYPES = {
    "instance.completed": "a process instance reached its end",
    "task.created": "a human task became ready for someone",
    "notice.issued": "a notice was issued to a recordkeeper or applicant",
    "deadline.missed": "an open task passed its due date",
    "incident.created": "a task failed; the instance has an incident",
}
PING = "ping"
ATTEMPTS = 8  # with the outbox's backoff (30 s doubling, 1 h cap): about an hour of retries
Data = dict[str, Any] | Callable[[], dict[str, Any]]


def register(
    services: Services, owner: str, url: str, events: list[str], description: str | None = None
) -> dict[str, Any]:
    """Subscribe ``url`` to ``events`` for ``owner``; the signing secret is in the answer only."""
    _check(url, events)
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
    return {**view(row), "secret": signing_secret(services.settings, row)}


def _check(url: str, events: list[str]) -> None:
    errors = []
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        errors.append(FieldError("url", "must be an absolute http:// or https:// URL"))
    if parts.username or parts.password:
        errors.append(FieldError("url", "must not carry credentials; verify the signature instead"))
    errors += [FieldError("events", f"unknown event type '{e}'") for e in events if e not in EVENT_TYPES]
    if not events:
        errors.append(FieldError("events", "name at least one event type"))
    if errors:
        raise InvalidData("the webhook cannot be registered", errors)


def signing_secret(settings: Settings, row: dict[str, Any]) -> str:
    """Return a webhook's secret, derived from SECRET_KEY and its salt (never stored)."""
    material = f"rcp-webhook:{row['id']}:{row['salt']}".encode()
    return "whsec_" + hmac.new(settings.secret_key.encode(), material, hashlib.sha256).hexdigest()


def view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "url": row["url"],
        "events": row["events"],
        "description": row["description"],
        "owner": row["owner"],
        "created": row["created_at"].isoformat(),
    }


def list_for(services: Services, owner: str | None) -> list[dict[str, Any]]:
    """List active webhooks (of one owner, or all for an administrator)."""
    with services.db.unit_of_work(readonly=True) as uow:
        return [view(r) for r in uow.webhooks.active(owner)]


def _owned(uow: UnitOfWork, owner: str | None, webhook_id: str) -> dict[str, Any]:
    row = uow.webhooks.get(webhook_id)
    if row is None or (owner is not None and row["owner"] != owner):
        # Another integrator's webhook is answered like a missing one: ids are not confirmed.
        raise NotFound(f"webhook {webhook_id} does not exist", webhookId=webhook_id)
    return row


def get(services: Services, owner: str | None, webhook_id: str) -> dict[str, Any]:
    with services.db.unit_of_work(readonly=True) as uow:
        return view(_owned(uow, owner, webhook_id))


def remove(services: Services, owner: str | None, webhook_id: str) -> None:
    """Stop a webhook; queued deliveries to it are dropped when their turn comes."""
    with services.db.unit_of_work() as uow:
        _owned(uow, owner, webhook_id)
        uow.webhooks.remove(webhook_id, services.clock.now())
        uow.commit()


def deliveries(
    services: Services, owner: str | None, webhook_id: str, limit: int = 50
) -> list[dict[str, Any]]:
    """Return a webhook's recent deliveries with their attempts and the receiver's answers."""
    with services.db.unit_of_work(readonly=True) as uow:
        _owned(uow, owner, webhook_id)
        rows = uow.webhooks.deliveries(webhook_id, limit)
    return [_delivery_view(r) for r in rows]


def _delivery_view(r: dict[str, Any]) -> dict[str, Any]:
    event = r["payload"].get("event", {})
    return {
        "id": r["id"],
        "eventId": event.get("id"),
        "eventType": event.get("type"),
        "status": r["status"],
        "attempts": r["attempts"],
        "nextAttempt": r["next_attempt_at"].isoformat() if r["next_attempt_at"] else None,
        "lastResponse": r["last_response"],
        "lastError": r["last_error"],
        "created": r["created_at"].isoformat(),
        "sent": r["sent_at"].isoformat() if r["sent_at"] else None,
    }


def ping(services: Services, owner: str | None, webhook_id: str) -> dict[str, Any]:
    """Queue a ``ping`` event to one webhook, to check the receiver and its signature check."""
    with services.db.unit_of_work() as uow:
        row = _owned(uow, owner, webhook_id)
        now = services.clock.now()
        event_key = new_id()
        enqueue(uow, row, PING, event_key, {"webhookId": webhook_id}, now, None)
        uow.commit()
    return {"webhookId": webhook_id, "eventId": event_id(PING, event_key), "eventType": PING}


def event_id(event_type: str, event_key: str) -> str:
    """Return the event's id: the same for every webhook that receives it."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"rcp:{event_type}:{event_key}"))


def publish(uow: UnitOfWork, event_type: str, event_key: str, data: Data, now: datetime) -> int:
    """Queue ``event_type`` for every webhook subscribed to it, in the caller's transaction.

    ``event_key`` identifies the event (e.g. the task id): the same event is queued only once per
    webhook however often a retried step publishes it. Returns how many deliveries were queued.
    """
    return _publish_to(uow, uow.webhooks.subscribers(event_type), event_type, event_key, data, now)


def _publish_to(
    uow: UnitOfWork, hooks: list[dict[str, Any]], event_type: str, event_key: str, data: Data, now: datetime
) -> int:
    if not hooks:
        return 0
    body = data() if callable(data) else data
    instance_id = body.get("processInstanceId")
    return sum(enqueue(uow, hook, event_type, event_key, body, now, instance_id) for hook in hooks)


def enqueue(
    uow: UnitOfWork,
    hook: dict[str, Any],
    event_type: str,
    event_key: str,
    data: dict[str, Any],
    now: datetime,
    instance_id: str | None,
) -> bool:
    """Queue one event for one webhook; False when it was queued before (same event key)."""
    event = {
        "id": event_id(event_type, event_key),
        "type": event_type,
        "occurredAt": now.isoformat(),
        "data": data,
    }
    return uow.outbox.enqueue(
        key=delivery_key(hook["id"], f"{event_type}:{event_key}"),
        kind="webhook",
        payload={"webhookId": hook["id"], "event": event},
        now=now,
        instance_id=instance_id,
        max_attempts=ATTEMPTS,
    )


def on_wait_state(
    uow: UnitOfWork,
    instance_id: str,
    business_key: str | None,
    wait: WaitState,
    created: list[ReadyTask],
    now: datetime,
) -> None:
    """Publish what a trigger brought about: new tasks, the instance's end, failed tasks."""
    hooks = uow.webhooks.subscribers("task.created") if created else []
    for task in created:
        _publish_to(
            uow, hooks, "task.created", task.task_id, _task_data(task, instance_id, business_key), now
        )
    if wait.status == "completed":
        publish(uow, "instance.completed", instance_id, lambda: _instance_data(uow, instance_id), now)
    for failure in wait.failures:
        data = {
            "processInstanceId": instance_id,
            "businessKey": business_key,
            "element": failure.task_name,
            "message": failure.message,
        }
        publish(uow, "incident.created", f"{instance_id}:{failure.task_id}", data, now)


def notice_issued(uow: UnitOfWork, notice: dict[str, Any], now: datetime) -> int:
    """Publish ``notice.issued`` for a notice just written (the notices port calls this)."""
    data = {
        "noticeNumber": notice["notice_number"],
        "kind": notice["kind"],
        "caseRef": notice["case_ref"],
        "processInstanceId": notice["instance_id"],
        "recipient": notice["recipient_name"],
        "ruleCited": notice["rule_cited"],
        "subject": notice["subject"],
        "issuedAt": notice["issued_at"].isoformat(),
        "pdf": f"/api/v1/notices/{notice['notice_number']}/pdf",
    }
    return publish(uow, "notice.issued", notice["notice_number"], data, now)


def _task_data(task: ReadyTask, instance_id: str, business_key: str | None) -> dict[str, Any]:
    return {
        "taskId": task.task_id,
        "name": task.name,
        "title": task.title,
        "candidateGroup": task.lane,
        "due": task.due_at.isoformat() if task.due_at else None,
        "dueCitation": task.due_citation,
        "processInstanceId": instance_id,
        "processDefinitionKey": task.process_key,
        "businessKey": business_key,
    }


def _instance_data(uow: UnitOfWork, instance_id: str) -> dict[str, Any]:
    row = uow.instances.summary(instance_id) or {}
    return {
        "processInstanceId": instance_id,
        "processDefinitionKey": row.get("process_key"),
        "businessKey": row.get("business_key"),
        "status": row.get("status"),
    }
