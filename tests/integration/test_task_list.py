"""The compiled open-task list returns exactly what ``TaskRepository.list`` (Core) returns."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from service.actions import starting
from service.actions.deployment import deploy
from service.clock import MovableClock
from service.services import Services
from service.store.repositories import task_list
from service.store.rows import TaskFilter
from service.store.schema import human_tasks as ht
from tests.apikit import SMOKE_VARS
from tests.support import INTEGRATOR, processes

LANES = ("reviewers", "field_auditors", None)


@pytest.fixture
def many_tasks(services: Services, clock: MovableClock) -> Services:
    """Two cases, and 24 task rows across lanes, assignees, due dates, keys and processes."""
    deploy(services, processes(), INTEGRATOR)
    cases = [
        starting.start(services, "smoke", SMOKE_VARS, INTEGRATOR, business_key=key).instance_id
        for key in ("A-10", "B-20")
    ]
    now = clock.now()
    rows = [
        {
            "id": f"00000000-0000-4000-8000-{n:012d}",
            "instance_id": cases[n % 2],
            "name": f"task_{n}",
            "title": None if n % 5 == 0 else f"Task {n}",
            "lane": LANES[n % 3],
            "assignee": ("ann", "bob", None, None)[n % 4],
            "form": None,
            "ui_form": None,
            # Undated ones and equal dates, so the order's later keys decide.
            "due_at": None if n % 6 == 0 else now + timedelta(days=n % 4),
            "due_citation": "§163.11(b)" if n % 2 else None,
            "instructions": f"do {n}",
            "process_key": ("smoke", "other")[n % 2],
            "business_key": ("A-10", "A-11", "B-20", None)[n % 4],
            "created_at": now - timedelta(minutes=n % 3),
            "claimed_at": now if n % 4 < 2 else None,
        }
        for n in range(24)
    ]
    with services.db.unit_of_work() as uow:
        uow.conn.execute(ht.insert(), rows)
        uow.commit()
    return services


def _filters(now_plus_one: object) -> list[TaskFilter]:
    """Every filter alone, some together, with pages and group lists of several lengths."""
    base = TaskFilter(limit=1000)
    return [
        base,
        TaskFilter(limit=5),
        TaskFilter(limit=5, offset=5),
        TaskFilter(limit=7, offset=40),
        replace(base, candidate_groups=["reviewers"]),
        replace(base, candidate_groups=["reviewers", "field_auditors"]),
        replace(base, candidate_groups=["reviewers", "field_auditors", "penalties"], limit=3, offset=1),
        replace(base, candidate_groups=[]),
        replace(base, candidate_groups=[*(f"lane_{i}" for i in range(task_list.MAX_GROUPS)), "reviewers"]),
        replace(base, assignee="ann"),
        replace(base, assignee=""),
        replace(base, unassigned=True),
        replace(base, assignee="ann", unassigned=True),
        replace(base, business_key="A-10"),
        replace(base, business_key_like="A-"),
        replace(base, business_key_like=""),
        replace(base, process_key="other"),
        replace(base, due_before=now_plus_one),  # type: ignore[arg-type]
        replace(base, candidate_groups=["reviewers"], unassigned=True, business_key_like="A", limit=2),
        replace(
            base,
            candidate_groups=["field_auditors", "reviewers"],
            assignee="bob",
            process_key="other",
            business_key="A-11",
            due_before=now_plus_one,  # type: ignore[arg-type]
        ),
    ]


def test_every_filter_reads_the_same_compiled_and_through_core(
    many_tasks: Services, clock: MovableClock
) -> None:
    with many_tasks.db.unit_of_work(readonly=True) as uow:
        cases = {row.instance_id for row in uow.tasks.list(TaskFilter(limit=1000))}
        filters = _filters(clock.now() + timedelta(days=1))
        filters += [TaskFilter(instance_id=case, limit=1000) for case in sorted(cases)]
        empty: list[TaskFilter] = []
        for f in filters:
            compiled, core = task_list.open_tasks(uow, f), uow.tasks.list(f)
            assert compiled == core, f
            if not core:
                empty.append(f)

    assert len(cases) == 2
    # Rows were compared, not only empty lists: only these four select nothing.
    assert empty == [
        TaskFilter(limit=7, offset=40),
        TaskFilter(candidate_groups=[], limit=1000),
        TaskFilter(assignee="", limit=1000),
        TaskFilter(assignee="ann", unassigned=True, limit=1000),
    ]


def test_a_shape_is_compiled_once_and_reused_with_other_values(many_tasks: Services) -> None:
    first = TaskFilter(candidate_groups=["reviewers"], assignee="ann")
    again = TaskFilter(candidate_groups=["field_auditors"], assignee="bob", limit=3)
    with many_tasks.db.unit_of_work(readonly=True) as uow:
        task_list.open_tasks(uow, first)
        shapes = dict(task_list._compiled)
        assert task_list.open_tasks(uow, again) == uow.tasks.list(again)
    assert task_list._compiled == shapes
