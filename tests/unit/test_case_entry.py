"""What the case list keeps of a case after a step: applicant, importer number, status, stage, lanes."""

from __future__ import annotations

from datetime import UTC, datetime

from service.engine.values import ReadyTask, WaitState
from service.trigger.case_entry import entry

STARTED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _task(name: str, lane: str, due: datetime | None) -> ReadyTask:
    return ReadyTask("t-" + name, name, name.capitalize(), lane, "p", None, None, due, None, None, None)


def test_the_applicant_and_importer_number_come_from_the_start_schemas_fields() -> None:
    variables = {"recordkeeper": {"name": " Gulf Coast Brokers ", "importer_number": "99-1234567-00"}}

    found = entry("i", "notice_of_violation", "D-1", variables, WaitState("waiting"), "waiting", STARTED)

    assert (found.applicant, found.importer_number) == ("Gulf Coast Brokers", "99-1234567-00")
    assert (
        entry(
            "i",
            "certification_removal",
            None,
            {"importer_number": "IMP-7"},
            WaitState("waiting"),
            "waiting",
            STARTED,
        ).importer_number
        == "IMP-7"
    )


def test_the_stage_is_the_open_task_and_the_due_date_the_earliest_one() -> None:
    early, late = datetime(2026, 1, 20, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    wait = WaitState(
        "waiting", [_task("decide", "field_director", late), _task("review", "reviewers", early)]
    )

    found = entry("i", "p", "K", {}, wait, "waiting", STARTED)

    assert (found.stage, found.due_at, sorted(found.lanes)) == (
        "Decide",
        early,
        ["field_director", "reviewers"],
    )


def test_a_closed_case_has_no_stage_and_keeps_its_status() -> None:
    found = entry("i", "p", "K", {"applicant_name": "Acme"}, WaitState("cancelled"), "cancelled", STARTED)

    assert (found.status, found.stage, found.due_at, found.lanes) == ("cancelled", None, None, ())
    assert entry("i", "p", "K", {}, WaitState("waiting"), "waiting", STARTED).status == "open"
    assert entry("i", "p", "K", {}, WaitState("error"), "error", STARTED).status == "error"
