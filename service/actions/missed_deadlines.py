"""Tell subscribed integrators when an open task passes its due date (``deadline.missed``).

A periodic job scans the open tasks whose due time fell since its last scan (an indexed range
on ``human_tasks.due_at``, never all tasks) and queues one event per task and webhook; the
outbox key makes a repeated scan harmless.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from service.store import UnitOfWork
from service.store.rows import TaskRow
from service.trigger.events import enqueue

if TYPE_CHECKING:
    from service.services import Services

MISSED = "deadline.missed"
SCAN_BATCH = 500


def report(services: Services) -> int:
    """Publish ``deadline.missed`` for open tasks whose due time passed since the last scan."""
    with services.db.unit_of_work(readonly=True) as uow:
        if not uow.webhooks.subscribers(MISSED):
            return 0
    return services.db.run(lambda uow: _scan_deadlines(uow, services.clock.now()))


def _scan_deadlines(uow: UnitOfWork, now: datetime) -> int:
    mark = uow.webhooks.watermark(MISSED)
    hooks = uow.webhooks.subscribers(MISSED)
    if not hooks:
        return 0
    # A webhook hears of deadlines that pass after it was registered, never of older ones.
    since = min(h["created_at"] for h in hooks)
    if mark is not None and mark > since:
        since = mark
    tasks = uow.webhooks.tasks_due_between(since, now, SCAN_BATCH)
    queued = 0
    for task in tasks:
        due = _due(task)
        data = {**_open_task_data(task, due), "missedAt": due.isoformat()}
        for hook in hooks:
            if due > hook["created_at"]:
                queued += enqueue(uow, hook, MISSED, task.id, data, now, task.instance_id)
    if len(tasks) == SCAN_BATCH:
        uow.webhooks.set_watermark(MISSED, _due(tasks[-1]))  # the rest on the next run
    elif tasks or mark is None or now - mark > timedelta(minutes=5):
        uow.webhooks.set_watermark(MISSED, now)  # rarely written while nothing falls due
    uow.commit()
    return queued


def _due(task: TaskRow) -> datetime:
    due = task.due_at
    assert due is not None  # the tasks were read by a range of due times: each has one
    return due


def _open_task_data(task: TaskRow, due: datetime) -> dict[str, Any]:
    return {
        "taskId": task.id,
        "name": task.name,
        "title": task.title,
        "candidateGroup": task.lane,
        "assignee": task.assignee,
        "due": due.isoformat(),
        "dueCitation": task.due_citation,
        "processInstanceId": task.instance_id,
        "processDefinitionKey": task.process_key,
        "businessKey": task.business_key,
    }
