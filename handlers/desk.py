"""What every handler class starts from: the ports of this transaction and small helpers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .deadlines import deadline_zone
from .notices import NoticeIssuer, Recipient, office
from .ports import Ports
from .records import MissingRecord, Record


class Desk:
    """A handler class: built from ``Ports`` per transaction, one method per operation."""

    def __init__(self, ports: Ports) -> None:
        self.records = ports.records
        self.program = ports.program
        self.clock = ports.clock
        self.notices = NoticeIssuer(ports.notices, ports.program, ports.clock.now)

    def today(self) -> date:
        """Return today's date where the offices keep their deadlines."""
        return self.clock.now().astimezone(deadline_zone(self.program)).date()

    def office(self, section: str) -> dict[str, Any]:
        return office(self.program, section)

    def staff_addresses(self, *groups: str) -> list[str]:
        """Return the configured e-mail addresses of staff groups (``[groups]``)."""
        configured = self.program.get("groups", {})
        missing = [g for g in groups if g not in configured]
        if missing:
            raise LookupError(f"program configuration [groups] has no address for {', '.join(missing)}")
        return [str(configured[g]) for g in groups]

    def recipient(self, keeper: Record) -> Recipient:
        return Recipient(keeper["name"], keeper.get("email"), keeper.get("address"))


def need(record: Record | None, what: str, key: str) -> Record:
    """Return a record the handler cannot work without, or fail naming it."""
    if record is None:
        raise MissingRecord(f"the data service holds no {what} {key!r}")
    return record


def as_date(value: Any) -> date:
    """Read a date given as ISO text (forms, messages) or as a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
