"""Values the engine hands out and takes back: plain data, importable without loading SpiffWorkflow.

The store keeps derived rows from these (open tasks, subscriptions, timers), the service layer
reads them, and nothing outside ``service.engine`` needs the engine itself to use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from SpiffWorkflow.bpmn import BpmnWorkflow as Workflow  # opaque outside the engine package
else:
    Workflow = object

__all__ = [
    "CONTEXT_KINDS",
    "CONTEXT_PROPERTY",
    "ContextEntry",
    "DiagramSource",
    "ElementStates",
    "MessageIncomplete",
    "NotWaiting",
    "PendingTimer",
    "ReadyTask",
    "Subscription",
    "TaskFailure",
    "WaitState",
    "Workflow",
    "parse_context",
]


@dataclass(frozen=True)
class DiagramSource:
    """A diagram file's name and bytes."""

    name: str
    xml: bytes


@dataclass(frozen=True)
class ReadyTask:
    """A human task waiting for someone, as the inbox needs it."""

    task_id: str
    name: str
    title: str | None
    lane: str | None
    process_key: str
    form: str | None
    ui_form: str | None
    due_at: datetime | None
    due_citation: str | None
    instructions: str | None
    documentation: str | None


# The user-task property naming what the task shows read-only beside its form (docs/modeler.md).
CONTEXT_PROPERTY = "decisionContext"
# An entry's kind: a value of the case data, a notice issued in the case, every message of a name
# the case received, who completed an earlier task and when, or the documents a value refers to
# (references a form attached, or document ids an integrator sent). A plain path is a value.
CONTEXT_KINDS = ("value", "notice", "message", "decision", "documents")
_PATH = re.compile(r"^[A-Za-z_]\w*(\.\w+)*$")


@dataclass(frozen=True)
class ContextEntry:
    """One thing a task shows beside its form: its kind, where it comes from, its label if declared."""

    kind: str
    source: str
    label: str | None = None


def parse_context(text: str | None) -> list[ContextEntry]:
    """Read a decisionContext declaration: ``[kind] path[: Label]`` entries joined by ``;``."""
    entries: list[ContextEntry] = []
    for part in (text or "").split(";"):
        head, _, label = part.partition(":")
        words = head.split()
        if not words:
            continue
        if len(words) == 2 and words[0] in CONTEXT_KINDS:
            kind = words[0]
        elif len(words) == 1:
            kind = "value"
        else:
            kind = ""
        if not kind or not _PATH.match(words[-1]):
            raise ValueError(
                f"decision context entry {part.strip()!r} is not"
                " [notice|message|decision|documents] path[: Label]"
            )
        entries.append(ContextEntry(kind, words[-1], label.strip() or None))
    return entries


@dataclass(frozen=True)
class Subscription:
    """A message the instance waits for, with the correlation values it expects."""

    message_name: str
    correlation: dict[str, Any]
    task_id: str
    task_name: str


@dataclass(frozen=True)
class PendingTimer:
    """A timer that will fire at ``due_at``; the citation comes from the element's documentation."""

    task_id: str
    task_name: str
    title: str | None
    due_at: datetime
    documentation: str | None


@dataclass(frozen=True)
class TaskFailure:
    """A task left in ERROR by a failing handler or script."""

    task_id: str
    task_name: str
    message: str
    detail: str
    # For a service task: its operation and the diagram's retry settings (serviceTaskOperator/retry).
    operation: str | None = None
    retries: int | None = None
    backoff_base: int | None = None


@dataclass
class WaitState:
    """Where an instance stands after a trigger: everything the derived tables hold."""

    status: str
    ready_tasks: list[ReadyTask] = field(default_factory=list)
    subscriptions: list[Subscription] = field(default_factory=list)
    timers: list[PendingTimer] = field(default_factory=list)
    failures: list[TaskFailure] = field(default_factory=list)

    @property
    def next_timer_due(self) -> datetime | None:
        return min((t.due_at for t in self.timers), default=None)


@dataclass(frozen=True)
class ElementStates:
    """BPMN element ids of one diagram file by run state, and the lanes the case has reached."""

    completed: list[str] = field(default_factory=list)
    active: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    incidents: list[str] = field(default_factory=list)
    lanes: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    ran: list[str] = field(default_factory=list)  # every element above, in the order the case reached it


class NotWaiting(Exception):
    """The instance does not wait for what was delivered."""


class MessageIncomplete(ValueError):
    """A delivered message lacks a value its correlation properties are computed from."""

    def __init__(self, message: str, property_id: str) -> None:
        super().__init__(message)
        self.property_id = property_id
