"""Forget what the integrator API keeps only for a while: idempotency keys, buffered messages."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from service.store import UnitOfWork

if TYPE_CHECKING:
    from service.services import Services

EVERY = timedelta(minutes=1)
KEEP_FINISHED = timedelta(days=7)  # delivered/expired records stay readable this long


def run(services: Services) -> int:
    """Expire buffered messages and purge expired keys, at most once a minute per process."""
    now = services.clock.now()
    if not services.pacer.due("api-housekeeping", now, EVERY):
        return 0

    def work(uow: UnitOfWork) -> int:
        count = uow.mailbox.expire(now, now - KEEP_FINISHED) + uow.idempotency.purge(now)
        uow.commit()
        return count

    return services.db.run(work)
