"""The scale-out scheduler: keeps sweeps queued for the workers while work is due.

It never does the work itself; it watches the indexed due columns and, while anything is due, tops
the queue up to ``target`` waiting sweeps (so it cannot flood it, and a lost message costs nothing).
When nothing is due it sleeps until the next due time (at most ``poll`` seconds, to notice work
that new steps create). Any number may run: one holds the ``scheduler`` lease in the database and
leads; the others stand by and take over when its lease lapses (``ttl``).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

from service import jobs

if TYPE_CHECKING:
    from service.services import Services

log = logging.getLogger("rcp.scheduler")

LEASE = "scheduler"


class Dispatcher(Protocol):
    """Where the scheduler sends sweeps: the Celery queue (or a fake in tests)."""

    def waiting(self) -> int:
        """Return how many sweeps wait in the queue, not yet taken by a worker."""
        ...

    def dispatch(self, copies: int) -> None:
        """Queue ``copies`` more sweeps."""
        ...


class Scheduler:
    def __init__(
        self,
        services: Services,
        dispatcher: Dispatcher,
        *,
        target: int = 2,
        poll: float = 0.5,
        busy: float = 0.05,
        blind: float = 1.0,
        ttl: float = 10.0,
        parent: int | None = None,
    ) -> None:
        self.services = services
        self.dispatcher = dispatcher
        self.target = target
        self.poll = poll
        self.busy = busy
        self.blind = blind
        self._blind_next = 0.0
        self.ttl = timedelta(seconds=ttl)
        self.parent = parent
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.leading = False
        self._announced = False
        self._renewed = 0.0
        self._stop = threading.Event()

    def run_forever(self) -> None:
        """Tick until stopped (or until the worker that started this scheduler is gone)."""
        log.info("scheduler %s started", self.holder)
        try:
            while not self._stop.is_set():
                if self.parent is not None and os.getppid() != self.parent:
                    log.warning("scheduler %s: its worker is gone; stopping", self.holder)
                    break
                try:
                    pause = self.tick()
                except Exception:
                    log.exception("scheduler tick failed; trying again")
                    pause = self.poll
                self._stop.wait(pause)
        finally:
            self.resign()

    def stop(self) -> None:
        self._stop.set()

    def tick(self) -> float:
        """Lead (or stand by), queue sweeps if work is due; return the seconds to wait."""
        if not self._lead():
            return self.ttl.total_seconds() / 3
        listed = jobs.jobs()
        now = self.services.clock.now()
        due = jobs.next_due(self.services, listed)
        # Jobs that cannot say when they are due run once every ``blind`` seconds.
        blind = any(j.next_due is None for j in listed) and time.monotonic() >= self._blind_next
        if (due is not None and due <= now) or blind:
            missing = self.target - self.dispatcher.waiting()
            if missing > 0:
                self.dispatcher.dispatch(missing)
            if blind:
                self._blind_next = time.monotonic() + self.blind
            if due is not None and due <= now:
                return self.busy
        if due is None:
            return self.poll
        return min(self.poll, max((due - now).total_seconds(), 0.001))

    def _lead(self) -> bool:
        # Renewed a few times per lease period, not on every tick: the lease row is one UPDATE.
        now = self.services.clock.now()
        clock = now.timestamp()
        if self.leading and clock - self._renewed < self.ttl.total_seconds() / 3:
            return True
        with self.services.db.unit_of_work() as uow:
            leading = uow.leases.acquire(LEASE, self.holder, now, self.ttl)
            uow.commit()
        if leading != self.leading or not self._announced:
            log.info("scheduler %s %s", self.holder, "leads" if leading else "stands by")
            self._announced = True
        self.leading = leading
        self._renewed = clock if leading else 0.0
        return leading

    def resign(self) -> None:
        """Give the lease up so a standby takes over at once."""
        if not self.leading:
            return
        with self.services.db.unit_of_work() as uow:
            uow.leases.release(LEASE, self.holder, self.services.clock.now())
            uow.commit()
        self.leading = False
