"""Applications for certification: record, suspend for information, decide (§163.12(b),(c), §163.13(b))."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .deadlines import reminder_cycle
from .desk import Desk, as_date, iso, need
from .registry import CallContext
from .vocabulary import DENIAL_GROUNDS, RECORDKEEPER_CLASSES, describe

APPLICATION_STATUSES = ("under_review", "recommended", "denial_final", "appealed")
# §163.12(b)(3): how a certification's conditions name the alternative program negotiated instead.
ALTERNATIVE_CONDITION = (
    "Alternative program negotiated instead of the general requirements (19 CFR 163.12(b)(3))"
)


@dataclass
class RecordApplication:
    application_number: str
    received_on: str
    applicant: dict[str, Any]
    recordkeeper_class: str
    showing: dict[str, Any] = field(default_factory=dict)
    business: dict[str, Any] = field(default_factory=dict)
    alternative_program: str | None = None
    # §163.2(a): what the decision table who_may_apply said; absent on diagram versions before it.
    eligible_class: bool | None = None


@dataclass
class OpenInformationRequest:
    application_number: str
    information_needed: str


@dataclass
class CloseInformationRequest:
    request_number: str
    outcome: str


@dataclass
class RecordOnsiteFindings:
    application_number: str
    visited_on: str
    findings: str
    requirements_met: bool


@dataclass
class SetApplicationStatus:
    application_number: str
    status: str


@dataclass
class CertifyApplicant:
    application_number: str
    conditions: list[str]


@dataclass
class DenyApplication:
    application_number: str
    grounds: list[str]
    reasons: str


@dataclass
class WithdrawApplication:
    application_number: str
    reason: str | None = None


class ApplicationDesk(Desk):
    """The field office's register of applications (§163.12(c)(1): it processes them)."""

    def record_application(self, p: RecordApplication, call: CallContext) -> dict[str, Any]:
        """Register the applicant and the application; say whether it is a §163.2(a) person."""
        applicant = p.applicant
        eligible = (  # §163.12(b)(1) via §163.2(a): the table's answer, else the same list here
            p.eligible_class if p.eligible_class is not None else p.recordkeeper_class in RECORDKEEPER_CLASSES
        )
        self.records.upsert_recordkeeper(
            importer_number=str(applicant["importer_number"]),
            name=str(applicant["name"]),
            email=applicant.get("email"),
            address=applicant.get("address"),
            recordkeeper_class=p.recordkeeper_class,
            bond_status=applicant.get("bond_status"),
        )
        self.records.add_application(
            application_number=p.application_number,
            importer_number=str(applicant["importer_number"]),
            received_on=as_date(p.received_on),
            recordkeeper_class=p.recordkeeper_class,
            showing=p.showing,
            business=p.business,
            alternative_program=p.alternative_program,
        )
        self.records.update_application(
            p.application_number, status="under_review" if eligible else "ineligible"
        )
        keeper = need(self.records.recordkeeper(str(applicant["importer_number"])), "recordkeeper", "")
        self.records.set_certification(keeper["importer_number"], certification_status="applied")
        return {
            "application_number": p.application_number,
            "importer_number": keeper["importer_number"],
            "eligible_class": eligible,
            "citation": "§163.12(b)(1), §163.2(a)",
        }

    def open_information_request(self, p: OpenInformationRequest, call: CallContext) -> dict[str, Any]:
        """Start a suspension of the review until the information arrives (§163.12(c)(1))."""
        need(self.records.application(p.application_number), "application", p.application_number)
        period = self.records.open_suspension(
            application_number=p.application_number,
            information_needed=p.information_needed,
            started_at=self.clock.now(),
        )
        return {
            "request_number": period["request_number"],
            "suspended_since": iso(period["started_at"]),
            "reminder_cycle": reminder_cycle(self.program),  # §163.12(c)(1): no time limit
            "citation": "§163.12(c)(1)",
        }

    def close_information_request(self, p: CloseInformationRequest, call: CallContext) -> dict[str, Any]:
        """End the suspension and record how long it lasted (§163.12(c)(1))."""
        if p.outcome not in ("received", "withdrawn", "cancelled"):
            raise ValueError(f"outcome must be received, withdrawn or cancelled, not {p.outcome!r}")
        period = self.records.close_suspension(p.request_number, ended_at=self.clock.now(), outcome=p.outcome)
        return {
            "request_number": p.request_number,
            "outcome": period["outcome"],
            "suspended_since": iso(period["started_at"]),
            "suspended_until": iso(period["ended_at"]),
            "suspended_days": period["days"],
        }

    def record_onsite_findings(self, p: RecordOnsiteFindings, call: CallContext) -> dict[str, Any]:
        """Keep the findings of the on-site verification with the application (§163.12(c)(1))."""
        findings = {
            "visited_on": as_date(p.visited_on).isoformat(),
            "findings": p.findings,
            "requirements_met": bool(p.requirements_met),
        }
        self.records.update_application(p.application_number, onsite_findings=findings)
        return findings

    def set_application_status(self, p: SetApplicationStatus, call: CallContext) -> dict[str, Any]:
        """Record where the application stands."""
        if p.status not in APPLICATION_STATUSES:
            raise ValueError(f"status must be one of {', '.join(APPLICATION_STATUSES)}, not {p.status!r}")
        self.records.update_application(p.application_number, status=p.status)
        return {"application_number": p.application_number, "status": p.status}

    def certify_applicant(self, p: CertifyApplicant, call: CallContext) -> dict[str, Any]:
        """Certify the applicant with all its conditions stated (§163.12(c)(2))."""
        application = need(
            self.records.application(p.application_number), "application", p.application_number
        )
        today = self.today()
        number = f"RCP-C-{application['application_number']}"
        conditions = [c.strip() for c in p.conditions if c and c.strip()]
        alternative = (application["alternative_program"] or "").strip()
        if alternative:  # §163.12(b)(3): a negotiated alternative program is a condition of its own
            conditions.insert(0, f"{ALTERNATIVE_CONDITION}: {alternative}")
        self.records.set_certification(
            application["importer_number"],
            certification_status="certified",
            certification_number=number,
            certified_on=today,
            certification_conditions=conditions,
            removal_effective_on=None,
        )
        self.records.update_application(
            p.application_number, status="approved", decision="approved", decided_on=today
        )
        return {
            "certification_number": number,
            "certified_on": today.isoformat(),
            "conditions": conditions,
            "alternative_program": alternative or None,
        }

    def deny_application(self, p: DenyApplication, call: CallContext) -> dict[str, Any]:
        """Record the denial, its grounds (§163.13(b)(1)) and reasons."""
        describe(DENIAL_GROUNDS, p.grounds)
        if not p.grounds or not p.reasons.strip():
            raise ValueError("a denial states its grounds and reasons (§163.13(b))")
        application = need(
            self.records.application(p.application_number), "application", p.application_number
        )
        self.records.update_application(
            p.application_number,
            status="denied",
            decision="denied",
            decided_on=self.today(),
            denial_grounds=p.grounds,
            denial_reasons=p.reasons.strip(),
        )
        self.records.set_certification(application["importer_number"], certification_status="denied")
        return {"application_number": p.application_number, "denied_on": self.today().isoformat()}

    def withdraw_application(self, p: WithdrawApplication, call: CallContext) -> dict[str, Any]:
        """Close the application at the applicant's request; end any open suspension."""
        application = need(
            self.records.application(p.application_number), "application", p.application_number
        )
        for period in self.records.suspensions(p.application_number):
            if period["ended_at"] is None:
                self.records.close_suspension(
                    period["request_number"], ended_at=self.clock.now(), outcome="cancelled"
                )
        self.records.update_application(p.application_number, status="withdrawn")
        self.records.set_certification(application["importer_number"], certification_status="none")
        return {"application_number": p.application_number, "withdrawn_on": self.today().isoformat()}
