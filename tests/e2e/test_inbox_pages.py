"""The inbox over HTTP: lists, filters, pages, claims, reassignment, and who may open a case."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.actions import tasks
from service.services import Services
from service.views import instances
from tests.e2e.inbox_pages_support import claimed, keys, queue
from tests.e2e.inbox_world import (
    World,
    build_world,
    csrf,
    links,
    list_items,
    notices,
    page_tables,
)


@pytest.fixture
def world(services: Services) -> Iterator[World]:
    yield build_world(services)


def test_the_queue_shows_days_left_and_marks_overdue_and_due_soon_tasks(world: World) -> None:
    world.start_case("R-LATE", received_on="2025-12-01")  # due 2025-12-31: 5 days overdue
    world.start_case("R-SOON", received_on="2025-12-07")  # due 2026-01-06: tomorrow
    world.start_case("R-LATER", received_on="2026-01-05")  # due 2026-02-04

    rows = queue(world, "rita")

    assert keys(rows) == ["R-LATE", "R-SOON", "R-LATER"]  # due date ascending
    assert [r["Due"] for r in rows] == [
        "Dec 31, 2025, 11:59 PM UTC Overdue 5 days overdue §163.12(c)(1)",
        "Jan 6, 2026, 11:59 PM UTC Due soon 1 day left §163.12(c)(1)",
        "Feb 4, 2026, 11:59 PM UTC 30 days left §163.12(c)(1)",
    ]
    assert rows[0]["Case"] == "R-LATE Acme Imports LLC"
    assert rows[0]["Process"] == "Application review (inbox fixture)"
    assert rows[0]["Waiting since"] == "Jan 5, 2026, 9:00 AM UTC"


def test_filters_live_in_the_url_and_narrow_the_list(world: World) -> None:
    world.start_case("RCP-2026-0001", received_on="2025-12-01")
    world.start_case("RCP-2026-0002", received_on="2026-01-05")
    world.start_case("OTHER-1", received_on="2026-01-05")

    assert keys(queue(world, "rita", "&q=rcp-2026")) == ["RCP-2026-0001", "RCP-2026-0002"]
    assert keys(queue(world, "rita", "&overdue=1")) == ["RCP-2026-0001"]
    assert keys(queue(world, "rita", "&due_before=2026-01-31")) == ["RCP-2026-0001"]
    assert keys(queue(world, "rita", "&process=inbox_review&q=OTHER")) == ["OTHER-1"]
    assert keys(queue(world, "rita", "&process=smoke")) == []


def test_a_wrong_filter_value_is_named_and_nothing_is_listed(world: World) -> None:
    response = world.client("rita").get("/inbox?due_before=next-week")

    assert response.status_code == 422
    assert list_items(response.text, "//main") == ["due_before: Enter a date as YYYY-MM-DD"]


def test_the_list_is_split_into_pages_that_link_to_each_other(world: World) -> None:
    for n in range(27):
        world.start_case(f"P-{n:03d}", received_on=f"2025-12-{1 + n:02d}")
    client = world.client("rita")

    first = client.get("/inbox?view=queue")
    second = client.get("/inbox?view=queue&page=2")

    assert keys(page_tables(first.text)[0]) == [f"P-{n:03d}" for n in range(25)]
    assert keys(page_tables(second.text)[0]) == ["P-025", "P-026"]
    assert links(first.text, "//nav[@aria-label='Pages']") == [("Next page", "/inbox?view=queue&page=2")]
    assert links(second.text, "//nav[@aria-label='Pages']") == [("Previous page", "/inbox?view=queue")]


def test_saved_filters_belong_to_the_user_who_saved_them(world: World) -> None:
    rita = world.client("rita")
    response = rita.post(
        "/inbox/filters",
        data={
            "csrf_token": csrf(rita),
            "name": "  Overdue   RCP ",
            "view": "queue",
            "q": "RCP",
            "overdue": "1",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/inbox?view=queue&q=RCP&overdue=1"

    saved = "//ul[@class='saved-filters']"
    assert links(rita.get("/inbox").text, saved) == [("Overdue RCP", "/inbox?view=queue&q=RCP&overdue=1")]
    assert links(world.client("rob").get("/inbox").text, saved) == []


def test_claim_unclaim_and_reassign_are_written_to_the_audit_log(world: World) -> None:
    case_id = world.start_case("AU-1")
    task_id = world.open_task(case_id)["id"]
    world.ensure_user("rob")
    rita, sam = world.client("rita"), world.client("sam")

    assert rita.post(f"/tasks/{task_id}/claim", data={"csrf_token": csrf(rita)}).status_code == 303
    assert rita.post(f"/tasks/{task_id}/unclaim", data={"csrf_token": csrf(rita)}).status_code == 303
    moved = sam.post(f"/tasks/{task_id}/reassign", data={"csrf_token": csrf(sam), "assignee": "rob"})

    assert moved.status_code == 303
    assert world.open_task(case_id)["assignee"] == "rob"
    log = [(e["actor"], e["action"], e["data"]) for e in instances.history(world.services, case_id)][1:]
    assert log == [
        ("rita", "claim", {"assignee": "rita", "previous": None}),
        ("rita", "unclaim", {"assignee": None, "previous": "rita"}),
        ("sam", "reassign", {"assignee": "rob", "previous": None}),
    ]


def test_a_supervisor_reassigns_only_to_members_of_the_tasks_group_or_supervisors(world: World) -> None:
    case_id = world.start_case("AU-2")
    task_id = world.open_task(case_id)["id"]
    world.ensure_user("fred")
    sam = world.client("sam")

    response = sam.post(f"/tasks/{task_id}/reassign", data={"csrf_token": csrf(sam), "assignee": "fred"})

    assert response.status_code == 303
    assert world.open_task(case_id)["assignee"] is None
    assert notices(sam.get(response.headers["Location"]).text) == ["Choose a member of reviewers"]


def test_a_second_claim_is_refused_with_the_name_of_the_first_claimant(world: World) -> None:
    case_id = world.start_case("CL-1")
    task_id = world.open_task(case_id)["id"]
    rita, rob = world.client("rita"), world.client("rob")
    rita.post(f"/tasks/{task_id}/claim", data={"csrf_token": csrf(rita)})

    response = rob.post(
        f"/tasks/{task_id}/claim", data={"csrf_token": csrf(rob), "back": "/inbox?view=queue"}
    )

    assert response.status_code == 303
    assert response.headers["Location"] == "/inbox?view=queue"
    assert notices(rob.get("/inbox?view=queue").text) == ["This task is already claimed by rita."]
    assert world.open_task(case_id)["assignee"] == "rita"


def test_a_case_opens_for_a_group_once_it_reaches_their_lane(world: World) -> None:
    case_id, task_id = claimed(world, "L-1")
    dana = world.client("dana")
    assert dana.get(f"/cases/{case_id}").status_code == 404

    tasks.complete(
        world.services,
        task_id,
        {"decision": "complete", "employees_trained": 2, "office": "houston"},
        world.actor("rita"),
    )

    assert dana.get(f"/cases/{case_id}").status_code == 200
    assert keys(queue(world, "dana")) == ["L-1"]
    assert world.client("rita").get(f"/cases/{case_id}").status_code == 200  # reviewers worked it
