"""Inbox and case-list latency with 10,000 and 100,000 cases (3 task rows each), SQLite and PostgreSQL.

Measures server time (the Flask request handled in-process: service call, queries, template) of
  * the group-queue first page of a reviewer (one lane) and of a user with two lanes,
  * a business-key search (an exact key, and a prefix that matches ten cases),
  * the case list (issue 13; 40% of the cases closed): its first page for a supervisor and for a
    reviewer, a search by applicant name, by case number, the closed cases, a sort by applicant,
and prints p50/p95 per database and size, and the growth from 10,000 to 100,000 cases.
Target (issues 7 and 13): p95 <= 50 ms on both databases, growing no more than 1.5x.

Rows are inserted straight through the store's tables (no engine run per case), then the
databases are analysed as their maintenance would. Usage:

    .venv/bin/python bench/inbox_latency.py [--sizes 10000,100000] [--runs 200] [--no-postgres]
    RCP_BENCH_PG=postgresql://postgres@127.0.0.1:5432/postgres   (admin URL; a scratch database is made)
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.case_fill import fill_cases
from bench.inbox_fill import NOW, TASKS_PER_CASE, analyse, fill
from service import create_app
from service.bootstrap import bootstrap
from service.clock import MovableClock
from service.config import Settings
from service.identity import users
from service.identity.actors import SYSTEM
from service.services import Services
from service.store.rows import InboxSlice

PASSWORD = "bench-password-long"


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@contextmanager
def database(kind: str, admin_url: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="rcp-bench-") as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    name = f"rcp_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield admin_url.rsplit("/", 1)[0] + f"/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# What is measured: a name and the page a signed-in user asks for (case count, request number).
MEASURES: dict[str, tuple[str, Callable[[int, random.Random], str]]] = {
    "group queue, 1st page (1 lane)": ("rita", lambda n, rng: "/inbox?view=queue"),
    "group queue, 1st page (2 lanes)": ("bo", lambda n, rng: "/inbox?view=queue"),
    "group queue, 1st page (1% lane)": ("hal", lambda n, rng: "/inbox?view=queue"),
    "business-key search (exact)": (
        "rita",
        lambda n, rng: f"/inbox?view=queue&q=RCP-2026-{rng.randrange(n):06d}",
    ),
    "business-key search (10 cases)": (
        "rita",
        lambda n, rng: f"/inbox?view=queue&q=RCP-2026-{rng.randrange(n // 10):05d}",
    ),
    "case list, 1st page (supervisor)": ("sam", lambda n, rng: "/cases"),
    "case list, 1st page (1 lane)": ("rita", lambda n, rng: "/cases"),
    "case search, applicant name": ("sam", lambda n, rng: f"/cases?q=importer+{rng.randrange(n)}+llc"),
    "case search, applicant (1 lane)": ("rita", lambda n, rng: f"/cases?q=Importer+{rng.randrange(n)}"),
    "case search, case number": ("rita", lambda n, rng: f"/cases?q=rcp-2026-{rng.randrange(n):06d}"),
    "case list, closed cases": ("sam", lambda n, rng: "/cases?status=completed"),
    "case list, sorted by applicant": ("sam", lambda n, rng: "/cases?sort=applicant"),
}
PEOPLE = {
    "rita": ["reviewers"],
    "bo": ["reviewers", "field_auditors"],
    "hal": ["hq_regulatory_audit"],
    "sam": ["supervisors"],
}


@dataclass
class Prepared:
    services: Services
    clients: dict[str, Any]
    cases: int


def prepare(kind: str, url: str, cases: int, tmp: Path) -> Prepared:
    settings = Settings(
        database_url=url, secret_key="bench", instance_dir=tmp, runner="off", demo_users=False
    )
    services = bootstrap(settings, clock=MovableClock(NOW))
    started = time.perf_counter()
    fill(services, cases)
    fill_cases(services)
    analyse(services)
    took = time.perf_counter() - started
    print(f"  {kind} {cases:,} cases / {cases * TASKS_PER_CASE:,} task rows stored in {took:.0f} s")
    app = create_app(services=services)
    clients = {}
    for name, groups in PEOPLE.items():
        users.create(services, name, PASSWORD, groups, by=SYSTEM)
        client = app.test_client()
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token is not None
        client.post("/login", data={"csrf_token": token.group(1), "username": name, "password": PASSWORD})
        clients[name] = client
    with services.db.unit_of_work(readonly=True) as uow:
        plan = uow.inbox.explain(InboxSlice(lanes=["reviewers"], unassigned=True), 25, 0)
    print("    queue plan: " + " | ".join(line.strip() for line in plan.splitlines()[:3]))
    return Prepared(services, clients, cases)


def measure(
    prepared: list[Prepared], who: str, path: Callable[[int, random.Random], str], runs: int
) -> list[tuple[float, float]]:
    """Time requests alternately on each database size, so machine load hits every size alike."""
    rng = random.Random(11)
    samples: list[list[float]] = [[] for _ in prepared]
    for i in range(runs + max(10, runs // 10)):
        for k, p in enumerate(prepared):
            url = path(p.cases, rng)
            started = time.perf_counter()
            response = p.clients[who].get(url)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if i >= max(10, runs // 10):  # the first rounds warm caches up
                samples[k].append(elapsed)
    return [(statistics.median(s), percentile(s, 95)) for s in samples]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    admin = os.environ.get("RCP_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    kinds = ["sqlite"] + ([] if args.no_postgres else ["postgresql"])
    table: dict[tuple[str, int], dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="rcp-bench-instance-") as tmp:
        for kind in kinds:
            with ExitStack() as stack:
                prepared = [
                    prepare(kind, stack.enter_context(database(kind, admin)), n, Path(tmp)) for n in sizes
                ]
                for p in prepared:
                    stack.callback(p.services.close)
                for name, (who, path) in MEASURES.items():
                    for n, result in zip(sizes, measure(prepared, who, path, args.runs), strict=True):
                        table.setdefault((kind, n), {})[name] = result
    print(f"\nServer time per request, ms ({args.runs} requests each; target p95 <= 50 ms, growth <= 1.5x)")
    print(f"{'database':<11}{'cases':>9}  {'measure':<34}{'p50':>8}{'p95':>8}")
    for (kind, cases), results in table.items():
        for name, (p50, p95) in results.items():
            print(f"{kind:<11}{cases:>9,}  {name:<34}{p50:>8.1f}{p95:>8.1f}")
    failed = False
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print(f"\nGrowth of p95 from {small:,} to {large:,} cases")
        for kind in kinds:
            for name in table[(kind, small)]:
                ratio = table[(kind, large)][name][1] / table[(kind, small)][name][1]
                over = table[(kind, large)][name][1] > 50 or ratio > 1.5
                failed |= over
                print(f"{kind:<11}{name:<34}{ratio:>6.2f}x{'  OVER TARGET' if over else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
