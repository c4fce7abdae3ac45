"""One transaction per external trigger: load, apply, run to the next wait state, save.

Every trigger on an existing instance goes through ``on_instance`` (or ``run_on`` for an instance
the background runner already locked); starting one goes through ``lifecycle.start``. Both write
the state, the derived rows (open tasks, subscriptions, timers), the incidents, retries, deadline
history and the audit entry in the same transaction, and commit once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from service.engine import TaskFailure, WaitState, Workflow
from service.engine.scripting import RestrictedScriptEngine
from service.errors import Conflict, NotFound, ServiceError
from service.store import UnitOfWork
from service.store.repositories.instances import InstanceRow

from . import buffering, deadlines, retries, webhooks
from .actors import Actor

if TYPE_CHECKING:
    from service.bootstrap import Services

FINISHED = ("completed", "cancelled")
T = TypeVar("T")


@dataclass
class Loaded:
    """An instance loaded for a trigger: its row, workflow and unit of work."""

    row: InstanceRow
    workflow: Workflow
    uow: UnitOfWork
    attempts: retries.Attempts = field(default_factory=retries.Attempts)
    takes_buffered: bool = True  # False once the trigger suspends the instance


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
    services: Services,
    uow: UnitOfWork,
    instance_id: str,
    business_key: str | None,
    attempts: retries.Attempts | None = None,
) -> RestrictedScriptEngine:
    """Bind service-task calls to this transaction; each call runs in a savepoint."""
    call = services.registry.bind(services.ports(uow))

    def caller(operation: str, params: dict[str, Any], context: Any) -> Any:
        with uow.savepoint():
            return call(operation, params, context)

    watched = attempts.watch(caller) if attempts is not None else caller
    return services.engine.script_engine(watched, instance_id, business_key)


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
        return run_on(services, uow, row, actor, audit, apply, status)

    return guarded(services, actor, audit, lambda: services.db.run(work), known_id)


def run_on(
    services: Services,
    uow: UnitOfWork,
    row: InstanceRow,
    actor: Actor,
    audit: Audit,
    apply: Callable[[Loaded], WaitState],
    status: str | None = None,
) -> Outcome:
    """Restore a locked instance, apply the trigger, save and commit (the body of every trigger)."""
    outcome, keep = step(services, uow, row, actor, audit, apply, status)
    uow.commit()
    keep()
    return outcome


def step(
    services: Services,
    uow: UnitOfWork,
    row: InstanceRow,
    actor: Actor,
    audit: Audit,
    apply: Callable[[Loaded], WaitState],
    status: str | None = None,
) -> tuple[Outcome, Callable[[], None]]:
    """Restore, apply and save without committing; call the returned function after the commit.

    The background runner steps several instances in one transaction (one commit for a batch of
    timers); the workflows are kept alive only once their transaction committed.
    """
    attempts = retries.Attempts()
    engine = script_engine_for(services, uow, row.id, row.business_key, attempts)
    workflow = services.live.take(row.id, row.version)
    if workflow is None:
        bundle = services.catalog.bundle(uow, row.definition_id, row.called_definitions)
        workflow = services.engine.restore(row.state, bundle, engine)
    else:
        workflow.script_engine = engine
    loaded = Loaded(row, workflow, uow, attempts)
    wait = apply(loaded)
    taken: list[dict[str, Any]] = []
    if wait.subscriptions and loaded.takes_buffered:
        wait, taken = buffering.settle(services, uow, row.id, row.business_key, workflow, wait)
    version, final = save(services, uow, row, workflow, wait, actor, audit, status, attempts)
    buffering.record(uow, row.id, taken, services.clock.now())

    def keep() -> None:
        if final not in FINISHED:
            services.live.put(row.id, version, workflow)

    return Outcome(row.id, version, final, wait, row.business_key), keep


def save(
    services: Services,
    uow: UnitOfWork,
    row: InstanceRow,
    workflow: Workflow,
    wait: WaitState,
    actor: Actor,
    audit: Audit,
    status: str | None = None,
    attempts: retries.Attempts | None = None,
) -> tuple[int, str]:
    """Write state, derived rows, incidents and the audit entry; return the new version and status."""
    now = services.clock.now()
    settled = retries.settle(services, uow, row, wait, attempts or retries.Attempts(), now)
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
        variables=_jsonable(services.engine.task_data(workflow)),
        updated_at=now,
        completed_at=now if status in FINISHED else None,
        waits=waits_of(wait),
    )
    incidents = [failure for failure, _ in settled.incidents]
    closed = write_derived(uow, row.id, row.business_key, wait, now, had=row.waits, incidents=incidents)
    deadlines.record_closed(uow, row, closed, audit.action, audit.task_id, now)
    settled.write(uow, row.id, now)
    uow.audit.append(
        at=now,
        actor_kind=actor.kind,
        actor=actor.name,
        action=audit.action,
        outcome=settled.outcome,
        instance_id=row.id,
        task_id=audit.task_id,
        task_name=audit.task_name,
        data=_jsonable(audit.data),
        detail=_failure_text(wait),
    )
    return version, status


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
    incidents: Sequence[TaskFailure] | None = None,
) -> deadlines.Closed:
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
    webhooks.on_wait_state(uow, instance_id, business_key, published, changes.created, now)
    return deadlines.Closed(changes.closed, timers)


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
