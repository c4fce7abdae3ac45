"""The deadline board: open deadlines by rule, due this week, overdue, met on time vs late."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from service import jobs
from service.actions import starting, tasks
from service.actions.deployment import deploy
from service.clock import MovableClock
from service.errors import Forbidden
from service.services import Services
from service.store.rows import TaskFilter
from service.views import deadline_board, open_tasks
from tests.support import INTEGRATOR, REVIEWER, SUPERVISOR, processes


def _petition(services: Services, key: str, received_on: str) -> str:
    variables = {"application_number": key, "received_on": received_on}
    return starting.start(services, "smoke", variables, INTEGRATOR, business_key=key).instance_id


def _window(services: Services, key: str, closes: str) -> str:
    return starting.start(
        services, "timer_only", {"fire_at": closes}, INTEGRATOR, business_key=key
    ).instance_id


def _complete_review(services: Services, instance_id: str) -> None:
    [task] = open_tasks.tasks(services, REVIEWER, TaskFilter(instance_id=instance_id))
    tasks.complete(services, task["id"], {"decision": "ok"}, REVIEWER)


@pytest.fixture
def board_state(services: Services, clock: MovableClock) -> dict[str, str]:
    """Petitions under §163.11(b) and appeal windows under §163.13(d), some closed on time, one late."""
    deploy(services, processes(), INTEGRATOR)
    ids = {
        "late": _petition(services, "P-LATE", "2025-12-10"),  # due 2025-12-25
        "overdue": _petition(services, "P-OVERDUE", "2025-12-22"),  # due 2026-01-06
        "this_week": _petition(services, "P-WEEK", "2025-12-26"),  # due 2026-01-10
        "on_time": _petition(services, "P-ON-TIME", "2026-01-05"),  # due 2026-01-20
        "window_fires": _window(services, "AP-1", "2026-01-07T12:00:00+00:00"),
        "window_open": _window(services, "AP-2", "2026-02-01T12:00:00+00:00"),
    }
    _complete_review(services, ids["on_time"])
    _complete_review(services, ids["late"])
    clock.set(datetime(2026, 1, 7, 12, 0, 30, tzinfo=UTC))  # Wednesday; the week ends Sunday night
    jobs.sweep(services)
    return ids


def _rule(board: dict, rule_id: str) -> dict:
    [rule] = [r for r in board["rules"] if r["id"] == rule_id]
    return rule


def test_the_board_counts_open_deadlines_by_rule_and_what_was_met_on_time_or_late(
    services: Services, board_state: dict[str, str]
) -> None:
    board = deadline_board.board(services, SUPERVISOR)

    conference = _rule(board, "163.11(b)")
    assert (conference["citation"], conference["days"]) == ("§163.11(b)", 15)
    assert {k: conference[k] for k in ("open", "overdue", "dueThisWeek", "metOnTime", "late")} == {
        "open": 2,
        "overdue": 1,
        "dueThisWeek": 1,
        "metOnTime": 1,
        "late": 1,
    }
    appeal = _rule(board, "163.13(d)-appeal")
    # A window that lapses is neither met nor missed by anyone: only its open twin counts.
    assert {k: appeal[k] for k in ("open", "overdue", "dueThisWeek", "metOnTime", "late")} == {
        "open": 1,
        "overdue": 0,
        "dueThisWeek": 0,
        "metOnTime": 0,
        "late": 0,
    }
    assert board["weekEnds"] == "2026-01-12T00:00:00+00:00"
    # The petitions' one-day timers came due on the 6th while nothing ran until the 7th.
    assert board["timersFiredLate"] == 2


def test_the_board_lists_deadlines_soonest_first_with_their_cases(
    services: Services, board_state: dict[str, str]
) -> None:
    listed = deadline_board.board(services, SUPERVISOR)["deadlines"]

    assert [d["due"] for d in listed] == sorted(d["due"] for d in listed)
    first = listed[0]
    assert (first["instanceId"], first["businessKey"], first["overdue"]) == (
        board_state["overdue"],
        "P-OVERDUE",
        True,
    )
    assert (first["rule"], first["citation"], first["candidateGroup"]) == (
        "163.11(b)",
        "§163.11(b)",
        "reviewers",
    )
    window = next(d for d in listed if d["instanceId"] == board_state["window_open"])
    assert (window["kind"], window["rule"], window["citation"], window["overdue"]) == (
        "timer",
        "163.13(d)-appeal",
        "§163.13(d)",
        False,
    )


def test_each_closed_deadline_is_recorded_once_with_its_outcome(
    services: Services, board_state: dict[str, str]
) -> None:
    with services.db.unit_of_work(readonly=True) as uow:
        late = uow.deadlines.for_instance(board_state["late"])
        fired = uow.deadlines.for_instance(board_state["window_fires"])
    review = [h for h in late if h["element"] == "review"]
    assert [(h["outcome"], h["on_time"], h["action"]) for h in review] == [("late", False, "complete")]
    assert [(h["rule"], h["outcome"], h["on_time"]) for h in fired] == [("163.13(d)-appeal", "fired", None)]


def test_only_supervisors_see_the_board(services: Services) -> None:
    with pytest.raises(Forbidden):
        deadline_board.board(services, REVIEWER)
