"""Persisted runs per second through the service layer vs SpiffWorkflow alone in memory.

One run = start an instance, complete its two user tasks, reach the end. The same diagram and
steps are measured: (1) SpiffWorkflow alone in memory (stock PythonScriptEngine with a minimal
service call), (2) the service layer on SQLite (file, WAL), (3) on PostgreSQL when it answers.
Each persisted step is one full transaction: load + lock, restore state, run, save state and
derived rows and audit, commit. Also measured, as a bound: (4) the in-memory run plus, after
each trigger, the state dump and one bare UPDATE + COMMIT of it on SQLite (no lock read, no
derived rows, no audit): no design that saves the whole state on every trigger runs faster. When
PostgreSQL answers, the same bound on it: each dump written by one UPDATE in autocommit (one round
trip, one COMMIT), into a table of its own that is dropped afterwards. Prints rates and the ratios
measured in this one run.

    .venv/bin/python bench/engine_throughput.py [--runs 300] [--repeat 5] [--history 0]

``--history N`` runs N cases through each service database, untimed, before each round: the
triggers then meet a long audit chain, many finished cases and their rows, as a database in use
does (an empty one hides costs that grow with the tables).

Databases (``bench/scratch.py``): ``RCP_BENCH_DATABASE_URL`` when set (SQLite or PostgreSQL, used
as it is, never dropped); otherwise a temporary SQLite file per round and a uniquely named
PostgreSQL database made through ``RCP_BENCH_PG_ADMIN_URL`` (default the ``postgres`` maintenance
database) and dropped at the end. Targets (issue 16): persisted / in-memory >= 0.4 on SQLite and
>= 0.25 on PostgreSQL.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.spiff.parser import SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import make_url

from service.actions import starting, tasks
from service.actions.deployment import DiagramSet, deploy
from service.bootstrap import bootstrap
from service.clock import MovableClock
from service.config import Settings
from service.engine.functions import add_days
from service.engine.serializer import dump_state
from service.engine.values import DiagramSource
from tests.support import INTEGRATOR, REVIEWER, Switchboard, test_registry

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scratch  # bench/scratch.py: the databases benches may use

DIAGRAM = Path(__file__).parent / "diagrams" / "throughput.bpmn"
START_VARS = {"received_on": "2026-01-05"}
FORMS: list[dict[str, Any]] = [{"complete": True}, {"decision": "recommend approval"}]


class _PlainEngine(PythonScriptEngine):
    def call_service(self, task: Any, **kwargs: Any) -> str:
        params = {k: v["value"] for k, v in kwargs["operation_params"].items()}
        return json.dumps({"echo": params["text"]})


def in_memory(runs: int, save: Any = None) -> float:
    """Run SpiffWorkflow alone; ``save(run, workflow)``, when given, follows every trigger."""
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(DIAGRAM))
    spec, subs = parser.get_spec("bench_review"), parser.get_subprocess_specs("bench_review")
    engine = _PlainEngine(environment=TaskDataEnvironment({"add_days": add_days}))
    began = time.perf_counter()
    for run in range(runs):
        workflow = BpmnWorkflow(spec, subs, script_engine=engine)
        workflow.get_next_task(state=TaskState.READY).data.update(START_VARS)
        workflow.do_engine_steps()
        if save:
            save(run, workflow)
        for form in FORMS:
            [task] = workflow.get_tasks(state=TaskState.READY, manual=True)
            task.data.update(form)
            task.run()
            workflow.do_engine_steps()
            if save:
                save(run, workflow)
        assert workflow.is_completed()
    return runs / (time.perf_counter() - began)


def floor_writer(path: Path, runs: int) -> tuple[sqlite3.Connection, Any]:
    """Open the floor's SQLite file; return it and the save that dumps and writes a state."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE states (id INTEGER PRIMARY KEY, state TEXT NOT NULL)")
    db.executemany("INSERT INTO states VALUES (?, '')", [(run,) for run in range(runs)])

    def save(run: int, workflow: Any) -> None:
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE states SET state = ? WHERE id = ?", (dump_state(workflow), run))
        db.execute("COMMIT")

    return db, save


def pg_floor_writer(url: str, runs: int) -> tuple[Any, Any]:
    """Make the PostgreSQL floor's table; return its close (which drops it) and its save."""
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = psycopg.connect(libpq, autocommit=True)
    table = f"rcp_bench_floor_{uuid.uuid4().hex[:8]}"  # the bench's own; dropped by close
    conn.execute(f"CREATE TABLE {table} (id integer PRIMARY KEY, state text NOT NULL)")
    with contextlib.suppress(psycopg.Error):  # as migration 0020 stores states, where the server can
        conn.execute(f"ALTER TABLE {table} ALTER COLUMN state SET COMPRESSION lz4")
    conn.execute(f"INSERT INTO {table} SELECT g, '' FROM generate_series(0, {runs - 1}) AS g")
    update = f"UPDATE {table} SET state = %s WHERE id = %s"

    def save(run: int, workflow: Any) -> None:
        conn.execute(update, (dump_state(workflow), run), prepare=True)  # one round trip and COMMIT

    def close() -> None:
        conn.execute(f"DROP TABLE {table}")
        conn.close()

    return close, save


def open_service(url: str, folder: Path, history: int = 0) -> Any:
    """Bootstrap the service on ``url``, deploy the diagram, run ``history`` cases, warm caches."""
    clock = MovableClock(datetime(2026, 1, 5, 9, tzinfo=UTC))
    settings = Settings(database_url=url, secret_key="bench", instance_dir=folder, runner="off")
    services = bootstrap(settings, clock=clock, registry=test_registry(Switchboard()))
    deploy(services, DiagramSet([DiagramSource(DIAGRAM.name, DIAGRAM.read_bytes())]), INTEGRATOR)
    for _ in range(history + 1):
        one_run(services)
    return services


def timed_runs(services: Any, runs: int) -> float:
    """Return the seconds ``runs`` persisted runs take."""
    began = time.perf_counter()
    for _ in range(runs):
        one_run(services)
    return time.perf_counter() - began


def one_run(services: Any) -> None:
    outcome = starting.start(services, "bench_review", START_VARS, INTEGRATOR, business_key="B-1")
    for form in FORMS:
        task_id = outcome.wait.ready_tasks[0].task_id
        outcome = tasks.complete(services, task_id, form, REVIEWER)
    assert outcome.status == "completed", outcome


TARGETS = {"sqlite": 0.4, "postgres": 0.25}


CHUNK = 10  # runs of one kind before the next kind's turn


def measure_round(
    i: int, folder: Path, runs: int, urls: dict[str, str | None], history: int = 0
) -> dict[str, float]:
    """Measure every kind in turns of CHUNK runs; return each kind's runs per second.

    Taking turns, every kind meets the same machine: a neighbour's load that comes or goes during
    the round slows all kinds alike instead of whichever ran at the time.
    """
    sqlite = urls["sqlite"] or f"sqlite:///{folder / f'bench{i}.db'}"
    services = {"sqlite": open_service(sqlite, folder, history)}
    if urls["postgres"]:
        services["postgres"] = open_service(urls["postgres"], folder, history)
    db, save = floor_writer(folder / f"floor{i}.db", CHUNK)
    pg_close, pg_save = pg_floor_writer(urls["postgres"], CHUNK) if urls["postgres"] else (None, None)
    spent = dict.fromkeys(["memory", "floor", *(["pg_floor"] if pg_save else []), *services], 0.0)
    try:
        for done in range(0, runs, CHUNK):
            n = min(CHUNK, runs - done)
            spent["memory"] += n / in_memory(n)
            spent["floor"] += n / in_memory(n, save)
            if pg_save:
                spent["pg_floor"] += n / in_memory(n, pg_save)
            for kind, service in services.items():
                spent[kind] += timed_runs(service, n)
    finally:
        db.close()
        if pg_close:
            pg_close()
        for service in services.values():
            service.close()
    return {kind: runs / seconds for kind, seconds in spent.items()}


def databases(stack: ExitStack) -> dict[str, str | None]:
    """Pick the databases: the environment's for its kind, else temporary ones (None: per round)."""
    given = scratch.environment_url()
    if given is not None and not given.startswith("sqlite"):
        return {"sqlite": None, "postgres": given}
    pg = stack.enter_context(scratch.temporary_postgres()) if scratch.postgres_reachable() else None
    return {"sqlite": given, "postgres": pg}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5, help="rounds of measurements; report the medians")
    parser.add_argument("--history", type=int, default=0, help="cases run untimed before each round")
    args = parser.parse_args()
    # Each ratio is taken within its round, whose kinds take turns (measure_round), so a machine
    # that speeds up or slows down during the run moves both sides of a ratio.
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        urls = databases(stack)
        rounds = [measure_round(i, Path(tmp), args.runs, urls, args.history) for i in range(args.repeat)]
    report(rounds, args, urls, load_before)


def report(rounds: list[dict[str, float]], args: Any, urls: dict[str, str | None], load: Any) -> None:
    """Print the medians, each ratio's spread over the rounds, the targets and the load average."""

    def rate(kind: str) -> str:
        rates = [r[kind] for r in rounds]
        return f"{statistics.median(rates):8.1f} runs/s (rounds {min(rates):.1f}-{max(rates):.1f})"

    def ratio(kind: str) -> str:
        ratios = [r[kind] / r["memory"] for r in rounds]
        target = f", target >= {TARGETS[kind]:.2f}" if kind in TARGETS else ""
        return f"ratio {statistics.median(ratios):.2f} (rounds {min(ratios):.2f}-{max(ratios):.2f}{target})"

    print(f"runs per measurement: {args.runs} (start + 2 user tasks + end)")
    print(f"cases run before each round (history): {args.history}")
    print(f"rounds: {args.repeat}, kinds taking turns of {CHUNK} runs; medians of the rates, and of the")
    print("ratios within each round (spread: the rounds' lowest and highest)")
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; after: ", end="")
    print(" ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"SpiffWorkflow in memory : {rate('memory')}")
    print("+ whole-state dump and one bare UPDATE + COMMIT per trigger (no lock, rows or audit):")
    print(f"  SQLite                : {rate('floor')}  {ratio('floor')}")
    if "pg_floor" in rounds[0]:
        print(f"  Postgres (autocommit) : {rate('pg_floor')}  {ratio('pg_floor')}")
    for kind, label in (("sqlite", "SQLite  "), ("postgres", "Postgres")):
        if kind in rounds[0]:
            print(f"service layer, {label} : {rate(kind)}  {ratio(kind)}")
        else:
            print(f"service layer, {label} : not measured (no database for it)")


if __name__ == "__main__":
    main()
