"""Appeals of a denial or a removal to headquarters (§163.13(d)): timeliness, delay, decision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .deadlines import APPEAL_WINDOW, appeal_decision_due, appeal_window_closes
from .desk import Desk, as_date, need
from .notices import Letter, Recipient
from .records import Record
from .registry import CallContext

KINDS = {"denial": "denial of certification", "removal": "removal of certification"}


@dataclass
class RecordAppeal:
    notice_number: str
    received_on: str
    grounds: str | None = None


@dataclass
class DelayAppeal:
    appeal_number: str
    reasons: str
    remaining_actions: str
    anticipated_on: str


@dataclass
class DecideAppeal:
    appeal_number: str
    decision: str
    reasons: str


@dataclass
class AppealNotice:
    appeal_number: str


class AppealDesk(Desk):
    """Headquarters' register of appeals and its letters to appellants."""

    def _appealed(self, notice_number: str) -> Record:
        return need(self.notices.archive.notice(notice_number), "notice", notice_number)

    def _appeal(self, appeal_number: str) -> Record:
        return need(self.records.appeal(appeal_number), "appeal", appeal_number)

    def record_appeal(self, p: RecordAppeal, call: CallContext) -> dict[str, Any]:
        """Register an appeal; it is timely only if received within the §163.13(d) window."""
        notice = self._appealed(p.notice_number)
        kind = "denial" if notice["kind"] == "denial" else "removal" if notice["kind"] == "removal" else None
        if kind is None:
            raise ValueError(
                f"notice {p.notice_number} is a {notice['kind']} notice, which cannot be appealed"
            )
        received = as_date(p.received_on)
        closes = appeal_window_closes(notice["issued_on"])  # §163.13(d)
        timely = received <= closes
        due = appeal_decision_due(received) if timely else None  # §163.13(d)
        appeal = self.records.add_appeal(
            notice_number=p.notice_number,
            kind=kind,
            appellant=notice["recipient_name"],
            grounds=p.grounds,
            received_on=received,
            window_closes_on=closes,
            timely=timely,
            decision_due_on=due,
        )
        if not timely:
            reasons = (
                f"The appeal was received on {received.isoformat()}, after the"
                f" {APPEAL_WINDOW.period}-day period following the notice of"
                f" {notice['issued_on'].isoformat()} closed on {closes.isoformat()}"
                " (19 CFR 163.13(d))."
            )
            self.records.update_appeal(
                appeal["appeal_number"],
                decision="rejected_late",
                decision_reasons=reasons,
                decided_on=self.today(),
            )
        return _summary(self._appeal(appeal["appeal_number"]))

    def delay_appeal_decision(self, p: DelayAppeal, call: CallContext) -> dict[str, Any]:
        """Move a denial appeal's decision date, recording why and what remains (§163.13(d))."""
        appeal = self._appeal(p.appeal_number)
        if appeal["kind"] != "denial":
            raise ValueError("only the decision on an appeal of a denial may be delayed (§163.13(d))")
        if not (p.reasons.strip() and p.remaining_actions.strip()):
            raise ValueError("a delay states its reasons and the actions that remain (§163.13(d))")
        anticipated = as_date(p.anticipated_on)
        delay = {
            "notified_on": self.today().isoformat(),
            "reasons": p.reasons.strip(),
            "remaining_actions": p.remaining_actions.strip(),
            "anticipated_on": anticipated.isoformat(),
            "replaces_due_on": appeal["decision_due_on"].isoformat(),
        }
        self.records.update_appeal(
            p.appeal_number, decision_due_on=anticipated, delays=[*appeal["delays"], delay]
        )
        return _summary(self._appeal(p.appeal_number))

    def decide_appeal(self, p: DecideAppeal, call: CallContext) -> dict[str, Any]:
        """Record the written decision on a timely appeal (§163.13(d))."""
        if p.decision not in ("upheld", "reversed"):
            raise ValueError(f"decision must be upheld or reversed, not {p.decision!r}")
        if not p.reasons.strip():
            raise ValueError("the appeal decision states its reasons")
        self._appeal(p.appeal_number)
        self.records.update_appeal(
            p.appeal_number, decision=p.decision, decision_reasons=p.reasons.strip(), decided_on=self.today()
        )
        return {"appeal_outcome": p.decision, "decided_on": self.today().isoformat()}

    def _letter(self, appeal: Record, kind: str, subject: str, text: list[str], **facts: Any) -> Letter:
        notice = self._appealed(appeal["notice_number"])
        return Letter(
            kind=kind,
            case_ref=appeal["appeal_number"],
            recipient=Recipient(
                notice["recipient_name"], notice["recipient_email"], notice["recipient_address"]
            ),
            rule_cited="19 CFR 163.13(d)",
            subject=subject,
            paragraphs=text,
            office=self.office("headquarters"),
            signer="appeal_official_title",
            facts=facts,
        )

    def reject_late_appeal(self, p: AppealNotice, call: CallContext) -> dict[str, Any]:
        """Reject an appeal received after the §163.13(d) window, saying why."""
        appeal = self._appeal(p.appeal_number)
        what = KINDS[appeal["kind"]]
        text = [
            f"We cannot consider your appeal {p.appeal_number} of the {what} in notice"
            f" {appeal['notice_number']}.",
            f"Reasons: {appeal['decision_reasons']}",
            f"The {what} stands.",
        ]
        return self.notices.issue(
            call,
            "APLT",
            lambda s: self._letter(appeal, "appeal_rejected_late", "Appeal not accepted: late", text),
        )

    def notify_appeal_delay(self, p: AppealNotice, call: CallContext) -> dict[str, Any]:
        """Tell the appellant why the decision is delayed, what remains, and when to expect it."""
        appeal = self._appeal(p.appeal_number)
        delay = appeal["delays"][-1]
        text = [
            f"The decision on your appeal {p.appeal_number} of the denial in notice"
            f" {appeal['notice_number']},"
            f" due on {delay['replaces_due_on']}, is delayed (19 CFR 163.13(d)).",
            f"Reasons for the delay: {delay['reasons']}",
            f"Actions that remain to be taken: {delay['remaining_actions']}",
            f"We expect to decide by {delay['anticipated_on']}.",
        ]
        return self.notices.issue(
            call,
            "APDL",
            lambda s: self._letter(
                appeal,
                "appeal_decision_delayed",
                "Appeal decision delayed",
                text,
                anticipated_on=delay["anticipated_on"],
            ),
        )

    def issue_appeal_decision(self, p: AppealNotice, call: CallContext) -> dict[str, Any]:
        """Issue the written decision on the appeal (§163.13(d))."""
        appeal = self._appeal(p.appeal_number)
        what = KINDS[appeal["kind"]]
        outcome = {
            ("denial", "upheld"): "The denial is upheld; your application remains denied.",
            ("denial", "reversed"): "The denial is reversed; the field office will issue your certification.",
            ("removal", "upheld"): "The removal is upheld and is in effect.",
            ("removal", "reversed"): "The removal is reversed; your certification stands.",
        }[(appeal["kind"], appeal["decision"])]
        text = [
            f"Decision on your appeal {p.appeal_number} of the {what} in notice {appeal['notice_number']},"
            f" received on {appeal['received_on'].isoformat()}:",
            outcome,
            f"Reasons: {appeal['decision_reasons']}",
        ]
        return self.notices.issue(
            call,
            "APDC",
            lambda s: self._letter(
                appeal, "appeal_decision", "Decision on your appeal", text, appeal_outcome=appeal["decision"]
            ),
        )


def _summary(appeal: Record) -> dict[str, Any]:
    """Describe an appeal for the diagram: kind, timeliness and the decision's due date (§163.13(d))."""
    due = appeal["decision_due_on"]
    return {
        "appeal_number": appeal["appeal_number"],
        "notice_number": appeal["notice_number"],
        "kind": appeal["kind"],
        "received_on": appeal["received_on"].isoformat(),
        "window_closes_on": appeal["window_closes_on"].isoformat(),
        "timely": bool(appeal["timely"]),
        "decision_due_on": due.isoformat() if due else None,
        "delays": len(appeal["delays"]),
        "citation": "§163.13(d)",
    }
