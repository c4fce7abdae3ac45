"""The remaining paths: penalty only, removal kept or upheld on appeal, denial final, late withdrawal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.clock import MovableClock
from service.services import Services
from service.views import program
from tests.integration.test_scenarios_appeals import _denied
from tests.integration.test_scenarios_applications import REVIEW_FORM, application
from tests.integration.test_scenarios_enforcement import IOR, assess, failure
from tests.program_support import INTAKE, Case, advance_to, certified_recordkeeper, moment, program_services

REMOVAL_START = {
    "importer_number": IOR,
    "proposed_grounds": ["no_valid_bond"],
    "removal_facts": "The bond lapsed.",
}
REMOVE = {
    "removal_decision": "remove",
    "removal_grounds": ["no_valid_bond"],
    "removal_statement": "The bond lapsed.",
    "removal_immediate_basis": "none",
}


@pytest.fixture
def services(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(db_url, tmp_path, clock)
    yield built
    built.close()


def test_a_failure_by_a_recordkeeper_without_certification_is_referred_for_a_penalty_only(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "notice_of_violation", failure("D-401", "5000.00"), "D-401")
    assess(case, willful="no")
    case.complete("open_penalty_case", {"penalty_case_number": "PEN-2026-20"})

    assert case.status == "completed"
    assert case.notices() == []
    [referral] = program.recordkeeper(services, INTAKE, IOR)["violations"]
    assert (referral["kind"], referral["ceiling_total"]) == ("penalty_referral", "2000.00")  # 40 % of $5,000


def test_the_director_may_keep_a_certification(services: Services, clock: MovableClock) -> None:
    certified_recordkeeper(services, IOR)
    case = Case.start(services, clock, "certification_removal", REMOVAL_START, "RM-401")

    case.complete("decide_removal", {"removal_decision": "keep", "keep_reasons": "The bond was renewed."})

    assert case.status == "completed"
    assert case.notices() == []
    assert program.recordkeeper(services, INTAKE, IOR)["certification_status"] == "certified"


def test_a_deferred_removal_upheld_on_appeal_takes_effect_on_the_decision_day(
    services: Services, clock: MovableClock
) -> None:
    certified_recordkeeper(services, IOR)
    case = Case.start(services, clock, "certification_removal", REMOVAL_START, "RM-402")
    case.complete("decide_removal", REMOVE)
    number = case.notice("removal")["noticeNumber"]
    clock.set(moment("2026-01-30"))
    case.deliver("appeal_received", {"notice_number": number}, received_on="2026-01-30")
    assert advance_to(services, clock, moment("2026-02-05")) == 0  # the appeal stopped the 30-day timer
    assert program.recordkeeper(services, INTAKE, IOR)["certification_status"] == "removal_pending"

    clock.set(moment("2026-02-20"))
    case.complete("decide_removal_appeal", {"appeal_outcome": "upheld", "appeal_reasons": "No bond on file."})

    assert case.status == "completed"
    keeper = program.recordkeeper(services, INTAKE, IOR)
    assert (keeper["certification_status"], keeper["removal_effective_on"]) == ("removed", "2026-02-20")


def test_a_late_appeal_of_a_removal_is_rejected_and_the_removal_stays_in_effect(
    services: Services, clock: MovableClock
) -> None:
    certified_recordkeeper(services, IOR)
    case = Case.start(services, clock, "certification_removal", REMOVAL_START, "RM-403")
    case.complete("decide_removal", REMOVE)
    number = case.notice("removal")["noticeNumber"]
    advance_to(services, clock, moment("2026-02-10"))

    case.deliver("appeal_received", {"notice_number": number}, received_on="2026-02-09")

    assert case.status == "completed"
    assert "The removal of certification stands." in case.notice("appeal_rejected_late")["text"]
    assert program.recordkeeper(services, INTAKE, IOR)["removal_effective_on"] == "2026-02-05"


def test_a_denial_becomes_final_and_the_case_closes_when_the_late_appeal_period_ends(
    services: Services, clock: MovableClock
) -> None:
    case, _ = _denied(services, clock, "A-2026-401")
    assert case.notice("denial")["facts"]["late_appeals_answered_until"] == "2026-03-06"  # +P30D configured

    assert advance_to(services, clock, moment("2026-02-05")) == 1
    assert [(e, due) for e, due, _ in case.deadlines()] == [("stop_listening", "2026-03-07T04:59:59+00:00")]
    assert advance_to(services, clock, moment("2026-03-07")) == 1

    assert case.status == "completed"
    assert program.application(services, INTAKE, "A-2026-401")["status"] == "denial_final"


def test_an_application_withdrawn_while_the_director_decides_is_closed(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "application_review", application("A-2026-402"), "A-2026-402")
    case.complete(
        "review_application",
        {**REVIEW_FORM, "review_next_step": "recommend_approval", "review_reasons": "All elements shown."},
    )

    case.deliver("application_withdrawn", {"application_number": "A-2026-402"})

    assert case.status == "completed"
    assert program.application(services, INTAKE, "A-2026-402")["status"] == "withdrawn"
