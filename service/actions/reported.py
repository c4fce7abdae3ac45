"""Dates a message or a start reports as having happened cannot lie in the future.

An appeal's ``received_on`` starts the §163.13(d) window and a petition's ``petition_received_on``
the §163.11(a)(6) period (``handlers.deadlines``): a date after today would move a deadline past
what the regulation allows. Dates that look ahead (``due_on``, ``estimated_termination_on``) are
not listed here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from service.errors import FieldError, InvalidData

# Variables naming an event that has happened when it is reported (the program's processes).
REPORTED = frozenset(
    {
        "received_on",
        "petition_received_on",
        "appeal_received_on",
        "investigation_commenced_on",
        "commenced_on",
        "held_on",
        "report_completed_on",
        "actual_termination_on",
        "reported_on",
        "visited_on",
        "sent_on",
    }
)
# "Today" anywhere on Earth: a mail room at UTC-10 and one at UTC+14 both report their own date.
_AHEAD = timedelta(hours=14)


def check(values: dict[str, Any], now: datetime, prefix: str = "") -> None:
    """Refuse (422 naming each field) reported dates in ``values`` after today; nested ones too."""
    latest = (now + _AHEAD).date()
    errors = [
        FieldError(field, f"{day.isoformat()} is in the future; report a date on or before {latest}")
        for field, day in _reported(values, prefix)
        if day > latest
    ]
    if errors:
        raise InvalidData("a reported date lies in the future", errors)


def _reported(values: dict[str, Any], prefix: str) -> list[tuple[str, date]]:
    found: list[tuple[str, date]] = []
    stack = [(values, prefix)]
    while stack:  # a loop: values are at most 64 deep (service.limits), but no recursion anyway
        current, where = stack.pop()
        for name, value in current.items():
            field = f"{where}{name}"
            if isinstance(value, dict):
                stack.append((value, f"{field}."))
            elif name in REPORTED and isinstance(value, str) and (day := _day(value)) is not None:
                found.append((field, day))
    return sorted(found)


def _day(text: str) -> date | None:
    """Return the date an ISO date or date-time names (None: not a date; the schema says so)."""
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
