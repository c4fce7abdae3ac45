"""Inbox reads on SQLite and PostgreSQL: order, lanes, search, counts, plans, case progress."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.actions import messages, starting, tasks, timers
from service.actions.deployment import deploy
from service.clock import MovableClock
from service.engine.values import ReadyTask
from service.errors import Forbidden, NotFound
from service.identity.actors import Actor
from service.services import Services
from service.store.repositories.inbox import SEARCH_PROBE
from service.store.rows import InboxSlice
from service.views import casefile, inbox
from tests.support import AUDITOR, INTEGRATOR, REVIEWER, START, SUPERVISOR, processes

BOTH = Actor("user", "bo", frozenset({"reviewers", "field_director"}))
Task = tuple[str, str | None, int | None, str | None]  # id, lane, due in days (None: undated), assignee


@pytest.fixture
def deployed(services: Services) -> Services:
    deploy(services, processes(), INTEGRATOR)
    return services


def add_case(services: Services, key: str, *open_tasks: Task) -> None:
    """Store a case row with open task rows straight through the store (no engine state needed)."""
    with services.db.unit_of_work() as uow:
        definition = uow.definitions.latest("smoke")
        assert definition is not None
        uow.instances.insert(
            id=f"case-{key}",
            definition_id=definition.id,
            process_key="smoke",
            called_definitions={},
            business_key=key,
            status="waiting",
            suspended=False,
            has_incident=False,
            state="{}",
            serializer_version="test",
            version=1,
            variables={"applicant": {"name": f"Applicant of {key}"}},
            waits={"tasks": len(open_tasks), "subscriptions": 0, "timers": 0},
            created_at=START,
            updated_at=START,
        )
        uow.tasks.sync(f"case-{key}", _ready(open_tasks), business_key=key, now=START)
        for tid, _, _, assignee in open_tasks:
            if assignee:
                uow.tasks.assign(tid, assignee, START)
        uow.commit()


def _ready(open_tasks: tuple[Task, ...]) -> list[ReadyTask]:
    """Describe the open tasks as the engine would report them ready."""
    return [
        ReadyTask(
            tid,
            tid,
            None,
            lane,
            "smoke",
            None,
            None,
            START + timedelta(days=due) if due is not None else None,
            None,
            None,
            None,
        )
        for tid, lane, due, _ in open_tasks
    ]


def ids(services: Services, s: InboxSlice, limit: int, offset: int = 0) -> list[str]:
    with services.db.unit_of_work(readonly=True) as uow:
        return [r.id for r in uow.inbox.page(s, limit, offset)]


def test_a_queue_over_two_lanes_is_one_list_by_due_date_with_undated_tasks_last(deployed: Services) -> None:
    add_case(deployed, "K1", ("r-late", "reviewers", 9, None), ("r-none", "reviewers", None, None))
    add_case(deployed, "K2", ("d-mid", "field_director", 5, None), ("d-none", "field_director", None, None))
    add_case(deployed, "K3", ("r-soon", "reviewers", 1, None), ("r-taken", "reviewers", 0, "rita"))
    add_case(deployed, "K4", ("x-other", "penalties", 0, None))
    queue = InboxSlice(lanes=sorted(BOTH.groups), unassigned=True)

    pages = [ids(deployed, queue, 2, offset) for offset in (0, 2, 4)]

    assert pages == [["r-soon", "d-mid"], ["r-late", "d-none"], ["r-none"]]
    assert ids(deployed, InboxSlice(lanes=["reviewers"], unassigned=True), 10) == [
        "r-soon",
        "r-late",
        "r-none",
    ]
    assert ids(deployed, InboxSlice(unassigned=True), 2) == ["x-other", "r-soon"]


def test_my_tasks_show_tasks_of_my_lanes_only_unless_i_supervise(deployed: Services) -> None:
    add_case(deployed, "M1", ("mine", "reviewers", 3, "bo"), ("old-lane", "penalties", 1, "bo"))

    found = inbox.page(deployed, BOTH, inbox.InboxQuery(view="mine"))
    boss = Actor("user", "bo", frozenset({"supervisors"}))

    assert [r["id"] for r in found["rows"]] == ["mine"]
    assert found["rows"][0]["applicant"] == "Applicant of M1"
    assert found["rows"][0]["days_left"] == 3
    assert found["counts"] == {"mine": 1, "queue": 0}
    assert [r["id"] for r in inbox.page(deployed, boss, inbox.InboxQuery(view="mine"))["rows"]] == [
        "old-lane",
        "mine",
    ]


def test_only_supervisors_list_all_open_tasks(deployed: Services) -> None:
    add_case(deployed, "S1", ("a", "reviewers", 1, "rita"), ("b", "penalties", None, None))

    with pytest.raises(Forbidden):
        inbox.page(deployed, REVIEWER, inbox.InboxQuery(view="all"))
    found = inbox.page(deployed, SUPERVISOR, inbox.InboxQuery(view="all"))
    assert [r["id"] for r in found["rows"]] == ["a", "b"]
    assert found["counts"] == {"mine": 0, "queue": 1, "all": 2}


def test_business_key_search_is_a_case_insensitive_prefix_that_takes_wildcards_literally(
    deployed: Services,
) -> None:
    for n, key in enumerate(["RCP_1", "RCPX1", "rcp%2", "Rcp-3", "XRCP"]):
        add_case(deployed, key, (f"t{n}", "reviewers", n, None))

    def search(text: str) -> list[str]:
        return ids(deployed, InboxSlice(lanes=["reviewers"], unassigned=True, key_prefix=text), 10)

    assert search("rcp") == ["t0", "t1", "t2", "t3"]
    assert search("rcp_") == ["t0"]
    assert search("RCP%") == ["t2"]
    assert search("rcp-3") == ["t3"]


def test_counts_stop_at_the_cap(deployed: Services) -> None:
    add_case(deployed, "C1", *[(f"c{n}", "reviewers", n, None) for n in range(5)])

    with deployed.db.unit_of_work(readonly=True) as uow:
        assert uow.inbox.count(InboxSlice(lanes=["reviewers"], unassigned=True), cap=3) == 3
        assert uow.inbox.count(InboxSlice(lanes=["reviewers"], unassigned=True), cap=10) == 5


def test_each_inbox_list_is_read_from_an_index_in_due_order_without_sorting(deployed: Services) -> None:
    slices = {
        "queue": InboxSlice(lanes=["reviewers"], unassigned=True),
        "supervisors' queue": InboxSlice(unassigned=True),
        "mine": InboxSlice(assignee="rita"),
        "all": InboxSlice(),
        "overdue in a queue": InboxSlice(lanes=["reviewers"], unassigned=True, overdue_at=START),
        "due before, all": InboxSlice(due_before=START),
        "overdue, mine": InboxSlice(assignee="rita", overdue_at=START),
    }
    with deployed.db.unit_of_work(readonly=True) as uow:
        if uow.dialect == "postgresql":
            # A near-empty table is cheaper to scan and sort; ask whether an index *can* give the
            # order (a plan still sorts when none can, at a penalty).
            for setting in ("enable_seqscan", "enable_sort", "enable_bitmapscan"):
                uow.conn.exec_driver_sql(f"SET LOCAL {setting} = off")
        plans = {name: uow.inbox.explain(s, 25, 0) for name, s in slices.items()}

    for name, plan in plans.items():
        assert "ix_human_tasks_" in plan, (name, plan)
        assert "TEMP B-TREE" not in plan and "Sort" not in plan, (name, plan)


def test_the_case_diagram_marks_completed_active_and_waiting_elements(
    deployed: Services, clock: MovableClock
) -> None:
    start = {"application_number": "A-1", "received_on": "2026-01-05"}
    case_id = starting.start(deployed, "smoke", start, INTEGRATOR, business_key="A-1").instance_id

    def marks() -> dict[str, list[str]]:
        found = casefile.progress(deployed, case_id, SUPERVISOR)
        assert casefile.view(deployed, case_id, SUPERVISOR)["highlights"] == found
        return found

    assert marks() == {"completed": ["start"], "active": ["review"], "waiting": [], "incidents": []}
    task_id = inbox.page(deployed, REVIEWER, inbox.InboxQuery(view="queue"))["rows"][0]["id"]
    tasks.complete(deployed, task_id, {"decision": "ok"}, REVIEWER)
    assert marks() == {
        "completed": ["call_echo", "review", "start"],
        "active": [],
        "waiting": ["wait_day"],
        "incidents": [],
    }
    clock.advance(days=2)
    timers.fire_due(deployed)
    assert marks()["waiting"] == ["wait_info"]
    messages.deliver(deployed, "information_received", INTEGRATOR, business_key="A-1", correlation_keys=start)
    assert marks() == {
        "completed": ["call_echo", "end", "review", "start", "wait_day", "wait_info"],
        "active": [],
        "waiting": [],
        "incidents": [],
    }


def test_a_case_is_seen_by_the_groups_of_the_lanes_it_reached_and_by_supervisors(deployed: Services) -> None:
    start = {"application_number": "A-1", "received_on": "2026-01-05"}
    case_id = starting.start(deployed, "smoke", start, INTEGRATOR, business_key="A-1").instance_id

    assert casefile.view(deployed, case_id, REVIEWER)["case"]["businessKey"] == "A-1"
    assert casefile.may_see(deployed, case_id, SUPERVISOR)
    assert not casefile.may_see(deployed, case_id, AUDITOR)
    with pytest.raises(NotFound):
        casefile.diagram(deployed, case_id, AUDITOR)
    with pytest.raises(NotFound):
        casefile.view(deployed, "no-such-case", SUPERVISOR)


def test_a_search_for_a_rare_key_reads_the_key_index_and_a_common_prefix_the_queue_index(
    deployed: Services,
) -> None:
    many = SEARCH_PROBE + 10
    add_case(deployed, "RCP-COMMON", *[(f"c{n:03d}", "reviewers", n % 40, None) for n in range(many)])
    add_case(deployed, "RARE-1", ("rare", "reviewers", 3, None))
    common = InboxSlice(lanes=["reviewers"], unassigned=True, key_prefix="rcp-")
    rare = InboxSlice(lanes=["reviewers"], unassigned=True, key_prefix="rare")

    assert ids(deployed, rare, 25) == ["rare"]
    assert len(ids(deployed, common, 500)) == many
    if deployed.db.engine.dialect.name == "sqlite":  # PostgreSQL's planner has the statistics
        with deployed.db.unit_of_work(readonly=True) as uow:
            assert "ix_human_tasks_business_key_nocase" in uow.inbox.explain(rare, 25, 0)
            assert "ix_human_tasks_queue" in uow.inbox.explain(common, 25, 0)
