"""Deadlines end at 23:59:59 in the offices' zone, across daylight saving changes; pages name the zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from handlers.deadlines import deadline_zone
from handlers.notices import Stamp
from service.clock import MovableClock
from service.config import load_program
from service.engine.functions import diagram_functions
from service.views.local_time import when

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def miami() -> dict:
    clock = MovableClock(datetime(2026, 3, 8, 3, 30, tzinfo=UTC))  # 22:30 on March 7 in Miami
    return diagram_functions(clock, deadline_zone(load_program(None)))


def test_the_shipped_program_keeps_every_office_in_new_york_time() -> None:
    assert deadline_zone(load_program(None)) == NEW_YORK


def test_offices_in_different_zones_are_refused_rather_than_guessed() -> None:
    program = {"field_office": {"time_zone": "America/New_York"}, "headquarters": {"time_zone": "UTC"}}

    with pytest.raises(ValueError, match="different time zones"):
        deadline_zone(program)


@pytest.mark.parametrize(
    ("last_day", "ends_at"),
    [
        ("2026-03-07", "2026-03-08T04:59:59+00:00"),  # EST, the day before clocks go forward
        ("2026-03-08", "2026-03-09T03:59:59+00:00"),  # EDT from 2 AM that day
        ("2026-10-31", "2026-11-01T03:59:59+00:00"),  # EDT, the day before clocks go back
        ("2026-11-01", "2026-11-02T04:59:59+00:00"),  # EST from 2 AM that day
        ("2026-12-20", "2026-12-21T04:59:59+00:00"),
    ],
)
def test_a_period_ends_at_the_end_of_its_last_day_in_miami(miami: dict, last_day: str, ends_at: str) -> None:
    assert miami["end_of_day"](last_day) == ends_at


def test_a_day_starts_at_midnight_in_miami_across_the_spring_change(miami: dict) -> None:
    assert miami["start_of_day"]("2026-03-08") == "2026-03-08T05:00:00+00:00"
    assert miami["start_of_day"]("2026-03-09") == "2026-03-09T04:00:00+00:00"


def test_days_are_counted_on_miami_calendar_days(miami: dict) -> None:
    # 02:00 UTC on February 6 is still February 5 in Miami: 30 days after it is March 7.
    assert miami["add_days"]("2026-02-06T02:00:00+00:00", 30) == "2026-03-07"
    assert miami["today"]() == "2026-03-07"
    assert miami["days_between"]("2026-03-07", "2026-03-09T03:00:00+00:00") == 1


def test_a_program_without_zones_keeps_utc_days() -> None:
    plain = diagram_functions(MovableClock(datetime(2026, 1, 5, 9, tzinfo=UTC)), deadline_zone({}))

    assert plain["end_of_day"]("2026-01-20") == "2026-01-20T23:59:59+00:00"


@pytest.mark.parametrize(
    ("instant", "said"),
    [
        ("2026-12-21T04:59:59+00:00", "Dec 20, 2026, 11:59 PM EST"),
        ("2026-07-04T16:05:00+00:00", "Jul 4, 2026, 12:05 PM EDT"),
        ("2026-03-08T06:30:00+00:00", "Mar 8, 2026, 1:30 AM EST"),
        ("2026-03-08T07:30:00+00:00", "Mar 8, 2026, 3:30 AM EDT"),
    ],
)
def test_pages_say_an_instant_in_the_offices_zone_and_name_it(instant: str, said: str) -> None:
    assert when(instant, NEW_YORK) == said


def test_a_date_alone_is_the_offices_calendar_day() -> None:
    assert when(datetime(2026, 1, 21, 4, 59, 59, tzinfo=UTC), NEW_YORK, with_time=False) == "Jan 20, 2026"
    assert when(None, NEW_YORK) == "-"


def test_a_notice_issued_at_9_pm_in_miami_is_dated_that_day_not_the_utc_day_after() -> None:
    stamp = Stamp("N-1", datetime(2026, 1, 6, 2, 0, tzinfo=UTC), NEW_YORK)

    assert stamp.issued_on == date(2026, 1, 5)  # its appeal window counts from January 5
