"""Applications for certification, end to end: information rounds, site visit, approval, withdrawal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.clock import MovableClock
from service.errors import InvalidData
from service.services import Services
from service.views import program
from tests.program_support import INTAKE, Case, advance_to, moment, outbox, program_services

REVIEW_FORM = {
    "review_showing": {k: "shown" for k in ("i", "ii", "iii", "iv", "v", "vi")},
    "review_in_compliance": "yes",
    "review_business": "Mid-size importer of machine parts, about 400 entries a year.",
}


def application(number: str = "A-2026-001", recordkeeper_class: str = "importer_of_record") -> dict:
    return {
        "application_number": number,
        "received_on": "2026-01-05",
        "applicant": {
            "importer_number": "IOR-55-1234567",
            "name": "Harbor Imports LLC",
            "email": "compliance@harbor.example",
            "address": "1 Pier Road\nBaltimore, MD 21230",
        },
        "recordkeeper_class": recordkeeper_class,
        "showing": {"i": "Records manual", "iv": "J. Doe, compliance manager"},
        "business": {"size": "120 employees", "nature": "machine parts", "annual_entries": 400},
        "alternative_program": None,
    }


@pytest.fixture
def services(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(db_url, tmp_path, clock)
    yield built
    built.close()


def _review(case: Case, next_step: str, **extra: object) -> None:
    case.complete("review_application", {**REVIEW_FORM, "review_next_step": next_step, **extra})


def _first_information_round_with_a_reminder(services: Services, clock: MovableClock, case: Case) -> None:
    """Ask for procedures, let one reminder go out, and deliver the documents on 2026-01-25."""
    _review(case, "request_information", information_needed="Your written recordkeeping procedures.")
    assert case.task("await_information")["candidateGroup"] == "reviewers"
    assert case.task("await_information")["processKey"] == "information_request"  # the called process
    assert sorted(case.waiting_for()) == [
        ("application_withdrawn", {"application_number": "A-2026-001"}),
        ("information_received", {"application_number": "A-2026-001"}),
    ]
    # §163.12(c)(1) has no time limit: only a reminder every configured 14 days.
    [(element, due, citation)] = case.deadlines()
    assert (element, due) == ("reminder_period", "2026-01-19T09:00:00+00:00")
    assert "§163.12(c)(1)" in citation

    assert advance_to(services, clock, moment("2026-01-19", 10)) == 1
    assert [(e, due) for e, due, _ in case.deadlines()] == [("reminder_period", "2026-02-02T09:00:00+00:00")]
    clock.set(moment("2026-01-25"))
    case.deliver("information_received", {"application_number": "A-2026-001"}, documents=["procedures.pdf"])


def _visit_the_site(clock: MovableClock, case: Case) -> None:
    """Send the case to a site visit, refuse a visit date before the notice, and record the findings."""
    _review(case, "onsite_verification")
    with pytest.raises(InvalidData) as early:  # the visit cannot predate telling the applicant
        case.complete(
            "schedule_visit", {"onsite_visit_date": "2026-02-03", "onsite_visit_place": "1 Pier Road"}
        )
    assert [e.field for e in early.value.errors] == ["onsite_visit_date"]
    case.complete("schedule_visit", {"onsite_visit_date": "2026-02-10", "onsite_visit_place": "1 Pier Road"})
    clock.set(moment("2026-02-10"))
    case.complete(
        "record_findings",
        {
            "onsite_visited_on": "2026-02-10",
            "onsite_findings": "Records kept as described.",
            "onsite_requirements": "met",
        },
    )


def _recommend_and_approve(case: Case) -> None:
    """Recommend approval and let the field director approve with one condition."""
    _review(case, "recommend_approval", review_reasons="All six elements shown; visit confirmed them.")
    assert case.task("decide_application")["candidateGroup"] == "field_director"
    case.complete(
        "decide_application",
        {
            "application_decision": "approve",
            "certification_conditions": ["Annual self-audit report by March 31"],
        },
    )


def _assert_certified_with_each_suspension_recorded(services: Services, case: Case) -> None:
    """Check the notices sent, the suspensions and findings on record, and the certificate."""
    assert case.status == "completed"
    assert case.notice_kinds() == [
        "acknowledgement",
        "information_request",
        "information_reminder",
        "information_request",
        "onsite_visit_warranted",
        "onsite_visit_scheduled",
        "certification",
    ]
    record = program.application(services, INTAKE, "A-2026-001")
    assert [(s["request_number"], s["outcome"], s["days"]) for s in record["suspensions"]] == [
        ("A-2026-001-IR1", "received", 20),  # 2026-01-05 to 2026-01-25
        ("A-2026-001-IR2", "received", 10),  # 2026-01-25 to 2026-02-04
    ]
    assert record["suspensions"][0]["reminders_sent"] == 1
    assert record["onsite_findings"]["requirements_met"] is True
    assert record["status"] == "approved"
    keeper = program.recordkeeper(services, INTAKE, "IOR-55-1234567")
    assert keeper["certification_status"] == "certified"
    assert keeper["certification_conditions"] == ["Annual self-audit report by March 31"]
    certificate = case.notice("certification")
    assert "Annual self-audit report by March 31" in certificate["text"]
    assert certificate["ruleCited"] == "19 CFR 163.12(c)(2)"
    assert certificate["recipient"]["email"] == "compliance@harbor.example"
    assert all(m["kind"] == "email" and m["status"] == "pending" for m in outbox(services))


def test_approval_after_two_information_rounds_and_a_site_visit_records_each_suspension(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "application_review", application(), "A-2026-001")
    assert case.notice_kinds() == ["acknowledgement"]
    assert case.task("review_application")["candidateGroup"] == "reviewers"

    _first_information_round_with_a_reminder(services, clock, case)

    _review(case, "request_information", information_needed="The name of your responsible individual.")
    clock.set(moment("2026-02-04"))
    case.deliver("information_received", {"application_number": "A-2026-001"})

    _visit_the_site(clock, case)
    _recommend_and_approve(case)

    _assert_certified_with_each_suspension_recorded(services, case)


def test_an_applicant_outside_163_2_a_is_refused_with_reasons(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(
        services,
        clock,
        "application_review",
        application("A-2026-002", recordkeeper_class="other"),
        "A-2026-002",
    )

    assert case.status == "completed"
    refusal = case.notice("ineligible_applicant")
    assert "Reasons:" in refusal["text"]
    assert "19 CFR 163.12(b)(1)" in refusal["text"]
    assert "'other'" in refusal["text"]
    assert program.application(services, INTAKE, "A-2026-002")["status"] == "ineligible"


def test_reviewers_may_withdraw_an_information_request_and_the_review_resumes(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "application_review", application("A-2026-003"), "A-2026-003")
    _review(case, "request_information", information_needed="Copies of three entry summaries.")
    clock.set(moment("2026-01-08"))

    case.complete("await_information", {"withdraw_reason": "Found the copies in our own files."})

    assert case.task("review_application")
    assert case.notice_kinds()[-1] == "information_request_withdrawn"
    [period] = program.application(services, INTAKE, "A-2026-003")["suspensions"]
    assert (period["outcome"], period["days"]) == ("withdrawn", 3)


def test_an_application_withdrawn_during_an_information_request_ends_the_suspension(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "application_review", application("A-2026-004"), "A-2026-004")
    _review(case, "request_information", information_needed="Your bond details.")
    clock.set(moment("2026-01-12"))

    case.deliver("application_withdrawn", {"application_number": "A-2026-004"}, reason="No longer importing.")

    assert case.status == "completed"
    assert case.open_tasks() == []
    record = program.application(services, INTAKE, "A-2026-004")
    assert record["status"] == "withdrawn"
    assert [(s["outcome"], s["days"]) for s in record["suspensions"]] == [("cancelled", 7)]


def test_an_application_without_an_alternative_program_starts_without_an_incident(
    services: Services, clock: MovableClock
) -> None:
    start = application("A-2026-077")
    del start["alternative_program"]  # optional in the start schema: its default (none) applies

    case = Case.start(services, clock, "application_review", start, "A-2026-077")

    assert case.task("review_application")["candidateGroup"] == "reviewers"
    assert case.notice_kinds() == ["acknowledgement"]
