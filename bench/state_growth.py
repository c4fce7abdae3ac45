"""State growth on a long case: 100 information-request rounds of ``application_review``.

Each round is what a reviewer and an applicant do: the reviewer completes ``review_application``
asking for information (the ``information_request`` call activity starts, §163.12(c)(1)), and the
applicant's ``information_received`` message ends it, back at the review. The bench prints the
saved state's size after round 1 and after round 100, and the time of each trigger (the
reviewer's completion, the message delivery) early and late, with the ratios, measured in one run.
Target: state and both trigger times at round 100 ÷ round 1 at most 1.5 times.

Trigger times are medians over a window of rounds (rounds 1-5 and 96-100 by default) so one
scheduler hiccup on a shared machine does not decide the ratio; the spread (min-max) is printed.
The early window is a second, new case's rounds 1-5, run interleaved with the long case's rounds
96-100, so both sides of the ratio are measured under the same load at the same time.
Each trigger is timed on the wall clock and on this process's CPU clock (the trigger runs in this
process; the CPU figure is the one other processes' load on a shared machine disturbs least).
By default every trigger restores the case from its saved state (as a second process would:
the in-process cache of live workflows is emptied before each trigger); ``--live`` keeps it.

    .venv/bin/python bench/state_growth.py [--rounds 100] [--window 5] [--live] [--no-compaction]

Database: a temporary SQLite file, removed afterwards. With ``RCP_BENCH_PG_ADMIN_URL`` set (for
example ``postgresql://postgres@127.0.0.1:5432/postgres``) the bench creates a uniquely named
PostgreSQL database through it and drops only that database afterwards; ``test`` is refused.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.actions import messages, tasks
from service.clock import MovableClock
from service.services import Services
from service.store.migrate import upgrade
from service.store.rows import TaskFilter
from tests.program_support import INTAKE, REVIEWER, Case, moment, program_services

TRIGGERS = ("completion", "delivery")
CLOCKS = ("wall", "cpu")
REVIEW = {
    "review_showing": {k: "shown" for k in ("i", "ii", "iii", "iv", "v", "vi")},
    "review_in_compliance": "yes",
    "review_business": "Mid-size importer of machine parts, about 400 entries a year.",
    "review_next_step": "request_information",
    "information_needed": "One more entry summary.",
}


def application(number: str) -> dict[str, Any]:
    """Return an application for certification (§163.12(a)) numbered ``number``."""
    return {
        "application_number": number,
        "received_on": "2026-01-05",
        "applicant": {
            "importer_number": f"IOR-{number}",
            "name": "Harbor Imports LLC",
            "email": "compliance@harbor.example",
            "address": "1 Pier Road\nBaltimore, MD 21230",
        },
        "recordkeeper_class": "importer_of_record",
        "showing": {"i": "Records manual", "iv": "J. Doe, compliance manager"},
        "business": {"size": "120 employees", "nature": "machine parts", "annual_entries": 400},
        "alternative_program": None,
    }


@contextmanager
def database() -> Iterator[str]:
    """Yield a migrated database of the bench's own: temporary SQLite, or PostgreSQL when asked."""
    admin = os.environ.get("RCP_BENCH_PG_ADMIN_URL")
    if not admin:
        with tempfile.TemporaryDirectory(prefix="rcp-state-growth-") as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            upgrade(url)
            yield url
        return
    if make_url(admin).database == "test":
        raise SystemExit("the bench never uses the test suite's database 'test'")
    name = f"rcp_state_growth_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        try:
            url = make_url(admin).set(database=name).render_as_string(hide_password=False)
            upgrade(url)
            yield url
        finally:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Rounds:
    """Drive one case's information rounds, timing each trigger."""

    def __init__(self, services: Services, clock: MovableClock, number: str, live: bool) -> None:
        self.services = services
        self.number = number
        self.live = live
        self.case = Case.start(services, clock, "application_review", application(number), number)
        # Seconds per trigger, by trigger and by clock (wall, and this process's CPU).
        self.times: dict[tuple[str, str], list[float]] = {(t, c): [] for t in TRIGGERS for c in CLOCKS}

    def one(self) -> None:
        """Ask for information and receive it: one round, two triggers."""
        [task] = self._review_tasks()
        self._timed("completion", lambda: tasks.complete(self.services, task, REVIEW, REVIEWER))
        self._timed(
            "delivery",
            lambda: messages.deliver(
                self.services,
                "information_received",
                INTAKE,
                correlation_keys={"application_number": self.number},
                variables={"documents": ["entry-summary.pdf"]},
            ),
        )

    def _timed(self, trigger: str, run: Callable[[], object]) -> None:
        if not self.live:
            self.services.live.forget(self.case.id)
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        self.times[trigger, "wall"].append(time.perf_counter() - wall)
        self.times[trigger, "cpu"].append(time.process_time() - cpu)

    def _review_tasks(self) -> list[str]:
        with self.services.db.unit_of_work(readonly=True) as uow:
            found = uow.tasks.list(TaskFilter(instance_id=self.case.id))
        return [t.id for t in found if t.name == "review_application"]

    def state_bytes(self) -> int:
        """Return the size of the case's saved state."""
        with self.services.db.unit_of_work(readonly=True) as uow:
            row = uow.instances.get(self.case.id)
            assert row is not None
            return len(row.state.encode())


def _window(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"{statistics.median(ms):7.2f} ms (min {min(ms):.2f}, max {max(ms):.2f})"


def _ratio(late: list[float], early: list[float]) -> float:
    return statistics.median(late) / statistics.median(early)


def _measure(services: Services, clock: MovableClock, rounds: int, window: int, live: bool) -> Measured:
    """Run a long case to ``rounds``; time its last rounds beside a new case's first ones."""
    warm = Rounds(services, clock, "A-2026-000", live)
    for _ in range(3):  # parse, compile and connection caches settle before measuring
        warm.one()
    long = Rounds(services, clock, "A-2026-001", live)
    long.one()
    first_state = long.state_bytes()
    for _ in range(2, rounds - window + 1):
        long.one()
    fresh = Rounds(services, clock, "A-2026-002", live)
    # Interleaved, so the machine's load at the time weighs on both sides of the ratio alike.
    for _ in range(window):
        fresh.one()
        long.one()
    return Measured(first_state, long.state_bytes(), fresh, long)


@dataclass
class Measured:
    """State sizes of the long case, and the two cases whose trigger times were measured."""

    first_state: int
    last_state: int
    early: Rounds
    late: Rounds


def run(rounds: int, window: int, live: bool, compaction: bool) -> dict[str, float]:
    """Run the bench; print and return the ratios (round ``rounds`` ÷ round 1)."""
    with database() as url, tempfile.TemporaryDirectory(prefix="rcp-state-growth-files-") as tmp:
        clock = MovableClock(moment("2026-01-05"))
        services = program_services(url, Path(tmp), clock)
        services.engine.compact = compaction
        try:
            m = _measure(services, clock, rounds, window, live)
        finally:
            services.close()
    late = slice(rounds - window, rounds)
    where = "PostgreSQL" if os.environ.get("RCP_BENCH_PG_ADMIN_URL") else "SQLite"
    print(f"{where}, compaction {'on' if compaction else 'off'}, {'live cache' if live else 'restored'}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"state bytes      round 1: {m.first_state:>9,}   round {rounds}: {m.last_state:>9,}")
    ratios = {"state": m.last_state / m.first_state}
    for trigger in TRIGGERS:
        for clock_name in CLOCKS:
            early, later = m.early.times[trigger, clock_name], m.late.times[trigger, clock_name][late]
            print(f"{trigger:<10} {clock_name:<4} rounds 1-{window}: {_window(early)}")
            print(f"{'':<15} rounds {rounds - window + 1}-{rounds}: {_window(later)}")
            ratios[f"{trigger} {clock_name}"] = _ratio(later, early)
    verdict = "met" if max(ratios.values()) <= 1.5 else "NOT met"
    shown = ", ".join(f"{name} {value:.2f}x" for name, value in ratios.items())
    print(f"round {rounds} ÷ round 1: {shown} (target <= 1.5x: {verdict})")
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--window", type=int, default=5, help="rounds whose trigger times make a median")
    parser.add_argument("--live", action="store_true", help="keep live workflows cached between triggers")
    parser.add_argument("--no-compaction", action="store_true", help="save full states (the old way)")
    args = parser.parse_args()
    run(args.rounds, min(args.window, args.rounds), args.live, not args.no_compaction)


if __name__ == "__main__":
    main()
