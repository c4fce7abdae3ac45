"""Hand buffered messages to an instance the moment it starts waiting for them (same transaction).

Every trigger that leaves an instance with message subscriptions calls ``settle`` before saving:
a live buffered message that fits one of them is delivered at once, which may lead to another
wait, and so on. ``record`` then writes one audit entry per message taken, after the trigger's.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from service.engine.values import MessageIncomplete, NotWaiting, Subscription, WaitState
from service.store import UnitOfWork
from service.store.rows import BufferedMessageRow

if TYPE_CHECKING:
    from service.engine.values import Workflow
    from service.services import Services

MAX_CHAIN = 20  # buffered messages one trigger may take in a row (each may lead to the next wait)


def settle(
    services: Services,
    uow: UnitOfWork,
    instance_id: str,
    business_key: str | None,
    workflow: Workflow,
    wait: WaitState,
) -> tuple[WaitState, list[BufferedMessageRow]]:
    """Deliver fitting buffered messages to the workflow; return the new wait state and what it took."""
    taken: list[BufferedMessageRow] = []
    now = services.clock.now()
    for _ in range(MAX_CHAIN):
        if not wait.subscriptions or wait.failures:
            break
        names = {s.message_name for s in wait.subscriptions}
        uow.mailbox.lock_names(names, exclusive=False)
        pending = uow.mailbox.pending_for(names, business_key, instance_id, now)
        fitting = [m for m in pending if any(_fits(m, s) for s in wait.subscriptions)]
        after = next(
            (w for m in fitting if (w := _deliver(services, uow, instance_id, workflow, m, now))), None
        )
        if after is None:
            break
        wait, message = after
        taken.append(message)
    return wait, taken


def _deliver(
    services: Services,
    uow: UnitOfWork,
    instance_id: str,
    workflow: Workflow,
    message: BufferedMessageRow,
    now: datetime,
) -> tuple[WaitState, BufferedMessageRow] | None:
    """Hand one buffered message to the workflow; None (and nothing changed) when it is refused."""
    payload = {**message["variables"], **message["correlation_keys"]}
    try:
        with uow.savepoint():
            if not uow.mailbox.take(message["id"], instance_id, now):
                return None
            return services.engine.deliver_message(workflow, message["message_name"], payload), message
    except (NotWaiting, MessageIncomplete):
        return None  # the engine refuses it: the message stays buffered for another instance


def _fits(message: BufferedMessageRow, subscription: Subscription) -> bool:
    """The name matches and the message carries every correlation value the instance expects."""
    given = {**message["variables"], **message["correlation_keys"]}
    return subscription.message_name == message["message_name"] and all(
        key in given and given[key] == value for key, value in subscription.correlation.items()
    )


def record(uow: UnitOfWork, instance_id: str, taken: list[BufferedMessageRow], now: Any) -> None:
    """Write the audit entry of each buffered message an instance took, as its sender's trigger."""
    for m in taken:
        uow.audit.append(
            at=now,
            actor_kind=m["sender_kind"],
            actor=m["sender"],
            action="message",
            outcome="ok",
            instance_id=instance_id,
            data={
                "messageName": m["message_name"],
                "businessKey": m["business_key"],
                "correlationKeys": m["correlation_keys"],
                "variables": m["variables"],
                "bufferedMessageId": m["id"],
                "bufferedAt": m["created_at"].isoformat(),
            },
        )
