"""Fire due timers: found through the indexed next-due column, never by scanning instances."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from service.engine.values import WaitState
from service.identity.actors import TIMER
from service.store import UnitOfWork
from service.store.rows import InstanceRow
from service.trigger.background import run_due
from service.trigger.core import Loaded
from service.trigger.save import Audit

if TYPE_CHECKING:
    from service.services import Services


BATCH = 20  # instances fired per transaction: one disk flush for all of them


def fire_batch(services: Services, size: int = BATCH) -> int:
    """Fire the timers of up to ``size`` due instances no other worker holds; return how many.

    Taking the instances and firing them is one transaction, each instance's next due time
    recomputed by its save: a timer fires exactly once, however many workers look.
    """

    def apply(loaded: Loaded) -> WaitState:
        wait = services.engine.fire_timers(loaded.workflow)
        due = loaded.row.next_timer_due
        if due is not None and wait.next_timer_due == due and _still_waiting(loaded, wait, due):
            # The engine fired nothing although the timer was due: taking the instance again
            # would loop forever, so it gets an incident instead (see background.quarantine).
            raise RuntimeError(f"the timer due at {due.isoformat()} did not fire")
        return wait

    def take(uow: UnitOfWork, now: datetime, n: int) -> list[InstanceRow]:
        return uow.due.take_due_timers(now, n)

    return len(run_due(services, take, TIMER, lambda: Audit("timer"), apply, batch=size))


def _still_waiting(loaded: Loaded, wait: WaitState, due: datetime) -> bool:
    """Is the same timer task that was due before the step still waiting after it?"""
    before = {t["task_id"] for t in loaded.uow.timers.for_instance(loaded.row.id) if t["due_at"] <= due}
    return any(t.task_id in before for t in wait.timers if t.due_at <= due)


def fire_due(services: Services, limit: int = 100) -> int:
    """Fire every due timer (up to about ``limit`` instances); return how many instances moved."""
    fired = 0
    while fired < limit:
        moved = fire_batch(services, min(BATCH, limit - fired))
        if not moved:
            break
        fired += moved
    return fired


def next_due(services: Services) -> datetime | None:
    """Return when the next timer of an active instance is due (None: no timer pending)."""
    with services.db.unit_of_work(readonly=True) as uow:
        return uow.due.next_timer_due()
