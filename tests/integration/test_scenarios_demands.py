"""Demands for entry records (§163.6(a)), to the day: production, extensions, the failure to produce."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from service.actions import documents, staff_starts
from service.clock import MovableClock
from service.errors import Conflict, Forbidden, InvalidData
from service.identity.actors import Actor
from service.services import Services
from service.store.repositories.program_cases import CaseRecords
from service.views import deadline_board, program
from tests.program_support import (
    AUDITOR,
    INTAKE,
    REVIEWER,
    Case,
    advance_to,
    certified_recordkeeper,
    moment,
    program_services,
)
from tests.support import SUPERVISOR

IOR = "IOR-55-7654321"
KEEPER = {"importer_number": IOR, "name": "Harbor Imports LLC", "email": "records@harbor.example"}
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PORTAL = Actor("integrator", "intake", scopes=frozenset({"start", "message", "read", "documents"}))


def attached(services: Services, case_key: str, name: str) -> str:
    """Attach a PDF to the case as an integrator would before the message; return its id."""
    [row] = documents.attach(services, PORTAL, case_key, [documents.Upload(name, io.BytesIO(PDF))])
    return row["id"]


@pytest.fixture
def services(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(db_url, tmp_path, clock)
    certified_recordkeeper(built, IOR)
    yield built
    built.close()


def demand(number: str, **facts: object) -> dict:
    return {
        "demand_number": number,
        "recordkeeper": KEEPER,
        "record_description": "Commercial invoice for entry 123-4567890-1",
        "releases": [{"entry_number": "123-4567890-1", "appraised_value": "12000"}],
        "demanded_on": "2026-01-02",
        "received_on": "2026-01-05",  # due 2026-02-04, the 30th calendar day after receipt
        **facts,
    }


def stored(services: Services, number: str) -> tuple[str, str]:
    """Return the demand's status and due date as the data service holds them."""
    with services.db.unit_of_work(readonly=True) as uow:
        found = CaseRecords(uow.conn, services.clock.now).demand(number)
    assert found is not None
    return found["status"], found["due_on"].isoformat()


def test_records_produced_in_time_end_the_demand_with_the_records_on_file(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "record_demand", demand("D-401"), "D-401")
    deadlines = case.deadlines()
    assert [(element, due) for element, due, _ in deadlines] == [
        ("production_reminder", "2026-01-30T05:00:00+00:00"),  # 5 days before, from configuration
        ("production_period_passed", "2026-02-05T04:59:59+00:00"),  # end of 2026-02-04 in Miami
    ]
    assert all("§163.6(a)" in citation for _, _, citation in deadlines)
    assert sorted(case.waiting_for()) == [
        ("extension_requested", {"demand_number": "D-401"}),
        ("records_produced", {"demand_number": "D-401"}),
    ]
    assert stored(services, "D-401") == ("open", "2026-02-04")

    assert advance_to(services, clock, moment("2026-01-30", 6)) == 1  # the reminder
    assert [e for e, _, _ in case.deadlines()] == ["production_period_passed"]
    clock.set(moment("2026-02-04", 15))
    invoice = attached(services, "D-401", "invoice-8841.pdf")
    case.deliver(
        "records_produced",
        {"demand_number": "D-401"},
        produced_on="2026-02-04",
        records=["Commercial invoice 8841"],
        documents=[{"id": invoice, "name": "invoice-8841.pdf"}],
    )

    assert case.status == "completed"
    assert case.deadlines() == []
    record = case.variables["production_record"]
    assert (record["produced_on"], record["in_time"], record["records"]) == (
        "2026-02-04",
        True,
        ["Commercial invoice 8841"],
    )
    assert record["documents"] == [{"id": invoice, "name": "invoice-8841.pdf"}]
    assert stored(services, "D-401") == ("produced", "2026-02-04")
    clock.set(moment("2026-02-10"))
    failure = {**demand("D-401"), "due_on": "2026-02-04"}
    del failure["received_on"]
    with pytest.raises(Conflict, match="D-401 was met: its records were produced"):
        Case.start(services, clock, "notice_of_violation", failure, "D-401-NOV")


def test_a_shorter_period_for_release_sets_an_earlier_due_date_with_its_reason(
    services: Services, clock: MovableClock
) -> None:
    facts = demand("D-402", shorter_period_days=10, shorter_period_reason="Release of perishable goods")
    case = Case.start(services, clock, "record_demand", facts, "D-402")

    assert case.variables["demand"]["shorter_period"] == {"days": 10, "reason": "Release of perishable goods"}
    assert ("production_period_passed", "2026-01-16T04:59:59+00:00") in [
        (e, d) for e, d, _ in case.deadlines()
    ]


def test_an_extension_requested_before_the_due_date_and_granted_moves_it(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "record_demand", demand("D-403"), "D-403")
    clock.set(moment("2026-02-03"))
    case.deliver(
        "extension_requested",
        {"demand_number": "D-403"},
        requested_on="2026-02-03",
        reason="The broker holds the invoices.",
    )
    task = case.task("decide_extension")
    assert (task["candidateGroup"], task["due"], task["dueCitation"]) == (
        "field_auditors",
        "2026-02-05T04:59:59+00:00",
        "§163.6(a)",
    )
    with pytest.raises(InvalidData) as not_later:  # a grant ends after the due date it replaces
        case.complete("decide_extension", {"extension_decision": "grant", "extension_until": "2026-02-04",
                                           "extension_reason": "Broker delay"})  # fmt: skip
    assert [e.field for e in not_later.value.errors] == ["extension_until"]
    with pytest.raises(InvalidData) as no_date:  # a grant names the new due date
        case.complete("decide_extension", {"extension_decision": "grant", "extension_reason": "Broker delay"})
    assert [e.field for e in no_date.value.errors] == ["extension_until"]
    case.complete(
        "decide_extension",
        {"extension_decision": "grant", "extension_until": "2026-02-20", "extension_reason": "Broker delay"},
    )

    [extension] = case.variables["demand"]["extensions"]
    assert (extension["decision"], extension["extended_until"], extension["citation"]) == (
        "grant",
        "2026-02-20",
        "§163.6(a)",
    )
    assert stored(services, "D-403") == ("open", "2026-02-20")
    assert ("production_period_passed", "2026-02-21T04:59:59+00:00") in [
        (e, d) for e, d, _ in case.deadlines()
    ]
    # The old due date passes: nothing happens; the new one runs to its end.
    assert advance_to(services, clock, moment("2026-02-05", 6)) == 0
    assert (stored(services, "D-403"), case.open_tasks()) == (("open", "2026-02-20"), [])
    assert advance_to(services, clock, moment("2026-02-21", 4)) == 1  # the reminder of the new date (15th)
    assert stored(services, "D-403") == ("open", "2026-02-20")
    assert advance_to(services, clock, moment("2026-02-21", 5)) == 1
    assert stored(services, "D-403") == ("not_produced", "2026-02-20")
    assert case.task("assess_failure")["processKey"] == "notice_of_violation"


def test_an_extension_requested_after_the_due_date_is_refused(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "record_demand", demand("D-404"), "D-404")
    clock.set(moment("2026-02-05", 3))  # 22:00 on the 4th in Miami: the timer has not run yet
    version = case.view()["version"]
    with pytest.raises(InvalidData) as late:
        case.deliver(
            "extension_requested",
            {"demand_number": "D-404"},
            requested_on="2026-02-04",
            reason="Asked on the last day.",
        )
    [error] = late.value.errors
    assert error.field == "variables.requested_on"
    assert "on or after the due date 2026-02-04" in error.message and "163.6(a)" in error.message
    # Refused at the door: nothing changed, no decision asked of staff, nothing re-armed.
    assert case.view()["version"] == version
    assert [t["name"] for t in case.open_tasks()] == []
    assert sorted(case.waiting_for())[0] == ("extension_requested", {"demand_number": "D-404"})
    assert stored(services, "D-404") == ("open", "2026-02-04")  # the due date stays

    assert advance_to(services, clock, moment("2026-02-05", 5)) == 1
    assert stored(services, "D-404")[0] == "not_produced"


def test_records_not_produced_start_the_notice_of_violation_the_day_after_the_period_and_not_before(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "record_demand", demand("D-405"), "D-405")

    assert advance_to(services, clock, moment("2026-02-05", 4)) == 1  # 23:00 on the 4th: only the reminder
    assert (stored(services, "D-405"), case.open_tasks()) == (("open", "2026-02-04"), [])
    assert advance_to(services, clock, moment("2026-02-05", 5)) == 1  # midnight: the period has ended

    assert stored(services, "D-405") == ("not_produced", "2026-02-04")
    assert case.variables["due_on"] == "2026-02-04"
    task = case.task("assess_failure")
    assert (task["candidateGroup"], task["processKey"]) == ("field_auditors", "notice_of_violation")
    case.complete(
        "assess_failure",
        {
            "violation_willful": "no",
            "violation_in_compliance": "yes",
            "violation_assessment": "Lost invoice.",
        },
    )
    notice = case.notice("notice_of_violation")
    assert "Record demanded and not produced: Commercial invoice for entry 123-4567890-1" in notice["text"]
    [violation] = program.recordkeeper(services, INTAKE, IOR)["violations"]
    assert (violation["kind"], violation["demand_number"]) == ("notice_of_violation", "D-405")
    clock.set(moment("2026-02-20"))  # the called notice of violation hears its message inside the demand
    case.deliver(
        "corrective_action_reported",
        {"notice_number": notice["noticeNumber"]},
        steps="Invoices scanned at receipt.",
        reported_on="2026-02-20",
    )
    assert case.status == "completed"


def test_a_failure_reported_while_the_period_runs_is_refused(services: Services, clock: MovableClock) -> None:
    Case.start(services, clock, "record_demand", demand("D-406"), "D-406")
    failure = {**demand("D-406"), "due_on": "2026-02-04"}
    del failure["received_on"]

    with pytest.raises(InvalidData) as running:  # the period it reports has not ended
        Case.start(services, clock, "notice_of_violation", failure, "D-406-NOV")
    assert [(e.field, e.message) for e in running.value.errors] == [
        (
            "variables.due_on",
            "the production period runs until 2026-02-04 (19 CFR 163.6(a)); report a failure from 2026-02-05",
        )
    ]
    clock.set(moment("2026-02-06"))
    with pytest.raises(Conflict, match="D-406 is tracked by its record_demand case"):
        Case.start(services, clock, "notice_of_violation", failure, "D-406-NOV")


def test_the_deadline_board_counts_each_deadline_once_and_shows_demands(
    services: Services, clock: MovableClock
) -> None:
    for n in (1, 2, 3):  # each petition: a task due on day 15 and the timer guarding that same moment
        facts = {
            "audit_number": f"AU-60{n}",
            "auditee": {"name": "Harbor Imports LLC", "email": "audit@harbor.example"},
            "estimated_termination_on": "2025-12-15",
            "actual_termination_on": None,
            "closing_conference_held": False,
            "petition_received_on": "2026-01-05",
            "investigation_commenced_on": None,
        }
        Case.start(services, clock, "closing_conference_petition", facts, f"AU-60{n}")
    Case.start(services, clock, "record_demand", demand("D-407"), "D-407")

    board = deadline_board.board(services, SUPERVISOR)

    rules = {r["id"]: r for r in board["rules"]}
    assert rules["163.11(b)"]["open"] == 3
    assert (rules["163.6(a)"]["open"], rules["163.6(a)"]["days"], rules["163.6(a)"]["citation"]) == (
        1,
        30,
        "§163.6(a)",
    )
    assert (
        rules["163.6(a)"]["label"]
        == "Demanded records produced within 30 calendar days after the demand is received"
    )
    listed = [
        (d["businessKey"], d["element"]) for d in board["deadlines"] if d["rule"] in ("163.11(b)", "163.6(a)")
    ]
    assert sorted(listed) == [
        ("AU-601", "provide_conference"),
        ("AU-602", "provide_conference"),
        ("AU-603", "provide_conference"),
        ("D-407", "production_period_passed"),
    ]


def test_field_auditors_start_a_demand_from_the_web_and_reviewers_may_not(
    services: Services, clock: MovableClock
) -> None:
    with pytest.raises(Forbidden):
        staff_starts.start_by_staff(
            services, "record_demand", demand("D-408"), REVIEWER, business_key="D-408", reason="Audit"
        )
    outcome = staff_starts.start_by_staff(
        services,
        "record_demand",
        demand("D-408"),
        AUDITOR,
        business_key="D-408",
        reason="Issued at the audit",
    )

    case = Case(services, clock, outcome.instance_id)
    assert case.variables["demand"]["production_due_on"] == "2026-02-04"
    assert stored(services, "D-408") == ("open", "2026-02-04")


def test_records_produced_while_staff_decide_a_request_end_the_demand(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "record_demand", demand("D-409"), "D-409")
    clock.set(moment("2026-02-02"))
    case.deliver(
        "extension_requested", {"demand_number": "D-409"}, requested_on="2026-02-02", reason="Broker"
    )
    assert case.task("decide_extension")
    clock.set(moment("2026-02-03"))
    case.deliver(
        "records_produced", {"demand_number": "D-409"}, produced_on="2026-02-03", records=["Invoice 77"]
    )

    assert (case.status, case.open_tasks()) == ("completed", [])
    assert case.variables["production_record"]["records"] == ["Invoice 77"]
    assert stored(services, "D-409") == ("produced", "2026-02-04")


def test_an_extension_refused_by_staff_keeps_the_due_date(services: Services, clock: MovableClock) -> None:
    case = Case.start(services, clock, "record_demand", demand("D-410"), "D-410")
    clock.set(moment("2026-02-01"))
    case.deliver(
        "extension_requested", {"demand_number": "D-410"}, requested_on="2026-02-01", reason="More time"
    )
    case.complete(
        "decide_extension", {"extension_decision": "refuse", "extension_reason": "Records are kept on site."}
    )

    [extension] = case.variables["demand"]["extensions"]
    assert (extension["decision"], extension["extended_until"], extension["reason"]) == (
        "refuse",
        None,
        "Records are kept on site.",
    )
    assert stored(services, "D-410") == ("open", "2026-02-04")
    # The reminder day (2026-01-30) has passed: the resumed period reminds once, on its last day.
    assert case.variables["demand"]["reminder_on"] == "2026-02-04"
    assert advance_to(services, clock, moment("2026-02-04", 6)) == 1
    assert advance_to(services, clock, moment("2026-02-05", 4)) == 0
    assert stored(services, "D-410")[0] == "open"
    assert advance_to(services, clock, moment("2026-02-05", 5)) == 1
    assert stored(services, "D-410")[0] == "not_produced"


def history(services: Services, case: Case) -> list[tuple[str, str, bool | None]]:
    """Return (element, outcome, on time) of the deadlines the case closed, in order."""
    with services.db.unit_of_work(readonly=True) as uow:
        return [(h["element"], h["outcome"], h["on_time"]) for h in uow.deadlines.for_instance(case.id)]


def reminders(services: Services, case: Case) -> list[str]:
    """Return the subjects of the staff reminders the case queued."""
    with services.db.unit_of_work(readonly=True) as uow:
        rows = uow.outbox.list(instance_id=case.id, kind="email")
    return [r["payload"]["subject"] for r in rows if r["payload"]["subject"].startswith("Reminder:")]


def test_a_late_request_refused_keeps_the_period_running_and_sends_no_second_reminder(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "record_demand", demand("D-411"), "D-411")
    assert advance_to(services, clock, moment("2026-01-30", 6)) == 1
    assert len(reminders(services, case)) == 1
    clock.set(moment("2026-02-05", 3))  # 22:00 on the 4th in Miami: asked on the due date
    with pytest.raises(InvalidData):  # refused at the door (§163.6(a)): the case is not touched
        case.deliver(
            "extension_requested", {"demand_number": "D-411"}, requested_on="2026-02-04", reason="Late"
        )

    assert [t["name"] for t in case.open_tasks()] == []  # no decision asked of staff
    assert [e for e, _, _ in case.deadlines()] == ["production_period_passed"]  # no reminder re-armed
    assert advance_to(services, clock, moment("2026-02-05", 4)) == 0
    assert len(reminders(services, case)) == 1
    assert advance_to(services, clock, moment("2026-02-05", 5)) == 1
    assert stored(services, "D-411")[0] == "not_produced"


def test_the_history_records_a_demand_produced_as_met_and_one_not_produced_as_missed(
    services: Services, clock: MovableClock
) -> None:
    produced = Case.start(services, clock, "record_demand", demand("D-412"), "D-412")
    missed = Case.start(services, clock, "record_demand", demand("D-413"), "D-413")
    clock.set(moment("2026-01-20"))
    produced.deliver("records_produced", {"demand_number": "D-412"}, produced_on="2026-01-20")
    advance_to(services, clock, moment("2026-02-05", 6))

    assert history(services, produced) == [
        ("production_reminder", "withdrawn", None),  # a reminder is nobody's duty
        ("production_period_passed", "met", True),
    ]
    # §163.6(a): the period passing without the records is the recordkeeper's missed deadline.
    assert history(services, missed) == [
        ("production_reminder", "fired-late", None),  # the test clock jumps past it
        ("production_period_passed", "late", False),
    ]
    rule = next(r for r in deadline_board.board(services, SUPERVISOR)["rules"] if r["id"] == "163.6(a)")
    assert (rule["metOnTime"], rule["late"]) == (1, 1)


def test_an_extension_request_moves_the_deadline_instead_of_meeting_it(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "record_demand", demand("D-414"), "D-414")
    assert advance_to(services, clock, moment("2026-01-30", 5) + timedelta(seconds=30)) == 1  # the reminder
    clock.set(moment("2026-02-03"))
    case.deliver(
        "extension_requested", {"demand_number": "D-414"}, requested_on="2026-02-03", reason="Broker"
    )
    case.complete(
        "decide_extension",
        {"extension_decision": "grant", "extension_until": "2026-02-20", "extension_reason": "Broker delay"},
    )

    # Only the records meet §163.6(a): the request hands the due date to staff's decision, whose
    # grant sets the period running again.
    assert history(services, case) == [
        ("production_reminder", "fired", None),
        ("production_period_passed", "moved", None),
        ("decide_extension", "moved", None),
    ]
    rule = next(r for r in deadline_board.board(services, SUPERVISOR)["rules"] if r["id"] == "163.6(a)")
    assert (rule["metOnTime"], rule["late"]) == (0, 0)


def test_records_produced_while_staff_decide_meet_the_deadline(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "record_demand", demand("D-417"), "D-417")
    clock.set(moment("2026-01-20"))
    case.deliver(
        "extension_requested", {"demand_number": "D-417"}, requested_on="2026-01-20", reason="Broker"
    )
    case.deliver("records_produced", {"demand_number": "D-417"}, produced_on="2026-01-20")

    assert history(services, case) == [
        ("production_reminder", "withdrawn", None),
        ("production_period_passed", "moved", None),
        ("decide_extension", "met", True),  # the records met §163.6(a) while staff decided
    ]


def test_records_produced_may_refer_only_to_documents_of_their_own_case(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "record_demand", demand("D-415"), "D-415")
    Case.start(services, clock, "record_demand", demand("D-416"), "D-416")
    own, other = attached(services, "D-415", "invoice.pdf"), attached(services, "D-416", "other.pdf")
    clock.set(moment("2026-01-20"))

    for refs, field in (
        ([own, other], "variables.documents[1]"),  # another case's document
        ([{"id": "0b5f0000-0000-4000-8000-000000000000"}], "variables.documents[0]"),  # no such document
        (["invoice.pdf", {"id": "invoice.pdf"}], "variables.documents[1]"),  # an id that is no id
    ):
        with pytest.raises(InvalidData) as refused:
            case.deliver(
                "records_produced", {"demand_number": "D-415"}, produced_on="2026-01-20", documents=refs
            )
        assert [e.field for e in refused.value.errors] == [field]
        assert (case.status, stored(services, "D-415")[0]) == ("waiting", "open")  # nothing changed

    # A name or description is what the sender says, kept as sent; a reference is checked.
    refs = [own, "paper copy by mail"]
    case.deliver("records_produced", {"demand_number": "D-415"}, produced_on="2026-01-20", documents=refs)
    assert (case.status, case.variables["production_record"]["documents"]) == ("completed", refs)
