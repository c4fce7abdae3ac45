"""Triggers the background runner sets off: take one due instance, run it, commit.

The instance is taken and processed in the same transaction: on PostgreSQL it stays locked
(``FOR UPDATE SKIP LOCKED``) until the commit, so two workers never take the same one, and a worker
killed half-way leaves nothing behind (its connection dies, the transaction rolls back, the lock
goes, and the work is still due for the next taker). An instance whose processing raises something
that is not a database hiccup is quarantined with an incident, so it cannot block the queue.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy.exc import OperationalError

from service.engine import WaitState
from service.store import UnitOfWork
from service.store.repositories.instances import InstanceRow

from .actors import Actor
from .trigger import Audit, Loaded, run_on

if TYPE_CHECKING:
    from service.bootstrap import Services

log = logging.getLogger("rcp.jobs")

Take = Callable[[UnitOfWork], "InstanceRow | None"]


class _Unprocessable(Exception):
    def __init__(self, instance_id: str) -> None:
        super().__init__(instance_id)
        self.instance_id = instance_id


def take_and_run(
    services: Services,
    take: Take,
    actor: Actor,
    audit: Audit,
    apply: Callable[[Loaded], WaitState],
) -> str | None:
    """Take one due instance with ``take`` and run ``apply`` on it; return its id (None: none due)."""

    def work(uow: UnitOfWork) -> str | None:
        row = take(uow)
        if row is None:
            return None
        try:
            run_on(services, uow, row, actor, audit, apply)
        except OperationalError:
            raise  # a lock or deadlock: Database.run tries again
        except Exception as exc:
            raise _Unprocessable(row.id) from exc
        return row.id

    try:
        return services.db.run(work)
    except _Unprocessable as exc:
        quarantine(services, exc.instance_id, actor, audit, exc.__cause__ or exc)
        return exc.instance_id


def quarantine(services: Services, instance_id: str, actor: Actor, audit: Audit, exc: BaseException) -> None:
    """Give an instance that cannot be processed an incident and take it off the due lists."""
    log.error("background %s on instance %s failed: %s", audit.action, instance_id, exc, exc_info=exc)
    detail = "".join(traceback.format_exception(exc))[-8000:]
    message = f"{audit.action} could not run: {type(exc).__name__}: {exc}"[:2000]

    def work(uow: UnitOfWork) -> None:
        if uow.instances.get(instance_id, lock=True) is None:
            return
        now = services.clock.now()
        uow.due.quarantine(instance_id)
        uow.incidents.record(instance_id, "", f"({audit.action})", message, detail, now)
        uow.audit.append(
            at=now,
            actor_kind=actor.kind,
            actor=actor.name,
            action=audit.action,
            outcome="incident",
            instance_id=instance_id,
            detail=message,
        )
        uow.commit()

    services.db.run(work)
