"""A trigger talks to the database in a fixed, small number of round trips (issue 16, item 3).

Counted at the driver, so the code path is the one production runs: on PostgreSQL libpq's protocol
trace (each Sync or simple Query the client sends is one wait for the server), on SQLite every
statement the sqlite3 module runs. The diagram is the one ``bench/engine_throughput.py`` measures:
a start, a user task, a second user task whose completion runs a service task (a savepoint).
Before the write-behind queue (``service.store.pending``) on PostgreSQL a start took 13 round trips,
a completion 15 and one with a service call 16 (pre-ping, BEGIN and COMMIT included).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from service.actions import starting, tasks
from service.actions.deployment import DiagramSet, deploy
from service.engine.values import DiagramSource
from service.services import Services
from service.store.db import make_engine
from service.store.repositories.instances import _OPEN_CASE
from service.views import instances
from tests.support import INTEGRATOR, REVIEWER

DIAGRAM = Path(__file__).resolve().parents[2] / "bench" / "diagrams" / "throughput.bpmn"
# The most each trigger may take. Raising a number needs a reason in the commit that does it.
MOST = {
    # A completion reads no open-task rows (the live workflow carries those its commit left), and
    # on PostgreSQL reads its task in the round trip that locks its case; the audit entry's insert
    # reads the chain's head itself and travels with the COMMIT. The webhooks a step may publish
    # to, and a start's open-case check, are read with the first read (Prepared.prefetch); the
    # server checks the state save's version itself, so the save travels with the COMMIT too; a
    # service call that wrote and sent nothing leaves its savepoint unsent.
    "postgresql": {"start": 2, "complete": 2, "complete with a service call": 2},
    # SQLite has no round trips; its statements are counted (BEGIN IMMEDIATE and COMMIT included).
    # Its audit entry reads the chain's head inside its insert, as on PostgreSQL.
    "sqlite": {"start": 10, "complete": 11, "complete with a service call": 12},
}


# A trigger answered with the instance view: on PostgreSQL its reads go out with the trigger's
# writes and COMMIT, and the view is built once they are back (views.instances.answering).
ANSWERED = {
    "postgresql": {"start": 2, "complete": 2},
    "sqlite": {"start": 14, "complete": 15},
}


class _Counter:
    """Counts what the connections checked out while it is on send to the database."""

    def __init__(self, services: Services) -> None:
        self.engine = services.db.engine
        self.postgres = self.engine.dialect.name == "postgresql"
        self.count = 0
        self.traced: list[Any] = []
        self.trace = tempfile.TemporaryFile("w+")  # noqa: SIM115  (closed on exit)

    def __enter__(self) -> _Counter:
        event.listen(self.engine, "checkout", self._on_checkout)
        return self

    def __exit__(self, *exc: Any) -> None:
        event.remove(self.engine, "checkout", self._on_checkout)
        for dbapi_connection in self.traced:
            if self.postgres:
                dbapi_connection.pgconn.untrace()
            else:
                dbapi_connection.set_trace_callback(None)
        if self.postgres:
            self.trace.seek(0)
            self.count = sum(1 for line in self.trace if _waits(line))
        self.trace.close()

    def _on_checkout(self, dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        self.traced.append(dbapi_connection)
        if self.postgres:
            dbapi_connection.pgconn.trace(self.trace.fileno())
        else:
            dbapi_connection.set_trace_callback(self._statement)

    def _statement(self, _sql: str) -> None:
        self.count += 1


def _waits(line: str) -> bool:
    """Say whether a libpq trace line is a message after which the client waits for the server."""
    fields = line.rstrip("\n").split("\t")
    return len(fields) > 3 and fields[1] == "F" and fields[3] in ("Sync", "Query")


@pytest.fixture
def deployed(services: Services) -> Iterator[Services]:
    deploy(services, DiagramSet([DiagramSource(DIAGRAM.name, DIAGRAM.read_bytes())]), INTEGRATOR)
    yield services


def _counted(services: Services, trigger: Callable[[], Any]) -> tuple[Any, int]:
    with _Counter(services) as counter:
        result = trigger()
    return result, counter.count


def _run(services: Services) -> dict[str, int]:
    """Run one case through and count each trigger."""
    start = lambda: starting.start(  # noqa: E731
        services, "bench_review", {"received_on": "2026-01-05"}, INTEGRATOR, business_key="B-1"
    )
    outcome, started = _counted(services, start)
    task = outcome.wait.ready_tasks[0].task_id
    outcome, first = _counted(services, lambda: tasks.complete(services, task, {"complete": True}, REVIEWER))
    task = outcome.wait.ready_tasks[0].task_id
    form = {"decision": "recommend approval"}
    outcome, second = _counted(services, lambda: tasks.complete(services, task, form, REVIEWER))
    assert outcome.status == "completed"
    return {"start": started, "complete": first, "complete with a service call": second}


def test_an_answered_trigger_reads_its_answer_with_its_commit(deployed: Services) -> None:
    """The API's answer (the instance view) costs no round trip of its own, nor a read at a time."""
    answer = instances.answering(deployed)
    variables = {"received_on": "2026-01-05"}
    for key in ("B-warm", "B-1"):  # the first warms caches
        start = lambda key=key: starting.start(  # noqa: E731
            deployed, "bench_review", variables, INTEGRATOR, business_key=key, answer=answer
        )
        outcome, started = _counted(deployed, start)
        task = outcome.wait.ready_tasks[0].task_id
        complete = lambda task=task: tasks.complete(  # noqa: E731
            deployed, task, {"complete": True}, REVIEWER, answer=answer
        )
        outcome, completed = _counted(deployed, complete)
    assert outcome.answer is not None and outcome.answer["activeTasks"]
    most = ANSWERED[deployed.db.engine.dialect.name]
    assert {"start": started, "complete": completed} == most


def test_a_trigger_takes_no_more_round_trips_than_counted(deployed: Services) -> None:
    _run(deployed)  # the first case warms caches (definitions, prepared statements)
    counts = _run(deployed)
    most = MOST[deployed.db.engine.dialect.name]
    assert counts == {name: min(counts[name], most[name]) for name in most}, (counts, most)


def test_each_trigger_still_commits_its_state_rows_and_audit_together(deployed: Services) -> None:
    counts = _run(deployed)
    with deployed.db.unit_of_work(readonly=True) as uow:
        entries = uow.audit.count()
        verdict = uow.audit.verify()
    assert len(counts) == 3 and entries >= 4  # the deployment and the three triggers
    assert verdict.broken is None and verdict.entries == entries


def test_a_starts_open_case_check_searches_the_partial_unique_index_not_the_process(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        sql = _OPEN_CASE._for(engine.dialect).sql
        with engine.connect() as conn:
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", ("p", "B-1")).all()
    finally:
        engine.dispose()
    assert "USING INDEX uq_process_instances_open_business_key" in str(plan), plan
