"""The §163.6(a) production period and the §163.11(a)(5) report period, from the deadline table."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.deadlines import DEMAND, FORMAL_REPORT, classify, formal_report_due, production_due, reminder_on
from service.config import load_program


def test_records_are_due_30_days_after_receipt_or_after_a_shorter_period() -> None:
    assert production_due(date(2026, 1, 5)) == date(2026, 2, 4)
    assert production_due(date(2026, 1, 5), 10) == date(2026, 1, 15)
    assert production_due(date(2026, 1, 5), 29) == date(2026, 2, 3)


@pytest.mark.parametrize("days", [0, 30, 45])
def test_a_shorter_period_is_shorter(days: int) -> None:
    with pytest.raises(ValueError, match="a shorter period is 1 to 29 days"):
        production_due(date(2026, 1, 5), days)


def test_the_formal_report_is_due_90_days_after_the_conference_and_reminded_from_configuration() -> None:
    due = formal_report_due(date(2026, 1, 5))
    assert due == date(2026, 4, 5)
    assert reminder_on(FORMAL_REPORT, due, load_program(None)) == date(2026, 3, 26)
    assert reminder_on(DEMAND, date(2026, 2, 4), load_program(None)) == date(2026, 1, 30)


def test_each_rule_is_filed_under_its_own_paragraph() -> None:
    assert classify("§163.6(a)", "production_period_passed", "Due date passed") == "163.6(a)"
    assert classify("§163.11(a)(5)", "report_deadline_missed") == "163.11(a)(5)"
    assert classify("§163.11(a)(6)", "copy_deadline_missed") == "163.11(a)(6)"
    assert classify("§163.6(b)(1)", "compute_ceiling") == "other"  # penalties set no deadline
    assert load_program(None)["program"]["formal_report_deadline"] is True  # the later text, by default
