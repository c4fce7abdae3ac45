"""Find process instances by filters, a page at a time (keyset cursor: stable while cases start)."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from service.errors import FieldError, InvalidData
from service.store.rows import InstanceListingRow, InstanceQuery

if TYPE_CHECKING:
    from service.services import Services

VARIABLE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")


def encode_cursor(created: datetime, instance_id: str, descending: bool) -> str:
    raw = json.dumps({"c": created.isoformat(), "i": instance_id, "d": descending}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str, bool]:
    """Read a cursor this service handed out; anything else is a 422 naming the parameter."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        created = datetime.fromisoformat(raw["c"])
        if created.tzinfo is None or not isinstance(raw["i"], str) or not isinstance(raw["d"], bool):
            raise ValueError("incomplete cursor")
        return created, raw["i"], raw["d"]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidData(
            "cursor is not one this service handed out", [FieldError("cursor", "invalid cursor")]
        ) from None


def instances(services: Services, query: InstanceQuery, cursor: str | None = None) -> dict[str, Any]:
    """Return ``{items, nextCursor}``: one page of instance summaries and where the next begins."""
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
        created, instance_id, descending = decode_cursor(cursor)
        if descending != query.descending:
            raise InvalidData(
                "the cursor belongs to the other sort order", [FieldError("cursor", "sortOrder changed")]
            )
        query = replace(query, after=(created, instance_id))
    with services.db.unit_of_work(readonly=True) as uow:
        rows = uow.search.instances(replace(query, limit=query.limit + 1))
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    last = rows[-1] if rows else None
    return {
        "items": [summary_view(r) for r in rows],
        "nextCursor": encode_cursor(last["created_at"], last["id"], query.descending)
        if more and last
        else None,
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
