"""The embedded runner: a thread in the web process sweeping due work (the one-command default).

It sleeps until the next due time (at most ``interval``), so a timer fires within milliseconds of
its due time rather than on the next poll. Several web processes may each run one: due work is
taken row by row under locks, so they never do the same work twice.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from service.services import Services

log = logging.getLogger("rcp.jobs")


class EmbeddedRunner:
    """A daemon thread repeating ``service.jobs.sweep``."""

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
        """Look for due work now (e.g. after a step enqueued a notice)."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def run_once(self) -> int:
        """Sweep once; return how much work was done."""
        from service.jobs import sweep

        return sweep(self.services)

    def _pause(self) -> float:
        from service.jobs import next_due

        due = next_due(self.services)
        if due is None:
            return self.interval
        # Work due already but not taken (another process holds it) is looked at again shortly.
        return min(self.interval, max((due - self.services.clock.now()).total_seconds(), 0.01))

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
                pause = self._pause()
            except Exception:
                log.exception("background sweep failed; trying again shortly")
                pause = self.interval
            self._wake.wait(pause)
            self._wake.clear()


def start_runner(services: Services) -> EmbeddedRunner | None:
    """Start the runner the settings ask for (none when workers run elsewhere)."""
    if services.settings.runner != "embedded":
        return None
    return EmbeddedRunner(services).start()
