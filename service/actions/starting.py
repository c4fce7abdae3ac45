"""Start process instances: run each to its first wait state in one transaction.

``start`` serves staff, messages with a start event and tests; ``start_once`` serves integrators,
exactly once per ``Idempotency-Key``: the key is claimed, the instance started and the response
stored in one transaction. A twin request arriving meanwhile waits on the key's unique index
(PostgreSQL) or on the write lock (SQLite), then finds the stored response and returns it: one
instance, one answer. A refused start (unknown process, invalid variables) stores nothing, so it
can be retried with the key.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, NoReturn

from service.actions import demand_checks, reported
from service.definitions import forms
from service.engine.values import Workflow
from service.errors import Conflict, Duplicate, FieldError, InvalidData, NotFound
from service.identity.actors import Actor
from service.ids import new_id
from service.store import UnitOfWork
from service.store.rows import DefinitionRow, IdempotencyRow
from service.trigger import buffering, failures, save
from service.trigger.core import Answering, Outcome, guarded, script_engine_for
from service.trigger.save import Audit
from service.views import instances

if TYPE_CHECKING:
    from service.services import Services


def start(
    services: Services,
    process_key: str,
    variables: dict[str, Any],
    actor: Actor,
    *,
    business_key: str | None = None,
    version: int | None = None,
    start_message: tuple[str, dict[str, Any]] | None = None,
    answer: Answering | None = None,
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
        view = answer(uow, begun.outcome.instance_id) if answer is not None else None
        uow.commit()
        committed = begun.committed(services)
        return committed if view is None else replace(committed, answer=view())

    audit = start_audit(process_key, variables, business_key)
    try:
        return guarded(services, actor, audit, lambda: services.db.run(work), None)
    except Duplicate:
        guarded(services, actor, audit, lambda: raced(services, process_key, business_key), None)
        raise


def start_audit(
    process_key: str, variables: dict[str, Any], business_key: str | None, reason: str | None = None
) -> Audit:
    """Return the audit entry of a start (also written when the start is refused)."""
    data = {"processKey": process_key, "businessKey": business_key, "variables": variables}
    return Audit("start", data=data if reason is None else {**data, "reason": reason})


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
    startable_only: bool = False,
    reason: str | None = None,
) -> Begun:
    """Start an instance inside ``uow`` without committing (callers add their rows, then commit).

    ``startable_only``: refuse a process without a start schema (integrators start only those).
    """
    # Asked for before the definition is read, so on PostgreSQL all three come back in its round
    # trip (a definition's key is the process key asked for).
    uow.webhooks.expect()
    open_case = (
        uow.instances.expect_open_case(process_key, business_key) if business_key is not None else None
    )
    definition = _definition(services, uow, process_key, version)
    if startable_only and definition.start_schema is None:
        _not_startable(uow, definition)
    if open_case is not None:
        _check_no_open_case(open_case(), process_key, business_key)
    forms.validate(variables, definition.start_schema, f"start variables of {process_key}")
    reported.check(variables, services.clock.now(), "variables.")
    demand_checks.check_failure_report(
        uow, process_key, variables, services.clock.now(), services.settings.program
    )
    variables = forms.with_defaults(variables, definition.start_schema)
    called = services.catalog.resolve_called(uow, definition)
    new = save.NewInstance(new_id(), definition, called, business_key)
    attempts = failures.Attempts()
    engine = script_engine_for(services, uow, new.id, business_key, attempts)
    bundle = services.catalog.bundle(uow, definition.id, called)
    workflow = services.engine.new_workflow(bundle, variables, engine)
    wait = services.engine.advance(workflow)
    if start_message is not None:
        wait = services.engine.deliver_message(workflow, *start_message)
    wait, taken = buffering.settle(services, uow, new.id, business_key, workflow, wait)
    audit = start_audit(process_key, variables, business_key, reason)
    status = save.insert(services, uow, new, workflow, wait, actor, audit, attempts)
    buffering.record(uow, new.id, taken, services.clock.now())
    return Begun(Outcome(new.id, 1, status, wait, business_key), workflow)


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


def _check_no_open_case(open_case: str | None, process_key: str, business_key: str | None) -> None:
    """Refuse a second open case of a process with the same business key (409 naming the first)."""
    if open_case is not None:
        raise Conflict(
            f"case {open_case} of {process_key} with business key {business_key!r} is still open; "
            "follow it instead of starting another (the key is free again once it is closed)",
            instanceId=open_case,
        )


def raced(services: Services, process_key: str, business_key: str | None) -> None:
    """After a unique violation: refuse when a twin start committed an open case with the key."""
    if business_key is None:
        return
    with services.db.unit_of_work(readonly=True) as uow:
        _check_no_open_case(uow.instances.open_case(process_key, business_key), process_key, business_key)


def _not_startable(uow: UnitOfWork, definition: DefinitionRow) -> NoReturn:
    """Refuse to start a process without a start schema, saying who starts it instead."""
    key = definition.key
    callers = sorted(d.key for d in uow.definitions.latest_all() if key in d.called_keys)
    if callers:
        how = f"{key} is started by the program within a case of {' or '.join(callers)}"
    elif definition.start_messages:
        how = f"{key} starts on the message '{definition.start_messages[0]}' (POST /messages)"
    else:
        how = f"{key} is started by the program"
    raise InvalidData(
        f"{how}, not through the API",
        [FieldError("key", f"{key} has no start schema: integrators cannot start it")],
    )


OPERATION = "startProcessInstance"


@dataclass(frozen=True)
class Started:
    """The answer to a start: HTTP status, the instance view, and whether it is a replay."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


def start_once(
    services: Services,
    process_key: str,
    variables: dict[str, Any],
    actor: Actor,
    *,
    business_key: str | None = None,
    version: int | None = None,
    idempotency_key: str | None = None,
) -> Started:
    """Start an instance and return its view; with a key, a repeat returns the first answer."""
    digest = _digest(process_key, variables, business_key, version)

    def work(uow: UnitOfWork) -> Started:
        record = None
        if idempotency_key is not None:
            found = uow.idempotency.find(actor.name, idempotency_key, services.clock.now())
            if found is not None:
                return _replay(found, digest)
            record = _claim(services, uow, actor, idempotency_key, digest)
        begun = begin(
            services,
            uow,
            process_key,
            variables,
            actor,
            business_key=business_key,
            version=version,
            startable_only=True,
        )
        view = instances.answering(services)(uow, begun.outcome.instance_id)
        if record is not None:  # the answer is stored with the start: read before the commit
            uow.idempotency.complete(record, 201, view(), begun.outcome.instance_id)
        uow.commit()
        begun.committed(services)
        return Started(201, view())

    audit = start_audit(process_key, variables, business_key)
    try:
        return guarded(services, actor, audit, lambda: services.db.run(work), None)
    except Duplicate:
        # A twin committed first while this one waited: with the same Idempotency-Key, answer as
        # it did; otherwise it started a case with the same business key (409 naming it).
        def twin() -> Started:
            found = _stored(services, actor, idempotency_key) if idempotency_key is not None else None
            if found is None:
                raced(services, process_key, business_key)
                raise RuntimeError("a start met a unique key that names no twin")
            return _replay(found, digest)

        return guarded(services, actor, audit, twin, None)


def _claim(services: Services, uow: UnitOfWork, actor: Actor, key: str, digest: str) -> int:
    """Claim the key for this request until its answer is stored (a twin waits on it)."""
    now = services.clock.now()
    expires = now + services.settings.api.idempotency_ttl
    return uow.idempotency.claim(actor.name, key, OPERATION, digest, now, expires)


def _digest(
    process_key: str, variables: dict[str, Any], business_key: str | None, version: int | None
) -> str:
    request: dict[str, Any] = {"processKey": process_key, "businessKey": business_key, "variables": variables}
    if version is not None:
        request["version"] = version
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


def _stored(services: Services, actor: Actor, key: str) -> IdempotencyRow | None:
    with services.db.unit_of_work(readonly=True) as uow:
        return uow.idempotency.find(actor.name, key, services.clock.now())


def _replay(found: IdempotencyRow, digest: str) -> Started:
    if found["request_hash"] != digest:
        raise InvalidData(
            "this Idempotency-Key was used with a different request; use a new key for a new request",
            [FieldError("Idempotency-Key", "already used with a different request body")],
        )
    return Started(found["response_status"], found["response_body"], replayed=True)
