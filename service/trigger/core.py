"""One transaction per external trigger: load, apply, run to the next wait state, save.

Every trigger on an existing instance goes through ``on_instance`` (or ``run_on`` for an instance
the background runner already locked); starting one goes through ``actions.starting``. Both write
the state, the derived rows (open tasks, subscriptions, timers), the incidents, retries, deadline
history and the audit entry in the same transaction (``service.trigger.save``), and commit once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from service.engine.scripting import RestrictedScriptEngine
from service.engine.values import WaitState, Workflow
from service.errors import Busy, Conflict, NotFound, ServiceError
from service.identity.actors import Actor
from service.ids import fitted
from service.limits import scrubbed
from service.store import UnitOfWork
from service.store.rows import BufferedMessageRow, InstanceRow
from service.trigger import buffering, failures
from service.trigger.save import FINISHED, Audit, Written, jsonable, save

if TYPE_CHECKING:
    from service.services import Services

T = TypeVar("T")


@dataclass
class Loaded:
    """An instance loaded for a trigger: its row, workflow and unit of work."""

    row: InstanceRow
    workflow: Workflow
    uow: UnitOfWork
    attempts: failures.Attempts = field(default_factory=failures.Attempts)
    takes_buffered: bool = True  # False once the trigger suspends the instance


@dataclass(frozen=True)
class Outcome:
    """What a trigger left behind: the instance's new version and wait state."""

    instance_id: str
    version: int
    status: str
    wait: WaitState
    business_key: str | None = None
    answer: dict[str, Any] | None = None  # what ``answer`` built from reads inside the transaction


# A trigger's answer (the instance's view), asked for inside its transaction, after the save and
# before the commit, so the caller needs no second, read-only transaction to read what was
# written. It is asked in two steps: the reads are queued (on PostgreSQL they travel with the
# COMMIT, one round trip for both), and what ``ask`` returns builds the view once they are back.
Answering = Callable[[UnitOfWork, str], Callable[[], dict[str, Any]]]


def script_engine_for(
    services: Services,
    uow: UnitOfWork,
    instance_id: str,
    business_key: str | None,
    attempts: failures.Attempts | None = None,
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
    target: str | Callable[[UnitOfWork], InstanceRow],
    actor: Actor,
    audit: Audit,
    apply: Callable[[Loaded], WaitState],
    *,
    expected_version: int | None = None,
    allow_finished: bool = False,
    status: str | None = None,
    ignore_suspension: bool = False,
    answer: Answering | None = None,
) -> Outcome:
    """Run ``apply`` on a locked, restored instance and save the result in one transaction.

    ``target`` is the instance id, or a function finding and locking the instance inside the
    transaction (the case of a task). ``answer``: see ``Answering``.
    """
    located: list[str] = [target] if isinstance(target, str) else []  # for the refusal's audit entry

    def work(uow: UnitOfWork) -> Outcome:
        uow.webhooks.expect()  # on PostgreSQL read with the lock: no round trip of its own later
        row = _locked(uow, target)
        located[:] = [row.id]
        if expected_version is not None and row.version != expected_version:
            raise Conflict(
                f"process instance {row.id} is at version {row.version}, not {expected_version}",
                instanceId=row.id,
                version=row.version,
            )
        if row.status in FINISHED and not allow_finished:
            raise Conflict(f"process instance {row.id} is {row.status}", instanceId=row.id)
        if row.suspended and not ignore_suspension:
            raise Conflict(f"process instance {row.id} is suspended", instanceId=row.id)
        return run_on(services, uow, row, actor, audit, apply, status, answer)

    return guarded(services, actor, audit, lambda: services.db.run(work), lambda: next(iter(located), None))


def _locked(uow: UnitOfWork, target: str | Callable[[UnitOfWork], InstanceRow]) -> InstanceRow:
    if not isinstance(target, str):
        return target(uow)
    row = uow.instances.get(target, lock=True)
    if row is None:
        raise NotFound(f"process instance {target} does not exist", instanceId=target)
    return row


def run_on(
    services: Services,
    uow: UnitOfWork,
    row: InstanceRow,
    actor: Actor,
    audit: Audit,
    apply: Callable[[Loaded], WaitState],
    status: str | None = None,
    answer: Answering | None = None,
) -> Outcome:
    """Restore a locked instance, apply the trigger, save and commit (the body of every trigger)."""
    outcome, keep = step(services, uow, row, actor, audit, apply, status)
    view = answer(uow, row.id) if answer is not None else None
    uow.commit()
    keep()
    return outcome if view is None else replace(outcome, answer=view())


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
    attempts = failures.Attempts()
    engine = script_engine_for(services, uow, row.id, row.business_key, attempts)
    live = services.live.take(row.id, row.version)
    if live is None:
        bundle = services.catalog.bundle(uow, row.definition_id, row.called_definitions)
        workflow = services.engine.restore(row.state, bundle, engine)
    else:
        workflow = live.workflow
        workflow.script_engine = engine
        if isinstance(live.written, Written):  # what the commit of row.version left: no read needed
            live.written.assume(uow, row.id)
    loaded = Loaded(row, workflow, uow, attempts)
    wait = apply(loaded)
    taken: list[BufferedMessageRow] = []
    if wait.subscriptions and loaded.takes_buffered:
        wait, taken = buffering.settle(services, uow, row.id, row.business_key, workflow, wait)
    version, final = save(services, uow, row, workflow, wait, actor, audit, status, attempts)
    buffering.record(uow, row.id, taken, services.clock.now())

    written = Written.by(uow, row.id)

    def keep() -> None:
        if final not in FINISHED:
            services.live.put(row.id, version, workflow, written)

    return Outcome(row.id, version, final, wait, row.business_key), keep


def guarded(
    services: Services,
    actor: Actor,
    audit: Audit,
    run: Callable[[], T],
    instance_id: str | Callable[[], str | None] | None,
) -> T:
    """Run a trigger; when it is refused, record the refusal in the audit log and re-raise.

    ``instance_id`` may be a function: the instance is sometimes found only inside the trigger.
    """
    started, outcome = time.perf_counter(), "failed"
    try:
        result = run()
        outcome = "completed"
        return result
    except ServiceError as exc:
        outcome = "busy" if isinstance(exc, Busy) else "refused"
        refused_on = (instance_id() if callable(instance_id) else instance_id) or audit.instance_id
        record_refusal(services, actor, audit, refused_on, exc)
        raise
    finally:
        services.observe_trigger(audit.action, outcome, time.perf_counter() - started)


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
            # A refused request may name an id no case has (too long for the column) or carry
            # text the database cannot hold: the refusal is kept all the same.
            instance_id=fitted(instance_id),
            task_id=fitted(audit.task_id),
            task_name=audit.task_name,
            data=jsonable(audit.data),
            detail=scrubbed(f"{exc.status} {exc.detail}"[:2000]),
        )
        uow.commit()
