"""Deadlines of 19 CFR 163.11-163.13, each computed beside the rule that sets it.

All periods are calendar days; none of these sections moves a deadline off a weekend or holiday
(RULES.md). Periods the regulation leaves open come from the program configuration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

CONFERENCE_DAYS = 15  # §163.11(b): conference held within 15 calendar days after receipt
REPORT_COPY_DAYS = 30  # §163.11(a)(6): copy within 30 calendar days after the report's completion
APPEAL_FILING_DAYS = 30  # §163.13(d): appeal received within 30 calendar days after issuance
APPEAL_DECISION_DAYS = 30  # §163.13(d): written decision within 30 calendar days after receipt
REMOVAL_APPEAL_DAYS = 30  # §163.13(c)(3): removal takes effect if no appeal within 30 days

_DAYS = re.compile(r"^P(\d+)D$")


def conference_due(petition_received_on: date) -> date:
    """Return the last day the closing conference may be held (§163.11(b))."""
    return petition_received_on + timedelta(days=CONFERENCE_DAYS)


def report_copy_due(report_completed_on: date) -> date:
    """Return the last day for the audited person's copy of the report (§163.11(a)(6))."""
    return report_completed_on + timedelta(days=REPORT_COPY_DAYS)


def appeal_window_closes(notice_issued_on: date) -> date:
    """Return the last day an appeal of a denial or removal may be received (§163.13(d))."""
    return notice_issued_on + timedelta(days=APPEAL_FILING_DAYS)


def appeal_decision_due(appeal_received_on: date) -> date:
    """Return the day the written appeal decision is due (§163.13(d))."""
    return appeal_received_on + timedelta(days=APPEAL_DECISION_DAYS)


def configured_days(program: dict[str, Any], name: str) -> int:
    """Return a period of the ``[deadlines]`` configuration (an ISO 8601 ``PnD``) in days."""
    value = str(program.get("deadlines", {}).get(name, ""))
    found = _DAYS.match(value)
    if not found:
        raise ValueError(f"program configuration deadlines.{name} must be a period of days like 'P14D'")
    return int(found.group(1))


def reminder_on(due_on: date, program: dict[str, Any], name: str) -> date:
    """Return the day to remind staff of ``due_on`` (the lead time is configuration)."""
    return due_on - timedelta(days=configured_days(program, name))


def late_appeals_answered_until(window_closes_on: date, program: dict[str, Any]) -> date:
    """Return the last day a late appeal still gets a reasoned rejection (configuration)."""
    return window_closes_on + timedelta(days=configured_days(program, "late_appeal_listening"))


_CITATION = re.compile(r"163\.\d+(?:\([a-z0-9]+\))*", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    id: str
    citation: str | None
    short: str
    label: str
    days: int | None


RULES = (
    Rule(
        "163.11(b)",
        "§163.11(b)",
        "Closing conference",
        "Closing conference held within 15 days after the petition is received",
        15,
    ),
    Rule(
        "163.11(a)(6)",
        "§163.11(a)(6)",
        "Audit report copy",
        "Copy of the audit report sent within 30 days after it is completed",
        30,
    ),
    Rule(
        "163.13(d)-appeal",
        "§163.13(d)",
        "Appeal window",
        "Appeal received within 30 days after the notice is issued",
        30,
    ),
    Rule(
        "163.13(d)-decision",
        "§163.13(d)",
        "Appeal decision",
        "Appeal decided within 30 days after it is received",
        30,
    ),
    Rule("reminder", None, "Reminders", "Reminders and follow-ups", None),
    Rule("other", None, "Other", "Other deadlines", None),
)


RULES_BY_ID = {r.id: r for r in RULES}


def citation_in(text: str | None) -> str | None:
    """Return the first §163 citation in a text (a due citation or an element's documentation)."""
    found = _CITATION.search(text or "")
    return f"§{found.group(0).lower()}" if found else None


def classify(citation: str | None, *texts: str | None) -> str:
    """Return the rule a deadline belongs to, from its citation and the element's names."""
    words = " ".join(t for t in (citation, *texts) if t).lower().replace("_", " ")
    if "remind" in words:
        return "reminder"
    if "appeal window" in words:
        return "163.13(d)-appeal"  # whatever else its text cites, it is the §163.13(d) window
    cited = citation_in(citation) or citation_in(words)
    if cited is None:
        return "other"
    if cited.startswith("§163.11(b)"):
        return "163.11(b)"
    if cited.startswith("§163.11(a)(6)"):
        return "163.11(a)(6)"
    if cited.startswith("§163.13(d)"):
        # §163.13(d) sets two windows: the appeal's receipt and the decision on it.
        return "163.13(d)-decision" if re.search(r"\bdecid|\bdecision", words) else "163.13(d)-appeal"
    return "other"
