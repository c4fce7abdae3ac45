"""Try failed service tasks again when their backoff is over (the background runner's job).

How a failure is settled (a retry scheduled, or an incident) is decided inside the trigger that
met it (``service.trigger.failures``); this takes the due retries, one instance per transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from service.engine.values import WaitState
from service.identity.actors import RETRIES
from service.trigger.background import run_due
from service.trigger.core import Loaded
from service.trigger.failures import due_tasks
from service.trigger.save import Audit

if TYPE_CHECKING:
    from service.services import Services


def retry_next(services: Services) -> str | None:
    """Run the due retries of one instance no other worker holds; return its id (None: none due).

    One instance per transaction: a retry calls out, and the instance stays locked meanwhile.
    """
    data: dict[str, Any] = {}

    def apply(loaded: Loaded) -> WaitState:
        due = due_tasks(loaded.uow, loaded.row.id, services.clock.now())
        if not due:
            # retry_at said a retry was due but no failed try is waiting: never loop on it.
            raise RuntimeError("a retry was scheduled but no failed step waits for it")
        loaded.attempts.retried.update(due)
        data["tasks"] = sorted(due)  # what the audit entry says was tried again
        return services.engine.retry_failed(loaded.workflow, due)

    done = run_due(
        services,
        lambda uow, now, n: uow.due.take_due_retries(now, n),
        RETRIES,
        lambda: Audit("retry", data=data),
        apply,
        batch=1,
    )
    return done[0] if done else None


def retry_due(services: Services, limit: int = 50) -> int:
    """Run due service-task retries (up to ``limit`` instances); return how many instances moved."""
    done = 0
    while done < limit and retry_next(services) is not None:
        done += 1
    return done


def next_due(services: Services) -> datetime | None:
    """Return when the next service-task retry is due (None: none scheduled)."""
    with services.db.unit_of_work(readonly=True) as uow:
        return uow.due.next_retry_due()
