"""Hostile input at the staff pages: a NUL byte in the inbox search or a form (issue 18: 4)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.services import Services
from service.views import instances
from tests.e2e.inbox_pages_support import claimed, keys, queue
from tests.e2e.inbox_world import VALID_REVIEW, World, build_world, csrf


@pytest.fixture
def world(services: Services) -> Iterator[World]:
    yield build_world(services)


@pytest.mark.parametrize("query", ["q=A%00B", "process=inbox%00review", "due_before=2026-01-05%00"])
def test_a_nul_byte_in_the_inbox_search_is_422_naming_the_input(world: World, query: str) -> None:
    world.start_case("R-1")

    answer = world.client("rita").get(f"/inbox?view=queue&{query}")

    assert answer.status_code == 422
    assert f"<strong>{query.split('=')[0]}</strong>" in answer.text
    assert keys(queue(world, "rita")) == ["R-1"]  # the plain search still works


def test_a_nul_byte_in_a_task_form_is_422_and_completes_nothing(world: World) -> None:
    case_id, task_id = claimed(world, "V-1")
    rita = world.client("rita")

    answer = rita.post(
        f"/tasks/{task_id}",
        data={"csrf_token": csrf(rita), "action": "complete", **VALID_REVIEW, "notes": "fine\x00"},
    )

    assert answer.status_code == 422
    assert "<strong>notes</strong>" in answer.text
    assert instances.instance(world.services, case_id)["version"] == 1


def test_new_lines_and_tabs_in_a_task_form_are_still_accepted(world: World) -> None:
    case_id, task_id = claimed(world, "V-1")
    rita = world.client("rita")

    answer = rita.post(
        f"/tasks/{task_id}",
        data={"csrf_token": csrf(rita), "action": "complete", **VALID_REVIEW, "notes": "one\r\n\ttwo"},
    )

    assert answer.status_code == 303, answer.text
    assert instances.instance(world.services, case_id)["version"] == 2


def test_a_nul_byte_in_a_saved_filter_name_is_422(world: World) -> None:
    rita = world.client("rita")

    answer = rita.post("/inbox/filters", data={"csrf_token": csrf(rita), "name": "mine\x00", "view": "queue"})

    assert answer.status_code == 422
    assert "<strong>name</strong>" in answer.text


@pytest.mark.parametrize("path", ["/tasks/t%00x", "/cases/c%00x", "/tasks/" + "y" * 300])
def test_a_page_address_with_a_nul_byte_or_an_overlong_id_is_404(world: World, path: str) -> None:
    answer = world.client("sam").get(path)

    assert answer.status_code == 404
