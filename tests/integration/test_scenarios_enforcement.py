"""Failures to produce demanded records (§163.12(d), §163.6(b)) and removals (§163.13(c)), end to end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.clock import MovableClock
from service.services import Services
from service.views import program
from tests.program_support import INTAKE, Case, advance_to, certified_recordkeeper, moment, program_services

IOR = "IOR-55-7654321"
KEEPER = {"importer_number": IOR, "name": "Harbor Imports LLC", "email": "records@harbor.example"}


@pytest.fixture
def services(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(db_url, tmp_path, clock)
    certified_recordkeeper(built, IOR)
    yield built
    built.close()


def failure(demand: str, *values: str) -> dict:
    return {
        "demand_number": demand,
        "recordkeeper": KEEPER,
        "record_description": "Commercial invoice for entry 123-4567890-1",
        "releases": [
            {"entry_number": f"123-45678{i}0-1", "appraised_value": v}
            for i, v in enumerate(values or ("12000",))
        ],
        "demanded_on": "2025-11-20",
        "due_on": "2025-12-20",
    }


def assess(case: Case, willful: str, in_compliance: str = "yes") -> None:
    case.complete(
        "assess_failure",
        {
            "violation_willful": willful,
            "violation_in_compliance": in_compliance,
            "violation_assessment": "Invoice lost during an office move.",
        },
    )


def test_a_first_non_willful_failure_gets_a_notice_of_violation_with_its_three_elements(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "notice_of_violation", failure("D-301"), "D-301")
    assert case.task("assess_failure")["candidateGroup"] == "field_auditors"

    assess(case, willful="no")

    notice = case.notice("notice_of_violation")
    text = notice["text"]
    assert "has violated the recordkeeping requirements" in text  # §163.12(d)(2)(i)
    assert "Record demanded and not produced: Commercial invoice for entry 123-4567890-1" in text  # (ii)
    assert "may result in the imposition of monetary penalties" in text  # (iii)
    assert "could result in your removal from the Recordkeeping Compliance Program" in text  # (iii)
    assert notice["ruleCited"] == "19 CFR 163.12(d)(2)"
    assert "Fines, Penalties and Forfeitures Officer" in text  # the official, from configuration
    assert notice["facts"] == {"response_due_on": "2026-02-04"}  # reasonable time: P30D configured
    assert case.waiting_for() == [("corrective_action_reported", {"notice_number": notice["noticeNumber"]})]
    [(element, due, citation)] = case.deadlines()
    assert (element, due) == ("reasonable_time_passed", "2026-02-05T04:59:59+00:00")
    assert "§163.12(d)(3)" in citation

    clock.set(moment("2026-01-20"))
    case.deliver(
        "corrective_action_reported",
        {"notice_number": notice["noticeNumber"]},
        steps="Invoices now scanned at receipt.",
        reported_on="2026-01-20",
    )
    assert case.status == "completed"
    [violation] = program.recordkeeper(services, INTAKE, IOR)["violations"]
    assert (violation["kind"], violation["corrective_action"]) == (
        "notice_of_violation",
        "Invoices now scanned at receipt.",
    )


def test_no_corrective_action_within_the_reasonable_time_is_escalated(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "notice_of_violation", failure("D-302"), "D-302")
    assess(case, willful="no")

    assert advance_to(services, clock, moment("2026-02-05")) == 1

    [miss] = program.missed_deadlines(services, INTAKE, "D-302")
    assert (miss["rule"], miss["due_on"]) == ("§163.12(d)(3)", "2026-02-04")
    assert case.status == "completed"


def test_a_willful_failure_is_referred_for_a_penalty_and_removal_takes_effect_at_once(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(
        services, clock, "notice_of_violation", failure("D-303", "200000.00", "40000.00"), "D-303"
    )
    assess(case, willful="yes")

    assert "notice_of_violation" not in case.notice_kinds()
    task = case.task("open_penalty_case")
    assert task["candidateGroup"] == "penalties"
    case.complete("open_penalty_case", {"penalty_case_number": "PEN-2026-17"})
    _assert_willful_penalty_ceilings(services)

    decide = case.task("decide_removal")
    assert decide["candidateGroup"] == "field_director"
    case.complete(
        "decide_removal",
        {
            "removal_decision": "remove",
            "removal_grounds": ["willful_refusal_to_produce"],
            "removal_statement": "Refused to produce the invoice demanded in D-303.",
            "removal_immediate_basis": "willfulness",
        },
    )

    _assert_removed_at_once_with_an_appeal_window(services, case)


def _assert_willful_penalty_ceilings(services: Services) -> None:
    """Check the penalty referral caps each release at the willful ceiling of §163.6(b)(1)."""
    [referral] = [
        v
        for v in program.recordkeeper(services, INTAKE, IOR)["violations"]
        if v["kind"] == "penalty_referral"
    ]
    # §163.6(b)(1), willful, per release: the lesser of $100,000 or 75 % of the appraised value.
    assert referral["ceilings"] == [
        {"entry_number": "123-4567800-1", "ceiling": "100000.00"},
        {"entry_number": "123-4567810-1", "ceiling": "30000.00"},
    ]
    assert (referral["ceiling_total"], referral["culpability"]) == ("130000.00", "willful")


def _assert_removed_at_once_with_an_appeal_window(services: Services, case: Case) -> None:
    """Check the removal notice, the removal effective today, and the 30-day appeal wait."""
    notice = case.notice("removal")
    assert "(iv) the participant willfully refused to produce a demanded record" in notice["text"]
    assert "takes effect immediately, because the violation was willful" in notice["text"]
    assert "Right to appeal" in notice["text"] and "on or before 2026-02-04" in notice["text"]
    keeper = program.recordkeeper(services, INTAKE, IOR)
    assert (keeper["certification_status"], keeper["removal_effective_on"]) == ("removed", "2026-01-05")
    assert case.waiting_for() == [("appeal_received", {"notice_number": notice["noticeNumber"]})]
    [(element, due, citation)] = case.deadlines()
    assert (element, due) == ("appeal_window_closed", "2026-02-05T04:59:59+00:00")  # issuance + 30
    assert "§163.13(c)(3)" in citation


def test_a_removal_without_immediate_grounds_takes_effect_only_after_30_days_without_appeal(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(
        services,
        clock,
        "certification_removal",
        {
            "importer_number": IOR,
            "proposed_grounds": ["no_valid_bond"],
            "removal_facts": "The bond lapsed on 2025-12-31.",
        },
        "RM-IOR-55-7654321",
    )
    form = case.form("decide_removal")
    assert form["properties"]["removal_grounds"]["default"] == ["no_valid_bond"]  # bound from the case
    case.complete(
        "decide_removal",
        {
            "removal_decision": "remove",
            "removal_grounds": ["no_valid_bond"],
            "removal_statement": "The bond lapsed on 2025-12-31.",
            "removal_immediate_basis": "none",
        },
    )
    notice = case.notice("removal")
    assert (
        "only if no appeal is received within the 30-day period, that is after 2026-02-04" in notice["text"]
    )
    assert program.recordkeeper(services, INTAKE, IOR)["certification_status"] == "removal_pending"
    [(element, due, citation)] = case.deadlines()
    assert (element, due) == ("appeal_window_closed", "2026-02-05T04:59:59+00:00")
    assert "§163.13(c)(3)" in citation

    # 23:00 in Miami: the last day still runs.
    assert advance_to(services, clock, moment("2026-02-05", 4)) == 0
    assert advance_to(services, clock, moment("2026-02-05", 5)) == 1

    keeper = program.recordkeeper(services, INTAKE, IOR)
    assert (keeper["certification_status"], keeper["removal_effective_on"]) == ("removed", "2026-02-05")


def test_a_removal_reversed_on_appeal_restores_the_certification(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(
        services,
        clock,
        "certification_removal",
        {"importer_number": IOR, "proposed_grounds": ["no_valid_bond"], "removal_facts": "The bond lapsed."},
        "RM-2",
    )
    case.complete(
        "decide_removal",
        {
            "removal_decision": "remove",
            "removal_grounds": ["no_valid_bond"],
            "removal_statement": "The bond lapsed.",
            "removal_immediate_basis": "none",
        },
    )
    number = case.notice("removal")["noticeNumber"]
    clock.set(moment("2026-01-15"))
    case.deliver(
        "appeal_received", {"notice_number": number}, received_on="2026-01-15", grounds="Bond renewed."
    )

    decide = case.task("decide_removal_appeal")
    assert (decide["due"], decide["dueCitation"]) == ("2026-02-15T04:59:59+00:00", "§163.13(d)")
    case.complete(
        "decide_removal_appeal", {"appeal_outcome": "reversed", "appeal_reasons": "Bond renewed in time."}
    )

    assert case.status == "completed"
    keeper = program.recordkeeper(services, INTAKE, IOR)
    assert (keeper["certification_status"], keeper["removal_effective_on"]) == ("certified", None)


def test_a_negligent_repeat_failure_is_referred_with_the_negligent_ceiling(
    services: Services, clock: MovableClock
) -> None:
    first = Case.start(services, clock, "notice_of_violation", failure("D-304"), "D-304")
    assess(first, willful="no")
    second = Case.start(services, clock, "notice_of_violation", failure("D-305", "30000.00"), "D-305")
    assess(second, willful="no")

    assert "notice_of_violation" not in second.notice_kinds()  # a repeat is not eligible (§163.12(d)(1))
    second.complete("open_penalty_case", {"penalty_case_number": "PEN-2026-18"})
    [referral] = [
        v
        for v in program.recordkeeper(services, INTAKE, IOR)["violations"]
        if v["kind"] == "penalty_referral"
    ]
    # §163.6(b)(1), negligent: the lesser of $10,000 or 40 % of $30,000 ($12,000).
    assert (referral["ceiling_total"], referral["repeat"]) == ("10000.00", True)
    assert second.task("decide_removal")["candidateGroup"] == "field_director"
