"""Triggers the background runner sets off: take due instances, run each, commit.

Instances are taken and processed in the same transaction: on PostgreSQL they stay locked
(``FOR UPDATE SKIP LOCKED``) until the commit, so two workers never take the same one, and a worker
killed half-way leaves nothing behind (its connection dies, the transaction rolls back, the locks
go, and the work is still due for the next taker). Timers are taken in small batches, so a commit
(a disk flush) is shared by the batch. An instance whose processing raises something that is not a
database hiccup is quarantined with an incident, so it cannot block the queue.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from service.engine.values import WaitState
from service.errors import Busy
from service.identity.actors import Actor
from service.store import UnitOfWork
from service.store.rows import InstanceRow
from service.trigger.core import Loaded, step
from service.trigger.save import Audit

if TYPE_CHECKING:
    from service.services import Services

log = logging.getLogger("rcp.jobs")

TakeMany = Callable[[UnitOfWork, datetime, int], list[InstanceRow]]


def run_due(
    services: Services,
    take: TakeMany,
    actor: Actor,
    audit: Callable[[], Audit],
    apply: Callable[[Loaded], WaitState],
    *,
    batch: int,
) -> list[str]:
    """Take up to ``batch`` due instances, run ``apply`` on each, commit once; return their ids.

    An instance that cannot be processed rolls the batch back; it is quarantined and the others
    are taken again by the next call (rare, so no savepoint per instance is paid for).
    """
    stepping: list[tuple[str, Audit]] = []  # the instance being stepped, while it is

    def work(uow: UnitOfWork) -> list[str]:
        stepping.clear()
        keeps: dict[str, Callable[[], None]] = {}
        for row in take(uow, services.clock.now(), batch):
            entry = audit()
            stepping[:] = [(row.id, entry)]
            keeps[row.id] = step(services, uow, row, actor, entry, apply)[1]
        stepping.clear()
        uow.commit()
        for keep in keeps.values():
            keep()
        return list(keeps)

    started = time.perf_counter()
    try:
        # A lock or deadlock meets Database.run, which tries the whole batch again.
        done = services.db.run(work)
    except Busy:
        raise
    except Exception as exc:
        if not stepping:
            raise
        instance_id, entry = stepping[0]
        quarantine(services, instance_id, actor, entry, exc)
        _observe(services, entry.action, "failed", started, 1)
        return [instance_id]
    _observe(services, audit().action, "completed", started, len(done))
    return done


def _observe(services: Services, kind: str, outcome: str, started: float, count: int) -> None:
    # One commit serves the batch: each instance is counted with its share of the time.
    share = (time.perf_counter() - started) / max(count, 1)
    for _ in range(count):
        services.observe_trigger(kind, outcome, share)


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

    services.live.forget(instance_id)
    services.db.run(work)
