"""Fill the case list's search rows of the benchmark's synthetic cases, as the trigger path writes them.

A share of the cases is closed (completed or cancelled: no stage, no due date), so the list holds
open and closed cases as a running office's does. Their task rows stay, so the inbox measures read
the same rows as before. Rows go straight into the tables in batches.
"""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import insert, select, update

from service.engine.values import ReadyTask, WaitState
from service.services import Services
from service.store.schema import human_tasks, process_instances
from service.store.schema_cases import case_index, case_lanes
from service.trigger import case_entry

BATCH = 5_000
CLOSED_SHARE = 0.4  # of the cases, closed


def _ready(task: Any) -> ReadyTask:
    return ReadyTask(
        task.id, task.name, task.title, task.lane, task.process_key, None, None, task.due_at, None, None, None
    )


def _rows(instance: Any, tasks: list[Any], status: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    closed = status != "waiting"
    wait = WaitState(status, [] if closed else [_ready(t) for t in tasks])
    entry = case_entry.entry(
        instance.id,
        instance.process_key,
        instance.business_key,
        instance.variables,
        wait,
        status,
        instance.created_at,
    )
    row = {
        "instance_id": entry.instance_id,
        "process_key": entry.process_key,
        "business_key": entry.business_key,
        "key_search": (entry.business_key or "").lower() or None,
        "applicant": entry.applicant,
        "applicant_search": (entry.applicant or "").lower() or None,
        "importer_search": (entry.importer_number or "").lower() or None,
        "status": entry.status,
        "stage": entry.stage,
        "due_at": entry.due_at,
        "started_at": entry.started_at,
    }
    # A closed case keeps the lanes it worked in: its tasks were theirs while it was open.
    lanes = [{"instance_id": instance.id, "lane": lane} for lane in sorted({t.lane for t in tasks if t.lane})]
    return row, lanes


def _status(rng: random.Random) -> str:
    """Return a case's status: closed (completed or cancelled) for a share of them, else waiting."""
    if rng.random() < CLOSED_SHARE:
        return rng.choice(("completed", "cancelled"))
    return "waiting"


def fill_cases(services: Services) -> None:
    """Write a search row and its lanes for every stored case; close a share of the cases."""
    rng = random.Random(13)
    last = ""
    while True:
        with services.db.unit_of_work() as uow:
            conn = uow.conn
            pi = process_instances
            found = conn.execute(select(pi).where(pi.c.id > last).order_by(pi.c.id).limit(BATCH)).all()
            if not found:
                return
            last = found[-1].id
            tasks: dict[str, list[Any]] = {}
            ids = [r.id for r in found]
            for t in conn.execute(select(human_tasks).where(human_tasks.c.instance_id.in_(ids))):
                tasks.setdefault(t.instance_id, []).append(t)
            status = {r.id: _status(rng) for r in found}
            built = [_rows(r, tasks.get(r.id, []), status[r.id]) for r in found]
            conn.execute(insert(case_index), [row for row, _ in built])
            conn.execute(insert(case_lanes), [lane for _, lanes in built for lane in lanes])
            for value in ("completed", "cancelled"):
                chosen = sorted(r for r, s in status.items() if s == value)
                conn.execute(update(pi).where(pi.c.id.in_(chosen)).values(status=value))
            uow.commit()
