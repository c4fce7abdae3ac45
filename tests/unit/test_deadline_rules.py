"""Which rule a deadline belongs to, read from its citation and the element's names."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.deadlines import (
    RULES_BY_ID,
    appeal_window_closes,
    conference_due,
    removal_effective_without_appeal,
)
from service.views.deadline_board import citation_in, classify


@pytest.mark.parametrize(
    ("citation", "name", "title", "rule"),
    [
        ("§163.11(b)", "hold_conference", "Hold the closing conference", "163.11(b)"),
        ("§ 163.11(b)", "hold_conference", None, "163.11(b)"),
        ("§163.11(a)(6)", "send_report", "Send the audit report", "163.11(a)(6)"),
        ("§163.13(d) appeal window closes", "appeal_window", "Appeal window", "163.13(d)-appeal"),
        ("§163.13(c)(3): removal takes effect", "appeal_window_closed", "30 days after", "163.13(d)-appeal"),
        ("§163.13(d)", "decide_appeal", "Decide the appeal", "163.13(d)-decision"),
        ("§163.13(d)", "appeal_decision_due", None, "163.13(d)-decision"),
        ("§163.12(b)", "remind_applicant", "Remind the applicant", "reminder"),
        (None, "wait_day", "One day", "other"),
        ("§163.6(a)", "records_due", "Records due", "163.6(a)"),
    ],
)
def test_a_deadline_is_filed_under_the_rule_its_citation_and_names_give(
    citation: str | None, name: str, title: str | None, rule: str
) -> None:
    assert classify(citation, name, title) == rule


def test_the_citation_is_found_in_running_text() -> None:
    assert citation_in("Per 19 CFR §163.13(d), the window is 30 days.") == "§163.13(d)"
    assert citation_in("no citation here") is None


def test_the_board_labels_say_the_period_the_table_holds() -> None:
    assert RULES_BY_ID["163.11(b)"].label == (
        "Closing conference held within 15 calendar days after the petition is received"
    )
    assert RULES_BY_ID["163.13(d)-decision"].label == (
        "Appeal decided within 30 calendar days after the appeal is received"
    )
    assert RULES_BY_ID["reminder"].label == "Reminders and follow-ups"


def test_the_due_dates_count_calendar_days_from_the_date_the_rule_names() -> None:
    received = date(2025, 12, 20)

    assert conference_due(received) == date(2026, 1, 4)  # §163.11(b): across the year end, no weekend shift
    assert appeal_window_closes(received) == date(2026, 1, 19)  # §163.13(d)
    assert removal_effective_without_appeal(received) == date(2026, 1, 20)  # §163.13(c)(3): the next day
