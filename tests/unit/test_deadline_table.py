"""Every deadline a diagram or form states is the one the deadline table holds for its rule."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from handlers.deadlines import CONFERENCE, RULES
from tests.deadline_checks import (
    PROCESSES,
    deadlines,
    form_problems,
    form_text_problems,
    forms_of,
    parse,
    problem,
    text_problems,
)

DIAGRAMS = sorted(PROCESSES.glob("*.bpmn"))
PROGRAM = Path(__file__).resolve().parents[2] / "service" / "program.toml"


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.name)
def test_every_due_date_timer_and_computed_date_is_explained_by_the_table(path: Path) -> None:
    tree = parse(path)

    assert [p for p in map(problem, deadlines(path, tree)) if p] == []


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.name)
def test_every_date_bound_of_a_form_is_a_date_of_its_tasks_rule(path: Path) -> None:
    assert list(form_problems(path, parse(path))) == []


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.name)
def test_a_diagram_names_no_period_its_cited_rules_do_not_set(path: Path) -> None:
    assert list(text_problems(path, parse(path))) == []


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.name)
def test_the_forms_of_a_diagram_state_no_period_of_their_own(path: Path) -> None:
    assert [p for form in forms_of(path, parse(path)) for p in form_text_problems(form)] == []


def test_the_program_states_deadlines_the_checks_can_see() -> None:
    found = [d for path in DIAGRAMS for d in deadlines(path, parse(path))]

    assert sum("add_days" in d.expression for d in found) >= 6
    assert {d.rule.id for d in found} >= {r.id for r in RULES if r.period}


def _new_problems(path: Path, text: str) -> list[str]:
    """Return the problems a changed copy of a diagram has that the diagram itself has not."""
    before = {p for p in map(problem, deadlines(path, parse(path))) if p}
    return [p for p in map(problem, deadlines(path, parse(path, text))) if p and p not in before]


def test_a_diagram_saying_16_days_where_the_rule_says_15_fails() -> None:
    path = PROCESSES / "closing_conference_petition.bpmn"
    text = path.read_text()
    assert "add_days(petition_received_on, 15)" in text and CONFERENCE.period == 15

    [found] = _new_problems(path, text.replace("petition_received_on, 15)", "petition_received_on, 16)", 1))

    assert found.startswith("closing_conference_petition.bpmn:")
    assert "provide_conference dueDate" in found
    assert "16 days, but §163.11(b) sets 15 calendar days" in found


def test_a_deadline_counted_from_the_wrong_date_or_unknown_to_the_table_fails() -> None:
    path = PROCESSES / "audit_report_delivery.bpmn"
    text = path.read_text()

    [counted] = _new_problems(path, text.replace("(report_completed_on,", "(petition_received_on,", 1))
    [named] = _new_problems(path, text.replace('audit_report["reminder_on"]', 'audit_report["remind_on"]', 1))

    runs = "the §163.11(a)(6) period runs from when the report is completed"
    assert f"counts from petition_received_on, but {runs}" in counted
    assert "copy_reminder timeDate" in named and "remind_on is not a date the deadline table knows" in named


def test_every_configured_period_serves_a_rule_of_the_table() -> None:
    configured = tomllib.loads(PROGRAM.read_text())["deadlines"]
    named = {c.setting for r in RULES for c in r.configured}

    assert named == set(configured)
