"""Read-side views for the API and the web pages (no engine state is loaded)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from service.errors import NotFound
from service.store import UnitOfWork, prepared_reads
from service.store.rows import (
    DefinitionRow,
    IncidentRow,
    InstanceSummaryRow,
    ServiceCallRow,
    SubscriptionRow,
    TaskRow,
    TimerRow,
)
from service.views import open_tasks

if TYPE_CHECKING:
    from service.services import Services


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def instance(services: Services, instance_id: str) -> dict[str, Any]:
    """Return an instance with its tasks, waits, deadlines and incidents."""
    with services.db.unit_of_work(readonly=True) as uow:
        return instance_in(services, uow, instance_id)


def instance_in(
    services: Services, uow: UnitOfWork, instance_id: str, row: InstanceSummaryRow | None = None
) -> dict[str, Any]:
    """Return the instance view as ``uow`` sees it (``row``: its summary, when read already)."""
    return _view(services, uow, instance_id, prepared_reads.InstanceReads(uow, instance_id), row)


# The shape of ``trigger.core.Answering``, spelled out: the read side does not import the trigger
# package (tests/unit/test_layers.py).
def answering(services: Services) -> Callable[[UnitOfWork, str], Callable[[], dict[str, Any]]]:
    """Return what asks for a trigger's answer, the instance view (``trigger.core.Answering``)."""

    def ask(uow: UnitOfWork, instance_id: str) -> Callable[[], dict[str, Any]]:
        reads = prepared_reads.InstanceReads(uow, instance_id)
        if not reads.queued:  # SQLite (or a watched connection): the reads run now, in the transaction
            now = _view(services, uow, instance_id, reads)
            return lambda: now
        # PostgreSQL: the reads travel with the COMMIT and are back when it returns; the view is
        # built from them alone, the definition's version from the catalog's cache.
        built: dict[str, Any] = {}

        def later() -> dict[str, Any]:
            if not built:  # built once: a start kept for its Idempotency-Key asks twice
                built.update(_view(services, None, instance_id, reads))
            return built

        return later

    return ask


def _view(
    services: Services,
    uow: UnitOfWork | None,
    instance_id: str,
    reads: prepared_reads.InstanceReads,
    row: InstanceSummaryRow | None = None,
) -> dict[str, Any]:
    """Build the instance view from its reads; ``uow`` None: its transaction has ended."""
    row = row or reads.summary()
    if row is None:
        raise NotFound(f"process instance {instance_id} does not exist", instanceId=instance_id)
    definition = _definition(services, uow, row["definition_id"])
    tasks, subscriptions, timers = _waits(reads, row["waits"] or {})
    incidents = reads.open_incidents()
    calls = reads.service_calls()
    return {
        "id": row["id"],
        "processKey": row["process_key"],
        "definitionVersion": definition.version,
        "businessKey": row["business_key"],
        "status": row["status"],
        "suspended": row["suspended"],
        "hasIncident": row["has_incident"],
        "version": row["version"],
        "created": _iso(row["created_at"]),
        "updated": _iso(row["updated_at"]),
        "completed": _iso(row["completed_at"]),
        "startedBy": row["started_by"],
        "variables": row["variables"],
        "activeTasks": [open_tasks.task_view(t) for t in tasks],
        "waitingMessages": [
            {"messageName": s["message_name"], "correlation": s["correlation"], "element": s["task_name"]}
            for s in subscriptions
        ],
        "deadlines": _deadlines(tasks, timers),
        "incidents": [_incident(i) for i in incidents],
        # Service-task tries that failed, and the retries after them (background work).
        "nextRetry": _iso(row["retry_at"]),
        "serviceCalls": [_call(c) for c in calls],
    }


def _definition(services: Services, uow: UnitOfWork | None, definition_id: int) -> DefinitionRow:
    """Return a definition row: from the cache, else read (in ``uow``, or a unit of its own)."""
    if uow is not None:
        return services.catalog.row(uow, definition_id)
    cached = services.catalog.cached(definition_id)
    if cached is not None:
        return cached
    with services.db.unit_of_work(readonly=True) as own:  # rows never change once stored
        return services.catalog.row(own, definition_id)


def _waits(
    reads: prepared_reads.InstanceReads, waits: dict[str, int]
) -> tuple[list[TaskRow], list[SubscriptionRow], list[TimerRow]]:
    """Read the open tasks, subscriptions and timers of an instance, skipping empty tables.

    The counts saved with the state (``trigger.save.waits_of``) say which derived tables hold rows
    of the instance (the save path trusts them too, ``write_derived``); a count the row does not
    carry is read.
    """
    tasks = reads.open_tasks() if waits.get("tasks", 1) else []
    subscriptions = reads.subscriptions() if waits.get("subscriptions", 1) else []
    timers = reads.timers() if waits.get("timers", 1) else []
    return tasks, subscriptions, timers


def _incident(i: IncidentRow) -> dict[str, Any]:
    return {
        "id": i["id"],
        "element": i["task_name"],
        "message": i["message"],
        "attempts": i["attempts"],
        "created": _iso(i["created_at"]),
    }


def _call(c: ServiceCallRow) -> dict[str, Any]:
    return {
        "element": c["task_name"],
        "operation": c["operation"],
        "attempt": c["attempt"],
        "at": _iso(c["at"]),
        "outcome": c["outcome"],
        "error": c["error"],
        "retryAt": _iso(c["retry_at"]),
    }


def _deadlines(tasks: list[TaskRow], timers: list[TimerRow]) -> list[dict[str, Any]]:
    found = [
        {
            "kind": "task",
            "element": t.name,
            "title": t.title,
            "due": _iso(t.due_at),
            "citation": t.due_citation,
        }
        for t in tasks
        if t.due_at
    ]
    found += [
        {
            "kind": "timer",
            "element": t["task_name"],
            "title": t["title"],
            "due": _iso(t["due_at"]),
            "citation": t["documentation"],
        }
        for t in timers
    ]
    return sorted(found, key=lambda d: d["due"] or "")


def history(services: Services, instance_id: str) -> list[dict[str, Any]]:
    """Return the audit log of an instance, oldest first."""
    with services.db.unit_of_work(readonly=True) as uow:
        if uow.instances.summary(instance_id) is None:
            raise NotFound(f"process instance {instance_id} does not exist", instanceId=instance_id)
        entries = uow.audit.for_instance(instance_id)
    return [
        {
            "id": e["id"],
            "at": _iso(e["at"]),
            "actorKind": e["actor_kind"],
            "actor": e["actor"],
            "action": e["action"],
            "taskId": e["task_id"],
            "task": e["task_name"],
            "data": e["data"],
            "outcome": e["outcome"],
            "detail": e["detail"],
        }
        for e in entries
    ]
