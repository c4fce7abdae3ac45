"""Audits: closing-conference petitions, report copies, investigations and deadlines (§163.11)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .deadlines import CONFERENCE, REPORT_COPY, conference_due, reminder_on, report_copy_due
from .desk import Desk, as_date, need
from .registry import CallContext


@dataclass
class RecordPetition:
    audit_number: str
    auditee: dict[str, Any]
    received_on: str
    estimated_termination_on: str | None = None
    actual_termination_on: str | None = None
    closing_conference_held: bool = False
    investigation_commenced_on: str | None = None


@dataclass
class ScheduleConference:
    audit_number: str
    conference_date: str
    place: str


@dataclass
class RecordConference:
    audit_number: str
    held_on: str


@dataclass
class RecordInvestigation:
    audit_number: str
    commenced_on: str | None = None


@dataclass
class RecordAuditReport:
    audit_number: str
    auditee: dict[str, Any]
    completed_on: str
    title: str
    investigation_commenced_on: str | None = None


@dataclass
class RecordReportCopy:
    audit_number: str
    sent_on: str


class AuditDesk(Desk):
    """The Regulatory Audit Division's register of audits (§163.11)."""

    def _auditee(self, audit_number: str, auditee: dict[str, Any], **facts: Any) -> dict[str, Any]:
        return self.records.upsert_audit(
            audit_number,
            auditee_name=str(auditee["name"]),
            auditee_email=auditee.get("email"),
            auditee_address=auditee.get("address"),
            **facts,
        )

    def record_petition(self, p: RecordPetition, call: CallContext) -> dict[str, Any]:
        """Register a written petition and state the facts its eligibility turns on (§163.11(b),(c))."""
        received = as_date(p.received_on)
        facts: dict[str, Any] = {"petition_received_on": received}
        for name in ("estimated_termination_on", "actual_termination_on", "investigation_commenced_on"):
            value = getattr(p, name)
            if value:
                facts[name] = as_date(value)
        if p.closing_conference_held:
            facts["closing_conference_held"] = True
        audit = self._auditee(p.audit_number, p.auditee, **facts)
        ends = [d for d in (audit["estimated_termination_on"], audit["actual_termination_on"]) if d]
        passed = [d for d in ends if d < received]  # §163.11(b): the date "passes" without a conference
        investigation = audit["investigation_commenced_on"]
        investigated = investigation is not None and investigation <= received  # §163.11(c)
        reasons = []
        if not passed:
            reasons.append(
                "neither the estimated nor the actual termination date of the audit had passed when the"
                " petition was received (19 CFR 163.11(b))"
            )
        if audit["closing_conference_held"]:
            reasons.append("a closing conference has already been held (19 CFR 163.11(b))")
        if investigated:
            reasons.append(
                f"a formal investigation commenced on {investigation.isoformat()}; the petition procedure"
                " does not apply after that (19 CFR 163.11(c))"
            )
        due = conference_due(received)  # §163.11(b)
        status = "received" if not reasons else "ineligible"
        self.records.upsert_audit(p.audit_number, petition_status=status)
        return {
            "termination_passed": bool(passed),
            "conference_held": bool(audit["closing_conference_held"]),
            "investigation_commenced": investigated,
            "reasons": reasons,
            "conference_due_on": due.isoformat(),
            "reminder_on": reminder_on(CONFERENCE, due, self.program).isoformat(),
            "citation": "§163.11(b)",
        }

    def schedule_closing_conference(self, p: ScheduleConference, call: CallContext) -> dict[str, Any]:
        """Record the date and place the Director provided for the conference (§163.11(b))."""
        need(self.records.audit(p.audit_number), "audit", p.audit_number)
        day = as_date(p.conference_date)
        self.records.upsert_audit(
            p.audit_number,
            closing_conference_on=day,
            closing_conference_place=p.place,
            petition_status="scheduled",
        )
        return {"conference_date": day.isoformat(), "place": p.place}

    def record_closing_conference(self, p: RecordConference, call: CallContext) -> dict[str, Any]:
        """Record that the closing conference was held."""
        need(self.records.audit(p.audit_number), "audit", p.audit_number)
        day = as_date(p.held_on)
        self.records.upsert_audit(
            p.audit_number, closing_conference_held=True, closing_conference_on=day, petition_status="held"
        )
        return {"held_on": day.isoformat()}

    def record_investigation(self, p: RecordInvestigation, call: CallContext) -> dict[str, Any]:
        """Flag the audit: once a formal investigation commences, §163.11(a)(5),(a)(6),(b) stop applying."""
        audit = need(self.records.audit(p.audit_number), "audit", p.audit_number)
        day = as_date(p.commenced_on) if p.commenced_on else self.today()
        facts: dict[str, Any] = {"investigation_commenced_on": day}
        if audit["petition_status"] in ("received", "scheduled"):
            facts["petition_status"] = "lifted"
        self.records.upsert_audit(p.audit_number, **facts)
        return {"investigation_commenced_on": day.isoformat(), "citation": "§163.11(c)"}

    def record_audit_report(self, p: RecordAuditReport, call: CallContext) -> dict[str, Any]:
        """Register a completed audit report and the day its copy is due (§163.11(a)(6))."""
        completed = as_date(p.completed_on)
        facts: dict[str, Any] = {"report_completed_on": completed, "report_title": p.title}
        if p.investigation_commenced_on:
            facts["investigation_commenced_on"] = as_date(p.investigation_commenced_on)
        audit = self._auditee(p.audit_number, p.auditee, **facts)
        due = report_copy_due(completed)  # §163.11(a)(6)
        return {
            "investigation_commenced": audit["investigation_commenced_on"] is not None,
            "copy_due_on": due.isoformat(),
            "reminder_on": reminder_on(REPORT_COPY, due, self.program).isoformat(),
            "citation": "§163.11(a)(6)",
        }

    def record_report_copy_sent(self, p: RecordReportCopy, call: CallContext) -> dict[str, Any]:
        """Record the day the audited person's copy of the report was sent."""
        need(self.records.audit(p.audit_number), "audit", p.audit_number)
        day = as_date(p.sent_on)
        self.records.upsert_audit(p.audit_number, report_copy_sent_on=day)
        return {"sent_on": day.isoformat()}
