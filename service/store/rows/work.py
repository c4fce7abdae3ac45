"""Rows of background work: service calls, leases, deadlines, the outbox and issued notices.

TypedDicts, so readers keep ``row["field"]``; each names exactly the columns its query selects.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict


class ServiceCallRow(TypedDict):
    """One failed service-task attempt, or a retry after one (``service_calls``)."""

    id: int
    instance_id: str
    task_id: str
    task_name: str
    operation: str
    attempt: int
    at: datetime
    outcome: str
    error: str | None
    retry_at: datetime | None


class LeaseRow(TypedDict):
    """A named lease and its holder (``job_leases``)."""

    name: str
    holder: str
    acquired_at: datetime
    expires_at: datetime


class NewDeadlineRow(TypedDict):
    """A deadline a step closed, as ``DeadlineRepository.record`` writes it (the id is the database's)."""

    instance_id: str
    process_key: str
    business_key: str | None
    kind: str
    element: str
    title: str | None
    rule: str
    citation: str | None
    due_at: datetime
    closed_at: datetime
    outcome: str
    on_time: bool | None
    action: str


class DeadlineHistoryRow(NewDeadlineRow):
    """A closed deadline as ``deadline_history`` holds it."""

    id: int


class DeadlineGroupRow(TypedDict):
    """Open deadlines of one diagram element, counted (``DeadlineRepository.open_groups``)."""

    kind: str
    name: str
    title: str | None
    citation: str | None
    open: int
    overdue: int
    this_week: int


class UpcomingDeadlineRow(TypedDict):
    """An open task or timer deadline with its case (``DeadlineRepository.upcoming``); timers have no lane."""

    kind: str
    id: str
    name: str
    title: str | None
    due_at: datetime
    citation: str | None
    lane: str | None
    assignee: str | None
    instance_id: str
    business_key: str | None
    process_key: str


class ClosedCountRow(TypedDict):
    """How many deadlines of a rule closed with an outcome (``DeadlineRepository.closed_counts``)."""

    rule: str
    outcome: str
    on_time: bool | None
    n: int


class OutboxRow(TypedDict):
    """A side effect waiting to be sent, or sent (``outbox``)."""

    id: int
    key: str
    kind: str
    instance_id: str | None
    payload: dict[str, Any]
    status: str
    attempts: int
    max_attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    last_response: str | None
    created_at: datetime
    sent_at: datetime | None
    request_id: str | None  # the request that caused it (its delivery logs under that id)


class _NoticeColumns(TypedDict):
    """The columns of ``notices`` but the PDF."""

    notice_number: str
    step_key: str
    kind: str
    case_ref: str
    instance_id: str | None
    recipient_name: str
    recipient_email: str | None
    recipient_address: str | None
    issued_at: datetime
    issued_on: date
    rule_cited: str
    subject: str
    body: str
    sha256: str
    facts: dict[str, Any]


class NoticeRow(_NoticeColumns):
    """An issued notice with its PDF (``notices``)."""

    pdf: bytes


class NoticeListingRow(_NoticeColumns):
    """A notice without its PDF, with its e-mail's outbox state (``NoticeRepository.list``).

    The ``delivery_*`` columns are None when the notice sent no e-mail.
    """

    delivery_status: str | None
    delivery_attempts: int | None
    delivery_sent_at: datetime | None
    delivery_last_error: str | None
