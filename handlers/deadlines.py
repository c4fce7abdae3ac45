"""Deadlines of 19 CFR 163.11-163.13, each computed beside the rule that sets it.

All periods are calendar days; none of these sections moves a deadline off a weekend or holiday
(RULES.md). Periods the regulation leaves open come from the program configuration.
"""

from __future__ import annotations

import re
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
