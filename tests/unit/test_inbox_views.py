"""Pieces of the inbox pages: URL filters, days left, instructions, suspensions, key facts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from service.actions.tasks import Completed
from service.engine.values import ReadyTask, WaitState
from service.errors import InvalidData
from service.views import casefile
from service.views.inbox import InboxQuery, due_status
from service.web import phrases
from service.web.markup import render
from service.web.phrases import days_phrase
from service.web.security import local_path

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_an_inbox_query_round_trips_through_its_url_arguments() -> None:
    query = InboxQuery.from_args(
        {
            "view": "queue",
            "q": " RCP-2026 ",
            "due_before": "2026-02-01",
            "overdue": "1",
            "page": "3",
            "size": "50",
        }
    )

    assert query == InboxQuery("queue", None, "RCP-2026", date(2026, 2, 1), True, 3, 50)
    assert InboxQuery.from_args(query.to_args()) == query
    assert query.to_args(page=1) == {
        "view": "queue",
        "q": "RCP-2026",
        "due_before": "2026-02-01",
        "overdue": "1",
        "size": "50",
    }
    assert InboxQuery().to_args() == {}


def test_wrong_inbox_arguments_are_named() -> None:
    with pytest.raises(InvalidData) as refused:
        InboxQuery.from_args({"view": "everything", "due_before": "soon", "page": "0", "size": "7"})

    assert [e.field for e in refused.value.errors] == ["view", "due_before", "page", "size"]


@pytest.mark.parametrize(
    ("due", "days", "urgency", "phrase"),
    [
        (datetime(2026, 1, 4, 23, 59, 59, tzinfo=UTC), -1, "overdue", "1 day overdue"),
        (datetime(2026, 1, 5, 8, 0, tzinfo=UTC), 0, "overdue", "overdue since earlier today"),
        (datetime(2026, 1, 5, 23, 59, 59, tzinfo=UTC), 0, "soon", "due today"),
        (datetime(2026, 1, 8, 23, 59, 59, tzinfo=UTC), 3, "soon", "3 days left"),
        (datetime(2026, 1, 9, 23, 59, 59, tzinfo=UTC), 4, None, "4 days left"),
        (None, None, None, "no due date"),
    ],
)
def test_days_left_count_calendar_days_and_mark_overdue_and_the_next_three_days(
    due: datetime | None, days: int | None, urgency: str | None, phrase: str
) -> None:
    status = due_status(due, NOW)

    assert (status["days_left"], status["urgency"]) == (days, urgency)
    assert days_phrase(status["days_left"], status["urgency"]) == phrase


def test_instructions_render_markdown_but_never_raw_html_or_script_links() -> None:
    html = str(
        render(
            "Check **§163.12(b)(3)** <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
            "[bad](javascript:alert(1)) [good](https://www.ecfr.gov/) ![pic](https://evil.example/p.png)"
        )
    )

    assert "<strong>§163.12(b)(3)</strong>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "onerror" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert "javascript:" not in html
    assert '<a href="https://www.ecfr.gov/" rel="noopener noreferrer">good</a>' in html
    assert "<span>pic</span>" in html


def test_suspension_periods_pair_each_suspend_with_the_next_resume() -> None:
    history = [
        {
            "action": "suspend",
            "outcome": "ok",
            "at": "2026-01-05T09:00:00+00:00",
            "actor": "sam",
            "data": {"reason": "r1"},
        },
        {
            "action": "suspend",
            "outcome": "refused",
            "at": "2026-01-06T09:00:00+00:00",
            "actor": "sam",
            "data": {},
        },
        {"action": "resume", "outcome": "ok", "at": "2026-01-08T10:00:00+00:00", "actor": "sam", "data": {}},
        {
            "action": "suspend",
            "outcome": "ok",
            "at": "2026-01-09T09:00:00+00:00",
            "actor": "ann",
            "data": None,
        },
    ]

    assert casefile.suspensions(history) == [
        {
            "start": "2026-01-05T09:00:00+00:00",
            "end": "2026-01-08T10:00:00+00:00",
            "by": "sam",
            "reason": "r1",
            "days": 3,
        },
        {"start": "2026-01-09T09:00:00+00:00", "end": None, "by": "ann", "reason": None, "days": None},
    ]


def test_key_facts_follow_the_start_schema_or_fall_back_to_simple_variables() -> None:
    schema = {
        "properties": {"application_number": {"title": "Application number"}, "received_on": {}, "absent": {}}
    }
    variables = {
        "received_on": "2026-01-05",
        "application_number": "A-1",
        "certified": True,
        "spiff_x": 1,
        "nested": {"a": 1},
    }

    assert casefile.key_facts(variables, schema) == [
        ("Application number", "A-1"),
        ("Received on", "2026-01-05"),
    ]
    assert casefile.key_facts(variables, None) == [
        ("Received on", "2026-01-05"),
        ("Application number", "A-1"),
        ("Certified", "Yes"),
    ]


def test_an_object_among_the_key_facts_gives_one_fact_per_field() -> None:
    schema = {"properties": {"applicant": {"title": "Applicant", "properties": {"name": {"title": "Name"}}}}}
    variables = {"applicant": {"address": "1 Pier Road\nBaltimore", "name": "Harbor Imports LLC"}}

    assert casefile.key_facts(variables, schema) == [
        ("Applicant: name", "Harbor Imports LLC"),
        ("Applicant: address", "1 Pier Road\nBaltimore"),
    ]


def test_next_steps_name_the_next_tasks_waits_and_timers() -> None:
    task = ReadyTask(
        "t",
        "decide",
        "Decide",
        "field_director",
        "p",
        None,
        None,
        datetime(2026, 1, 20, 23, 59, tzinfo=UTC),
        None,
        None,
        None,
    )
    waiting = Completed("i", 2, "waiting", WaitState("waiting", ready_tasks=[task]), "A-1", "Review")

    assert phrases.next_steps(waiting) == [
        "Next: \u201cDecide\u201d for Field office Director, due Jan 20, 2026, 11:59 PM UTC."
    ]
    assert phrases.next_steps(Completed("i", 3, "completed", WaitState("completed"))) == [
        "The case is complete."
    ]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/cases/1", "/cases/1"),
        ("//evil.example", "/inbox"),
        ("https://evil.example", "/inbox"),
        ("", "/inbox"),
        ("x", "/inbox"),
    ],
)
def test_redirects_after_sign_in_stay_on_this_site(target: str, expected: str) -> None:
    assert local_path(target, "/inbox") == expected
