"""Real ``rcp worker`` processes on this machine's Redis and PostgreSQL (tests and bench).

Each cluster uses its own Redis key prefix and queue name and deletes its keys when it stops, so
it never touches another test's or another engineer's data on the shared Redis.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
RCP = ROOT / ".venv" / "bin" / "rcp"
TEST_REDIS = os.environ.get("RCP_TEST_REDIS", "redis://127.0.0.1:6379/11")


def redis_reachable(url: str = TEST_REDIS) -> str | None:
    """Return why Redis does not answer, or None when it does."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return str(exc)
    return None


class Cluster:
    """Workers (each with its scheduler beside it) sharing one database, queue and key prefix."""

    def __init__(self, database_url: str, logs: Path, redis_url: str = TEST_REDIS) -> None:
        tag = f"{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.prefix = f"rcp-jobs-test-{tag}:"
        self.queue = f"rcp-test-{tag}"
        self.redis_url = redis_url
        self.logs = logs
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "RCP_REDIS_PREFIX": self.prefix,
            "RCP_CELERY_QUEUE": self.queue,
            "SECRET_KEY": "test-secret",
            "RCP_INSTANCE_DIR": str(logs),
        }
        self.workers: list[subprocess.Popen[bytes]] = []

    def start_worker(self, concurrency: int = 2) -> subprocess.Popen[bytes]:
        """Start ``rcp worker`` in its own process group (so a kill takes all of it)."""
        command = [str(RCP), "worker", "--concurrency", str(concurrency), "--loglevel", "WARNING"]
        with (self.logs / f"worker-{len(self.workers)}.log").open("wb") as log:
            worker = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.workers.append(worker)
        return worker

    def wait_ready(self, count: int, timeout: float = 60) -> None:
        """Wait until ``count`` workers answer a ping (their pools are up and consuming)."""
        from service.config import Settings
        from service.jobs.celery_app import create_celery

        settings = Settings(
            database_url=self.env["DATABASE_URL"],
            secret_key="test-secret",
            redis_url=self.redis_url,
            redis_prefix=self.prefix,
            celery_queue=self.queue,
        )
        app = create_celery(settings)
        ends = time.monotonic() + timeout
        while len(app.control.ping(timeout=0.5)) < count:
            if time.monotonic() > ends:
                raise TimeoutError(f"fewer than {count} workers answered; logs:\n{self.log_text()}")
        app.close()

    def group_pids(self, worker: subprocess.Popen[bytes]) -> set[int]:
        """Return the pids of the worker's process group now (its pool processes and scheduler)."""
        pids = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                # The command may hold spaces and parentheses: fields count from the last ")".
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended while we looked
            if int(fields[2]) == worker.pid:
                pids.add(int(stat.parent.name))
        return pids

    def kill(self, worker: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to the worker's whole process group (pool processes and scheduler too)."""
        try:
            os.killpg(worker.pid, sig)
        except ProcessLookupError:
            return
        worker.wait(timeout=30)
        _wait_group_gone(worker.pid)

    def stop(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                self.kill(worker, signal.SIGTERM)
        for worker in self.workers:
            _wait_group_gone(worker.pid, force=True)
        self.clean_redis()

    def clean_redis(self) -> None:
        client = redis.Redis.from_url(self.redis_url)
        keys = list(client.scan_iter(match=f"{self.prefix}*", count=500))
        if keys:
            client.delete(*keys)

    def log_text(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.logs.glob("worker-*.log")))


def _wait_group_gone(pgid: int, *, force: bool = False, timeout: float = 20) -> None:
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    if force:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            return
    else:
        print(f"process group {pgid} still alive", file=sys.stderr)
