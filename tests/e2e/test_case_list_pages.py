"""The case list over HTTP: every case a user may see, open and closed, found by what staff know."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from service.actions import lifecycle, tasks
from service.services import Services
from service.views import inbox
from tests.e2e.inbox_world import VALID_REVIEW, World, build_world, csrf, links, page_tables


@pytest.fixture
def world(services: Services) -> Iterator[World]:
    yield build_world(services)


def listed(world: World, username: str, query: str = "") -> list[list[str]]:
    """Return the case list's rows (cell texts) as ``username`` sees them."""
    response = world.client(username).get(f"/cases{query}")
    assert response.status_code == 200, response.text
    tables = page_tables(response.text)
    return [list(row.values()) for row in tables[0]] if tables else []


def cancel(world: World, business_key: str, applicant: str) -> str:
    case_id = world.start_case(business_key, applicant=applicant)
    lifecycle.cancel(world.services, case_id, world.actor("sam"), "entered twice")
    return case_id


def test_a_cancelled_case_is_found_by_its_applicants_name_in_any_case(world: World) -> None:
    cancel(world, "AZ-CLOSED-1", "Harbor Freight Importers")
    world.start_case("AZ-OPEN-2", applicant="Desert Traders")

    rows = listed(world, "sam", "?q=harbor+fr")

    assert [r[:4] for r in rows] == [
        ["AZ-CLOSED-1", "Harbor Freight Importers", "Application review (inbox fixture)", "Cancelled"]
    ]
    assert [r[0] for r in listed(world, "sam", "?q=HARBOR")] == ["AZ-CLOSED-1"]
    assert listed(world, "sam", "?q=freight") == []  # names match from their start


def test_a_completed_case_stays_in_the_list_with_its_status(world: World) -> None:
    case_id = world.start_case("AZ-DONE-1", applicant="Gulf Coast Customs Brokers")
    task = world.open_task(case_id)
    rita = world.client("rita")
    tasks.claim(world.services, task["id"], world.actor("rita"))
    done = rita.post(
        f"/tasks/{task['id']}", data={"csrf_token": csrf(rita), "action": "complete", **VALID_REVIEW}
    )
    assert done.status_code == 303, done.text

    rows = listed(world, "sam", "?q=gulf")

    assert rows[0][0] == "AZ-DONE-1"
    assert rows[0][3] in ("Completed", "Open")  # the fixture may wait for the director next
    html = world.client("sam").get("/cases?q=gulf").text
    assert (("AZ-DONE-1", f"/cases/{case_id}")) in links(html, "//table")


def test_cases_are_found_by_case_number_prefix_and_by_notice_number(world: World) -> None:
    first = world.start_case("AZ-2026-0001", applicant="First Importer")
    world.start_case("AZ-2026-0002", applicant="Second Importer")
    world.start_case("NM-2026-0003", applicant="Third Importer")
    number = world.add_notice(first, "AZ-2026-0001")

    assert sorted(r[0] for r in listed(world, "sam", "?q=az-2026")) == ["AZ-2026-0001", "AZ-2026-0002"]
    assert [r[0] for r in listed(world, "sam", f"?q={number}")] == ["AZ-2026-0001"]


def test_each_user_sees_the_cases_that_reached_their_lanes_and_supervisors_see_all(world: World) -> None:
    world.start_case("AZ-LANES-1", applicant="Lane Test Importer")

    assert [r[0] for r in listed(world, "rita", "?q=lane+test")] == ["AZ-LANES-1"]  # reviewers' task
    assert [r[0] for r in listed(world, "sam", "?q=lane+test")] == ["AZ-LANES-1"]
    assert listed(world, "pat", "?q=lane+test") == []  # penalties never worked it
    assert "Lane Test Importer" not in world.client("pat").get("/cases").text


def test_status_filters_split_open_and_closed_cases(world: World) -> None:
    cancel(world, "AZ-STATUS-1", "Status Importer One")
    world.start_case("AZ-STATUS-2", applicant="Status Importer Two")

    assert [r[0] for r in listed(world, "sam", "?q=status&status=cancelled")] == ["AZ-STATUS-1"]
    assert [r[0] for r in listed(world, "sam", "?q=status&status=open")] == ["AZ-STATUS-2"]
    assert listed(world, "sam", "?q=status&status=completed") == []


def test_columns_sort_through_links_that_say_how_they_sort(world: World) -> None:
    for key, name in (("AZ-SORT-B", "Sort Beta"), ("AZ-SORT-A", "Sort Alpha"), ("AZ-SORT-C", "Sort Gamma")):
        world.start_case(key, applicant=name)
    client = world.client("sam")

    html = client.get("/cases?q=sort&sort=case").text
    assert [r[0] for r in listed(world, "sam", "?q=sort&sort=case")] == [
        "AZ-SORT-A",
        "AZ-SORT-B",
        "AZ-SORT-C",
    ]
    assert re.search(
        r'<th scope="col" aria-sort="ascending"><a class="sort" href="[^"]*sort=case&amp;dir=desc', html
    )
    descending = [r[0] for r in listed(world, "sam", "?q=sort&sort=case&dir=desc")]
    assert descending == ["AZ-SORT-C", "AZ-SORT-B", "AZ-SORT-A"]
    assert [r[1] for r in listed(world, "sam", "?q=sort&sort=applicant")] == [
        "Sort Alpha",
        "Sort Beta",
        "Sort Gamma",
    ]


def test_the_list_is_split_into_pages_that_link_to_each_other(world: World) -> None:
    for n in range(27):
        world.start_case(f"AZ-PAGE-{n:02d}", applicant=f"Paged Importer {n:02d}")

    first = world.client("sam").get("/cases?q=paged&sort=case").text
    second = listed(world, "sam", "?q=paged&sort=case&page=2")

    assert len(page_tables(first)[0]) == 25
    assert ("Next page", "/cases?q=paged&sort=case&page=2") in links(first, "//nav[@aria-label='Pages']")
    assert [r[0] for r in second] == ["AZ-PAGE-25", "AZ-PAGE-26"]


def test_a_wrong_filter_value_is_refused_and_names_the_field(world: World) -> None:
    response = world.client("sam").get("/cases?status=lost&started_from=yesterday")

    assert response.status_code == 422
    assert "status" in response.text and "started_from" in response.text


def test_a_saved_case_filter_is_listed_on_the_case_list_and_not_in_the_inbox(world: World) -> None:
    client = world.client("rita")
    token = csrf(client, "/cases")

    response = client.post(
        "/cases/filters", data={"csrf_token": token, "name": "Cancelled", "status": "cancelled"}
    )

    assert response.status_code == 303
    assert ("Cancelled", "/cases?status=cancelled") in links(
        client.get("/cases").text, "//ul[@class='saved-filters']"
    )
    assert [
        f["name"] for f in inbox.saved_filters(world.services, world.actor("rita"))
    ] == []  # not a task list's


def test_the_page_navigation_links_to_the_case_list(world: World) -> None:
    html = world.client("rita").get("/cases").text

    assert ("Cases", "/cases") in links(html, "//nav[@aria-label='Main']")
    assert '<a href="/cases" aria-current="page">Cases</a>' in html


def test_the_stage_filter_offers_the_open_tasks_and_narrows_the_list(world: World) -> None:
    world.start_case("AZ-STAGE-1", applicant="Stage Importer One")
    cancel(world, "AZ-STAGE-2", "Stage Importer Two")

    html = world.client("sam").get("/cases").text
    assert '<option value="Review the application">Review the application</option>' in html
    rows = listed(world, "sam", "?q=stage&stage=Review+the+application")
    assert [(r[0], r[4]) for r in rows] == [("AZ-STAGE-1", "Review the application")]
