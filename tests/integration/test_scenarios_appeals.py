"""Denials and their appeals (§163.13(b),(d)): timely and reversed, late, delayed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.clock import MovableClock
from service.errors import InvalidData
from service.services import Services
from service.views import program
from tests.integration.test_scenarios_applications import REVIEW_FORM, application
from tests.program_support import INTAKE, Case, advance_to, moment, program_services

DENIAL = {
    "application_decision": "deny",
    "denial_grounds": ["fails_certification_requirements"],
    "denial_reasons": "No designated responsible individual (§163.12(b)(3)(iv)).",
}


@pytest.fixture
def services(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(db_url, tmp_path, clock)
    yield built
    built.close()


def _denied(services: Services, clock: MovableClock, number: str) -> tuple[Case, str]:
    """Run an application to a notice of denial issued on 2026-01-05; return the notice number."""
    case = Case.start(services, clock, "application_review", application(number), number)
    case.complete(
        "review_application",
        {**REVIEW_FORM, "review_next_step": "recommend_denial", "review_reasons": "Element (iv) is missing."},
    )
    case.complete("decide_application", DENIAL)
    return case, case.notice("denial")["noticeNumber"]


def test_the_notice_of_denial_states_the_reasons_the_appeal_right_and_when_the_window_closes(
    services: Services, clock: MovableClock
) -> None:
    case, number = _denied(services, clock, "A-2026-010")

    denial = case.notice("denial")
    assert denial["issuedOn"] == "2026-01-05"
    assert denial["facts"]["appeal_window_closes_on"] == "2026-02-04"  # §163.13(d): 30 days after issuance
    assert "No designated responsible individual" in denial["text"]
    assert "has not met the requirements of §163.12(b)(3)" in denial["text"]
    assert "Right to appeal" in denial["text"]
    assert "on or before 2026-02-04 (19 CFR 163.13(d))" in denial["text"]
    assert "Executive Director, Regulatory Audit" in denial["text"]  # the official, from configuration
    assert case.waiting_for() == [("appeal_received", {"notice_number": number})]
    [(element, due, citation)] = case.deadlines()
    assert (element, due) == ("appeal_window_closed", "2026-02-05T04:59:59+00:00")
    assert "§163.13(d)" in citation
    assert program.notice_pdf(services, INTAKE, number).startswith(b"%PDF-")


def test_a_denial_appealed_in_time_and_reversed_ends_in_certification(
    services: Services, clock: MovableClock
) -> None:
    case, number = _denied(services, clock, "A-2026-011")
    clock.set(moment("2026-01-20"))

    case.deliver(
        "appeal_received",
        {"notice_number": number},
        received_on="2026-01-20",
        grounds="Our compliance manager was designated on 2025-12-01.",
    )

    decide = case.task("decide_denial_appeal")
    assert decide["candidateGroup"] == "hq_regulatory_audit"
    assert (decide["due"], decide["dueCitation"]) == (
        "2026-02-20T04:59:59+00:00",
        "§163.13(d)",
    )  # receipt + 30
    case.complete(
        "decide_denial_appeal",
        {"appeal_outcome": "reversed", "appeal_reasons": "The designation letter predates the application."},
    )
    assert case.notice("appeal_decision")["facts"] == {"appeal_outcome": "reversed"}
    case.complete(
        "conditions_after_appeal", {"certification_conditions": ["Keep the designation letter on file"]}
    )

    assert case.status == "completed"
    assert case.notice_kinds()[-2:] == ["appeal_decision", "certification"]
    keeper = program.recordkeeper(services, INTAKE, "IOR-55-1234567")
    assert keeper["certification_status"] == "certified"


def test_a_late_appeal_gets_a_reasoned_rejection_and_the_denial_stands(
    services: Services, clock: MovableClock
) -> None:
    case, number = _denied(services, clock, "A-2026-012")

    # The window closed at the end of 02-04 in Miami.
    assert advance_to(services, clock, moment("2026-02-05", 5)) == 1
    assert program.application(services, INTAKE, "A-2026-012")["status"] == "denial_final"
    case.deliver("appeal_received", {"notice_number": number}, received_on="2026-02-05")

    assert case.status == "completed"
    rejection = case.notice("appeal_rejected_late")
    assert "received on 2026-02-05" in rejection["text"]
    assert "closed on 2026-02-04" in rejection["text"]
    assert "The denial of certification stands." in rejection["text"]
    assert rejection["ruleCited"] == "19 CFR 163.13(d)"


def test_a_delay_notice_moves_the_due_date_of_a_denial_appeal(
    services: Services, clock: MovableClock
) -> None:
    case, number = _denied(services, clock, "A-2026-013")
    clock.set(moment("2026-01-10"))
    case.deliver("appeal_received", {"notice_number": number}, received_on="2026-01-10")
    assert case.task("decide_denial_appeal")["due"] == "2026-02-10T04:59:59+00:00"

    with pytest.raises(InvalidData) as early:  # the anticipated date must follow the current due date
        case.complete(
            "decide_denial_appeal",
            {
                "appeal_outcome": "delayed",
                "delay_reasons": "Awaiting the field office's file.",
                "delay_remaining_actions": "Review the designation records.",
                "delay_anticipated_on": "2026-02-09",
            },
        )
    assert [e.field for e in early.value.errors] == ["delay_anticipated_on"]
    case.complete(
        "decide_denial_appeal",
        {
            "appeal_outcome": "delayed",
            "delay_reasons": "Awaiting the field office's file.",
            "delay_remaining_actions": "Review the designation records.",
            "delay_anticipated_on": "2026-03-02",
        },
    )

    assert case.task("decide_denial_appeal")["due"] == "2026-03-03T04:59:59+00:00"
    delay = case.notice("appeal_decision_delayed")
    assert "Awaiting the field office's file." in delay["text"]
    assert "Review the designation records." in delay["text"]
    assert "We expect to decide by 2026-03-02." in delay["text"]
    case.complete(
        "decide_denial_appeal", {"appeal_outcome": "upheld", "appeal_reasons": "Element (iv) not shown."}
    )
    assert case.status == "completed"
    assert program.application(services, INTAKE, "A-2026-013")["status"] == "denied"


def test_a_missed_appeal_decision_date_is_recorded_and_escalated_while_the_task_stays_open(
    services: Services, clock: MovableClock
) -> None:
    case, number = _denied(services, clock, "A-2026-014")
    case.deliver("appeal_received", {"notice_number": number}, received_on="2026-01-05")

    assert advance_to(services, clock, moment("2026-02-05")) == 1

    [appeal] = program.appeals_of(services, INTAKE, number)
    [miss] = program.missed_deadlines(services, INTAKE, appeal["appeal_number"])
    assert (miss["rule"], miss["due_on"]) == ("§163.13(d)", "2026-02-04")
    assert case.task("decide_denial_appeal")["due"] == "2026-02-05T04:59:59+00:00"
