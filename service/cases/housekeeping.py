"""Forget what the integrator API keeps only for a while: idempotency keys, buffered messages."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from service.store import UnitOfWork

from . import mailbox

if TYPE_CHECKING:
    from service.bootstrap import Services

EVERY = timedelta(minutes=1)
_LAST = "api_housekeeping_at"


def run(services: Services) -> int:
    """Expire buffered messages and purge expired keys, at most once a minute per process."""
    now = services.clock.now()
    last = services.extras.get(_LAST)
    if last is not None and now - last < EVERY:
        return 0
    services.extras[_LAST] = now

    def purge(uow: UnitOfWork) -> int:
        count = uow.idempotency.purge(now)
        uow.commit()
        return count

    return mailbox.expire(services) + services.db.run(purge)
