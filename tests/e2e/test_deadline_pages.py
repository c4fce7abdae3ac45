"""The supervisors' pages over HTTP: the deadline board (table, chart, list) and the incidents."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html

from service import jobs
from service.actions import retries, starting
from service.actions.deployment import deploy
from service.clock import MovableClock
from service.store.migrate import upgrade
from tests.e2e.inbox_world import World, build_world, csrf, links, notices, page_tables
from tests.support import INTEGRATOR, Switchboard, make_services, processes


@pytest.fixture
def world(tmp_path: Path, clock: MovableClock, board: Switchboard) -> Iterator[World]:
    url = f"sqlite:///{tmp_path / 'rcp.db'}"
    upgrade(url)
    services = make_services(url, tmp_path, clock, board)
    deploy(services, processes(), INTEGRATOR)
    yield build_world(services)
    services.close()


def _petition(world: World, key: str, received_on: str) -> str:
    variables = {"application_number": key, "received_on": received_on}
    return starting.start(world.services, "smoke", variables, INTEGRATOR, business_key=key).instance_id


def _complete_review(world: World, instance_id: str) -> None:
    from service.actions import tasks
    from service.store.rows import TaskFilter
    from service.views import open_tasks
    from tests.support import REVIEWER

    [task] = open_tasks.tasks(world.services, REVIEWER, TaskFilter(instance_id=instance_id))
    tasks.complete(world.services, task["id"], {"decision": "ok"}, REVIEWER)


def test_the_board_shows_counts_by_rule_a_chart_and_the_deadlines_linking_to_cases(
    world: World, clock: MovableClock
) -> None:
    late = _petition(world, "P-LATE", "2025-12-10")
    overdue = _petition(world, "P-OVERDUE", "2025-12-22")
    _petition(world, "P-WEEK", "2025-12-26")
    on_time = _petition(world, "P-ON-TIME", "2026-01-05")
    _complete_review(world, on_time)
    _complete_review(world, late)
    clock.set(datetime(2026, 1, 7, 12, 0, tzinfo=UTC))
    jobs.sweep(world.services)

    page = world.client("sam").get("/deadlines")

    assert page.status_code == 200
    rules, listed = page_tables(page.text)
    [conference] = [r for r in rules if r["Citation"] == "§163.11(b)"]
    assert {k: conference[k] for k in ("Open", "Due this week", "Overdue", "Met on time", "Late")} == {
        "Open": "2",
        "Due this week": "1",
        "Overdue": "1",
        "Met on time": "1",
        "Late": "1",
    }
    assert listed[0]["Case"] == "P-OVERDUE" and "Overdue" in listed[0]["Due"]
    assert ("P-OVERDUE", f"/cases/{overdue}") in links(page.text, "(//table)[2]")

    doc = lxml_html.fromstring(page.data)
    [row] = doc.xpath("//svg//g[@data-rule='163.11(b)']")
    met, late_bar = (
        row.xpath(".//rect[@class='chart__met']")[0],
        row.xpath(".//rect[@class='chart__late']")[0],
    )
    assert (met.get("data-count"), late_bar.get("data-count")) == ("1", "1")
    assert float(met.get("width")) == float(late_bar.get("width")) > 0
    assert doc.xpath("//svg/title/text()") == ["Deadlines met on time and late per rule, last 90 days"]


def test_a_supervisor_retries_an_incident_from_the_incidents_page_after_the_fix(
    world: World, clock: MovableClock, board: Switchboard
) -> None:
    board.failures_left = 99
    outcome = starting.start(world.services, "flaky_lookup", {}, INTEGRATOR, business_key="R-9")
    for wait in (30, 60):
        clock.advance(seconds=wait)
        retries.retry_due(world.services)
    sam = world.client("sam")

    [rows] = page_tables(sam.get("/incidents").text)
    assert [(r["Case"], r["Process"], r["Step"], r["Tries"]) for r in rows] == [
        ("R-9", "flaky_lookup", "lookup", "3")
    ]

    board.failures_left = 0
    answer = sam.post(
        f"/cases/{outcome.instance_id}/retry",
        data={"csrf_token": csrf(sam), "back": "/incidents", "reason": "lookup service is back"},
    )
    assert (answer.status_code, answer.headers["Location"]) == (303, "/incidents")
    after = sam.get("/incidents")
    assert notices(after.text) == ["Tried again; the case moved on."]
    assert page_tables(after.text) == []
    with world.services.db.unit_of_work(readonly=True) as uow:
        retried = [a for a in uow.audit.for_instance(outcome.instance_id) if a["actor"] == "sam"]
    assert [(a["action"], a["data"]) for a in retried] == [("retry", {"reason": "lookup service is back"})]


def test_the_case_page_says_when_a_failing_step_is_tried_again(world: World, board: Switchboard) -> None:
    board.failures_left = 1
    outcome = starting.start(world.services, "flaky_lookup", {}, INTEGRATOR, business_key="R-10")

    page = world.client("sam").get(f"/cases/{outcome.instance_id}")

    doc = lxml_html.fromstring(page.data)
    [section] = doc.xpath("//section[@aria-labelledby='retry-title']")
    assert re.search(r"tried again at Jan 5, 2026, 9:00 AM UTC", " ".join(section.text_content().split()))
