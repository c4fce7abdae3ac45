"""Staff reminders and escalations: internal e-mails, and the record of every missed deadline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .desk import Desk, as_date, iso
from .registry import CallContext


@dataclass
class StaffDeadline:
    case_ref: str
    rule: str
    due_on: str
    what: str
    group: str


class StaffDesk(Desk):
    """Tell staff groups (addresses in ``[groups]``) what is due and what was missed."""

    def escalate_missed_deadline(self, p: StaffDeadline, call: CallContext) -> dict[str, Any]:
        """Record a missed deadline with the rule that set it, and alert the group and supervisors."""
        due = as_date(p.due_on)
        miss = self.records.record_deadline_miss(
            case_ref=p.case_ref,
            instance_id=call.instance_id,
            rule=p.rule,
            due_on=due,
            what=p.what,
            at=self.clock.now(),
        )
        self.notices.archive.notify_staff(
            key=call.step_key,
            to=self.staff_addresses(p.group, "supervisors"),
            subject=f"Deadline missed: {p.what} ({p.case_ref})",
            text=f"{p.what} for {p.case_ref} was due on {due.isoformat()} under {p.rule} and has not been"
            " done. The case is escalated; see the task list.",
            instance_id=call.instance_id,
        )
        return {"missed_on": iso(miss["recorded_at"]), "rule": p.rule, "due_on": due.isoformat()}

    def remind_staff(self, p: StaffDeadline, call: CallContext) -> dict[str, Any]:
        """Remind the group working a task that its deadline approaches."""
        due = as_date(p.due_on)
        self.notices.archive.notify_staff(
            key=call.step_key,
            to=self.staff_addresses(p.group),
            subject=f"Reminder: {p.what} due {due.isoformat()} ({p.case_ref})",
            text=f"{p.what} for {p.case_ref} is due on {due.isoformat()} under {p.rule}.",
            instance_id=call.instance_id,
        )
        return {"reminded_on": self.today().isoformat(), "due_on": due.isoformat()}
