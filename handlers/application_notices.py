"""Notices to applicants for certification (§163.12(b),(c); §163.13(b),(d))."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .deadlines import APPEAL_WINDOW, appeal_window_closes, late_appeals_answered_until
from .desk import Desk, as_date, need
from .notices import Letter, Stamp
from .records import Record
from .registry import CallContext
from .vocabulary import DENIAL_GROUNDS, RECORDKEEPER_CLASSES, describe

PROGRAM = "Recordkeeping Compliance Program"


@dataclass
class ApplicationNotice:
    application_number: str


@dataclass
class InformationNotice:
    application_number: str
    request_number: str
    reason: str | None = None


@dataclass
class OnsiteVisitNotice:
    application_number: str
    visit_date: str
    place: str


def _alternative(program: str) -> list[str]:
    """Return the sentence naming the negotiated alternative program, if any (§163.12(b)(3))."""
    if not program:
        return []
    return [
        "This certification is granted on the alternative program negotiated instead of the general"
        f" requirements (19 CFR 163.12(b)(3)): {program}."
    ]


class ApplicationLetters(Desk):
    """Letters of the regulatory audit field office to an applicant."""

    def _parties(self, number: str) -> tuple[Record, Record]:
        application = need(self.records.application(number), "application", number)
        keeper = need(self.records.recordkeeper(application["importer_number"]), "recordkeeper", number)
        return application, keeper

    def _letter(
        self, kind: str, number: str, rule: str, subject: str, paragraphs: list[str], **facts: Any
    ) -> Any:
        _, keeper = self._parties(number)
        return Letter(
            kind=kind,
            case_ref=number,
            recipient=self.recipient(keeper),
            rule_cited=rule,
            subject=subject,
            paragraphs=paragraphs,
            office=self.office("field_office"),
            signer="director_title",
            facts=facts,
        )

    def acknowledge_application(self, p: ApplicationNotice, call: CallContext) -> dict[str, Any]:
        """Acknowledge receipt of an application (§163.12(b))."""
        application, _ = self._parties(p.application_number)
        received = application["received_on"].isoformat()
        text = [
            f"We received your application {p.application_number} for certification in the {PROGRAM}"
            f" on {received}.",
            "The regulatory audit field office will review and verify the information in it. We may ask"
            " you for more information or tell you that an on-site verification is warranted"
            " (19 CFR 163.12(c)(1)).",
        ]
        return self.notices.issue(
            call,
            "ACK",
            lambda s: self._letter(
                "acknowledgement", p.application_number, "19 CFR 163.12(b)", "Application received", text
            ),
        )

    def refuse_ineligible_applicant(self, p: ApplicationNotice, call: CallContext) -> dict[str, Any]:
        """Refuse an applicant outside §163.2(a), saying why (§163.12(b)(1))."""
        application, _ = self._parties(p.application_number)
        declared = application["recordkeeper_class"] or "none"
        classes = "; ".join(RECORDKEEPER_CLASSES.values())
        text = [
            f"Your application {p.application_number} cannot be accepted.",
            "Reasons: under 19 CFR 163.12(b)(1) only a person described in 19 CFR 163.2(a) who must keep"
            f" and produce entry records may apply. The application describes the applicant as '{declared}',"
            f" which is not one of those persons: {classes}.",
            "If the application described you wrongly, you may apply again with the correct description.",
        ]
        return self.notices.issue(
            call,
            "INEL",
            lambda s: self._letter(
                "ineligible_applicant",
                p.application_number,
                "19 CFR 163.12(b)(1), 163.2(a)",
                "Application not accepted: applicant not eligible",
                text,
            ),
        )

    def request_information(self, p: InformationNotice, call: CallContext) -> dict[str, Any]:
        """Tell the applicant what is needed; the review is suspended until it arrives (§163.12(c)(1))."""
        needed = self._request(p)["information_needed"]
        text = [
            f"To process your application {p.application_number} we need the following information"
            f" (request {p.request_number}):",
            needed,
            "This request delays the approval of your application, and the approval process is suspended"
            " from the date of this notice until we receive the information (19 CFR 163.12(c)(1)).",
            f"Please send it citing request {p.request_number}.",
        ]
        return self.notices.issue(
            call,
            "INFO",
            lambda s: self._letter(
                "information_request",
                p.application_number,
                "19 CFR 163.12(c)(1)",
                "Request for additional information",
                text,
                request_number=p.request_number,
            ),
        )

    def remind_information_request(self, p: InformationNotice, call: CallContext) -> dict[str, Any]:
        """Remind the applicant of an outstanding request; the review stays suspended."""
        request = self._request(p)
        sent = self.records.count_reminder(p.request_number)
        since = request["started_at"].date().isoformat()
        text = [
            f"Our request {p.request_number} of {since} for information about your application"
            f" {p.application_number} is still open. We still need:",
            request["information_needed"],
            "The approval process remains suspended until we receive it (19 CFR 163.12(c)(1)).",
        ]
        return self.notices.issue(
            call,
            "REM",
            lambda s: self._letter(
                "information_reminder",
                p.application_number,
                "19 CFR 163.12(c)(1)",
                "Reminder: information still needed",
                text,
                request_number=p.request_number,
                reminder=sent,
            ),
        )

    def withdraw_information_request(self, p: InformationNotice, call: CallContext) -> dict[str, Any]:
        """Tell the applicant a request was withdrawn and the review resumes."""
        text = [
            f"We withdraw our request {p.request_number} for information about your application"
            f" {p.application_number}. The review of your application resumes.",
            f"Reason: {p.reason or 'the information is no longer needed'}.",
        ]
        return self.notices.issue(
            call,
            "INFW",
            lambda s: self._letter(
                "information_request_withdrawn",
                p.application_number,
                "19 CFR 163.12(c)(1)",
                "Information request withdrawn",
                text,
                request_number=p.request_number,
            ),
        )

    def inform_onsite_visit(self, p: ApplicationNotice, call: CallContext) -> dict[str, Any]:
        """Inform the applicant that an on-site visit is warranted (§163.12(c)(1): shall inform)."""
        text = [
            f"In reviewing your application {p.application_number} we have decided that an on-site"
            " verification of your recordkeeping is warranted before approval (19 CFR 163.12(c)(1)).",
            "A field auditor will contact you to schedule the visit; you will receive its date in writing.",
        ]
        return self.notices.issue(
            call,
            "SITE",
            lambda s: self._letter(
                "onsite_visit_warranted",
                p.application_number,
                "19 CFR 163.12(c)(1)",
                "On-site verification warranted",
                text,
            ),
        )

    def notify_onsite_visit(self, p: OnsiteVisitNotice, call: CallContext) -> dict[str, Any]:
        """Give the applicant the date and place of the on-site visit (§163.12(c)(1))."""
        day = as_date(p.visit_date).isoformat()
        text = [
            f"The on-site verification for your application {p.application_number} will take place on {day}"
            f" at {p.place}.",
            "Please have the responsible individual designated under 19 CFR 163.12(b)(3)(iv) available,"
            " together with the records and procedures described in your application.",
        ]
        return self.notices.issue(
            call,
            "VISIT",
            lambda s: self._letter(
                "onsite_visit_scheduled",
                p.application_number,
                "19 CFR 163.12(c)(1)",
                "On-site verification scheduled",
                text,
                visit_date=day,
            ),
        )

    def issue_certification(self, p: ApplicationNotice, call: CallContext) -> dict[str, Any]:
        """Issue the certification with all its conditions stated (§163.12(c)(2))."""
        application, keeper = self._parties(p.application_number)
        conditions = keeper.get("certification_conditions") or []
        alternative = (application.get("alternative_program") or "").strip()
        listed = [f"{i}. {c}" for i, c in enumerate(conditions, start=1)] or [
            "None beyond the program's rules."
        ]
        text = [
            f"{keeper['name']} is certified as a participant in the {PROGRAM}"
            f" (certification {keeper['certification_number']}, application {p.application_number}),"
            f" effective {keeper['certified_on'].isoformat()}.",
            *_alternative(alternative),
            "Conditions of this certification (19 CFR 163.12(c)(2)):\n" + "\n".join(listed),
            "As a certified participant you may be eligible for a notice of violation instead of a monetary"
            " penalty if you fail to produce a demanded entry record (19 CFR 163.12(d)). The certification"
            " may be removed on the grounds of 19 CFR 163.13(c).",
        ]
        return self.notices.issue(
            call,
            "CERT",
            lambda s: self._letter(
                "certification",
                p.application_number,
                "19 CFR 163.12(c)(2)",
                "Certification in the Recordkeeping Compliance Program",
                text,
                certification_number=keeper["certification_number"],
                **({"alternative_program": alternative} if alternative else {}),
            ),
        )

    def issue_denial(self, p: ApplicationNotice, call: CallContext) -> dict[str, Any]:
        """Deny in writing: the reasons, the right to appeal and when the window closes (§163.13(b),(d))."""
        application, _ = self._parties(p.application_number)
        grounds = describe(DENIAL_GROUNDS, list(application["denial_grounds"] or []))
        hq = self.office("headquarters")

        def compose(stamp: Stamp) -> Letter:
            closes = appeal_window_closes(stamp.issued_on)  # §163.13(d)
            text = [
                f"Your application {p.application_number} for certification in the {PROGRAM} is denied.",
                "Grounds (19 CFR 163.13(b)(1)): " + "; ".join(grounds) + ".",
                f"Reasons: {application['denial_reasons']}",
                "Right to appeal: you may appeal this denial in writing to the"
                f" {hq['appeal_official_title']},"
                f" {hq['name']}, {hq['address']}. Your appeal must be received within"
                f" {APPEAL_WINDOW.period} {APPEAL_WINDOW.unit} after"
                f" the date of this notice, that is on or before {closes.isoformat()} (19 CFR 163.13(d))."
                f" Please cite notice {stamp.number}.",
            ]
            return self._letter(
                "denial",
                p.application_number,
                "19 CFR 163.13(b), 163.13(d)",
                "Notice of denial of certification",
                text,
                appeal_window_closes_on=closes.isoformat(),
                late_appeals_answered_until=late_appeals_answered_until(closes, self.program).isoformat(),
            )

        return self.notices.issue(call, "DEN", compose)

    def _request(self, p: InformationNotice) -> Record:
        for period in self.records.suspensions(p.application_number):
            if period["request_number"] == p.request_number:
                return period
        return need(None, "information request", p.request_number)
