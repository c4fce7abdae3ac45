"""Give SpiffWorkflow's timers the service's clock.

``SpiffWorkflow.bpmn.specs.event_definitions.timer`` is the only engine module that reads the time,
through ``datetime.now(timezone.utc)``. ``install()`` points that module's ``datetime`` name at a
subclass whose ``now`` asks the clock bound to the current context, so every trigger runs its
timers on the injected clock (and tests move 15- and 30-day deadlines forward). Outside a trigger
the wall clock is used, exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, tzinfo

from SpiffWorkflow.bpmn.specs.event_definitions import timer as _timer_module

from service.clock import Clock

_current: ContextVar[Clock | None] = ContextVar("rcp_engine_clock", default=None)


class ClockedDatetime(datetime):
    """``datetime`` whose ``now`` reads the clock bound by ``running_on``."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
        clock = _current.get()
        if clock is None:
            return datetime.now(tz)
        moment = clock.now()
        return moment.astimezone(tz) if tz is not None else moment.astimezone().replace(tzinfo=None)


def install() -> None:
    """Route the engine's timer module through the context clock (idempotent)."""
    _timer_module.datetime = ClockedDatetime


@contextmanager
def running_on(clock: Clock) -> Iterator[None]:
    """Bind ``clock`` for engine work done inside the block."""
    token = _current.set(clock)
    try:
        yield
    finally:
        _current.reset(token)
