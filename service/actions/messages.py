"""Deliver messages to the one instance waiting for them (or start one on a message start event)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from service.actions import demand_checks, starting
from service.definitions import forms
from service.engine.values import MessageIncomplete, NotWaiting, WaitState
from service.errors import Conflict, FieldError, InvalidData, NotFound
from service.identity.actors import Actor
from service.ids import fitted, is_id
from service.store import UnitOfWork
from service.store.rows import DefinitionRow
from service.trigger.core import Answering, Loaded, Outcome, guarded, on_instance
from service.trigger.correlation import correlates
from service.trigger.save import Audit

if TYPE_CHECKING:
    from service.services import Services


def deliver(
    services: Services,
    message_name: str,
    actor: Actor,
    *,
    business_key: str | None = None,
    instance_id: str | None = None,
    correlation_keys: dict[str, Any] | None = None,
    variables: dict[str, Any] | None = None,
    answer: Answering | None = None,
) -> Outcome:
    """Route a message by business key / instance and correlation values; exactly one must match."""
    correlation_keys = correlation_keys or {}
    variables = variables or {}
    payload = {**variables, **correlation_keys}
    data = {"businessKey": business_key, "correlationKeys": correlation_keys, "variables": variables}
    audit = Audit("message", data={"messageName": message_name, **data})
    forms.check_names(payload)
    target = guarded(
        services,
        actor,
        audit,
        lambda: _route(services, message_name, business_key, instance_id, correlation_keys),
        instance_id,
    )
    if target is None:
        return _start_on_message(services, message_name, actor, business_key, payload, answer)

    def apply(loaded: Loaded) -> WaitState:
        check_documents(loaded.uow, loaded.row.business_key, variables)
        demand_checks.check_extension_request(loaded.uow, message_name, payload, services.clock.now())
        try:
            return services.engine.deliver_message(loaded.workflow, message_name, payload)
        except NotWaiting as exc:
            raise Conflict(str(exc), instanceId=loaded.row.id) from None
        except MessageIncomplete as exc:
            field = f"correlationKeys.{exc.property_id}"
            raise InvalidData(str(exc), [FieldError(field, str(exc))]) from None

    return on_instance(services, target, actor, audit, apply, answer=answer)


def _route(
    services: Services,
    message_name: str,
    business_key: str | None,
    instance_id: str | None,
    correlation_keys: dict[str, Any],
) -> str | None:
    with services.db.unit_of_work(readonly=True) as uow:
        matching, starters = candidates(uow, message_name, business_key, instance_id, correlation_keys)
    if len(matching) == 1:
        return matching.pop()
    if len(matching) > 1:
        raise Conflict(
            f"{len(matching)} instances wait for message '{message_name}'; add correlation keys",
            candidates=sorted(matching),
        )
    if starters and instance_id is None:
        return None
    wanted = ", ".join(
        f"{k}={v!r}"
        for k, v in {
            "businessKey": business_key,
            "processInstanceId": instance_id,
            **correlation_keys,
        }.items()
        if v is not None
    )
    raise NotFound(
        f"no instance waits for message '{message_name}'" + (f" with {wanted}" if wanted else ""),
        messageName=message_name,
    )


def candidates(
    uow: UnitOfWork,
    message_name: str,
    business_key: str | None,
    instance_id: str | None,
    correlation_keys: dict[str, Any],
) -> tuple[set[str], list[DefinitionRow]]:
    """Return the instances whose subscriptions match, and the processes starting on the message."""
    subscriptions = uow.subscriptions.find(message_name, business_key=business_key, instance_id=instance_id)
    starters = uow.definitions.starting_on_message(message_name) if not subscriptions else []
    matching = {s["instance_id"] for s in subscriptions if correlates(s["correlation"], correlation_keys)}
    return matching, starters


def _start_on_message(
    services: Services,
    message_name: str,
    actor: Actor,
    business_key: str | None,
    payload: dict[str, Any],
    answer: Answering | None,
) -> Outcome:
    with services.db.unit_of_work(readonly=True) as uow:
        starters = uow.definitions.starting_on_message(message_name)
    if len(starters) != 1:
        raise Conflict(f"{len(starters)} processes start on message '{message_name}'")
    return starting.start(
        services,
        starters[0].key,
        {},
        actor,
        business_key=business_key,
        start_message=(message_name, payload),
        answer=answer,
    )


def check_documents(uow: UnitOfWork, business_key: str | None, variables: dict[str, Any]) -> None:
    """Refuse (422) a ``documents`` variable referring to anything but live documents of the case."""
    # The references integrators send with records_produced / information_received
    # (service/api/documents.py): ids or {"id": ...}, attached to this case beforehand. Other
    # entries (a file's name, a description) are what the sender says, kept as sent.
    refs = variables.get("documents")
    listed = refs if isinstance(refs, list) else [refs]
    fields = (
        [f"variables.documents[{i}]" for i in range(len(listed))]
        if isinstance(refs, list)
        else ["variables.documents"]
    )
    errors = [
        FieldError(f, why)
        for f, ref in zip(fields, listed, strict=True)
        if (why := _flaw(uow, business_key, ref))
    ]
    if errors:
        raise InvalidData("the message refers to documents that are not this case's", errors)


def _flaw(uow: UnitOfWork, business_key: str | None, ref: Any) -> str | None:
    found = (ref.get("id") or ref.get("document_id")) if isinstance(ref, Mapping) else ref
    if not isinstance(found, str) or not (isinstance(ref, Mapping) or is_id(found)):
        return None  # not a reference: a name or description the sender gave
    row = uow.documents.get(found) if is_id(found) else None
    if row is None or row["business_key"] != business_key:
        return f"document {fitted(found)} is not attached to case {business_key}"
    if row["deleted_at"] is not None:
        return f"document {found} was deleted"
    return None
