"""Rows about one instance: its summary, waits, incidents, audit entries; instance listings.

TypedDicts, so readers keep ``row["field"]``; each names exactly the columns its query selects.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict


class _InstanceColumns(TypedDict):
    """The columns of ``process_instances`` every summary shows (no state, no variables)."""

    id: str
    definition_id: int
    process_key: str
    business_key: str | None
    status: str
    suspended: bool
    has_incident: bool
    serializer_version: str
    version: int
    next_timer_due: datetime | None
    retry_at: datetime | None
    waits: dict[str, int]
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    started_by: str | None


class InstanceSummaryRow(_InstanceColumns):
    """An instance without its serialized state (``InstanceRepository.summary``)."""

    called_definitions: dict[str, int]
    variables: dict[str, Any]


class InstanceListingRow(_InstanceColumns):
    """One instance of a search page, with its definition's version (``SearchRepository.instances``)."""

    definition_version: int


class DefinitionIndexRow(TypedDict):
    """A deployed version without its XML or forms (``SearchRepository.definition_index``)."""

    id: int
    key: str
    version: int
    name: str | None
    deployed_at: datetime
    deployed_by: str | None
    note: str | None
    start_messages: list[str]


class InstanceCountRow(TypedDict):
    """How many instances of a version share a status and flags (``SearchRepository.instance_counts``)."""

    definition_id: int
    status: str
    suspended: bool
    has_incident: bool
    n: int


class SubscriptionRow(TypedDict):
    """A message an instance waits for (``message_subscriptions``)."""

    id: int
    instance_id: str
    message_name: str
    business_key: str | None
    correlation: dict[str, Any]
    task_id: str
    task_name: str
    created_at: datetime


class TimerRow(TypedDict):
    """A pending timer of an instance (``pending_timers``)."""

    task_id: str
    instance_id: str
    task_name: str
    title: str | None
    due_at: datetime
    documentation: str | None


class ClosedTaskRow(TypedDict):
    """What the deadline history needs of an open task a step closed (``TaskChanges.closed``)."""

    id: str
    name: str
    title: str | None
    due_at: datetime | None
    due_citation: str | None


class ClosedTimerRow(TypedDict):
    """What the deadline history needs of a timer a step ended (``TimerRepository.sync``)."""

    task_id: str
    task_name: str
    title: str | None
    due_at: datetime
    documentation: str | None


class LaneRow(TypedDict):
    """A lane holding an open task of an instance (``InboxRepository.open_task_lanes``)."""

    lane: str | None


class IncidentRow(TypedDict):
    """A failed task waiting for someone (``incidents``)."""

    id: int
    instance_id: str
    task_id: str
    task_name: str
    message: str
    detail: str | None
    attempts: int
    created_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None


class IncidentListingRow(IncidentRow):
    """An incident with its instance's keys and status (``IncidentRepository.listing``)."""

    process_key: str
    business_key: str | None
    instance_status: str


class AuditRow(TypedDict):
    """An entry of the audit log (``audit_log``); ``data`` is whatever JSON the trigger wrote."""

    id: int
    at: datetime
    instance_id: str | None
    task_id: str | None
    task_name: str | None
    actor_kind: str
    actor: str
    action: str
    data: Any
    outcome: str
    detail: str | None
