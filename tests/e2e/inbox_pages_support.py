"""Read the inbox over HTTP: queue rows, their case keys, and a claimed task to work on."""

from __future__ import annotations

from service.actions import tasks
from tests.e2e.inbox_world import World, page_tables


def queue(world: World, username: str, query: str = "") -> list[dict[str, str]]:
    """Return the rows of the user's group queue, narrowed by the query string."""
    response = world.client(username).get(f"/inbox?view=queue{query}")
    assert response.status_code == 200
    tables = page_tables(response.text)
    return tables[0] if tables else []


def keys(rows: list[dict[str, str]]) -> list[str]:
    """Return the business key of each row."""
    return [row["Case"].split()[0] for row in rows]


def claimed(world: World, key: str, username: str = "rita") -> tuple[str, str]:
    """Start a case and let the user claim its review; return the case and task ids."""
    case_id = world.start_case(key)
    task_id = str(world.open_task(case_id)["id"])
    tasks.claim(world.services, task_id, world.actor(username))
    return case_id, task_id
