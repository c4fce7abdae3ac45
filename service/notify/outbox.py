"""Deliver outbox messages with their senders: retries with exponential backoff, then give up.

A message is leased before it is sent and recorded after, each in its own short transaction, so
no database lock is held while an SMTP server or a webhook receiver answers.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from service.observe import context

if TYPE_CHECKING:
    from service.services import Sender, Services
    from service.store.repositories.outbox import OutboxRow  # notify sees rows through the store

log = logging.getLogger("rcp.outbox")


LEASE = timedelta(minutes=2)
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)


def retry_delay(attempts: int) -> timedelta:
    """Return the wait before the next try after ``attempts`` failed ones (30 s, 60 s, 120 s ...)."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def deliver_due(services: Services, limit: int = 50) -> int:
    """Send due messages of every kind that has a sender; return how many were attempted."""
    senders: dict[str, Sender] = services.senders
    if not senders:
        return 0
    now = services.clock.now()
    with services.db.unit_of_work() as uow:
        batch = uow.outbox.lease_due(sorted(senders), now, LEASE, limit)
        uow.commit()
    for message in batch:
        # Delivered under the id of the request that caused it: its log lines join that request's.
        with context.carried(message["request_id"]):
            _attempt(services, senders[message["kind"]], message)
    return len(batch)


def _attempt(services: Services, send: Sender, message: OutboxRow) -> None:
    try:
        response = send(message["payload"])
    except Exception as exc:
        attempts = message["attempts"] + 1
        now = services.clock.now()
        retry_at = now + retry_delay(attempts) if attempts < message["max_attempts"] else None
        log.warning("outbox %s attempt %s failed: %s", message["key"], attempts, exc)
        with services.db.unit_of_work() as uow:
            uow.outbox.mark_failed_attempt(message["id"], now, f"{type(exc).__name__}: {exc}", retry_at)
            uow.commit()
        return
    with services.db.unit_of_work() as uow:
        uow.outbox.mark_sent(message["id"], services.clock.now(), response)
        uow.commit()
    log.info("outbox %s sent (%s)", message["key"], message["kind"])


def next_due(services: Services) -> datetime | None:
    """Return when the next message with a sender is due (None: nothing waits to be sent)."""
    with services.db.unit_of_work(readonly=True) as uow:
        return uow.due.next_outbox_due(sorted(services.senders))
