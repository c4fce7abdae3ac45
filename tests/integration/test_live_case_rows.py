"""A live case's trigger writes its case-list row only when the row changes, and only what changed.

The commit of a case's current version leaves its case-list row and lanes known (kept with the
live workflow); a trigger that leaves them as they were sends no upsert and no lane insert, and
one that changes some columns updates those alone (the row's other indexes stay untouched). The
case list must read exactly what a case restored from the database (which writes them all) gives.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event, select

from service.actions import lifecycle, starting, tasks
from service.actions.deployment import deploy
from service.services import Services
from service.store.rows import TaskFilter
from service.store.schema_cases import case_index, case_lanes
from service.views import open_tasks
from tests.support import INTEGRATOR, REVIEWER, SUPERVISOR, processes

UPSERT = "INSERT INTO case_index"
UPDATE = "UPDATE case_index SET"
LANES = "INSERT INTO case_lanes"


def _watching(services: Services) -> tuple[list[str], Any]:
    ran: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        ran.append(" ".join(statement.split()))

    event.listen(services.db.engine, "before_cursor_execute", seen)
    return ran, lambda: event.remove(services.db.engine, "before_cursor_execute", seen)


def _steps(services: Services, instance_id: str, restore_each_time: bool) -> list[list[str]]:
    """Suspend, resume, then complete the review; return each trigger's case-list statements."""

    def run(trigger: Any) -> list[str]:
        if restore_each_time:
            services.live.forget(instance_id)  # as after a restart: everything read from the database
        ran, stop = _watching(services)
        try:
            trigger()
        finally:
            stop()
        return [s for s in ran if s.startswith((UPSERT, UPDATE, LANES))]

    [task] = open_tasks.tasks(services, REVIEWER, TaskFilter(instance_id=instance_id))
    return [
        run(lambda: lifecycle.suspend(services, instance_id, SUPERVISOR, "checking")),
        run(lambda: lifecycle.resume(services, instance_id, SUPERVISOR, "checked")),
        run(lambda: tasks.complete(services, task["id"], {"decision": "ok"}, REVIEWER)),
    ]


def _rows(services: Services, instance_id: str) -> tuple[dict[str, Any], list[str]]:
    with services.db.unit_of_work(readonly=True) as uow:
        [row] = uow.conn.execute(select(case_index).where(case_index.c.instance_id == instance_id))
        lanes = uow.conn.execute(select(case_lanes.c.lane).where(case_lanes.c.instance_id == instance_id))
        kept = {
            k: v for k, v in row._mapping.items() if k not in ("instance_id", "business_key", "key_search")
        }
        return kept, sorted(r.lane for r in lanes)


def test_a_live_case_skips_unchanged_case_rows_and_lists_what_a_restored_case_lists(
    services: Services,
) -> None:
    deploy(services, processes(), INTEGRATOR)
    variables = {"received_on": "2025-12-10"}
    live, restored = (
        starting.start(
            services, "smoke", {**variables, "application_number": key}, INTEGRATOR, business_key=key
        ).instance_id
        for key in ("C-LIVE", "C-RESTORED")
    )

    live_steps = _steps(services, live, restore_each_time=False)
    restored_steps = _steps(services, restored, restore_each_time=True)

    # Suspending and resuming change neither the row (status, stage, due date) nor the lanes.
    assert live_steps[:2] == [[], []], live_steps
    assert [[s[: len(UPSERT)] for s in step] for step in restored_steps[:2]] == [[UPSERT, LANES]] * 2
    # Completing the review moves the case on: only the columns that changed are written.
    [update] = live_steps[2]
    assert update.startswith(UPDATE)
    assert re.findall(r"(\w+)=", update.split(" SET ")[1].split(" WHERE ")[0]) == ["stage", "due_at"]
    assert _rows(services, live) == _rows(services, restored)
