"""Background work: one list of jobs, one ``sweep`` that does what is due, two ways to run it.

- Embedded (default): a thread in the web process sweeps, then sleeps until the next due time
  (``service.jobs.embedded``).
- Scale-out: Celery workers run the same ``sweep`` as the task ``rcp.sweep``; a scheduler, leader
  elected through the database so a second copy only stands by, keeps sweeps queued on Redis
  while work is due (``service.jobs.scheduler``, ``service.jobs.celery_app``).

Due work is found through indexed columns (``process_instances.next_timer_due`` and ``retry_at``,
``outbox.next_attempt_at``) and taken row by row with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL,
so any number of sweeps may run at once: each due item is done exactly once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from service.services import Services

log = logging.getLogger("rcp.jobs")

SWEEP_BUDGET = 5.0  # seconds a sweep may run before it hands its worker slot back
LINGER = 0.25  # a sweep waits for work due this soon instead of ending and being queued again
TIMER_BATCH = 50


@dataclass(frozen=True)
class Job:
    """Something the runners repeat: ``run`` does a bounded batch of due work and says how much."""

    name: str
    run: Callable[[Services], int]
    next_due: Callable[[Services], datetime | None] | None = None  # None: run on every sweep


def periodic_jobs() -> list[Job]:
    """Return the jobs every runner repeats (areas add theirs here)."""
    from service.actions import document_records, housekeeping, missed_deadlines, retries, timers
    from service.notify import outbox

    return [
        Job("timers", lambda services: timers.fire_due(services, limit=TIMER_BATCH), timers.next_due),
        Job("retries", lambda services: retries.retry_due(services, limit=20), retries.next_due),
        Job("outbox", lambda services: outbox.deliver_due(services, limit=20), outbox.next_due),
        # These cannot say when they are next due: every sweep runs them (they are cheap when idle).
        Job("missed-deadlines", missed_deadlines.report),
        Job("api-housekeeping", housekeeping.run),
        Job("document-sweep", document_records.sweep_job),  # blobs whose row never committed
    ]


def jobs(listed: Sequence[Any] | None = None) -> list[Job]:
    """Return the jobs, accepting ``(name, run)`` pairs too."""
    found = periodic_jobs() if listed is None else listed
    return [j if isinstance(j, Job) else Job(j[0], j[1]) for j in found]


def next_due(services: Services, listed: Sequence[Job] | None = None) -> datetime | None:
    """Return the earliest due time over the jobs that can tell (None: nothing pending)."""
    times = []
    for job in listed if listed is not None else jobs():
        if job.next_due is not None:
            due = job.next_due(services)
            if due is not None:
                times.append(due)
    return min(times, default=None)


def sweep(services: Services, *, budget: float = SWEEP_BUDGET, linger: float = LINGER) -> int:
    """Do the due work of every job until none is left or ``budget`` seconds are spent."""
    listed = jobs()
    ends = time.monotonic() + budget
    done = 0
    while time.monotonic() < ends:
        did = run_jobs(services, listed)
        done += did
        if did:
            continue
        due = next_due(services, listed)
        if due is None:
            break
        wait = (due - services.clock.now()).total_seconds()
        if wait > linger:
            break
        time.sleep(min(max(wait, 0.001), linger))
    return done


def run_jobs(services: Services, listed: Sequence[Job]) -> int:
    """Run each job once; a failing job is logged and the others still run."""
    did = 0
    for job in listed:
        try:
            did += job.run(services)
        except Exception:
            log.exception("background job %s failed; it runs again on the next sweep", job.name)
    return did
