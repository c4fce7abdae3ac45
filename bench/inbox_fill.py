"""Fill the store with synthetic cases and open task rows for the inbox latency benchmark.

Rows go straight into the store's tables (no engine run per case), then the database is analysed
as its maintenance would.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, text

from service.services import Services
from service.store.schema import human_tasks, process_instances

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
TASKS_PER_CASE = 3
PROCESSES = ["application_review", "closing_conference", "notice_of_violation", "certification_removal"]
# Lanes are not equally busy: the rarest one checks a small queue is still read from its index.
LANE_WEIGHTS = {
    "reviewers": 40,
    "field_auditors": 30,
    "field_director": 15,
    "penalties": 14,
    "hq_regulatory_audit": 1,
}
BATCH = 5_000
LANES, WEIGHTS = list(LANE_WEIGHTS), list(LANE_WEIGHTS.values())


def instance_row(i: int, key: str, case_id: str, created: datetime, definition_id: int) -> dict:
    """Build the stored row of case number i."""
    bk = f"RCP-2026-{i:06d}"
    return {
        "id": case_id,
        "definition_id": definition_id,
        "process_key": key,
        "called_definitions": {},
        "business_key": bk,
        "status": "waiting",
        "suspended": False,
        "has_incident": False,
        "state": '{"bench": "' + "x" * 400 + '"}',
        "serializer_version": "bench",
        "version": 1,
        "variables": {"application_number": bk, "applicant_name": f"Importer {i} LLC", "volume": i % 997},
        "waits": {"tasks": TASKS_PER_CASE, "subscriptions": 0, "timers": 0},
        "created_at": created,
        "updated_at": created,
    }


def task_row(instance: dict, rng: random.Random) -> dict:
    """Build one open task row of the case, in a weighted random lane."""
    lane = rng.choices(LANES, WEIGHTS)[0]
    due = (
        None
        if rng.random() < 0.05
        else (NOW + timedelta(days=rng.randint(-30, 90))).replace(hour=23, minute=59, second=59)
    )
    assignee = f"{lane}-user-{rng.randrange(50)}" if rng.random() < 0.3 else None
    created = instance["created_at"]
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128))),
        "instance_id": instance["id"],
        "name": "review",
        "title": "Review the application",
        "lane": lane,
        "assignee": assignee,
        "form": None,
        "ui_form": None,
        "due_at": due,
        "due_citation": "§163.12(c)(1)",
        "instructions": None,
        "process_key": instance["process_key"],
        "business_key": instance["business_key"],
        "created_at": created,
        "claimed_at": created if assignee else None,
    }


def case_rows(
    n: int, definition_ids: dict[str, int], rng: random.Random
) -> Iterator[tuple[dict, list[dict]]]:
    """Yield (instance row, its task rows) for case number n."""
    for i in range(n):
        key = rng.choice(PROCESSES)
        case_id = str(uuid.UUID(int=rng.getrandbits(128)))
        created = NOW - timedelta(days=rng.uniform(0, 120))
        instance = instance_row(i, key, case_id, created, definition_ids[key])
        yield instance, [task_row(instance, rng) for _ in range(TASKS_PER_CASE)]


def add_definitions(services: Services) -> dict[str, int]:
    """Store one placeholder definition per process and return their ids by key."""
    with services.db.unit_of_work() as uow:
        ids = {}
        for key in PROCESSES:
            ids[key] = uow.definitions.add(
                key=key,
                version=1,
                name=key.replace("_", " ").capitalize(),
                content_hash=key,
                source_name=f"{key}.bpmn",
                bpmn_xml="<definitions/>",
                forms={},
                start_schema=None,
                called_keys=[],
                start_messages=[],
                deployed_at=NOW,
                deployed_by="bench",
                note=None,
            )
        uow.commit()
    return ids


def analyse(services: Services) -> None:
    """Refresh the planner statistics as the database's maintenance would."""
    with services.db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text("ANALYZE"))
            conn.commit()
        else:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))


def fill(services: Services, cases: int) -> None:
    """Insert the cases and their tasks in batches, then analyse the database."""
    rng = random.Random(7)
    ids = add_definitions(services)
    instances: list[dict] = []
    tasks: list[dict] = []

    def flush() -> None:
        with services.db.unit_of_work() as uow:
            uow.conn.execute(insert(process_instances), instances)
            uow.conn.execute(insert(human_tasks), tasks)
            uow.commit()
        instances.clear()
        tasks.clear()

    for instance, its_tasks in case_rows(cases, ids, rng):
        instances.append(instance)
        tasks.extend(its_tasks)
        if len(instances) >= BATCH:
            flush()
    if instances:
        flush()
    analyse(services)
