"""Start, cancel, suspend, resume and retry process instances."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from service.engine import WaitState
from service.engine.serializer import SERIALIZER_VERSION
from service.errors import Conflict, NotFound
from service.ids import new_id
from service.store import UnitOfWork
from service.store.repositories.definitions import DefinitionRow

from . import buffering, forms, retries
from .actors import Actor
from .trigger import (
    Audit,
    Loaded,
    Outcome,
    _failure_text,
    _jsonable,
    guarded,
    on_instance,
    script_engine_for,
    waits_of,
    write_derived,
)

if TYPE_CHECKING:
    from service.bootstrap import Services
    from service.engine import Workflow


def start(
    services: Services,
    process_key: str,
    variables: dict[str, Any],
    actor: Actor,
    *,
    business_key: str | None = None,
    version: int | None = None,
    start_message: tuple[str, dict[str, Any]] | None = None,
) -> Outcome:
    """Start an instance of the latest (or a given) version and run it to its first wait state."""

    def work(uow: UnitOfWork) -> Outcome:
        begun = begin(
            services,
            uow,
            process_key,
            variables,
            actor,
            business_key=business_key,
            version=version,
            start_message=start_message,
        )
        uow.commit()
        return begun.committed(services)

    audit = start_audit(process_key, variables, business_key)
    return guarded(services, actor, audit, lambda: services.db.run(work), None)


def start_audit(process_key: str, variables: dict[str, Any], business_key: str | None) -> Audit:
    return Audit(
        "start", data={"processKey": process_key, "businessKey": business_key, "variables": variables}
    )


@dataclass(frozen=True)
class Begun:
    """A started instance before its commit: the outcome, and the workflow to keep alive after."""

    outcome: Outcome
    workflow: Workflow

    def committed(self, services: Services) -> Outcome:
        """Keep the workflow for the instance's next trigger (call only after the commit)."""
        if self.outcome.status != "completed":
            services.live.put(self.outcome.instance_id, 1, self.workflow)
        return self.outcome


def begin(
    services: Services,
    uow: UnitOfWork,
    process_key: str,
    variables: dict[str, Any],
    actor: Actor,
    *,
    business_key: str | None = None,
    version: int | None = None,
    start_message: tuple[str, dict[str, Any]] | None = None,
) -> Begun:
    """Start an instance inside ``uow`` without committing (callers add their rows, then commit)."""
    definition = _definition(services, uow, process_key, version)
    forms.validate(variables, definition.start_schema, f"start variables of {process_key}")
    variables = forms.with_defaults(variables, definition.start_schema)
    called = services.catalog.resolve_called(uow, definition)
    bundle = services.catalog.bundle(uow, definition.id, called)
    instance_id = new_id()
    attempts = retries.Attempts()
    engine = script_engine_for(services, uow, instance_id, business_key, attempts)
    workflow = services.engine.new_workflow(bundle, variables, engine)
    wait = services.engine.advance(workflow)
    if start_message is not None:
        wait = services.engine.deliver_message(workflow, *start_message)
    wait, taken = buffering.settle(services, uow, instance_id, business_key, workflow, wait)
    now = services.clock.now()
    settled = retries.settle(services, uow, None, wait, attempts, now)
    uow.instances.insert(
        id=instance_id,
        definition_id=definition.id,
        process_key=process_key,
        called_definitions=called,
        business_key=business_key,
        status=settled.status,
        suspended=False,
        has_incident=settled.has_incident,
        state=services.engine.dump(workflow),
        serializer_version=SERIALIZER_VERSION,
        version=1,
        variables=_jsonable(services.engine.task_data(workflow)),
        next_timer_due=wait.next_timer_due,
        retry_at=settled.retry_at,
        created_at=now,
        updated_at=now,
        completed_at=now if wait.status == "completed" else None,
        waits=waits_of(wait),
        started_by=f"{actor.kind}:{actor.name}",
    )
    audit = start_audit(process_key, variables, business_key)
    _record_start(uow, instance_id, business_key, wait, settled, actor, audit, now)
    buffering.record(uow, instance_id, taken, now)
    return Begun(Outcome(instance_id, 1, settled.status, wait, business_key), workflow)


def _definition(services: Services, uow: UnitOfWork, process_key: str, version: int | None) -> DefinitionRow:
    definition = (
        uow.definitions.by_version(process_key, version)
        if version is not None
        else services.catalog.latest(uow, process_key)
    )
    if definition is None:
        raise NotFound(
            f"no deployed process definition '{process_key}'"
            + (f" version {version}" if version is not None else ""),
            processKey=process_key,
        )
    return definition


def _record_start(
    uow: UnitOfWork,
    instance_id: str,
    business_key: str | None,
    wait: WaitState,
    settled: retries.Settlement,
    actor: Actor,
    audit: Audit,
    now: datetime,
) -> None:
    """Write the derived rows, failed tries, incidents and audit entry of a new instance."""
    write_derived(uow, instance_id, business_key, wait, now, incidents=[f for f, _ in settled.incidents])
    settled.write(uow, instance_id, now)
    uow.audit.append(
        at=now,
        actor_kind=actor.kind,
        actor=actor.name,
        action="start",
        outcome=settled.outcome,
        instance_id=instance_id,
        data=_jsonable(audit.data),
        detail=_failure_text(wait),
    )


def cancel(services: Services, instance_id: str, actor: Actor, reason: str) -> Outcome:
    """Cancel an instance: every open task and wait ends; recorded with the reason."""

    def apply(loaded: Loaded) -> WaitState:
        services.engine.cancel(loaded.workflow)
        return WaitState(status="cancelled")

    return on_instance(
        services,
        instance_id,
        actor,
        Audit("cancel", data={"reason": reason}),
        apply,
        status="cancelled",
        ignore_suspension=True,
    )


def set_suspended(
    services: Services, instance_id: str, actor: Actor, reason: str, suspended: bool
) -> Outcome:
    """Suspend or resume an instance; a suspended instance takes no trigger and fires no timer."""
    action = "suspend" if suspended else "resume"

    def apply(loaded: Loaded) -> WaitState:
        if loaded.row.suspended == suspended:
            raise Conflict(
                f"process instance {instance_id} is already {'suspended' if suspended else 'active'}"
            )
        loaded.uow.instances.set_suspended(instance_id, suspended)
        loaded.takes_buffered = not suspended  # a suspended instance takes no message
        return services.engine.wait_state(loaded.workflow)

    return on_instance(
        services, instance_id, actor, Audit(action, data={"reason": reason}), apply, ignore_suspension=True
    )


def retry(services: Services, instance_id: str, actor: Actor) -> Outcome:
    """Retry the failed tasks of an instance (after the cause of its incident was fixed)."""

    def apply(loaded: Loaded) -> WaitState:
        if not loaded.row.has_incident and loaded.row.retry_at is None:
            raise Conflict(f"process instance {instance_id} has no incident to retry")
        failed = {f.task_id for f in services.engine.wait_state(loaded.workflow).failures}
        loaded.attempts.retried.update(failed)
        wait = services.engine.retry_failed(loaded.workflow, failed)
        if not wait.failures:
            loaded.uow.incidents.resolve_all(instance_id, services.clock.now(), f"{actor.kind}:{actor.name}")
        return wait

    return on_instance(services, instance_id, actor, Audit("retry"), apply)
