"""One transaction per external trigger: load, apply, run to the next wait state, save.

Every trigger on an existing instance goes through ``on_instance``; starting one goes through
``save_new``. Both write the state, the derived rows (open tasks, subscriptions, timers), the
incidents and the audit entry in the same transaction, and commit once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from SpiffWorkflow.bpmn import BpmnWorkflow

from service.engine import WaitState
from service.engine.scripting import RestrictedScriptEngine
from service.errors import Conflict, NotFound, ServiceError
from service.store import UnitOfWork
from service.store.repositories.instances import InstanceRow

from .actors import Actor

if TYPE_CHECKING:
    from service.bootstrap import Services

FINISHED = ("completed", "cancelled")
T = TypeVar("T")


@dataclass
class Loaded:
    """An instance loaded for a trigger: its row, workflow and unit of work."""

    row: InstanceRow
    workflow: BpmnWorkflow
    uow: UnitOfWork


@dataclass(frozen=True)
class Outcome:
    """What a trigger left behind: the instance's new version and wait state."""

    instance_id: str
    version: int
    status: str
    wait: WaitState
    business_key: str | None = None

    def summary(self) -> dict[str, Any]:
        """Describe the outcome for a caller (what happens next)."""
        return {
            "id": self.instance_id,
            "businessKey": self.business_key,
            "status": self.status,
            "version": self.version,
            "activeTasks": [
                {
                    "id": t.task_id,
                    "name": t.name,
                    "title": t.title,
                    "candidateGroup": t.lane,
                    "due": t.due_at.isoformat() if t.due_at else None,
                }
                for t in self.wait.ready_tasks
            ],
            "waitingMessages": sorted({s.message_name for s in self.wait.subscriptions}),
            "nextTimerDue": self.wait.next_timer_due.isoformat() if self.wait.next_timer_due else None,
            "incidents": [{"task": f.task_name, "message": f.message} for f in self.wait.failures],
        }


@dataclass
class Audit:
    """What the audit entry of a trigger says."""

    action: str
    task_id: str | None = None
    task_name: str | None = None
    data: Any = None


def script_engine_for(
    services: Services, uow: UnitOfWork, instance_id: str, business_key: str | None
) -> RestrictedScriptEngine:
    """Bind service-task calls to this transaction; each call runs in a savepoint."""
    call = services.registry.bind(services.ports(uow))

    def caller(operation: str, params: dict[str, Any], context: Any) -> Any:
        with uow.savepoint():
            return call(operation, params, context)

    return services.engine.script_engine(caller, instance_id, business_key)


def on_instance(
    services: Services,
    target: str | Callable[[UnitOfWork], str],
    actor: Actor,
    audit: Audit,
    apply: Callable[[Loaded], WaitState],
    *,
    expected_version: int | None = None,
    allow_finished: bool = False,
    status: str | None = None,
    ignore_suspension: bool = False,
) -> Outcome:
    """Run ``apply`` on a locked, restored instance and save the result in one transaction.

    ``target`` is the instance id, or a function finding it inside the transaction (a task's case).
    """
    known_id = target if isinstance(target, str) else None

    def work(uow: UnitOfWork) -> Outcome:
        instance_id = target if isinstance(target, str) else target(uow)
        row = uow.instances.get(instance_id, lock=True)
        if row is None:
            raise NotFound(f"process instance {instance_id} does not exist", instanceId=instance_id)
        if expected_version is not None and row.version != expected_version:
            raise Conflict(
                f"process instance {instance_id} is at version {row.version}, not {expected_version}",
                instanceId=instance_id,
                version=row.version,
            )
        if row.status in FINISHED and not allow_finished:
            raise Conflict(f"process instance {instance_id} is {row.status}", instanceId=instance_id)
        if row.suspended and not ignore_suspension:
            raise Conflict(f"process instance {instance_id} is suspended", instanceId=instance_id)
        engine = script_engine_for(services, uow, row.id, row.business_key)
        workflow = services.live.take(row.id, row.version)
        if workflow is None:
            bundle = services.catalog.bundle(uow, row.definition_id, row.called_definitions)
            workflow = services.engine.restore(row.state, bundle, engine)
        else:
            workflow.script_engine = engine
        wait = apply(Loaded(row, workflow, uow))
        version = save(services, uow, row, workflow, wait, actor, audit, status)
        uow.commit()
        if wait.status not in FINISHED and status not in FINISHED:
            services.live.put(row.id, version, workflow)
        return Outcome(row.id, version, status or wait.status, wait, row.business_key)

    return guarded(services, actor, audit, lambda: services.db.run(work), known_id)


def save(
    services: Services,
    uow: UnitOfWork,
    row: InstanceRow,
    workflow: BpmnWorkflow,
    wait: WaitState,
    actor: Actor,
    audit: Audit,
    status: str | None = None,
) -> int:
    """Write state, derived rows, incidents and the audit entry for an existing instance."""
    now = services.clock.now()
    status = status or wait.status
    version = uow.instances.save(
        row.id,
        row.version,
        state=services.engine.dump(workflow),
        status=status,
        has_incident=bool(wait.failures),
        next_timer_due=wait.next_timer_due,
        variables=_jsonable(services.engine.task_data(workflow)),
        updated_at=now,
        completed_at=now if status in FINISHED else None,
        waits=waits_of(wait),
    )
    write_derived(uow, row.id, row.business_key, wait, now, had=row.waits)
    for failure in wait.failures:
        uow.incidents.record(row.id, failure.task_id, failure.task_name, failure.message, failure.detail, now)
    uow.audit.append(
        at=now,
        actor_kind=actor.kind,
        actor=actor.name,
        action=audit.action,
        outcome="incident" if wait.failures else "ok",
        instance_id=row.id,
        task_id=audit.task_id,
        task_name=audit.task_name,
        data=_jsonable(audit.data),
        detail=_failure_text(wait),
    )
    return version


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
    now: Any,
    had: dict[str, int] | None = None,
) -> None:
    """Keep open tasks, subscriptions and timers equal to the wait state (same transaction)."""
    # ``had`` (the counts saved with the previous state) lets a step skip tables it cannot touch.
    had = had or {}
    uow.tasks.sync(instance_id, wait.ready_tasks, business_key=business_key, now=now, had=had.get("tasks", 0))
    uow.subscriptions.sync(
        instance_id, wait.subscriptions, business_key=business_key, now=now, had=had.get("subscriptions", 0)
    )
    uow.timers.sync(instance_id, wait.timers, had=had.get("timers", 0))


def guarded(
    services: Services, actor: Actor, audit: Audit, run: Callable[[], T], instance_id: str | None
) -> T:
    """Run a trigger; when it is refused, record the refusal in the audit log and re-raise."""
    try:
        return run()
    except ServiceError as exc:
        record_refusal(services, actor, audit, instance_id, exc)
        raise


def record_refusal(
    services: Services, actor: Actor, audit: Audit, instance_id: str | None, exc: ServiceError
) -> None:
    """Write a refused trigger to the audit log in its own small transaction."""
    with services.db.unit_of_work() as uow:
        uow.audit.append(
            at=services.clock.now(),
            actor_kind=actor.kind,
            actor=actor.name,
            action=audit.action,
            outcome="refused",
            instance_id=instance_id,
            task_id=audit.task_id,
            task_name=audit.task_name,
            data=_jsonable(audit.data),
            detail=f"{exc.status} {exc.detail}"[:2000],
        )
        uow.commit()


def _failure_text(wait: WaitState) -> str | None:
    if not wait.failures:
        return None
    return "; ".join(f"{f.task_name}: {f.message}" for f in wait.failures)[:2000]


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str))
