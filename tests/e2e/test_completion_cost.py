"""Completing a task from the web is one write transaction: the task read once, its form bound once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event

from service import create_app
from service.actions import tasks
from service.clock import MovableClock
from service.definitions import forms
from tests.e2e.inbox_world import World, csrf
from tests.integration.test_scenarios_audits import petition
from tests.program_support import Case, program_services

TASK_COLUMNS = "SELECT human_tasks.id, human_tasks.instance_id"  # how a task's own row is read


@pytest.fixture
def world(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[World]:
    services = program_services(db_url, tmp_path, clock)
    yield World(services, create_app(services=services))
    services.close()


@dataclass
class Tally:
    """What one request did to the database and the forms."""

    task_id: str
    writes: int = 0
    reads: int = 0
    task_reads: int = 0
    binds: int = 0

    def began(self, conn: Connection) -> None:
        if conn.get_execution_options().get("rcp_readonly"):
            self.reads += 1
        else:
            self.writes += 1

    def executed(self, _conn: Connection, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.startswith(TASK_COLUMNS) and self.task_id in str(parameters):
            self.task_reads += 1


@contextmanager
def tally(engine: Engine, task_id: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tally]:
    """Count transactions, reads of the task's row and form bindings while the block runs."""
    seen = Tally(task_id)
    bind = forms.bind
    depth = [0]  # bind calls itself for nested parts: count whole forms only

    def counted(schema: Any, data: dict[str, Any]) -> Any:
        seen.binds += depth[0] == 0
        depth[0] += 1
        try:
            return bind(schema, data)
        finally:
            depth[0] -= 1

    monkeypatch.setattr(forms, "bind", counted)
    event.listen(engine, "begin", seen.began)
    event.listen(engine, "before_cursor_execute", seen.executed)
    try:
        yield seen
    finally:
        event.remove(engine, "begin", seen.began)
        event.remove(engine, "before_cursor_execute", seen.executed)


def test_completing_a_bound_form_from_the_web_is_one_write_reading_the_task_and_binding_the_form_once(
    world: World, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = Case.start(world.services, clock, "closing_conference_petition", petition("AU-7"), "AU-7")
    task_id = case.task("provide_conference")["id"]
    hank = world.client("hank")  # headquarters, the lane of the Director who provides the conference
    tasks.claim(world.services, task_id, world.actor("hank"))
    token = csrf(hank)
    posted = {"conference_date": "2026-01-20", "conference_place": "Room 4"}

    with tally(world.services.db.engine, task_id, monkeypatch) as seen:
        response = hank.post(f"/tasks/{task_id}", data={"csrf_token": token, "action": "complete", **posted})

    assert response.status_code == 303
    assert (seen.writes, seen.task_reads, seen.binds) == (1, 1, 1)
    assert seen.reads <= 1  # the signed-in user's session, nothing of the task
    assert "will be held on 2026-01-20 at Room 4" in case.notice("closing_conference_scheduled")["text"]


def test_a_refused_date_is_checked_against_the_bound_form_and_changes_nothing(
    world: World, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = Case.start(world.services, clock, "closing_conference_petition", petition("AU-8"), "AU-8")
    task_id = case.task("provide_conference")["id"]
    hank = world.client("hank")
    tasks.claim(world.services, task_id, world.actor("hank"))
    token = csrf(hank)
    version = case.view()["version"]

    with tally(world.services.db.engine, task_id, monkeypatch) as seen:
        response = hank.post(
            f"/tasks/{task_id}",
            data={
                "csrf_token": token,
                "action": "complete",
                "conference_date": "2026-01-21",
                "conference_place": "Room 4",
            },
        )

    assert response.status_code == 422
    assert "Date of the conference must be on or before 20 January 2026" in response.text
    assert seen.task_reads == 2  # the refused completion's, then the page shown again
    assert case.view()["version"] == version
