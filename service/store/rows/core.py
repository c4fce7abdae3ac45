"""The engine's own rows (definitions, instances, open tasks) and the queries that list them.

Frozen dataclasses: the trigger path reads them as attributes, and nothing may change one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class DefinitionRow:
    id: int
    key: str
    version: int
    name: str | None
    content_hash: str
    source_name: str
    bpmn_xml: str
    forms: dict[str, Any]
    start_schema: dict[str, Any] | None
    called_keys: list[str]
    start_messages: list[str]
    deployed_at: datetime
    deployed_by: str | None
    note: str | None


@dataclass(frozen=True)
class InstanceRow:
    id: str
    definition_id: int
    process_key: str
    called_definitions: dict[str, int]
    business_key: str | None
    status: str
    suspended: bool
    has_incident: bool
    state: str
    serializer_version: str
    version: int
    variables: dict[str, Any]
    next_timer_due: datetime | None
    waits: dict[str, int]
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    started_by: str | None
    retry_at: datetime | None = None  # earliest scheduled service-task retry (background work)


@dataclass(frozen=True)
class TaskRow:
    """An open human task as its row holds it: what the inbox and the API show, without the state."""

    id: str
    instance_id: str
    name: str
    title: str | None
    lane: str | None
    assignee: str | None
    form: str | None
    ui_form: str | None
    due_at: datetime | None
    due_citation: str | None
    instructions: str | None
    process_key: str
    business_key: str | None
    created_at: datetime
    claimed_at: datetime | None

    @property
    def label(self) -> str:
        """Return what people call the task: its title, else its element name."""
        return self.title or self.name

    @classmethod
    def of(cls, row: Mapping[Any, Any]) -> TaskRow:
        """Build from a row of ``human_tasks`` (a list row may leave the instructions out)."""
        return cls(**{**row, "instructions": row.get("instructions")})


@dataclass(frozen=True)
class TaskFilter:
    """Filters for listing open human tasks."""

    candidate_groups: Sequence[str] | None = None
    assignee: str | None = None
    unassigned: bool = False
    instance_id: str | None = None
    business_key: str | None = None
    business_key_like: str | None = None
    process_key: str | None = None
    due_before: datetime | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class InstanceQuery:
    """Filters and page position for listing instances (oldest first unless ``descending``)."""

    process_key: str | None = None
    business_key: str | None = None
    statuses: Sequence[str] | None = None
    suspended: bool | None = None
    has_incident: bool | None = None
    started_after: datetime | None = None
    started_before: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    variables: Sequence[tuple[str, Any]] = ()
    after: tuple[datetime, str] | None = None
    descending: bool = False
    limit: int = 50


@dataclass(frozen=True)
class InboxSlice:
    """Which open tasks an inbox list shows; every field narrows it."""

    lanes: Sequence[str] | None = None  # None: every lane (supervisors)
    assignee: str | None = None
    unassigned: bool = False
    process_key: str | None = None
    key_prefix: str | None = None
    due_before: datetime | None = None
    overdue_at: datetime | None = None
    sort: str = "due"  # a column of SORT_COLUMNS (store.repositories.inbox); ties go in due order
    descending: bool = False

    @property
    def dated(self) -> bool:
        """Whether only tasks with a due date can match (a due-date filter is set)."""
        return self.due_before is not None or self.overdue_at is not None
