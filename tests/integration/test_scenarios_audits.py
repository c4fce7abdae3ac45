"""Closing-conference petitions (§163.11(b),(c)) and report copies (§163.11(a)(6)), end to end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.clock import MovableClock
from service.errors import InvalidData
from service.services import Services
from service.views import program
from tests.program_support import INTAKE, Case, advance_to, moment, outbox, program_services

AUDITEE = {"name": "Harbor Imports LLC", "email": "audit@harbor.example", "address": "1 Pier Road"}


@pytest.fixture
def services(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(db_url, tmp_path, clock)
    yield built
    built.close()


def petition(audit: str, **facts: object) -> dict:
    return {
        "audit_number": audit,
        "auditee": AUDITEE,
        "estimated_termination_on": "2025-12-15",
        "actual_termination_on": None,
        "closing_conference_held": False,
        "petition_received_on": "2026-01-05",
        "investigation_commenced_on": None,
        **facts,
    }


def report(audit: str, **facts: object) -> dict:
    return {
        "audit_number": audit,
        "auditee": AUDITEE,
        "report_completed_on": "2026-01-05",
        "report_title": "Focused assessment FY2025",
        "investigation_commenced_on": None,
        **facts,
    }


def test_an_eligible_petition_accepts_a_conference_on_day_15_and_refuses_day_16(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "closing_conference_petition", petition("AU-101"), "AU-101")
    task = case.task("provide_conference")
    assert (task["due"], task["dueCitation"]) == ("2026-01-21T04:59:59+00:00", "§163.11(b)")  # receipt + 15
    assert task["processKey"] == "closing_conference_petition"  # not the embedded sub-process's id
    assert [(element, due) for element, due, _ in case.deadlines()] == [
        # 3 days before, from configuration (midnight in Miami)
        ("conference_reminder", "2026-01-17T05:00:00+00:00"),
        ("provide_conference", "2026-01-21T04:59:59+00:00"),
        ("conference_deadline_missed", "2026-01-21T04:59:59+00:00"),
    ]
    assert all("§163.11(b)" in citation for _, _, citation in case.deadlines())
    version = case.view()["version"]

    with pytest.raises(InvalidData) as day_16:
        case.complete("provide_conference", {"conference_date": "2026-01-21", "conference_place": "Room 4"})
    assert [(e.field, e.message) for e in day_16.value.errors] == [
        ("conference_date", "2026-01-21 must be on or before 2026-01-20")
    ]
    assert case.view()["version"] == version  # refused: nothing changed

    case.complete("provide_conference", {"conference_date": "2026-01-20", "conference_place": "Room 4"})
    assert "will be held on 2026-01-20 at Room 4" in case.notice("closing_conference_scheduled")["text"]
    assert case.deadlines() == []
    clock.set(moment("2026-01-20", 15))
    case.deliver("closing_conference_held", {"audit_number": "AU-101"}, held_on="2026-01-20")
    assert case.status == "completed"
    audit = program.audit(services, INTAKE, "AU-101")
    assert (audit["closing_conference_held"], audit["petition_status"]) == (True, "held")
    assert audit["deadline_misses"] == []


def test_headquarters_is_reminded_before_the_15_days_and_escalated_after(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "closing_conference_petition", petition("AU-102"), "AU-102")

    assert advance_to(services, clock, moment("2026-01-17", 8)) == 1
    [reminder] = [m for m in outbox(services) if "Reminder" in m["payload"]["subject"]]
    assert reminder["payload"]["to"] == ["rcp-hq-regulatory-audit@localhost"]
    assert advance_to(services, clock, moment("2026-01-21", 5)) == 1  # midnight in Miami, after 23:59:59 EST

    [miss] = program.missed_deadlines(services, INTAKE, "AU-102")
    assert (miss["rule"], miss["due_on"], miss["what"]) == ("§163.11(b)", "2026-01-20", "Closing conference")
    [alert] = [m for m in outbox(services) if "Deadline missed" in m["payload"]["subject"]]
    assert alert["payload"]["to"] == ["rcp-hq-regulatory-audit@localhost", "rcp-supervisors@localhost"]
    overdue = case.task("provide_conference_late")
    assert (overdue["due"], overdue["dueCitation"]) == ("2026-01-21T04:59:59+00:00", "§163.11(b)")
    case.complete(
        "provide_conference_late",
        {
            "conference_date": "2026-01-23",
            "conference_place": "Room 4",
            "conference_delay_explanation": "The Director was on leave.",
        },
    )
    assert case.notice_kinds() == ["closing_conference_scheduled"]


def test_a_petition_made_after_an_investigation_commenced_is_refused_with_reasons(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(
        services,
        clock,
        "closing_conference_petition",
        petition("AU-103", investigation_commenced_on="2026-01-02"),
        "AU-103",
    )

    assert case.status == "completed"
    assert case.open_tasks() == []
    refusal = case.notice("petition_refused")
    assert "a formal investigation commenced on 2026-01-02" in refusal["text"]
    assert "(19 CFR 163.11(c))" in refusal["text"]
    assert program.audit(services, INTAKE, "AU-103")["petition_status"] == "ineligible"


def test_a_petition_before_any_termination_date_passed_is_refused(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(
        services,
        clock,
        "closing_conference_petition",
        petition("AU-104", estimated_termination_on="2026-01-05"),
        "AU-104",
    )

    assert "neither the estimated nor the actual termination date" in case.notice("petition_refused")["text"]


def test_an_investigation_arriving_while_a_petition_is_pending_lifts_the_deadline(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "closing_conference_petition", petition("AU-105"), "AU-105")
    clock.set(moment("2026-01-10"))

    case.deliver("formal_investigation_commenced", {"audit_number": "AU-105"}, commenced_on="2026-01-10")

    assert case.status == "completed"
    assert case.open_tasks() == [] and case.deadlines() == []
    assert "no longer applies" in case.notice("procedure_lifted")["text"]
    assert advance_to(services, clock, moment("2026-01-25")) == 0
    audit = program.audit(services, INTAKE, "AU-105")
    assert (audit["petition_status"], audit["investigation_commenced_on"]) == ("lifted", "2026-01-10")
    assert audit["deadline_misses"] == []


def test_a_report_copy_sent_in_time_goes_out_with_a_transmittal_notice(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "audit_report_delivery", report("AU-201"), "AU-201")
    task = case.task("send_report_copy")
    assert (task["due"], task["dueCitation"]) == (
        "2026-02-05T04:59:59+00:00",
        "§163.11(a)(6)",
    )  # completion + 30

    with pytest.raises(InvalidData):
        case.complete("send_report_copy", {"report_copy_sent_on": "2026-02-05", "report_copy_method": "mail"})
    clock.set(moment("2026-02-04"))
    case.complete("send_report_copy", {"report_copy_sent_on": "2026-02-04", "report_copy_method": "email"})

    assert case.status == "completed"
    assert case.notice("audit_report_copy")["ruleCited"] == "19 CFR 163.11(a)(6)"
    assert program.audit(services, INTAKE, "AU-201")["report_copy_sent_on"] == "2026-02-04"


def test_an_overdue_report_copy_is_recorded_as_missed_and_escalated(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "audit_report_delivery", report("AU-202"), "AU-202")
    assert [(e, due) for e, due, _ in case.deadlines()] == [
        ("copy_reminder", "2026-01-30T05:00:00+00:00"),  # 5 days before, from configuration
        ("send_report_copy", "2026-02-05T04:59:59+00:00"),
        ("copy_deadline_missed", "2026-02-05T04:59:59+00:00"),
    ]
    assert all("§163.11(a)(6)" in citation for _, _, citation in case.deadlines())

    assert advance_to(services, clock, moment("2026-02-05")) == 1

    [miss] = program.missed_deadlines(services, INTAKE, "AU-202")
    assert (miss["rule"], miss["due_on"]) == ("§163.11(a)(6)", "2026-02-04")
    overdue = case.task("send_report_copy_late")
    assert (overdue["candidateGroup"], overdue["dueCitation"]) == ("field_auditors", "§163.11(a)(6)")
    escalations = [m["payload"] for m in outbox(services) if "Deadline missed" in m["payload"]["subject"]]
    assert [e["to"] for e in escalations] == [["rcp-field-auditors@localhost", "rcp-supervisors@localhost"]]
    case.complete(
        "send_report_copy_late",
        {
            "report_copy_sent_on": "2026-02-06",
            "report_copy_method": "mail",
            "report_copy_delay_explanation": "Report approval was delayed.",
        },
    )
    assert case.status == "completed"


def test_an_investigation_lifts_the_report_copy_deadline(services: Services, clock: MovableClock) -> None:
    before = Case.start(
        services,
        clock,
        "audit_report_delivery",
        report("AU-203", investigation_commenced_on="2026-01-02"),
        "AU-203",
    )
    assert before.status == "completed" and before.notices() == []

    pending = Case.start(services, clock, "audit_report_delivery", report("AU-204"), "AU-204")
    pending.deliver("formal_investigation_commenced", {"audit_number": "AU-204"})
    assert pending.status == "completed"
    assert pending.notice_kinds() == ["procedure_lifted"]
    assert advance_to(services, clock, moment("2026-02-10")) == 0
