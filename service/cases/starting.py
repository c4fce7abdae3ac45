"""Start an instance for an integrator, exactly once per ``Idempotency-Key``.

The key is claimed, the instance started and the response stored in one transaction. A twin
request arriving meanwhile waits on the key's unique index (PostgreSQL) or on the write lock
(SQLite), then finds the stored response and returns it: one instance, one answer. A refused
start (unknown process, invalid variables) stores nothing, so it can be retried with the key.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

from service.errors import FieldError, InvalidData
from service.store import UnitOfWork

from . import lifecycle, queries
from .actors import Actor
from .trigger import guarded

if TYPE_CHECKING:
    from service.bootstrap import Services

OPERATION = "startProcessInstance"


@dataclass(frozen=True)
class Started:
    """The answer to a start: HTTP status, the instance view, and whether it is a replay."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


def start(
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
        now = services.clock.now()
        record = None
        if idempotency_key is not None:
            found = uow.idempotency.find(actor.name, idempotency_key, now)
            if found is not None:
                return _replay(found, digest)
            expires = now + services.settings.api.idempotency_ttl
            record = uow.idempotency.claim(actor.name, idempotency_key, OPERATION, digest, now, expires)
        begun = lifecycle.begin(
            services, uow, process_key, variables, actor, business_key=business_key, version=version
        )
        instance_id = begun.outcome.instance_id
        body = queries.instance_in(services, uow, instance_id)
        if record is not None:
            uow.idempotency.complete(record, 201, body, instance_id)
        uow.commit()
        begun.committed(services)
        return Started(201, body)

    audit = lifecycle.start_audit(process_key, variables, business_key)
    try:
        return guarded(services, actor, audit, lambda: services.db.run(work), None)
    except IntegrityError:
        if idempotency_key is None:
            raise
    # A twin with the same key committed first while this one waited: answer as it did.
    return guarded(
        services, actor, audit, lambda: _replay_twin(services, actor, idempotency_key, digest), None
    )


def _digest(
    process_key: str, variables: dict[str, Any], business_key: str | None, version: int | None
) -> str:
    request: dict[str, Any] = {"processKey": process_key, "businessKey": business_key, "variables": variables}
    if version is not None:
        request["version"] = version
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


def _replay_twin(services: Services, actor: Actor, key: str, digest: str) -> Started:
    with services.db.unit_of_work(readonly=True) as uow:
        found = uow.idempotency.find(actor.name, key, services.clock.now())
    if found is None:
        raise RuntimeError("idempotency key vanished right after a conflict on it")
    return _replay(found, digest)


def _replay(found: dict[str, Any], digest: str) -> Started:
    if found["request_hash"] != digest:
        raise InvalidData(
            "this Idempotency-Key was used with a different request; use a new key for a new request",
            [FieldError("Idempotency-Key", "already used with a different request body")],
        )
    return Started(found["response_status"], found["response_body"], replayed=True)
