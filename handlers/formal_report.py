"""The formal written audit report after the closing conference (§163.11(a)(5), later text; §163.11(c))."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .deadlines import FORMAL_REPORT, formal_report_due, reminder_on
from .desk import Desk, as_date, need
from .registry import CallContext

CITATION = "§163.11(a)(5)"


@dataclass
class ConferenceHeld:
    audit_number: str
    auditee: dict[str, Any]
    held_on: str
    investigation_commenced_on: str | None = None


@dataclass
class DelayLetter:
    audit_number: str
    sent_on: str
    reason: str
    expected_on: str
    previous: dict[str, Any] = field(default_factory=dict)


@dataclass
class ReportIssued:
    audit_number: str
    issued_on: str


class FormalReportDesk(Desk):
    """The Regulatory Audit Division's register of formal audit reports (§163.11(a)(5))."""

    def open_formal_report_period(self, p: ConferenceHeld, call: CallContext) -> dict[str, Any]:
        """Register the closing conference and the day the formal report is due (§163.11(a)(5))."""
        held = as_date(p.held_on)
        facts: dict[str, Any] = {"closing_conference_held": True, "closing_conference_on": held}
        if p.investigation_commenced_on:
            facts["investigation_commenced_on"] = as_date(p.investigation_commenced_on)
        audit = self.records.upsert_audit(
            p.audit_number,
            auditee_name=str(p.auditee["name"]),
            auditee_email=p.auditee.get("email"),
            auditee_address=p.auditee.get("address"),
            **facts,
        )
        due = formal_report_due(held)
        reasons = []
        if not self.program.get("program", {}).get("formal_report_deadline", True):
            reasons.append("the program applies the earlier text of §163.11, which sets no report deadline")
        if audit["investigation_commenced_on"] is not None:  # §163.11(c)
            reasons.append(
                f"a formal investigation commenced on {audit['investigation_commenced_on'].isoformat()}"
            )
        return {
            "applies": not reasons,
            "reasons": reasons,
            "held_on": held.isoformat(),
            "report_due_on": due.isoformat(),
            "reminder_on": reminder_on(FORMAL_REPORT, due, self.program).isoformat(),
            "delays": [],
            "citation": CITATION,
        }

    def record_report_delay(self, p: DelayLetter, call: CallContext) -> dict[str, Any]:
        """Record the letter saying why the report is late and when it will come; that date is now due."""
        need(self.records.audit(p.audit_number), "audit", p.audit_number)
        sent, expected = as_date(p.sent_on), as_date(p.expected_on)
        if not p.reason.strip():
            raise ValueError("a delay letter says why the report is late (§163.11(a)(5))")
        if expected < sent:
            raise ValueError(
                f"the expected date {expected.isoformat()} is before the letter ({sent.isoformat()})"
            )
        delay = {"sent_on": sent.isoformat(), "reason": p.reason.strip(), "expected_on": expected.isoformat()}
        return {
            **p.previous,
            "report_due_on": expected.isoformat(),
            "reminder_on": reminder_on(FORMAL_REPORT, expected, self.program).isoformat(),
            "delays": [*p.previous.get("delays", []), {**delay, "citation": CITATION}],
        }

    def record_formal_report_issued(self, p: ReportIssued, call: CallContext) -> dict[str, Any]:
        """Record the day the formal written report was issued (§163.11(a)(5))."""
        need(self.records.audit(p.audit_number), "audit", p.audit_number)
        issued = as_date(p.issued_on)
        self.records.upsert_audit(p.audit_number, report_completed_on=issued)
        return {"issued_on": issued.isoformat(), "citation": CITATION}
