"""Rows of a case's family: its instances and what its history is read from."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict


class MemberRow(TypedDict):
    """A process instance of a case's family (``process_instances``)."""

    id: str
    process_key: str
    business_key: str | None
    status: str
    suspended: bool
    has_incident: bool
    definition_id: int
    variables: Any
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None


class SuspensionRow(TypedDict):
    """One information request's suspension of a review (``suspension_periods``, §163.12(c)(1))."""

    request_number: str
    application_number: str
    information_needed: str
    started_at: datetime
    ended_at: datetime | None
    outcome: str | None
    days: int | None


class AppealRow(TypedDict):
    """An appeal of a notice of the family (``appeals``, §163.13(d))."""

    appeal_number: str
    notice_number: str
    kind: str
    received_on: date
    decision_due_on: date | None
    decision: str | None
    decided_on: date | None
