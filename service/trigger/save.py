"""Save what a trigger did, in its transaction: state, derived rows, deadline history, failures, audit.

Derived rows (open tasks, subscriptions, timers) are kept equal to the wait state so the inbox,
message routing and the scheduler never load instance state; webhook events and the deadline
history are written from the rows a step opens and closes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from service.engine.serializer import SERIALIZER_VERSION
from service.engine.values import TaskFailure, WaitState, Workflow
from service.identity.actors import Actor
from service.store import UnitOfWork
from service.store.rows import ClosedTaskRow, DefinitionRow, InstanceRow
from service.store.rows.cases import CaseEntry
from service.trigger import case_entry, deadline_history, events, failures

if TYPE_CHECKING:
    from service.services import Services

FINISHED = ("completed", "cancelled")


@dataclass
class Audit:
    """What the audit entry of a trigger says."""

    action: str
    task_id: str | None = None
    task_name: str | None = None
    data: Any = None
    # The case a refused trigger concerns when it found none to lock (a task completed already).
    instance_id: str | None = None


@dataclass(frozen=True)
class Written:
    """What a commit left in the derived tables, kept with the live workflow for the next trigger."""

    open_tasks: Mapping[str, ClosedTaskRow] | None
    case: CaseEntry | None

    @classmethod
    def by(cls, uow: UnitOfWork, instance_id: str) -> Written:
        """Return what this transaction wrote (or took as written) for the instance."""
        return cls(uow.tasks.open_rows(instance_id), uow.cases.recorded(instance_id))

    def assume(self, uow: UnitOfWork, instance_id: str) -> None:
        """Take these rows as what the database holds (only under the lock of the version written)."""
        if self.open_tasks is not None:
            uow.tasks.assume(instance_id, self.open_tasks)
        if self.case is not None:
            uow.cases.assume(self.case)


@dataclass(frozen=True)
class NewInstance:
    """What a start knows of the instance it creates before the first save."""

    id: str
    definition: DefinitionRow
    called: dict[str, int]
    business_key: str | None


def save(
    services: Services,
    uow: UnitOfWork,
    row: InstanceRow,
    workflow: Workflow,
    wait: WaitState,
    actor: Actor,
    audit: Audit,
    status: str | None = None,
    attempts: failures.Attempts | None = None,
) -> tuple[int, str]:
    """Write state, derived rows, incidents and the audit entry; return the new version and status."""
    now = services.clock.now()
    settled = failures.settle(services, uow, row, wait, attempts or failures.Attempts(), now)
    status = status or settled.status
    version = uow.instances.save(
        row.id,
        row.version,
        row,
        state=services.engine.dump(workflow),
        status=status,
        has_incident=settled.has_incident,
        next_timer_due=wait.next_timer_due,
        retry_at=settled.retry_at,
        variables=(variables := jsonable(services.engine.task_data(workflow))),
        updated_at=now,
        completed_at=now if status in FINISHED else None,
        waits=waits_of(wait),
    )
    closed = _record(uow, row.id, row.business_key, wait, settled, actor, audit, now, had=row.waits)
    uow.decisions.record(row.id, services.engine.take_decisions(workflow), now)  # the DMN hits
    uow.cases.record(
        case_entry.entry(row.id, row.process_key, row.business_key, variables, wait, status, row.created_at)
    )
    deadline_history.record_closed(uow, row, closed, audit.action, audit.task_id, now, audit.data)
    return version, status


def insert(
    services: Services,
    uow: UnitOfWork,
    new: NewInstance,
    workflow: Workflow,
    wait: WaitState,
    actor: Actor,
    audit: Audit,
    attempts: failures.Attempts,
) -> str:
    """Write a started instance, its derived rows, incidents and audit entry; return its status."""
    now = services.clock.now()
    settled = failures.settle(services, uow, None, wait, attempts, now)
    uow.instances.insert(
        id=new.id,
        definition_id=new.definition.id,
        process_key=new.definition.key,
        called_definitions=new.called,
        business_key=new.business_key,
        status=settled.status,
        suspended=False,
        has_incident=settled.has_incident,
        state=services.engine.dump(workflow),
        serializer_version=SERIALIZER_VERSION,
        version=1,
        variables=(variables := jsonable(services.engine.task_data(workflow))),
        next_timer_due=wait.next_timer_due,
        retry_at=settled.retry_at,
        created_at=now,
        updated_at=now,
        completed_at=now if wait.status == "completed" else None,
        waits=waits_of(wait),
        started_by=f"{actor.kind}:{actor.name}",
    )
    _record(uow, new.id, new.business_key, wait, settled, actor, audit, now)
    uow.decisions.record(new.id, services.engine.take_decisions(workflow), now)
    uow.cases.record(
        case_entry.entry(new.id, new.definition.key, new.business_key, variables, wait, settled.status, now)
    )
    services.live.note(new.id, 1, Written.by(uow, new.id))  # for the put after the commit
    return settled.status


def _record(
    uow: UnitOfWork,
    instance_id: str,
    business_key: str | None,
    wait: WaitState,
    settled: failures.Settlement,
    actor: Actor,
    audit: Audit,
    now: datetime,
    had: dict[str, int] | None = None,
) -> deadline_history.Closed:
    """Write the derived rows, failed tries, incidents and audit entry of a saved step."""
    incidents = [failure for failure, _ in settled.incidents]
    closed = write_derived(uow, instance_id, business_key, wait, now, had=had, incidents=incidents)
    settled.write(uow, instance_id, now)
    uow.audit.append(
        at=now,
        actor_kind=actor.kind,
        actor=actor.name,
        action=audit.action,
        outcome=settled.outcome,
        instance_id=instance_id,
        task_id=audit.task_id,
        task_name=audit.task_name,
        data=jsonable(audit.data),
        detail=failure_text(wait),
    )
    return closed


def waits_of(wait: WaitState) -> dict[str, int]:
    """Count what the derived tables hold for a wait state."""
    return {
        "tasks": len(wait.ready_tasks),
        "subscriptions": len(wait.subscriptions),
        "timers": len(wait.timers),
    }


def write_derived(
    uow: UnitOfWork,
    instance_id: str,
    business_key: str | None,
    wait: WaitState,
    now: datetime,
    had: dict[str, int] | None = None,
    incidents: Sequence[TaskFailure] | None = None,
) -> deadline_history.Closed:
    """Keep open tasks, subscriptions and timers equal to the wait state (same transaction).

    ``incidents`` are the failures that became incidents (a failed try with a retry to come is
    not one). Return the task and timer rows the step closed (for the deadline history).
    """
    # ``had`` (the counts saved with the previous state) lets a step skip tables it cannot touch.
    had = had or {}
    changes = uow.tasks.sync(
        instance_id, wait.ready_tasks, business_key=business_key, now=now, had=had.get("tasks", 0)
    )
    uow.subscriptions.sync(
        instance_id, wait.subscriptions, business_key=business_key, now=now, had=had.get("subscriptions", 0)
    )
    timers = uow.timers.sync(instance_id, wait.timers, had=had.get("timers", 0))
    published = wait if incidents is None else replace(wait, failures=list(incidents))
    events.on_wait_state(uow, instance_id, business_key, published, changes.created, now)
    return deadline_history.Closed(changes.closed, timers)


def failure_text(wait: WaitState) -> str | None:
    """Say what failed in a step, for its audit entry."""
    if not wait.failures:
        return None
    return "; ".join(f"{f.task_name}: {f.message}" for f in wait.failures)[:2000]


def jsonable(value: Any) -> Any:
    """Return ``value`` as JSON would give it back (dates as text), for audit data and variables."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str))
