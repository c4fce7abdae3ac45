"""Integrators' webhooks and their deliveries, as the API and the CLI show them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from service.errors import NotFound
from service.store import UnitOfWork
from service.store.rows import OutboxRow, WebhookWithEventsRow

if TYPE_CHECKING:
    from service.services import Services


def view(row: WebhookWithEventsRow) -> dict[str, Any]:
    """Describe a webhook (never its secret)."""
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


def owned(uow: UnitOfWork, owner: str | None, webhook_id: str) -> WebhookWithEventsRow:
    row = uow.webhooks.get(webhook_id)
    if row is None or (owner is not None and row["owner"] != owner):
        # Another integrator's webhook is answered like a missing one: ids are not confirmed.
        raise NotFound(f"webhook {webhook_id} does not exist", webhookId=webhook_id)
    return row


def get(services: Services, owner: str | None, webhook_id: str) -> dict[str, Any]:
    """Return one webhook of ``owner`` (any, for an administrator)."""
    with services.db.unit_of_work(readonly=True) as uow:
        return view(owned(uow, owner, webhook_id))


def deliveries(
    services: Services, owner: str | None, webhook_id: str, limit: int = 50
) -> list[dict[str, Any]]:
    """Return a webhook's recent deliveries with their attempts and the receiver's answers."""
    with services.db.unit_of_work(readonly=True) as uow:
        owned(uow, owner, webhook_id)
        rows = uow.webhooks.deliveries(webhook_id, limit)
    return [_delivery_view(r) for r in rows]


def _delivery_view(r: OutboxRow) -> dict[str, Any]:
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
