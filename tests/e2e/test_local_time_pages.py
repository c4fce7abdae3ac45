"""Staff pages say deadlines in the offices' zone and name it; the API keeps the UTC instant."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from service.bootstrap import bootstrap
from service.clock import MovableClock
from service.config import load_program
from service.views import instances
from tests import support
from tests.e2e.inbox_pages_support import claimed
from tests.e2e.inbox_world import World, build_world, page_tables
from tests.support import FIXTURES, Switchboard, make_services


@pytest.fixture
def world(db_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard) -> Iterator[World]:
    plain = make_services(db_url, tmp_path, clock, board)
    plain.close()
    # The shipped program: every office keeps America/New_York.
    settings = replace(plain.settings, program=load_program(None), processes_dir=FIXTURES / "processes")
    services = bootstrap(
        settings,
        clock=clock,
        registry=support.test_registry(board),
        ports=support.test_ports(settings, clock),
    )
    yield build_world(services)
    services.close()


def test_the_task_page_says_its_deadline_at_the_end_of_the_day_in_new_york_naming_the_zone(
    world: World,
) -> None:
    case_id, task_id = claimed(world, "Z-1")  # received 2026-01-05: due 30 days later

    page = world.client("rita").get(f"/tasks/{task_id}")

    assert page.status_code == 200
    assert "Feb 4, 2026, 11:59 PM EST" in " ".join(page.text.split())
    assert "UTC" not in page.text
    assert "Times are America/New_York time." in page.text
    [task] = instances.instance(world.services, case_id)["activeTasks"]
    assert task["due"] == "2026-02-05T04:59:59+00:00"  # the API keeps the UTC instant


def test_the_group_queue_lists_the_deadline_in_the_offices_zone(world: World) -> None:
    world.start_case("Z-2")

    rows = page_tables(world.client("rita").get("/inbox?view=queue").text)[0]

    [row] = [r for r in rows if "Z-2" in " ".join(r.values())]
    # Counted on New York days: January 5 to February 4 (UTC days would say 31).
    assert row["Due"] == "Feb 4, 2026, 11:59 PM EST 30 days left §163.12(c)(1)"


def test_a_deadline_ending_tonight_in_new_york_is_due_today_though_utc_is_already_tomorrow(
    world: World, clock: MovableClock
) -> None:
    world.start_case("Z-3", received_on="2025-12-07")  # due 2026-01-06, 23:59:59 EST
    clock.set(datetime(2026, 1, 7, 2, 0, tzinfo=UTC))  # 21:00 on January 6 in New York

    page = world.client("rita").get("/inbox?view=queue&due_before=2026-01-06")

    [row] = page_tables(page.text)[0]
    assert row["Due"] == "Jan 6, 2026, 11:59 PM EST Due soon due today §163.12(c)(1)"
