"""A live case's next trigger uses the open-task rows its last commit left instead of reading them.

The rows a step closes feed the deadline history (met on time or late), so a case kept alive must
record exactly what a case restored from the database records, and read no open-task rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from service.actions import starting, tasks
from service.actions.deployment import deploy
from service.services import Services
from service.store.rows import TaskFilter
from service.views import open_tasks
from tests.support import INTEGRATOR, REVIEWER, processes

OPEN_TASK_READ = "SELECT human_tasks.id, human_tasks.name, human_tasks.title, human_tasks.due_at"


def _petition(services: Services, key: str) -> str:
    variables = {"application_number": key, "received_on": "2025-12-10"}  # due 2025-12-25: late
    return starting.start(services, "smoke", variables, INTEGRATOR, business_key=key).instance_id


def _complete_review(services: Services, instance_id: str) -> list[str]:
    """Complete the case's review; return the SQL the completion ran."""
    [task] = open_tasks.tasks(services, REVIEWER, TaskFilter(instance_id=instance_id))
    ran: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        ran.append(" ".join(statement.split()))

    event.listen(services.db.engine, "before_cursor_execute", seen)
    try:
        tasks.complete(services, task["id"], {"decision": "ok"}, REVIEWER)
    finally:
        event.remove(services.db.engine, "before_cursor_execute", seen)
    return ran


def _history(services: Services, instance_id: str) -> list[dict[str, Any]]:
    with services.db.unit_of_work(readonly=True) as uow:
        rows = uow.deadlines.for_instance(instance_id)
    return [{k: v for k, v in r.items() if k not in ("id", "instance_id", "business_key")} for r in rows]


def test_a_live_case_records_the_deadline_history_a_restored_case_records(services: Services) -> None:
    deploy(services, processes(), INTEGRATOR)
    live, restored = _petition(services, "P-LIVE"), _petition(services, "P-RESTORED")
    services.live.forget(restored)  # as after a restart: state and open tasks come from the database

    live_sql = _complete_review(services, live)
    restored_sql = _complete_review(services, restored)

    assert not any(s.startswith(OPEN_TASK_READ) for s in live_sql), live_sql
    assert any(s.startswith(OPEN_TASK_READ) for s in restored_sql), restored_sql
    recorded = _history(services, live)
    assert recorded == _history(services, restored)
    assert [(r["kind"], r["citation"], r["on_time"]) for r in recorded] == [("task", "§163.11(b)", False)]


def test_a_case_a_claim_touched_keeps_its_live_rows_and_still_closes_the_task(services: Services) -> None:
    deploy(services, processes(), INTEGRATOR)
    instance_id = _petition(services, "P-CLAIMED")
    [task] = open_tasks.tasks(services, REVIEWER, TaskFilter(instance_id=instance_id))
    tasks.claim(services, task["id"], REVIEWER)  # writes the task row, not the case's version

    ran = _complete_review(services, instance_id)

    assert not any(s.startswith(OPEN_TASK_READ) for s in ran), ran
    assert open_tasks.tasks(services, REVIEWER, TaskFilter(instance_id=instance_id)) == []
    assert [r["on_time"] for r in _history(services, instance_id)] == [False]
