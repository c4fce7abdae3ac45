"""The time zone pages show times in: the one whose calendar days the deadlines count."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from handlers.deadlines import deadline_zone

if TYPE_CHECKING:
    from service.services import Services


def office_zone(services: Services) -> ZoneInfo:
    """Return the offices' time zone from the program configuration."""
    return deadline_zone(services.settings.program)
