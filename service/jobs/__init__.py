"""Background work: the embedded runner (default) fires timers and delivers the outboxes."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from service.bootstrap import Services

log = logging.getLogger("rcp.jobs")

Job = Callable[["Services"], int]


def periodic_jobs() -> list[tuple[str, Job]]:
    """Return the jobs every runner repeats: each returns how much work it did."""
    from service import outbox
    from service.cases import housekeeping, missed_deadlines, timers

    return [
        ("timers", lambda services: timers.fire_due(services, limit=200)),
        ("outbox", lambda services: outbox.deliver_due(services, limit=50)),
        ("missed-deadlines", missed_deadlines.report),
        ("api-housekeeping", housekeeping.run),
    ]


class EmbeddedRunner:
    """A daemon thread in the web process repeating the periodic jobs (the one-command default)."""

    def __init__(self, services: Services, interval: float = 1.0) -> None:
        self.services = services
        self.interval = interval
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="rcp-runner", daemon=True)

    def start(self) -> EmbeddedRunner:
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def run_once(self) -> int:
        done = 0
        for name, job in periodic_jobs():
            try:
                done += job(self.services)
            except Exception:
                log.exception("background job %s failed; retrying on the next tick", name)
        return done

    def _loop(self) -> None:
        while not self._stop.is_set():
            busy = self.run_once()
            if not busy:
                self._wake.wait(self.interval)
                self._wake.clear()


def start_runner(services: Services) -> EmbeddedRunner | None:
    """Start the runner the settings ask for (none when workers run elsewhere)."""
    if services.settings.runner != "embedded":
        return None
    runner = EmbeddedRunner(services).start()
    services.extras["runner"] = runner
    return runner
