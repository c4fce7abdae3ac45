"""Which rule a deadline belongs to, read from its citation and the element's names."""

from __future__ import annotations

import pytest

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
        ("§163.6(a)", "records_due", "Records due", "other"),
    ],
)
def test_a_deadline_is_filed_under_the_rule_its_citation_and_names_give(
    citation: str | None, name: str, title: str | None, rule: str
) -> None:
    assert classify(citation, name, title) == rule


def test_the_citation_is_found_in_running_text() -> None:
    assert citation_in("Per 19 CFR §163.13(d), the window is 30 days.") == "§163.13(d)"
    assert citation_in("no citation here") is None
