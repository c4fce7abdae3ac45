"""Deadlines of 19 CFR 163.11-163.13: one table of rules, and every date computed from it.

All periods are calendar days; none of these sections moves a deadline off a weekend or holiday
(RULES.md). Periods the regulation leaves open are configuration (``[deadlines]`` of the program);
the table says which rule each of them serves and which date it computes. The handlers, the
deadline board, its history and the reminders read this table, and
``tests/unit/test_deadline_table.py`` holds every diagram and form to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

_DAYS = re.compile(r"^P(\d+)D$")
_CITATION = re.compile(r"163\.\d+(?:\([a-z0-9]+\))*", re.IGNORECASE)


@dataclass(frozen=True)
class Configured:
    """A period the regulation leaves open: its ``[deadlines]`` entry and the date it computes."""

    setting: str
    date: str
    citation: str
    meaning: str


@dataclass(frozen=True)
class Rule:
    """One deadline rule: its period, the date it counts from, and the dates computed under it."""

    id: str
    citation: str | None
    short: str
    duty: str
    period: int | None = None
    counted_from: str = ""
    # How diagrams and forms name the date the period counts from (an expression) ...
    starts: tuple[str, ...] = ()
    # ... and the case data keys of the dates handlers compute under the rule.
    dates: tuple[str, ...] = ()
    configured: tuple[Configured, ...] = ()
    # Names that pick this rule among several citing the same paragraph (a regular expression).
    named_by: str | None = None
    unit: str = "calendar days"
    # The duty is the other party's and only a timer guards it: the timer firing is the deadline
    # missed (a task's own deadline is judged when the task closes).
    missed_when_fired: bool = False
    # The messages that perform the duty; any other message closing its timer moves or lifts it.
    met_by: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Return the board's label, composed from the period so the two cannot disagree."""
        if self.period is None:
            return self.duty
        return f"{self.duty} within {self.period} {self.unit} after {self.counted_from}"

    @property
    def known_dates(self) -> tuple[str, ...]:
        """Return every date computed under the rule, by its period or by configuration."""
        return self.dates + tuple(c.date for c in self.configured)

    def due(self, start: date) -> date:
        """Return the last day of the period counted from ``start``."""
        if self.period is None:
            raise ValueError(f"rule {self.id} sets no period")
        return start + timedelta(days=self.period)

    def setting(self, date_name: str) -> str:
        """Return the ``[deadlines]`` entry that computes ``date_name`` under this rule."""
        for c in self.configured:
            if c.date == date_name:
                return c.setting
        raise LookupError(f"rule {self.id} computes no {date_name} from configuration")


CONFERENCE = Rule(
    "163.11(b)",
    "§163.11(b)",
    "Closing conference",
    "Closing conference held",
    period=15,
    counted_from="the petition is received",
    starts=("petition_received_on",),
    dates=("conference_due_on",),
    configured=(
        Configured("petition_reminder_before", "reminder_on", "§163.11(b)", "staff reminder lead time"),
    ),
)
REPORT_COPY = Rule(
    "163.11(a)(6)",
    "§163.11(a)(6)",
    "Audit report copy",
    "Copy of the audit report sent",
    period=30,
    counted_from="the report is completed",
    starts=("report_completed_on",),
    dates=("copy_due_on",),
    configured=(
        Configured("report_reminder_before", "reminder_on", "§163.11(a)(6)", "staff reminder lead time"),
    ),
)
APPEAL_WINDOW = Rule(
    "163.13(d)-appeal",
    "§163.13(d)",
    "Appeal window",
    "Appeal received",
    period=30,
    counted_from="the notice is issued",
    starts=('denial_notice["issued_on"]', 'removal_notice["issued_on"]'),
    # §163.13(c)(3): without an appeal in the window, a removal takes effect the day after it.
    dates=("appeal_window_closes_on", "window_closes_on", "effective_without_appeal_on"),
    configured=(
        Configured(
            "late_appeal_listening",
            "late_appeals_answered_until",
            "§163.13(d)",
            "after the window closes, a late appeal still gets a reasoned rejection",
        ),
    ),
)
APPEAL_DECISION = Rule(
    "163.13(d)-decision",
    "§163.13(d)",
    "Appeal decision",
    "Appeal decided",
    period=30,
    counted_from="the appeal is received",
    starts=('appeal["received_on"]',),
    dates=("decision_due_on",),
    named_by=r"\bdecid|\bdecision",
)
DEMAND = Rule(
    "163.6(a)",
    "§163.6(a)",
    "Record demand",
    "Demanded records produced",
    period=30,
    counted_from="the demand is received",
    starts=("received_on",),
    # A shorter period (admissibility, release) or an extension granted before the due date moves it.
    dates=("production_due_on",),
    configured=(
        Configured("demand_reminder_before", "reminder_on", "§163.6(a)", "staff reminder lead time"),
    ),
    # §163.6(a): only the records meet the demand; the period passing without them is the failure.
    missed_when_fired=True,
    met_by=("records_produced",),
)
FORMAL_REPORT = Rule(
    "163.11(a)(5)",
    "§163.11(a)(5)",
    "Formal audit report",
    "Formal written audit report issued",
    period=90,
    counted_from="the closing conference",
    starts=("held_on",),
    # A delay letter (why, and when) moves it to the date it announces; an investigation lifts it.
    dates=("report_due_on",),
    configured=(
        Configured(
            "formal_report_reminder_before", "reminder_on", "§163.11(a)(5)", "staff reminder lead time"
        ),
    ),
    # §163.11(a)(5): only the report meets the deadline; a delay letter moves it, §163.11(c) lifts it.
    missed_when_fired=True,
    met_by=("formal_report_issued",),
)
REMINDERS = Rule(
    "reminder",
    None,
    "Reminders",
    "Reminders and follow-ups",
    configured=(
        Configured(
            "information_request_reminder",
            "reminder_cycle",
            "§163.12(c)(1)",
            "no time limit; the applicant is reminded on this cycle",
        ),
    ),
)
OTHER = Rule(
    "other",
    None,
    "Other",
    "Other deadlines",
    configured=(
        Configured(
            "corrective_action_reasonable_time",
            "response_due_on",
            "§163.12(d)(3)",
            "the steps taken to prevent recurrence are reported 'within a reasonable time'",
        ),
    ),
)

RULES = (CONFERENCE, FORMAL_REPORT, REPORT_COPY, DEMAND, APPEAL_WINDOW, APPEAL_DECISION, REMINDERS, OTHER)
RULES_BY_ID = {r.id: r for r in RULES}


def conference_due(petition_received_on: date) -> date:
    """Return the last day the closing conference may be held (§163.11(b))."""
    return CONFERENCE.due(petition_received_on)


def report_copy_due(report_completed_on: date) -> date:
    """Return the last day for the audited person's copy of the report (§163.11(a)(6))."""
    return REPORT_COPY.due(report_completed_on)


def production_due(received_on: date, shorter_days: int | None = None) -> date:
    """Return the last day to produce demanded records: receipt + 30, or a shorter period (§163.6(a))."""
    if shorter_days is None:
        return DEMAND.due(received_on)
    if not 0 < shorter_days < (DEMAND.period or 0):
        raise ValueError(f"a shorter period is 1 to {(DEMAND.period or 0) - 1} days, not {shorter_days}")
    return received_on + timedelta(days=shorter_days)


def formal_report_due(conference_held_on: date) -> date:
    """Return the last day for the formal written report after the closing conference (§163.11(a)(5))."""
    return FORMAL_REPORT.due(conference_held_on)


def appeal_window_closes(notice_issued_on: date) -> date:
    """Return the last day an appeal of a denial or removal may be received (§163.13(d))."""
    return APPEAL_WINDOW.due(notice_issued_on)


def removal_effective_without_appeal(notice_issued_on: date) -> date:
    """Return the day a removal takes effect when no appeal arrives in the window (§163.13(c)(3))."""
    return appeal_window_closes(notice_issued_on) + timedelta(days=1)


def appeal_decision_due(appeal_received_on: date) -> date:
    """Return the day the written appeal decision is due (§163.13(d))."""
    return APPEAL_DECISION.due(appeal_received_on)


# The program's offices (sections of program.toml); each names the time zone its days are kept in.
OFFICES = ("field_office", "regulatory_audit_division", "headquarters", "penalties_office")


def deadline_zone(program: dict[str, Any]) -> ZoneInfo:
    """Return the time zone whose calendar days every deadline counts (end of the last day there)."""
    zones = {str(program[o].get("time_zone", "UTC")) for o in OFFICES if isinstance(program.get(o), dict)}
    if len(zones) > 1:
        # Each rule would then need its office's zone; one zone keeps every period the same length.
        raise ValueError(f"program offices keep different time zones {sorted(zones)}; deadlines need one")
    return ZoneInfo(zones.pop() if zones else "UTC")


def configured_days(program: dict[str, Any], name: str) -> int:
    """Return a period of the ``[deadlines]`` configuration (an ISO 8601 ``PnD``) in days."""
    value = str(program.get("deadlines", {}).get(name, ""))
    found = _DAYS.match(value)
    if not found:
        raise ValueError(f"program configuration deadlines.{name} must be a period of days like 'P14D'")
    return int(found.group(1))


def configured_period(rule: Rule, date_name: str, program: dict[str, Any]) -> timedelta:
    """Return the configured period the table names for ``date_name`` under ``rule``."""
    return timedelta(days=configured_days(program, rule.setting(date_name)))


def reminder_on(rule: Rule, due_on: date, program: dict[str, Any]) -> date:
    """Return the day to remind staff of ``due_on`` under ``rule`` (the lead time is configuration)."""
    return due_on - configured_period(rule, "reminder_on", program)


def reminder_cycle(program: dict[str, Any]) -> str:
    """Return the timer cycle of information request reminders (§163.12(c)(1) sets no limit)."""
    return f"R/P{configured_period(REMINDERS, 'reminder_cycle', program).days}D"


def late_appeals_answered_until(window_closes_on: date, program: dict[str, Any]) -> date:
    """Return the last day a late appeal still gets a reasoned rejection (configuration)."""
    return window_closes_on + configured_period(APPEAL_WINDOW, "late_appeals_answered_until", program)


def citation_in(text: str | None) -> str | None:
    """Return the first §163 citation in a text (a due citation or an element's documentation)."""
    found = _CITATION.search(text or "")
    return f"§{found.group(0).lower()}" if found else None


def classify(citation: str | None, *texts: str | None) -> str:
    """Return the rule a deadline belongs to, from its citation and the element's names."""
    words = " ".join(t for t in (citation, *texts) if t).lower().replace("_", " ")
    if "remind" in words:
        return REMINDERS.id
    if "appeal window" in words:
        return APPEAL_WINDOW.id  # whatever else its text cites, it is the §163.13(d) window
    cited = citation_in(citation) or citation_in(words)
    if cited is None:
        return OTHER.id
    matches = [r for r in RULES if r.citation and cited.startswith(r.citation)]
    # §163.13(d) sets two windows, the appeal's receipt and the decision on it: names pick one.
    named = [r for r in matches if r.named_by and re.search(r.named_by, words)]
    chosen = named or [r for r in matches if not r.named_by]
    return chosen[0].id if chosen else OTHER.id
