"""A case's history in the order it ran: decisions, messages, notices and suspension periods.

Each information request's suspension of the review (§163.12(c)(1)) is read from the data
service's ``suspension_periods``, one row per request, so every round keeps its own dates even
though the instance variables hold only the last round.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from datetime import date, datetime
from typing import Any

from service.store.rows import AuditRow
from service.store.rows.family import AppealRow, SuspensionRow
from service.views import labels

SUSPENSION_CITATION = "§163.12(c)(1)"
STEPS = {"start": "Case started", "suspend": "Suspended", "resume": "Resumed", "cancel": "Cancelled"}


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def suspension(row: SuspensionRow) -> dict[str, Any]:
    """Return one round's suspension period with its dates, length and citation."""
    return {
        "requestNumber": row["request_number"],
        "applicationNumber": row["application_number"],
        "informationNeeded": row["information_needed"],
        "start": _iso(row["started_at"]),
        "end": _iso(row["ended_at"]),
        "days": row["days"],
        "outcome": row["outcome"],
        "citation": SUSPENSION_CITATION,
    }


def appeal(row: AppealRow) -> dict[str, Any]:
    """Return an appeal with its decision so far."""
    return {
        "appealNumber": row["appeal_number"],
        "noticeNumber": row["notice_number"],
        "kind": row["kind"],
        "receivedOn": _iso(row["received_on"]),
        "decisionDueOn": _iso(row["decision_due_on"]),
        "decision": row["decision"],
        "decidedOn": _iso(row["decided_on"]),
        "pending": row["decision"] is None,
    }


def decision(row: AuditRow, names: dict[str, str]) -> dict[str, Any]:
    """Return a completed user task: what was decided, by whom and when."""
    element = row["task_name"] or ""
    return {
        "at": _iso(row["at"]),
        "actor": row["actor"],
        "task": names.get(element, element.replace("_", " ").capitalize()),
        "element": element,
        "data": row["data"] if isinstance(row["data"], dict) else {},
        "processInstanceId": row["instance_id"],
    }


def message(row: AuditRow) -> dict[str, Any]:
    """Return a message the case received, with who delivered it and when."""
    data = row["data"] if isinstance(row["data"], dict) else {}
    return {
        "at": _iso(row["at"]),
        "actor": row["actor"],
        "messageName": str(data.get("messageName", "")),
        "correlationKeys": data.get("correlationKeys") or {},
        "variables": data.get("variables") or {},
        "processInstanceId": row["instance_id"],
    }


def _entry(
    at: str | None, kind: str, summary: str, actor: str | None, ref: str | None, details: Any = None
) -> dict[str, Any]:
    return {
        "at": at,
        "kind": kind,
        "summary": summary,
        "actor": actor,
        "ref": ref,
        "details": _shown(details),
    }


def _shown(details: Any) -> list[dict[str, str]]:
    """Return what an entry carries as labelled text: the field's words, its value as text."""
    if not isinstance(details, dict):
        return []
    return [
        {"label": str(k).replace("_", " ").capitalize(), "value": _text(v)}
        for k, v in details.items()
        if v not in (None, "", [], {})
    ]


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _audited(row: AuditRow, names: dict[str, str]) -> dict[str, Any] | None:
    at, actor, ref = _iso(row["at"]), labels.actor_label(row["actor_kind"], row["actor"]), row["instance_id"]
    if row["action"] == "complete":
        done = decision(row, names)
        return _entry(at, "decision", f"{done['task']} completed", actor, ref, done["data"])
    if row["action"] == "message":
        got = message(row)
        name = labels.message_title(got["messageName"])
        return _entry(at, "message", f"Message received: {name}", actor, ref, got["variables"])
    if row["action"] in STEPS:
        return _entry(at, row["action"], STEPS[row["action"]], actor, ref, _reason(row))
    return None


def _reason(row: AuditRow) -> dict[str, Any]:
    data = row["data"] if isinstance(row["data"], dict) else {}
    return {"reason": data.get("reason")}


def timeline(
    entries: list[AuditRow],
    names: dict[str, str],
    notices: list[dict[str, Any]],
    suspensions: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Return every step of the case in the order it ran.

    Notices and suspension periods follow the step that caused them: the last step at or before
    their moment, or, for a round's start and end at one moment with other steps, the first
    completion (the request) or message (the information received) at that moment.
    """
    steps = [(row, e) for row in entries if (e := _audited(row, names)) is not None]
    moments = [e["at"] or "" for _, e in steps]
    derived: list[tuple[dict[str, Any], str | None]] = []
    for n in notices:
        what = {"to": n["recipient"], "rule": n["ruleCited"]}
        summary = f"Notice {n['noticeNumber']}: {n['subject']}"
        derived.append((_entry(n["issuedAt"], "notice", summary, None, n["noticeNumber"], what), None))
    for p in suspensions:
        number = p["requestNumber"]
        asked = {"information needed": p["informationNeeded"], "rule": p["citation"]}
        summary = f"Review suspended: information request {number}"
        derived.append((_entry(p["start"], "suspension", summary, None, number, asked), "complete"))
        if p["end"]:
            ended = {"days suspended": p["days"], "outcome": p["outcome"]}
            summary = f"Review resumed: information request {number}"
            derived.append((_entry(p["end"], "resumption", summary, None, number, ended), "message"))
    placed = [((i, 0, ""), e) for i, (_, e) in enumerate(steps)]
    for entry, cause in derived:
        at = entry["at"] or ""
        same = [i for i, (row, _) in enumerate(steps) if moments[i] == at and row["action"] == cause]
        anchor = same[0] if same else bisect_right(moments, at) - 1
        placed.append(((anchor, 1, at), entry))
    return [e for _, e in sorted(placed, key=lambda pair: pair[0])]
