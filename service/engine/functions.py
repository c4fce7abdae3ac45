"""Functions diagrams may call in scripts and expressions (besides the safe builtins).

Deadlines are calendar days with no weekend or holiday shift (RULES.md: "None of these sections
moves a deadline off a weekend or holiday"), so date arithmetic here is plain day counting. Days
are the offices' calendar days (``handlers.deadlines.deadline_zone``): the end of a day is
23:59:59 in that zone, returned as a zone-aware instant.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import partial
from typing import Any

from service.clock import Clock


def _as_date(value: Any, zone: tzinfo = UTC) -> date:
    if isinstance(value, datetime):
        return value.astimezone(zone).date()
    if isinstance(value, date):
        return value
    text = str(value)
    if "T" in text:
        return datetime.fromisoformat(text).astimezone(zone).date()
    return date.fromisoformat(text)


def add_days(day: Any, days: int, zone: tzinfo = UTC) -> str:
    """Return the ISO date ``days`` calendar days after ``day``."""
    return (_as_date(day, zone) + timedelta(days=int(days))).isoformat()


def days_between(start: Any, end: Any, zone: tzinfo = UTC) -> int:
    """Return the number of calendar days from ``start`` to ``end``."""
    return (_as_date(end, zone) - _as_date(start, zone)).days


def end_of_day(day: Any, zone: tzinfo = UTC) -> str:
    """Return 23:59:59 of a day in ``zone`` as a UTC instant (ISO), for timers and due dates."""
    moment = datetime.combine(_as_date(day, zone), time(23, 59, 59), zone)
    return moment.astimezone(UTC).isoformat()


def start_of_day(day: Any, zone: tzinfo = UTC) -> str:
    """Return midnight of a day in ``zone`` as a UTC instant (ISO), for timers."""
    return datetime.combine(_as_date(day, zone), time(0, 0), zone).astimezone(UTC).isoformat()


def diagram_functions(clock: Clock, zone: tzinfo = UTC) -> dict[str, Callable[..., Any]]:
    """Return the functions injected into every script and expression, counting days in ``zone``."""

    def today() -> str:
        return clock.now().astimezone(zone).date().isoformat()

    def now() -> str:
        return clock.now().isoformat()

    return {
        "add_days": partial(add_days, zone=zone),
        "days_between": partial(days_between, zone=zone),
        "end_of_day": partial(end_of_day, zone=zone),
        "start_of_day": partial(start_of_day, zone=zone),
        "today": today,
        "now": now,
    }


INJECTED_NAMES = frozenset(diagram_functions(clock=None).keys())  # type: ignore[arg-type]
