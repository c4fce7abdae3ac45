"""Incidents: instances whose failed steps ran out of tries, listed and retried by people.

An incident holds the error, the stack and how many tries were made (``retries``); a supervisor
(or an integrator with the ``start`` scope) retries it once the cause is fixed.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from service.errors import FieldError, Forbidden, InvalidData
from service.identity.actors import Actor
from service.store.rows import IncidentListingRow

if TYPE_CHECKING:
    from service.services import Services

STATUSES = {"open": False, "resolved": True, "all": None}
MAX_LIMIT = 500


def listing(
    services: Services,
    actor: Actor,
    *,
    status: str = "open",
    process_key: str | None = None,
    business_key: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """List incidents, newest first: open ones (default), resolved ones, or all."""
    if actor.kind == "user" and not actor.is_supervisor:
        raise Forbidden("incidents are for supervisors")
    errors = []
    if status not in STATUSES:
        errors.append(FieldError("status", f"must be one of {', '.join(STATUSES)}"))
    # One more than the largest page: a pager reads it to learn whether another page follows.
    if not 1 <= limit <= MAX_LIMIT + 1:
        errors.append(FieldError("limit", f"must be between 1 and {MAX_LIMIT}"))
    if errors:
        raise InvalidData("the incident filter is not valid", errors)
    with services.db.unit_of_work(readonly=True) as uow:
        rows = uow.incidents.listing(
            resolved=STATUSES[status],
            process_key=process_key,
            business_key=business_key,
            limit=limit,
            offset=offset,
        )
    return [view(r) for r in rows]


def view(row: IncidentListingRow) -> dict[str, Any]:
    """Describe one incident for the API and the pages."""
    return {
        "id": row["id"],
        "instanceId": row["instance_id"],
        "processKey": row["process_key"],
        "businessKey": row["business_key"],
        "instanceStatus": row["instance_status"],
        "element": row["task_name"],
        "taskId": row["task_id"] or None,
        "message": row["message"],
        "stack": row["detail"],
        "attempts": row["attempts"],
        "created": _iso(row["created_at"]),
        "resolved": _iso(row["resolved_at"]),
        "resolvedBy": row["resolved_by"],
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
