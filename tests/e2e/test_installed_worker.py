"""As an operator scaling out: install the wheel with ``[scale]`` (not the dev extras) in a fresh
venv outside the checkout, ``rcp migrate`` a new PostgreSQL database, start ``rcp scheduler`` and
``rcp worker`` from that venv, and see a case's timer fire through the worker.

The dev extras bring in modules Celery's Redis transport needs (``packaging``), so only an install
like this one shows whether ``[scale]`` is enough.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
import redis

from service.actions import starting
from service.actions.deployment import deploy
from service.clock import SystemClock
from service.services import Services
from service.views import instances
from tests.conftest import PG_ADMIN, service_missing
from tests.e2e.installed_support import clean_env, install, run
from tests.scaleout import TEST_REDIS, redis_reachable
from tests.support import INTEGRATOR, Switchboard, make_services, processes

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

SERVER = PG_ADMIN.rsplit("/", 1)[0]


@pytest.fixture
def scratch_url() -> Iterator[str]:
    """A new PostgreSQL database for this test alone, dropped afterwards."""
    try:
        admin = psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        service_missing("PostgreSQL", str(exc).strip())
    name = f"rcp_worker_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{SERVER}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def scale_env(scratch_url: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The installation's settings: the scratch database, Redis under a key prefix and queue of its own."""
    why = redis_reachable()
    if why is not None:
        service_missing("Redis", why)
    tag = f"{os.getpid()}-{uuid.uuid4().hex[:6]}"
    prefix = f"rcp-installed-worker-{tag}:"
    instance = tmp_path / "instance"
    instance.mkdir()
    yield clean_env() | {
        "DATABASE_URL": scratch_url,
        "REDIS_URL": TEST_REDIS,
        "RCP_REDIS_PREFIX": prefix,
        "RCP_CELERY_QUEUE": f"rcp-installed-worker-{tag}",
        "SECRET_KEY": "installed-worker-test",
        "RCP_INSTANCE_DIR": str(instance),
    }
    client = redis.Redis.from_url(TEST_REDIS)
    keys = list(client.scan_iter(match=f"{prefix}*", count=500))
    if keys:
        client.delete(*keys)


def _start(command: list[str], env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    """Start a process in its own group (so stopping it takes its pool and children too)."""
    with log.open("wb") as out:
        return subprocess.Popen(
            command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _wait_completed(services: Services, instance_id: str, processes_: list[subprocess.Popen[bytes]]) -> str:
    """Wait until the case has moved past its timer; return its status."""
    ends = time.monotonic() + 120
    while time.monotonic() < ends:
        assert all(p.poll() is None for p in processes_), "the scheduler or the worker exited"
        status: str = instances.instance(services, instance_id)["status"]
        if status != "waiting":
            return status
        time.sleep(0.5)
    return "still waiting after 120 s"


@pytest.fixture
def wall_services(scale_env: dict[str, str], tmp_path: Path) -> Iterator[Services]:
    """The checkout's services on the installation's database (to deploy and start a case)."""
    built = make_services(scale_env["DATABASE_URL"], tmp_path / "checkout", SystemClock(), Switchboard())
    yield built
    built.close()


def test_a_scale_install_fires_a_timer_through_its_worker(
    tmp_path: Path, scale_env: dict[str, str], request: pytest.FixtureRequest
) -> None:
    venv = install(tmp_path, extras="scale")
    rcp = str(venv / "bin" / "rcp")
    work = tmp_path / "operator"
    work.mkdir()
    run([rcp, "migrate"], cwd=work, env=scale_env, timeout=120)  # the wheel's own migrations
    services: Services = request.getfixturevalue("wall_services")
    deploy(services, processes(), INTEGRATOR)
    fire_at = datetime.now(UTC) + timedelta(seconds=5)
    case = starting.start(services, "timer_only", {"fire_at": fire_at.isoformat()}, INTEGRATOR)
    started: list[subprocess.Popen[bytes]] = []
    try:
        started.append(_start([rcp, "scheduler"], scale_env, work, tmp_path / "scheduler.log"))
        worker = [rcp, "worker", "--no-scheduler", "--concurrency", "1", "--loglevel", "INFO"]
        started.append(_start(worker, scale_env, work, tmp_path / "worker.log"))
        status = _wait_completed(services, case.instance_id, started)
    finally:
        for process in started:
            _stop(process)
    logs = "".join(f"\n--- {p.name}\n{p.read_text(errors='replace')}" for p in tmp_path.glob("*.log"))
    assert status == "completed", logs
    assert "Traceback" not in logs, logs
    verified = run([rcp, "audit", "verify"], cwd=work, env=scale_env, timeout=120)
    assert verified.stdout.startswith("audit chain intact: "), verified.stdout
