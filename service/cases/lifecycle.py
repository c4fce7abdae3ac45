"""Start, cancel, suspend, resume and retry process instances."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from service.engine import WaitState
from service.engine.serializer import SERIALIZER_VERSION
from service.errors import Conflict, NotFound
from service.ids import new_id
from service.store import UnitOfWork

from . import forms
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
    audit = Audit(
        "start", data={"processKey": process_key, "businessKey": business_key, "variables": variables}
    )

    def work(uow: UnitOfWork) -> Outcome:
        definition = (
            uow.definitions.by_version(process_key, version)
            if version is not None
            else uow.definitions.latest(process_key)
        )
        if definition is None:
            raise NotFound(
                f"no deployed process definition '{process_key}'"
                + (f" version {version}" if version is not None else ""),
                processKey=process_key,
            )
        forms.validate(variables, definition.start_schema, f"start variables of {process_key}")
        called = services.catalog.resolve_called(uow, definition)
        bundle = services.catalog.bundle(uow, definition.id, called)
        instance_id = new_id()
        engine = script_engine_for(services, uow, instance_id, business_key)
        workflow = services.engine.new_workflow(bundle, variables, engine)
        wait = services.engine.advance(workflow)
        if start_message is not None:
            wait = services.engine.deliver_message(workflow, *start_message)
        now = services.clock.now()
        uow.instances.insert(
            id=instance_id,
            definition_id=definition.id,
            process_key=process_key,
            called_definitions=called,
            business_key=business_key,
            status=wait.status,
            suspended=False,
            has_incident=bool(wait.failures),
            state=services.engine.dump(workflow),
            serializer_version=SERIALIZER_VERSION,
            version=1,
            variables=_jsonable(services.engine.task_data(workflow)),
            next_timer_due=wait.next_timer_due,
            created_at=now,
            updated_at=now,
            completed_at=now if wait.status == "completed" else None,
            waits=waits_of(wait),
            started_by=f"{actor.kind}:{actor.name}",
        )
        write_derived(uow, instance_id, business_key, wait, now)
        for f in wait.failures:
            uow.incidents.record(instance_id, f.task_id, f.task_name, f.message, f.detail, now)
        uow.audit.append(
            at=now,
            actor_kind=actor.kind,
            actor=actor.name,
            action="start",
            outcome="incident" if wait.failures else "ok",
            instance_id=instance_id,
            data=_jsonable(audit.data),
            detail=_failure_text(wait),
        )
        uow.commit()
        if wait.status != "completed":
            services.live.put(instance_id, 1, workflow)
        return Outcome(instance_id, 1, wait.status, wait, business_key)

    return guarded(services, actor, audit, lambda: services.db.run(work), None)


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
        return services.engine.wait_state(loaded.workflow)

    return on_instance(
        services, instance_id, actor, Audit(action, data={"reason": reason}), apply, ignore_suspension=True
    )


def retry(services: Services, instance_id: str, actor: Actor) -> Outcome:
    """Retry the failed tasks of an instance with an incident (after the cause was fixed)."""

    def apply(loaded: Loaded) -> WaitState:
        if not loaded.row.has_incident:
            raise Conflict(f"process instance {instance_id} has no incident to retry")
        wait = services.engine.retry_failed(loaded.workflow)
        if not wait.failures:
            loaded.uow.incidents.resolve_all(instance_id, services.clock.now(), f"{actor.kind}:{actor.name}")
        return wait

    return on_instance(services, instance_id, actor, Audit("retry"), apply)
