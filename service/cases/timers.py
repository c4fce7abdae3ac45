"""Fire due timers: found through the indexed next-due column, never by scanning instances."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service.engine import WaitState
from service.errors import Conflict, NotFound

from .actors import TIMER
from .trigger import Audit, Loaded, on_instance

if TYPE_CHECKING:
    from service.bootstrap import Services


def due_instances(services: Services, limit: int = 100) -> list[str]:
    """Return ids of instances whose next timer is due on the service clock."""
    with services.db.unit_of_work(readonly=True) as uow:
        return uow.instances.due_for_timers(services.clock.now(), limit)


def fire_for(services: Services, instance_id: str) -> bool:
    """Fire the due timers of one instance in one transaction; False if nothing was due anymore."""
    now = services.clock.now()

    def apply(loaded: Loaded) -> WaitState:
        due = loaded.row.next_timer_due
        if due is None or due > now:
            raise _NothingDue()
        return services.engine.fire_timers(loaded.workflow)

    try:
        on_instance(services, instance_id, TIMER, Audit("timer"), apply)
    except _NothingDue:
        return False
    except (Conflict, NotFound):
        return False  # finished, suspended or gone meanwhile: another worker got there first
    return True


def fire_due(services: Services, limit: int = 100) -> int:
    """Fire every due timer (up to ``limit`` instances); return how many instances moved."""
    return sum(fire_for(services, instance_id) for instance_id in due_instances(services, limit))


class _NothingDue(Exception):
    """Raised inside the transaction to leave it without writing."""
