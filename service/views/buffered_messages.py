"""Buffered messages as their sender follows them: pending, delivered (to which instance), expired."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from service.errors import NotFound
from service.identity.actors import Actor
from service.store.rows import BufferedMessageRow

if TYPE_CHECKING:
    from service.services import Services


def view(row: BufferedMessageRow) -> dict[str, Any]:
    """Describe a buffered message for its sender."""
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


def get(services: Services, actor: Actor, message_id: str) -> dict[str, Any]:
    """Return a buffered message of this sender: still pending, delivered (to whom), or expired."""
    with services.db.unit_of_work(readonly=True) as uow:
        row = uow.mailbox.get(message_id)
    if row is None or (row["sender_kind"], row["sender"]) != (actor.kind, actor.name):
        raise NotFound(f"buffered message {message_id} does not exist", messageId=message_id)
    if row["status"] == "pending" and row["expires_at"] <= services.clock.now():
        row = {**row, "status": "expired"}
    return view(row)
