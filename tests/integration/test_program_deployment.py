"""processes/ deploys cleanly with the production handlers: no errors, no warnings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.actions.deployment import check, deploy, read_directory
from service.clock import MovableClock
from service.services import Services
from tests.program_support import INTAKE, PROCESSES, program_services


@pytest.fixture
def services(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(db_url, tmp_path, clock)
    yield built
    built.close()


def test_the_program_processes_validate_without_a_single_issue(services: Services) -> None:
    report = check(services, read_directory(PROCESSES))

    assert [str(i) for i in report.issues] == []
    assert sorted(c.key for c in report.candidates) == [
        "appeal",
        "application_review",
        "audit_report_delivery",
        "certification_removal",
        "closing_conference_petition",
        "formal_report_due",
        "information_request",
        "notice_of_violation",
        "onsite_verification",
        "record_demand",
    ]


def test_redeploying_the_unchanged_processes_makes_no_new_version(services: Services) -> None:
    again = deploy(services, read_directory(PROCESSES), INTAKE)

    assert {(r["key"], r["version"], r["created"]) for r in again} == {(r["key"], 1, False) for r in again}
