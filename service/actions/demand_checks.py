"""A failure to produce may be reported only once the §163.6(a) production period has ended.

``notice_of_violation`` is started by the audit system with the demand's due date; a demand that
``record_demand`` tracks starts it itself when its period ends (with any extension granted), so a
report of the same demand from outside is refused, as is one whose period still runs or whose
records were produced.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from handlers.deadlines import deadline_zone
from handlers.demands import OPEN, PRODUCED, late_extension
from service.errors import Conflict, FieldError, InvalidData
from service.store import UnitOfWork
from service.store.repositories.program_cases import CaseRecords

REPORTS_FAILURE = "notice_of_violation"
ASKS_EXTENSION = "extension_requested"


def check_failure_report(
    uow: UnitOfWork, process_key: str, variables: dict[str, Any], now: datetime, program: dict[str, Any]
) -> None:
    """Refuse a failure reported for a demand whose production period has not ended (§163.6(a))."""
    if process_key != REPORTS_FAILURE:
        return
    number = str(variables.get("demand_number", ""))
    found = CaseRecords(uow.conn, lambda: now).demand(number)
    due = date.fromisoformat(str(variables["due_on"])[:10])
    if found is not None and found["status"] == OPEN:
        due = max(due, found["due_on"])
    today = now.astimezone(deadline_zone(program)).date()
    if today <= due:
        after = (due + timedelta(days=1)).isoformat()
        message = (
            f"the production period runs until {due.isoformat()} (19 CFR 163.6(a));"
            f" report a failure from {after}"
        )
        raise InvalidData("the production period has not ended", [FieldError("variables.due_on", message)])
    if found is not None and found["status"] == PRODUCED:
        raise Conflict(f"demand {number} was met: its records were produced (19 CFR 163.6(a))")
    if found is not None and found["status"] == OPEN:
        raise Conflict(
            f"demand {number} is tracked by its record_demand case, which starts the notice of violation"
            " itself when the production period ends (19 CFR 163.6(a))"
        )


def check_extension_request(
    uow: UnitOfWork, message_name: str, payload: dict[str, Any], now: datetime
) -> None:
    """Refuse (422) an extension request made on or after the demand's due date (§163.6(a))."""
    if message_name != ASKS_EXTENSION:
        return
    number = str(payload.get("demand_number", ""))
    found = CaseRecords(uow.conn, lambda: now).demand(number)
    raw = payload.get("requested_on")
    if found is None or found["status"] != OPEN or not isinstance(raw, str):
        return  # the diagram's own check answers what this door cannot tell
    try:
        requested = date.fromisoformat(raw[:10])
    except ValueError:
        return
    reason = late_extension(requested, found["due_on"])
    if reason is not None:
        raise InvalidData(
            "the extension was requested too late", [FieldError("variables.requested_on", reason)]
        )
