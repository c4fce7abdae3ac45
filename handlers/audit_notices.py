"""Notices to audited persons: petitions, closing conferences, report copies (§163.11)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .desk import Desk, need
from .notices import Letter, Recipient
from .records import Record
from .registry import CallContext


@dataclass
class AuditNotice:
    audit_number: str


@dataclass
class PetitionRefusal:
    audit_number: str
    reasons: list[str] = field(default_factory=list)


@dataclass
class ProcedureLifted:
    audit_number: str
    procedure: str  # petition | report


class AuditLetters(Desk):
    """Letters about an audit to the person audited."""

    def _letter(
        self, audit: Record, kind: str, section: str, rule: str, subject: str, text: list[str], **facts: Any
    ) -> Letter:
        signer = "director_title"
        return Letter(
            kind=kind,
            case_ref=audit["audit_number"],
            recipient=Recipient(audit["auditee_name"], audit["auditee_email"], audit["auditee_address"]),
            rule_cited=rule,
            subject=subject,
            paragraphs=text,
            office=self.office(section),
            signer=signer,
            facts=facts,
        )

    def _audit(self, number: str) -> Record:
        return need(self.records.audit(number), "audit", number)

    def refuse_petition(self, p: PetitionRefusal, call: CallContext) -> dict[str, Any]:
        """Answer an ineligible petition for a closing conference with its reasons (§163.11(b),(c))."""
        audit = self._audit(p.audit_number)
        received = audit["petition_received_on"].isoformat()
        reasons = [f"- {r}" for r in p.reasons] or ["- the conditions of 19 CFR 163.11(b) are not met"]
        text = [
            f"We received on {received} your written petition for a closing conference on audit"
            f" {p.audit_number}.",
            "We cannot grant it, for these reasons:\n" + "\n".join(reasons),
        ]
        return self.notices.issue(
            call,
            "PETR",
            lambda s: self._letter(
                audit,
                "petition_refused",
                "regulatory_audit_division",
                "19 CFR 163.11(b), 163.11(c)",
                "Petition for a closing conference not granted",
                text,
            ),
        )

    def notify_closing_conference(self, p: AuditNotice, call: CallContext) -> dict[str, Any]:
        """Tell the audited person when and where the closing conference will be held (§163.11(b))."""
        audit = self._audit(p.audit_number)
        day = audit["closing_conference_on"].isoformat()
        text = [
            f"In answer to your petition received on {audit['petition_received_on'].isoformat()}, a closing"
            f" conference on audit {p.audit_number} will be held on {day} at"
            f" {audit['closing_conference_place']}"
            " to explain the results of the audit (19 CFR 163.11(b)).",
        ]
        return self.notices.issue(
            call,
            "CONF",
            lambda s: self._letter(
                audit,
                "closing_conference_scheduled",
                "regulatory_audit_division",
                "19 CFR 163.11(b)",
                "Closing conference scheduled",
                text,
                conference_date=day,
            ),
        )

    def notify_procedure_lifted(self, p: ProcedureLifted, call: CallContext) -> dict[str, Any]:
        """Tell the audited person an investigation lifted the procedure (§163.11(c))."""
        audit = self._audit(p.audit_number)
        commenced = audit["investigation_commenced_on"]
        what = {
            "petition": "the closing-conference petition procedure of 19 CFR 163.11(b)",
            "report": "the delivery of a copy of the audit report under 19 CFR 163.11(a)(6)",
            "formal_report": "the deadline for the formal written audit report under 19 CFR 163.11(a)(5)",
        }
        if p.procedure not in what:
            raise ValueError(f"procedure must be one of {', '.join(what)}, not {p.procedure!r}")
        text = [
            f"A formal investigation has commenced on the issue of audit {p.audit_number}"
            + (f" ({commenced.isoformat()})" if commenced else "")
            + f". Under 19 CFR 163.11(c), {what[p.procedure]} no longer applies, so the deadline it set"
            " is lifted.",
        ]
        section = "regulatory_audit_division" if p.procedure == "petition" else "field_office"
        return self.notices.issue(
            call,
            "LIFT",
            lambda s: self._letter(
                audit,
                "procedure_lifted",
                section,
                "19 CFR 163.11(c)",
                "Audit procedure no longer applies",
                text,
            ),
        )

    def transmit_audit_report(self, p: AuditNotice, call: CallContext) -> dict[str, Any]:
        """Send the audited person the copy of the formal written report (§163.11(a)(6))."""
        audit = self._audit(p.audit_number)
        text = [
            f"Enclosed with this notice, by separate transmission, is a copy of the formal written report"
            f" '{audit['report_title']}' on audit {p.audit_number}, completed on"
            f" {audit['report_completed_on'].isoformat()} (19 CFR 163.11(a)(6)).",
        ]
        return self.notices.issue(
            call,
            "RPT",
            lambda s: self._letter(
                audit,
                "audit_report_copy",
                "field_office",
                "19 CFR 163.11(a)(6)",
                "Copy of the audit report",
                text,
            ),
        )
