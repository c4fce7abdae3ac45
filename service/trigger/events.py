"""Events for integrators, queued in the transaction of the step that causes them.

An event is written to the outbox once per subscribed webhook (keyed, so a retried step queues it
once) and sent later, signed, by ``service.notify.webhooks`` from the background runner.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from service.engine.values import ReadyTask, WaitState
from service.store import UnitOfWork
from service.store.repositories.webhooks import delivery_key
from service.store.rows import WebhookRow

ATTEMPTS = 8  # with the outbox's backoff (30 s doubling, 1 h cap): about an hour of retries


Data = dict[str, Any] | Callable[[], dict[str, Any]]


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
    uow: UnitOfWork, hooks: list[WebhookRow], event_type: str, event_key: str, data: Data, now: datetime
) -> int:
    if not hooks:
        return 0
    body = data() if callable(data) else data
    instance_id = body.get("processInstanceId")
    return sum(enqueue(uow, hook, event_type, event_key, body, now, instance_id) for hook in hooks)


def enqueue(
    uow: UnitOfWork,
    hook: WebhookRow,
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
    row: Mapping[str, Any] = uow.instances.summary(instance_id) or {}
    return {
        "processInstanceId": instance_id,
        "processDefinitionKey": row.get("process_key"),
        "businessKey": row.get("business_key"),
        "status": row.get("status"),
    }
