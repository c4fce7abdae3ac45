"""The ports handlers work through; the service wires adapters for them per transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from .notices import NoticeArchive
from .records import Records


class Clock(Protocol):
    def now(self) -> datetime: ...


@dataclass(frozen=True, kw_only=True)
class Ports:
    """Everything a handler may be given: the clock, program configuration and the services it uses."""

    clock: Clock
    program: dict[str, Any]
    records: Records
    notices: NoticeArchive
