"""A deadline ends at 23:59:59 in the office's zone, even when the clocks change on its last day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from service.clock import MovableClock
from service.services import Services
from service.views import program
from tests.integration.test_scenarios_audits import petition
from tests.program_support import INTAKE, Case, advance_to, program_services


@pytest.fixture
def services(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    clock.set(datetime(2026, 2, 21, 14, tzinfo=UTC))
    built = program_services(db_url, tmp_path, clock)
    yield built
    built.close()


def test_a_conference_due_on_the_day_clocks_go_forward_is_due_until_midnight_eastern_daylight_time(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(
        services,
        clock,
        "closing_conference_petition",
        petition("AU-301", petition_received_on="2026-02-21"),
        "AU-301",
    )

    # Received February 21, 15 days (§163.11(b)): March 8, when Miami moves from EST to EDT.
    assert case.task("provide_conference")["due"] == "2026-03-09T03:59:59+00:00"
    assert advance_to(services, clock, datetime(2026, 3, 6, 12, tzinfo=UTC)) == 1  # the reminder
    assert advance_to(services, clock, datetime(2026, 3, 9, 3, 59, tzinfo=UTC)) == 0  # 23:59 EDT
    assert program.missed_deadlines(services, INTAKE, "AU-301") == []

    assert advance_to(services, clock, datetime(2026, 3, 9, 4, 0, tzinfo=UTC)) == 1  # midnight EDT
    [miss] = program.missed_deadlines(services, INTAKE, "AU-301")
    assert (miss["rule"], miss["due_on"]) == ("§163.11(b)", "2026-03-08")


def test_a_conference_due_on_the_day_clocks_go_back_is_due_until_midnight_eastern_standard_time(
    services: Services, clock: MovableClock
) -> None:
    clock.set(datetime(2026, 10, 17, 14, tzinfo=UTC))
    case = Case.start(
        services,
        clock,
        "closing_conference_petition",
        petition("AU-302", petition_received_on="2026-10-17"),
        "AU-302",
    )

    assert case.task("provide_conference")["due"] == "2026-11-02T04:59:59+00:00"
    assert advance_to(services, clock, datetime(2026, 10, 30, 12, tzinfo=UTC)) == 1  # the reminder
    assert advance_to(services, clock, datetime(2026, 11, 2, 4, 30, tzinfo=UTC)) == 0  # 23:30 EST
    assert advance_to(services, clock, datetime(2026, 11, 2, 5, 0, tzinfo=UTC)) == 1
