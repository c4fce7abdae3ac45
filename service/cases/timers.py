"""Fire due timers: found through the indexed next-due column, never by scanning instances."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from service.engine import WaitState

from .actors import TIMER
from .background import take_and_run
from .trigger import Audit, Loaded

if TYPE_CHECKING:
    from service.bootstrap import Services


def fire_next(services: Services) -> str | None:
    """Fire the timers of the most overdue instance no other worker holds; return its id.

    Taking the instance and firing it is one transaction, with the instance's next due time
    recomputed by the save: a timer fires exactly once, however many workers look.
    """
    now = services.clock.now()

    def apply(loaded: Loaded) -> WaitState:
        return services.engine.fire_timers(loaded.workflow)

    return take_and_run(services, lambda uow: uow.due.take_due_timer(now), TIMER, Audit("timer"), apply)


def fire_due(services: Services, limit: int = 100) -> int:
    """Fire every due timer (up to ``limit`` instances); return how many instances moved."""
    fired = 0
    while fired < limit and fire_next(services) is not None:
        fired += 1
    return fired


def next_due(services: Services) -> datetime | None:
    """Return when the next timer of an active instance is due (None: no timer pending)."""
    with services.db.unit_of_work(readonly=True) as uow:
        return uow.due.next_timer_due()
