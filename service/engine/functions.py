"""Functions diagrams may call in scripts and expressions (besides the safe builtins).

Deadlines are calendar days with no weekend or holiday shift (RULES.md: "None of these sections
moves a deadline off a weekend or holiday"), so date arithmetic here is plain day counting.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from service.clock import Clock


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.astimezone(UTC).date()
    if isinstance(value, date):
        return value
    text = str(value)
    if "T" in text:
        return datetime.fromisoformat(text).astimezone(UTC).date()
    return date.fromisoformat(text)


def add_days(day: Any, days: int) -> str:
    """Return the ISO date ``days`` calendar days after ``day``."""
    return (_as_date(day) + timedelta(days=int(days))).isoformat()


def days_between(start: Any, end: Any) -> int:
    """Return the number of calendar days from ``start`` to ``end``."""
    return (_as_date(end) - _as_date(start)).days


def end_of_day(day: Any) -> str:
    """Return the last moment of an ISO date in UTC, as a zone-aware timestamp for timers."""
    moment = datetime.combine(_as_date(day), time(23, 59, 59), UTC)
    return moment.isoformat()


def start_of_day(day: Any) -> str:
    """Return midnight UTC of an ISO date, as a zone-aware timestamp for timers."""
    return datetime.combine(_as_date(day), time(0, 0), UTC).isoformat()


def diagram_functions(clock: Clock) -> dict[str, Callable[..., Any]]:
    """Return the functions injected into every script and expression."""

    def today() -> str:
        return clock.now().date().isoformat()

    def now() -> str:
        return clock.now().isoformat()

    return {
        "add_days": add_days,
        "days_between": days_between,
        "end_of_day": end_of_day,
        "start_of_day": start_of_day,
        "today": today,
        "now": now,
    }


INJECTED_NAMES = frozenset(diagram_functions(clock=None).keys())  # type: ignore[arg-type]
