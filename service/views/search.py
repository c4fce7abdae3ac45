"""Find process instances by filters, a page at a time (keyset cursor: stable while cases start)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from service.errors import FieldError, InvalidData
from service.store.rows import InstanceListingRow, InstanceQuery

if TYPE_CHECKING:
    from service.services import Services

VARIABLE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")


CURSOR_PATTERN = r"^[0-9]{1,17}_[0-9a-f-]{1,36}$"  # microseconds since 1970 (UTC), "_", the id
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def encode_cursor(created: datetime, instance_id: str) -> str:
    """Return the position after an instance: its start time and id (the sort's tie-breaker)."""
    micros = (created - EPOCH) // timedelta(microseconds=1)
    return f"{micros}_{instance_id}"


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """Read a position; anything but the pattern (which the API checks first) is a 422."""
    if not re.fullmatch(CURSOR_PATTERN, cursor):
        raise InvalidData(
            "cursor is not one this service handed out", [FieldError("cursor", "invalid cursor")]
        )
    micros, _, instance_id = cursor.partition("_")
    return EPOCH + timedelta(microseconds=int(micros)), instance_id


def instances(services: Services, query: InstanceQuery, cursor: str | None = None) -> dict[str, Any]:
    """Return ``{items, next}``: one page of instance summaries and where the next begins."""
    bad = [
        FieldError("variables", f"'{n}' is not a variable name")
        for n, _ in query.variables
        if not VARIABLE_NAME.match(n)
    ]
    bad += [
        FieldError("variables", f"'{n}' can only be compared with a string, number, boolean or null")
        for n, v in query.variables
        if isinstance(v, dict | list)
    ]
    if bad:
        raise InvalidData("the variable filter is not valid", bad)
    if cursor is not None:
        # A position, not a page: it reads on in whichever order the query asks for.
        query = replace(query, after=decode_cursor(cursor))
    with services.db.unit_of_work(readonly=True) as uow:
        rows = uow.search.instances(replace(query, limit=query.limit + 1))
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    last = rows[-1] if rows else None
    return {
        "items": [summary_view(r) for r in rows],
        "next": encode_cursor(last["created_at"], last["id"]) if more and last else None,
    }


def summary_view(r: InstanceListingRow) -> dict[str, Any]:
    return {
        "id": r["id"],
        "processKey": r["process_key"],
        "definitionVersion": r["definition_version"],
        "businessKey": r["business_key"],
        "status": r["status"],
        "suspended": r["suspended"],
        "hasIncident": r["has_incident"],
        "version": r["version"],
        "created": r["created_at"].isoformat(),
        "updated": r["updated_at"].isoformat(),
        "completed": r["completed_at"].isoformat() if r["completed_at"] else None,
        "startedBy": r["started_by"],
        "nextTimerDue": r["next_timer_due"].isoformat() if r["next_timer_due"] else None,
    }
