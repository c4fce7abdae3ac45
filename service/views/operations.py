"""What operators watch: the scrape-time gauges of /metrics and the database checks of /readyz."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from service.store.migrate import revisions
from service.store.rows.gauges import BacklogRow, LaneTasksRow

if TYPE_CHECKING:
    from service.services import Services


@dataclass(frozen=True)
class Gauges:
    """The deployment's state as counted in the database (every process's work, not just ours)."""

    lanes: list[LaneTasksRow]
    due_timers: int
    timer_lateness: float  # seconds the oldest due timer is past due; 0 when none is due
    backlog: list[BacklogRow]
    open_incidents: int


@dataclass(frozen=True)
class Migrations:
    """The revisions the database is at and those the installed code expects."""

    current: set[str]
    heads: set[str]

    @property
    def at_head(self) -> bool:
        return self.current == self.heads


def gauges(services: Services) -> Gauges:
    """Count open and overdue tasks by lane, due timers, the outbox backlog and open incidents."""
    now = services.clock.now()
    with services.db.unit_of_work(readonly=True) as uow:
        lanes = uow.gauges.tasks_by_lane(now)
        timers = uow.gauges.due_timers(now)
        backlog = uow.gauges.outbox_backlog()
        incidents = uow.gauges.open_incidents()
    oldest = timers["oldest_due_at"]
    lateness = max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
    return Gauges(lanes, timers["due"], lateness, backlog, incidents)


def migrations(services: Services) -> Migrations:
    """Read the database's migration revisions (raises when the database does not answer)."""
    with services.db.unit_of_work(readonly=True) as uow:
        current, heads = revisions(uow.conn)
    return Migrations(current, heads)
