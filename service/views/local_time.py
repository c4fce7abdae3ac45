"""Times as staff read them: in the zone whose calendar days the deadlines count, named."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from handlers.deadlines import deadline_zone

if TYPE_CHECKING:
    from service.services import Services


def office_zone(services: Services) -> ZoneInfo:
    """Return the offices' time zone from the program configuration."""
    return deadline_zone(services.settings.program)


def when(value: datetime | str | None, zone: tzinfo = UTC, with_time: bool = True) -> str:
    """Say an instant in the offices' zone, naming it ("Dec 20, 2026, 11:59 PM EST")."""
    if value is None or value == "":
        return "-"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    local = moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=UTC).astimezone(zone)
    day = f"{local:%b} {local.day}, {local.year}"
    if not with_time:
        return day
    hour = local.hour % 12 or 12
    return f"{day}, {hour}:{local:%M %p} {local.tzname()}"
