"""Time for the whole service: one injected clock, UTC, aware datetimes only."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Where the service reads the time; tests pass a clock they can move."""

    def now(self) -> datetime:
        """Return the current time as an aware UTC datetime."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        """Return the wall-clock time in UTC."""
        return datetime.now(UTC)


class MovableClock:
    """A clock that stands still until moved (tests, benchmarks, demos of deadlines)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = (start or datetime.now(UTC)).astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """Return the clock's current reading."""
        with self._lock:
            return self._now

    def advance(self, delta: timedelta | None = None, *, days: float = 0, seconds: float = 0) -> datetime:
        """Move the clock forward and return the new reading."""
        step = delta if delta is not None else timedelta(days=days, seconds=seconds)
        with self._lock:
            self._now = self._now + step
            return self._now

    def set(self, moment: datetime) -> None:
        """Put the clock at a given aware moment."""
        if moment.tzinfo is None:
            raise ValueError("MovableClock.set needs an aware datetime")
        with self._lock:
            self._now = moment.astimezone(UTC)


class Pacer:
    """Remember when paced work last ran in this process (e.g. housekeeping once a minute)."""

    def __init__(self) -> None:
        self._last: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def due(self, name: str, now: datetime, every: timedelta) -> bool:
        """Return True (and note ``now``) when ``name`` last ran ``every`` or longer ago, or never."""
        with self._lock:
            last = self._last.get(name)
            if last is not None and now - last < every:
                return False
            self._last[name] = now
            return True
