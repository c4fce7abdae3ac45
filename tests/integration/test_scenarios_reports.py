"""The formal audit report after the closing conference (§163.11(a)(5),(c)) and the alternative program
named in a certification (§163.12(b)(3)), to the day."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.clock import MovableClock
from service.services import Services
from service.views import program
from tests.program_support import INTAKE, Case, advance_to, moment, program_services

AUDITEE = {"name": "Harbor Imports LLC", "email": "audit@harbor.example", "address": "1 Pier Road"}


@pytest.fixture
def services(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(db_url, tmp_path, clock)
    yield built
    built.close()


def conference(audit: str, **facts: object) -> dict:
    # Held 2026-01-05: the report is due 2026-04-05, the 90th calendar day after.
    return {"audit_number": audit, "auditee": AUDITEE, "held_on": "2026-01-05", **facts}


def test_the_report_is_due_90_days_after_the_conference_and_a_missed_day_is_escalated(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "formal_report_due", conference("AU-501"), "AU-501")
    assert [(element, due) for element, due, _ in case.deadlines()] == [
        ("report_reminder", "2026-03-26T04:00:00+00:00"),  # 10 days before, midnight in Miami (EDT)
        ("report_deadline_missed", "2026-04-06T03:59:59+00:00"),  # end of 2026-04-05 in Miami
    ]
    assert all("§163.11(a)(5)" in citation for _, _, citation in case.deadlines())

    assert advance_to(services, clock, moment("2026-04-06", 3)) == 1  # the reminder only
    assert program.missed_deadlines(services, INTAKE, "AU-501") == []
    assert advance_to(services, clock, moment("2026-04-06", 4)) == 1
    [miss] = program.missed_deadlines(services, INTAKE, "AU-501")
    assert (miss["rule"], miss["due_on"]) == ("§163.11(a)(5)", "2026-04-05")
    assert case.status == "completed"


def test_a_delay_letter_moves_the_due_date_to_the_date_it_names(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "formal_report_due", conference("AU-502"), "AU-502")
    clock.set(moment("2026-04-01"))
    case.deliver(
        "report_delay_letter",
        {"audit_number": "AU-502"},
        sent_on="2026-04-01",
        reason="Valuation findings await the laboratory's analysis.",
        expected_on="2026-04-30",
    )

    [delay] = case.variables["formal_report"]["delays"]
    assert (delay["expected_on"], delay["citation"]) == ("2026-04-30", "§163.11(a)(5)")
    assert [(element, due) for element, due, _ in case.deadlines()] == [
        ("report_reminder", "2026-04-20T04:00:00+00:00"),
        ("report_deadline_missed", "2026-05-01T03:59:59+00:00"),
    ]
    assert advance_to(services, clock, moment("2026-04-10")) == 0  # the 90th day passed: not missed
    assert program.missed_deadlines(services, INTAKE, "AU-502") == []
    clock.set(moment("2026-04-28"))
    case.deliver("formal_report_issued", {"audit_number": "AU-502"}, issued_on="2026-04-28")

    assert case.status == "completed"
    assert program.audit(services, INTAKE, "AU-502")["report_completed_on"] == "2026-04-28"
    assert program.missed_deadlines(services, INTAKE, "AU-502") == []


def test_a_formal_investigation_lifts_the_report_deadline(services: Services, clock: MovableClock) -> None:
    case = Case.start(services, clock, "formal_report_due", conference("AU-503"), "AU-503")
    clock.set(moment("2026-02-10"))
    case.deliver("formal_investigation_commenced", {"audit_number": "AU-503"}, commenced_on="2026-02-10")

    assert case.status == "completed"
    assert case.deadlines() == []
    notice = case.notice("procedure_lifted")
    assert "the deadline for the formal written audit report under 19 CFR 163.11(a)(5)" in notice["text"]
    assert program.audit(services, INTAKE, "AU-503")["investigation_commenced_on"] == "2026-02-10"


def test_no_report_deadline_after_an_investigation_or_when_the_program_keeps_the_earlier_text(
    services: Services, clock: MovableClock
) -> None:
    investigated = Case.start(
        services,
        clock,
        "formal_report_due",
        conference("AU-504", investigation_commenced_on="2026-01-02"),
        "AU-504",
    )
    assert (investigated.status, investigated.deadlines()) == ("completed", [])
    assert investigated.variables["formal_report"]["reasons"] == [
        "a formal investigation commenced on 2026-01-02"
    ]

    services.settings.program.setdefault("program", {})["formal_report_deadline"] = False
    earlier = Case.start(services, clock, "formal_report_due", conference("AU-505"), "AU-505")
    assert (earlier.status, earlier.deadlines()) == ("completed", [])
    assert "earlier text of §163.11" in earlier.variables["formal_report"]["reasons"][0]


def test_a_certification_names_the_alternative_program_negotiated(
    services: Services, clock: MovableClock
) -> None:
    plan = "Entry records kept electronically by the customs broker, produced within 10 days"
    start = {
        "application_number": "A-2026-077",
        "received_on": "2026-01-05",
        "applicant": {
            "importer_number": "IOR-55-7777777",
            "name": "Bayside Traders Inc.",
            "email": "compliance@bayside.example",
            "address": "7 Dock Street\nNorfolk, VA 23510",
        },
        "recordkeeper_class": "importer_of_record",
        "showing": {"i": "Records manual"},
        "business": {"size": "40 employees", "nature": "textiles", "annual_entries": 150},
        "alternative_program": plan,
    }
    case = Case.start(services, clock, "application_review", start, "A-2026-077")
    case.complete(
        "review_application",
        {
            "review_showing": {k: "shown" for k in ("i", "ii", "iii", "iv", "v", "vi")},
            "review_in_compliance": "yes",
            "review_business": "Small importer of textiles.",
            "review_next_step": "recommend_approval",
            "review_reasons": "The alternative program meets the purpose of the requirements.",
        },
    )
    case.complete(
        "decide_application",
        {
            "application_decision": "approve",
            "certification_conditions": ["Annual self-audit report by March 31"],
        },
    )

    keeper = program.recordkeeper(services, INTAKE, "IOR-55-7777777")
    assert keeper["certification_conditions"][0].endswith(f"(19 CFR 163.12(b)(3)): {plan}")
    assert keeper["certification_conditions"][1] == "Annual self-audit report by March 31"
    certificate = case.notice("certification")
    assert (
        "granted on the alternative program negotiated instead of the general requirements"
        in certificate["text"]
    )
    assert (
        f"1. Alternative program negotiated instead of the general requirements (19 CFR 163.12(b)(3)): {plan}"
        in (certificate["text"])
    )
    assert certificate["facts"]["alternative_program"] == plan


def history(services: Services, case: Case) -> list[tuple[str, str, bool | None]]:
    """Return (element, outcome, on time) of the deadlines the case closed, in order."""
    with services.db.unit_of_work(readonly=True) as uow:
        return [(h["element"], h["outcome"], h["on_time"]) for h in uow.deadlines.for_instance(case.id)]


def test_the_history_records_a_missed_report_as_late_and_a_delay_letter_as_moved(
    services: Services, clock: MovableClock
) -> None:
    missed = Case.start(services, clock, "formal_report_due", conference("AU-506"), "AU-506")
    delayed = Case.start(services, clock, "formal_report_due", conference("AU-507"), "AU-507")
    lifted = Case.start(services, clock, "formal_report_due", conference("AU-508"), "AU-508")
    clock.set(moment("2026-02-10"))
    lifted.deliver("formal_investigation_commenced", {"audit_number": "AU-508"}, commenced_on="2026-02-10")
    clock.set(moment("2026-03-20"))
    delayed.deliver(
        "report_delay_letter",
        {"audit_number": "AU-507"},
        sent_on="2026-03-20",
        reason="Laboratory analysis.",
        expected_on="2026-04-30",
    )
    advance_to(services, clock, moment("2026-04-06", 4))
    delayed.deliver("formal_report_issued", {"audit_number": "AU-507"}, issued_on="2026-04-06")

    # §163.11(a)(5): the 90th day passing without the report or a letter is the deadline missed.
    assert history(services, missed)[-1] == ("report_deadline_missed", "late", False)
    assert [h for h in history(services, delayed) if h[0] == "report_deadline_missed"] == [
        ("report_deadline_missed", "moved", None),  # the letter re-arms it from the date it names
        ("report_deadline_missed", "met", True),  # only the report meets it
    ]
    assert history(services, lifted)[-1] == ("report_deadline_missed", "withdrawn", None)  # §163.11(c)
