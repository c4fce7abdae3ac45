"""Notices of violation (§163.12(d)(2)) and of removal of certification (§163.13(c)(2))."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .deadlines import (
    APPEAL_WINDOW,
    OTHER,
    appeal_window_closes,
    configured_period,
    late_appeals_answered_until,
    removal_effective_without_appeal,
)
from .desk import Desk, need
from .notices import Letter, Stamp
from .records import Record
from .registry import CallContext
from .vocabulary import IMMEDIATE_BASES, REMOVAL_GROUNDS, describe


@dataclass
class ViolationNotice:
    demand_number: str
    repeat: bool = False


@dataclass
class RemovalNotice:
    removal_number: str


def violation_text(keeper: Record, demand: Record, stamp: Stamp, respond_by: date) -> list[str]:
    """Return the notice of violation's paragraphs: the three elements of §163.12(d)(2), then (d)(3)."""
    entries = ", ".join(r["entry_number"] for r in demand["releases"])
    return [
        # §163.12(d)(2)(i): state that the recordkeeper violated the recordkeeping requirements.
        f"1. Violation. {keeper['name']} has violated the recordkeeping requirements of 19 CFR part 163:"
        f" it did not produce an entry record demanded on {demand['demanded_on'].isoformat()}"
        f" (demand {demand['demand_number']}, due {demand['due_on'].isoformat()}), nor the information"
        " in it by an acceptable alternate means (19 CFR 163.12(d)(2)(i)).",
        # §163.12(d)(2)(ii): identify the record or information demanded and not produced.
        f"2. Record demanded and not produced: {demand['record_description']}"
        f" (release(s): {entries}) (19 CFR 163.12(d)(2)(ii)).",
        # §163.12(d)(2)(iii): warn of penalties and of removal from the program.
        "3. Warning. Future failures to produce demanded entry records or the information in them"
        " may result in the imposition of monetary penalties under 19 CFR 163.6(b) and could result"
        " in your removal from the Recordkeeping Compliance Program (19 CFR 163.12(d)(2)(iii),"
        " 163.13(c)).",
        "As a certified participant you receive this notice instead of a monetary penalty"
        " (19 CFR 163.12(d)(1)). Within a reasonable time you must notify us of the steps you have"
        " taken to prevent a recurrence (19 CFR 163.12(d)(3)); we expect your answer by"
        f" {respond_by.isoformat()}. Please cite notice {stamp.number}.",
    ]


def removal_text(
    keeper: Record, removal: Record, hq: dict[str, Any], stamp: Stamp, closes: date
) -> list[str]:
    """Return the notice of removal's paragraphs: grounds, effect and the right to appeal (§163.13(c))."""
    basis = removal["immediate_basis"]
    if basis:
        effect = (
            "This removal takes effect immediately, because"
            f" {describe(IMMEDIATE_BASES, [basis])[0]} (19 CFR 163.13(c)(3))."
        )
    else:
        effect = (
            "This removal takes effect only if no appeal is received within the"
            f" {APPEAL_WINDOW.period}-day period, that is"
            f" after {closes.isoformat()}, or, if you appeal, when the appeal decision upholds it"
            " (19 CFR 163.13(c)(3))."
        )
    return [
        f"The certification of {keeper['name']} ({keeper['certification_number'] or 'no number'})"
        " as a participant in the Recordkeeping Compliance Program is removed"
        f" (removal {removal['removal_number']}).",
        "Grounds (19 CFR 163.13(c)(1)):\n" + "\n".join(describe(REMOVAL_GROUNDS, list(removal["grounds"]))),
        f"Statement of the grounds: {removal['statement']}",
        effect,
        f"Right to appeal: you may appeal this removal in writing to the {hq['appeal_official_title']},"
        f" {hq['name']}, {hq['address']}. Your appeal must be received within"
        f" {APPEAL_WINDOW.period} {APPEAL_WINDOW.unit} after"
        f" the date of this notice, that is on or before {closes.isoformat()} (19 CFR 163.13(d))."
        f" Please cite notice {stamp.number}.",
    ]


class EnforcementLetters(Desk):
    """Letters to a recordkeeper about its records and its certification."""

    def _keeper(self, importer_number: str) -> Record:
        return need(self.records.recordkeeper(importer_number), "recordkeeper", importer_number)

    def issue_notice_of_violation(self, p: ViolationNotice, call: CallContext) -> dict[str, Any]:
        """Issue the written notice of violation instead of a penalty, with its three elements."""
        demand = need(self.records.demand(p.demand_number), "demand", p.demand_number)
        keeper = self._keeper(demand["importer_number"])
        respond_in = configured_period(OTHER, "response_due_on", self.program)  # §163.12(d)(3)

        def compose(stamp: Stamp) -> Letter:
            respond_by = stamp.issued_on + respond_in
            return Letter(
                kind="notice_of_violation",
                case_ref=p.demand_number,
                recipient=self.recipient(keeper),
                rule_cited="19 CFR 163.12(d)(2)",
                subject="Notice of violation: demanded entry record not produced",
                paragraphs=violation_text(keeper, demand, stamp, respond_by),
                office=self.office("penalties_office"),
                signer="official_title",
                facts={"response_due_on": respond_by.isoformat()},
            )

        issued = self.notices.issue(call, "NOV", compose)
        recorded = self.records.violations(keeper["importer_number"])
        if not any(v.get("notice_number") == issued["notice_number"] for v in recorded):
            self.records.add_violation(
                importer_number=keeper["importer_number"],
                demand_number=p.demand_number,
                kind="notice_of_violation",
                repeat=bool(p.repeat),
                notice_number=issued["notice_number"],
            )
        return issued

    def issue_removal_notice(self, p: RemovalNotice, call: CallContext) -> dict[str, Any]:
        """Notify the removal: its grounds, the right to appeal, and when it takes effect (§163.13(c))."""
        removal = need(self.records.removal(p.removal_number), "removal", p.removal_number)
        keeper = self._keeper(removal["importer_number"])
        hq = self.office("headquarters")

        def compose(stamp: Stamp) -> Letter:
            closes = appeal_window_closes(stamp.issued_on)  # §163.13(d)
            return Letter(
                kind="removal",
                case_ref=p.removal_number,
                recipient=self.recipient(keeper),
                rule_cited="19 CFR 163.13(c)(2), 163.13(c)(3), 163.13(d)",
                subject="Notice of removal of certification",
                paragraphs=removal_text(keeper, removal, hq, stamp, closes),
                office=self.office("field_office"),
                signer="director_title",
                facts={
                    "appeal_window_closes_on": closes.isoformat(),
                    "late_appeals_answered_until": late_appeals_answered_until(
                        closes, self.program
                    ).isoformat(),
                    "effective_without_appeal_on": removal_effective_without_appeal(
                        stamp.issued_on
                    ).isoformat(),
                    "immediate": bool(removal["immediate_basis"]),
                },
            )

        issued = self.notices.issue(call, "REMV", compose)
        self.records.update_removal(p.removal_number, notice_number=issued["notice_number"])
        return issued
