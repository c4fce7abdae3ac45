"""The case list's rows and the slice of cases one page asks for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

CASE_SORTS = ("case", "process", "applicant", "status", "stage", "started")


@dataclass(frozen=True)
class CaseEntry:
    """What the trigger path writes to the case list for one instance."""

    instance_id: str
    process_key: str
    business_key: str | None
    applicant: str | None
    importer_number: str | None
    status: str  # open | error | completed | cancelled
    stage: str | None
    due_at: datetime | None
    started_at: datetime
    lanes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseSlice:
    """One page of the case list: who looks, what is searched and filtered, how it is sorted."""

    lanes: tuple[str, ...] | None = None  # None: every case (supervisors)
    prefix: str | None = None  # lower-cased search text
    notice_cases: tuple[str, ...] = ()  # cases holding the notice number searched for
    process_key: str | None = None
    status: str | None = None
    stage: str | None = None
    started_from: datetime | None = None
    started_before: datetime | None = None
    overdue_at: datetime | None = None
    sort: str = "started"
    descending: bool = True


class CaseListRow(TypedDict):
    instance_id: str
    process_key: str
    business_key: str | None
    applicant: str | None
    stage: str | None
    due_at: datetime | None
    started_at: datetime
    status: str
    suspended: bool
    has_incident: bool
    completed_at: datetime | None
