"""Timer lateness on PostgreSQL with Celery workers: how late timers fire, and how fast.

10,000 instances each wait on one timer (``timeDate`` from a start variable), on real wall-clock
time: the instances are started first, with due times far enough ahead that every one is waiting
before the first comes due; then ``rcp worker`` processes (each with its scheduler) fire them.

Two schedules:
- burst: every timer due at the same moment; the firing rate is the capacity (timers/s); lateness
  here is queueing (the last timer waits for the others), so it is reported, not judged.
- paced: timers due one after another at ``--rate`` per second (at or below capacity); lateness
  (fire time - due time) p50/p99 is the service's precision. Target: p99 <= 1 s at >= 500/s.

Fire time is when the worker saved the fired instance (``deadline_history.closed_at``).

    .venv/bin/python bench/timer_lateness.py [--timers 10000] [--workers 2] [--rate 500]

Database (``bench/scratch.py``): ``RCP_BENCH_DATABASE_URL`` when it names a PostgreSQL database
(used as it is, never dropped: it must be empty, one schedule a run, e.g.
``--schedules paced``), else a uniquely named one made through ``RCP_BENCH_PG_ADMIN_URL``
(default the ``postgres`` maintenance database) and dropped afterwards.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.actions import starting
from service.actions.deployment import deploy
from service.clock import SystemClock
from service.services import Services
from service.store.migrate import upgrade
from tests.scaleout import Cluster, redis_reachable
from tests.support import INTEGRATOR, Switchboard, make_services, processes

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scratch  # bench/scratch.py: the databases benches may use

SEED_RATE_FLOOR = 150  # instances/s we count on when choosing how far ahead the first timer is due


def seed(url: str, due: list[datetime], processes_n: int = 2) -> float:
    """Start one waiting instance per due time (in parallel processes); return the seconds it took."""
    began = time.perf_counter()
    chunks = [(url, i, due[i::processes_n], processes_n) for i in range(processes_n)]
    with multiprocessing.get_context("spawn").Pool(processes_n) as pool:
        pool.starmap(_seed_part, chunks)
    return time.perf_counter() - began


def _seed_part(url: str, offset: int, due: list[datetime], step: int) -> None:
    with tempfile.TemporaryDirectory(prefix="rcp-seed-") as tmp:
        services = make_services(url, Path(tmp), SystemClock(), Switchboard())
        try:
            for k, at in enumerate(due):
                variables = {"fire_at": at.isoformat()}
                key = f"B-{offset + k * step}"
                starting.start(services, "timer_only", variables, INTEGRATOR, business_key=key)
        finally:
            services.close()


def fired(services: Services) -> tuple[int, int]:
    with services.db.unit_of_work(readonly=True) as uow:
        total, distinct = uow.conn.execute(
            text("SELECT count(*), count(DISTINCT instance_id) FROM audit_log WHERE action = 'timer'")
        ).one()
    return int(total), int(distinct)


def lateness(services: Services) -> tuple[list[float], datetime, datetime]:
    with services.db.unit_of_work(readonly=True) as uow:
        query = "SELECT due_at, closed_at FROM deadline_history WHERE kind = 'timer'"
        rows = uow.conn.execute(text(query)).all()
    late = sorted((closed - due).total_seconds() for due, closed in rows)
    return late, min(r[1] for r in rows), max(r[1] for r in rows)


def percentile(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


@contextmanager
def scratch_folder() -> Iterator[Path]:
    """Yield a temporary folder for worker logs and the instance folder, removed afterwards."""
    logs = Path(tempfile.mkdtemp(prefix="rcp-bench-"))
    try:
        yield logs
    finally:
        shutil.rmtree(logs, ignore_errors=True)


def seed_before_due(url: str, schedule: str, n: int, rate: float) -> tuple[datetime, list[datetime]]:
    """Start n waiting instances due on the schedule; return the first due time and all of them."""
    first = datetime.now(UTC) + timedelta(seconds=5 + n / SEED_RATE_FLOOR)
    step = timedelta(seconds=1 / rate) if schedule == "paced" else timedelta(0)
    due = [first + i * step for i in range(n)]
    took = seed(url, due)
    if datetime.now(UTC) >= first:
        raise SystemExit(f"seeding took {took:.1f} s: the first timer came due before all were waiting")
    print(
        f"  {schedule}: {n} instances waiting ({n / took:.0f} started/s); first due in "
        f"{(first - datetime.now(UTC)).total_seconds():.1f} s",
        flush=True,
    )
    return first, due


def wait_until_fired(services: Services, n: int, last_due: datetime) -> None:
    """Wait until n timers fired (or two minutes past the last due time), then a little longer."""
    ends = last_due + timedelta(seconds=120)
    while fired(services)[0] < n and datetime.now(UTC) < ends:
        time.sleep(0.5)
    time.sleep(2)  # a duplicate firing would land now


def results(services: Services, n: int, first: datetime) -> dict[str, float]:
    """Count the firings and timers left, and summarise lateness and rate."""
    total, distinct = fired(services)
    late, first_fire, last_fire = lateness(services)
    with services.db.unit_of_work(readonly=True) as uow:
        left = uow.conn.execute(text("SELECT count(*) FROM pending_timers")).scalar()
    return {
        "fired": total,
        "distinct": distinct,
        "left": float(left or 0),
        "p50": statistics.median(late),
        "p99": percentile(late, 99),
        "max": late[-1],
        "rate": n / max((last_fire - first).total_seconds(), 1e-9),
        "span": (last_fire - first_fire).total_seconds(),
    }


def run(schedule: str, n: int, workers: int, concurrency: int, rate: float) -> dict[str, float]:
    """Fire n timers on a fresh database with the given workers and return the measures."""
    with scratch_folder() as logs, scratch.postgres_database() as url:
        cluster = Cluster(url, logs)
        services = None
        try:
            upgrade(url)
            services = make_services(url, logs, SystemClock(), Switchboard())
            deploy(services, processes(), INTEGRATOR)
            for _ in range(workers):
                cluster.start_worker(concurrency)
            cluster.wait_ready(workers)
            first, due = seed_before_due(url, schedule, n, rate)
            wait_until_fired(services, n, due[-1])
            return results(services, n, first)
        finally:
            cluster.stop()
            if services is not None:
                services.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--timers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=1, help="pool processes per worker")
    parser.add_argument("--rate", type=float, default=500.0, help="timers due per second (paced)")
    parser.add_argument("--schedules", default="burst,paced")
    args = parser.parse_args()
    if scratch.environment_url() and "," in args.schedules:
        raise SystemExit("RCP_BENCH_DATABASE_URL holds one schedule's timers: pass one --schedules")
    why = redis_reachable()
    if why:
        raise SystemExit(f"Redis is not reachable: {why}")
    print(
        f"{args.timers} timers, {args.workers} workers x {args.concurrency} processes, PostgreSQL + Redis",
        flush=True,
    )
    for schedule in args.schedules.split(","):
        r = run(schedule, args.timers, args.workers, args.concurrency, args.rate)
        ok = r["fired"] == r["distinct"] == args.timers and r["left"] == 0
        print(
            f"  {schedule}: fired {r['fired']:.0f} ({r['distinct']:.0f} distinct, {r['left']:.0f} left)"
            f" exactly once: {'yes' if ok else 'NO'}"
        )
        print(
            f"  {schedule}: lateness p50 {r['p50'] * 1000:.0f} ms, p99 {r['p99'] * 1000:.0f} ms,"
            f" max {r['max'] * 1000:.0f} ms; {r['rate']:.0f} timers/s from the first due time"
        )
        if schedule == "burst":
            print(f"  burst: capacity {r['rate']:.0f} timers/s = {r['rate'] / 500:.2f} x the 500/s target")
        else:
            print(f"  paced at {args.rate:.0f}/s: p99 {r['p99']:.3f} s = {r['p99']:.2f} x the 1 s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
