"""The rows of the scrape-time gauges (``GaugeRepository``): counts over the whole deployment."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict


class LaneTasksRow(TypedDict):
    """Open human tasks of one lane, and how many of them are past due."""

    lane: str | None
    open: int
    overdue: int


class DueTimersRow(TypedDict):
    """Timers past due on waiting cases (not yet fired), and the oldest one's due time."""

    due: int
    oldest_due_at: datetime | None


class BacklogRow(TypedDict):
    """Outbox messages of one kind (``email``, ``webhook``) still waiting to be sent."""

    kind: str
    pending: int
