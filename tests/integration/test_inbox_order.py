"""The inbox's order on SQLite and PostgreSQL: stable ties, undated tasks last in arrival order, sorting."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from service.actions.deployment import deploy
from service.errors import InvalidData
from service.services import Services
from service.views import inbox
from tests.integration.test_inbox_queries import _ready
from tests.support import INTEGRATOR, START, SUPERVISOR, processes


@pytest.fixture
def deployed(services: Services) -> Services:
    deploy(services, processes(), INTEGRATOR)
    return services


def add_task(
    services: Services, key: str, due_in_days: int | None, arrived: datetime, lane: str = "reviewers"
) -> None:
    """Store a case with one open task that arrived at ``arrived``."""
    with services.db.unit_of_work() as uow:
        definition = uow.definitions.latest("smoke")
        assert definition is not None
        uow.instances.insert(
            id=f"case-{key}",
            definition_id=definition.id,
            process_key="smoke",
            called_definitions={},
            business_key=key,
            status="waiting",
            suspended=False,
            has_incident=False,
            state="{}",
            serializer_version="test",
            version=1,
            variables={},
            waits={"tasks": 1, "subscriptions": 0, "timers": 0},
            created_at=arrived,
            updated_at=arrived,
        )
        uow.tasks.sync(
            f"case-{key}", _ready(((f"t-{key}", lane, due_in_days, None),)), business_key=key, now=arrived
        )
        uow.commit()


def keys(services: Services, **args: str) -> list[str]:
    query = inbox.InboxQuery.from_args({"view": "all", **args})
    return [row["business_key"] for row in inbox.page(services, SUPERVISOR, query)["rows"]]


@pytest.fixture
def seeded(deployed: Services) -> Services:
    # Ids are random, so only the arrival time can put equal due dates (or none) in order.
    arrivals = [("Z-undated-first", None), ("M-due-5", 5), ("A-undated-second", None), ("Q-due-2", 2)]
    arrivals += [("B-due-5-later", 5), ("C-undated-third", None)]
    for minute, (key, due) in enumerate(arrivals):
        add_task(deployed, key, due, START + timedelta(minutes=minute))
    return deployed


def test_tasks_go_by_due_date_then_arrival_and_undated_tasks_come_last_in_arrival_order(
    seeded: Services,
) -> None:
    assert keys(seeded) == [
        "Q-due-2",
        "M-due-5",
        "B-due-5-later",
        "Z-undated-first",
        "A-undated-second",
        "C-undated-third",
    ]


def test_a_list_sorted_by_case_number_goes_either_way_and_the_same_twice(seeded: Services) -> None:
    ascending = keys(seeded, sort="case")
    assert ascending == sorted(ascending)
    assert keys(seeded, sort="case", desc="1") == sorted(ascending, reverse=True)
    assert keys(seeded, sort="case") == ascending


def test_sorting_by_waiting_since_and_by_latest_due_date_keeps_undated_tasks_last(seeded: Services) -> None:
    assert keys(seeded, sort="created", desc="1")[0] == "C-undated-third"
    assert keys(seeded, sort="due", desc="1") == [
        "M-due-5",
        "B-due-5-later",
        "Q-due-2",
        "Z-undated-first",
        "A-undated-second",
        "C-undated-third",
    ]


def test_pages_of_a_sorted_list_neither_repeat_nor_skip_a_task(seeded: Services) -> None:
    sizes = {"sort": "task", "size": "25"}
    whole = keys(seeded, **sizes)
    assert len(whole) == len(set(whole)) == 6


def test_an_unknown_sort_column_is_a_field_error() -> None:
    with pytest.raises(InvalidData) as refused:
        inbox.InboxQuery.from_args({"sort": "password"})
    assert [e.field for e in refused.value.errors] == ["sort"]
