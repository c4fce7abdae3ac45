"""Decision context: the declaration a user task carries, and the labelled items a page shows of it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from service.bootstrap import default_registry
from service.engine.validation import validate
from service.engine.values import ContextEntry, DiagramSource, parse_context
from service.store.rows import AuditRow
from service.views import decision_context

PROCESSES = Path(__file__).resolve().parents[2] / "processes"


def test_a_declaration_reads_values_notices_and_messages_with_their_labels() -> None:
    declared = "review_reasons: Reasons: as stated; notice denial_notice;\n message information_received ;"

    assert parse_context(declared) == [
        ContextEntry("value", "review_reasons", "Reasons: as stated"),
        ContextEntry("notice", "denial_notice", None),
        ContextEntry("message", "information_received", None),
    ]
    assert parse_context(None) == []


@pytest.mark.parametrize("declared", ["letter denial_notice", "review reasons", "appeal..grounds", "9lives"])
def test_a_declaration_entry_that_is_not_kind_path_label_is_refused(declared: str) -> None:
    kinds = "notice\\|message\\|decision\\|documents"
    with pytest.raises(ValueError, match=f"is not \\[{kinds}\\] path\\[: Label\\]"):
        parse_context(declared)


def test_a_diagram_with_a_malformed_decision_context_is_refused_at_deploy_naming_the_task() -> None:
    xml = (PROCESSES / "appeal.bpmn").read_text()
    broken = xml.replace('value="appeal.appeal_number: Appeal number;', 'value="the appeal number;', 1)
    assert broken != xml
    forms = {p.name: p.read_bytes() for p in (PROCESSES / "forms").glob("*.json")}
    report = validate([DiagramSource("appeal.bpmn", broken.encode())], forms, default_registry())

    [issue] = [i for i in report.issues if i.rule == "context"]
    assert (issue.element_id, issue.severity) == ("decide_denial_appeal", "error")
    assert "'the appeal number'" in issue.message
    assert not report.ok


def _forms() -> decision_context.Lexicon:
    names = ("application_review.schema.json", "application_review.uischema.json")
    return decision_context.lexicon(json.loads((PROCESSES / "forms" / n).read_text()) for n in names)


def test_items_take_titles_and_enum_names_from_the_forms_and_leave_out_what_the_case_lacks() -> None:
    entries = parse_context("review_next_step: Recommendation; review_in_compliance; information_needed")
    data = {"review_next_step": "recommend_approval", "review_in_compliance": "unclear"}

    shown = decision_context.items(entries, data, [], _forms())

    assert [(i.label, i.lines) for i in shown] == [
        ("Recommendation", ["Recommend approval"]),
        ("In compliance with the customs laws and regulations?", ["Unclear"]),
    ]


def test_items_read_as_people_read_them_booleans_times_and_notices() -> None:
    entries = parse_context(
        "failure.repeat; failure.closed_at: Closed; notice denial_notice: Notice of denial"
    )
    data = {
        "failure": {"repeat": False, "closed_at": "2026-01-05T14:30:00+00:00"},
        "denial_notice": {"notice_number": "DEN-2026-0001", "issued_on": "2026-01-05"},
    }

    shown = decision_context.items(entries, data, [], decision_context.Lexicon())

    assert [(i.label, i.lines, i.notice) for i in shown] == [
        ("Repeat", ["No"], None),
        ("Closed", ["Jan 5, 2026, 2:30 PM UTC"], None),
        ("Notice of denial", ["Notice DEN-2026-0001, issued 2026-01-05"], "DEN-2026-0001"),
    ]


def _message(name: str, day: int, **variables: object) -> AuditRow:
    return AuditRow(
        id=day,
        at=datetime(2026, 1, day, 9, tzinfo=UTC),
        instance_id="i",
        task_id=None,
        task_name=None,
        actor_kind="integrator",
        actor="intake",
        action="message",
        data={"messageName": name, "variables": variables},
        outcome="ok",
        detail=None,
    )


def test_every_message_of_the_declared_name_is_shown_in_the_order_it_arrived_with_its_date() -> None:
    audit = [
        _message("information_received", 10, documents=["a.pdf"]),
        _message("application_withdrawn", 11),
        _message("information_received", 20, documents=["b.pdf", "c.pdf"], note="Late"),
    ]

    shown = decision_context.items(parse_context("message information_received"), {}, audit, _forms())

    assert [(i.label, i.lines, i.received) for i in shown] == [
        ("Information received (1 of 2)", ["Documents: a.pdf"], "Jan 10, 2026, 9:00 AM UTC"),
        (
            "Information received (2 of 2)",
            ["Documents: b.pdf; c.pdf", "Note: Late"],
            "Jan 20, 2026, 9:00 AM UTC",
        ),
    ]


def test_a_decision_names_who_last_completed_the_task_and_when() -> None:
    def done(day: int, actor: str) -> AuditRow:
        row = _message("", day)
        return AuditRow(**{**row, "action": "complete", "actor": actor, "task_name": "review_application"})

    audit = [done(5, "rob"), done(12, "rita"), _message("information_received", 13)]
    entries = parse_context("decision review_application: Recommended by; decision decide_application")

    shown = decision_context.items(entries, {}, audit, _forms(), {"rita": "Rita Reviewer"})

    assert [(i.label, i.lines) for i in shown] == [
        ("Recommended by", ["Rita Reviewer, Jan 12, 2026, 9:00 AM UTC"])
    ]
