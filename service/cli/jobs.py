"""``rcp worker`` (a Celery worker sweeping due work) and ``rcp scheduler`` (queues the sweeps).

Scale-out: any number of ``rcp worker`` processes against PostgreSQL and Redis. Each worker also
starts a scheduler beside it unless ``--no-scheduler``; the schedulers elect one leader through
the database, so every worker is alike and none must run as a single replica.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import subprocess
import sys
from dataclasses import replace
from typing import Any

from service.config import Settings
from service.observe.logs import configure_logging

log = logging.getLogger("rcp")

_SCHEDULER_CMD = "import sys; from service.cli import main; sys.exit(main(sys.argv[1:]))"


LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR"]
# What the [scale] extra installs; Celery's Redis transport needs more than Celery alone brings.
SCALE_MODULES = ("celery", "redis", "kombu.transport.redis", "psycopg")
NEEDS_SCALE = "scale-out needs the [scale] extra: pip install 'rcp-orchestrator[scale]'"


def register(commands: argparse._SubParsersAction) -> None:
    """Add the worker and scheduler commands."""
    worker = commands.add_parser(
        "worker",
        help="run a Celery worker for background work (scale-out)",
        description="Run a Celery worker that fires due timers, retries failed service tasks and"
        " delivers e-mail and webhooks, with a scheduler beside it. Needs REDIS_URL and PostgreSQL"
        " in DATABASE_URL; run as many as you like.",
        epilog="example:\n  rcp worker --concurrency 2",
    )
    worker.add_argument(
        "--concurrency",
        type=int,
        default=os.cpu_count() or 2,
        help="pool processes (default: the number of CPUs)",
    )
    worker.add_argument(
        "--pool", default="prefork", choices=["prefork", "threads", "solo"], help="Celery's pool kind"
    )
    worker.add_argument("--loglevel", default="WARNING", choices=LEVELS, help="lowest level logged")
    worker.add_argument("--no-scheduler", action="store_true", help="do not start a scheduler beside it")
    worker.set_defaults(handler=_worker)

    scheduler = commands.add_parser(
        "scheduler",
        help="queue sweeps while work is due (leader elected)",
        description="Queue sweeps on Redis while timers, retries or messages are due. Schedulers"
        " elect one leader through the database; the others stand by. Needs REDIS_URL.",
    )
    scheduler.add_argument("--parent", type=int, default=None, help=argparse.SUPPRESS)
    scheduler.add_argument("--loglevel", default="INFO", choices=LEVELS, help="lowest level logged")
    scheduler.set_defaults(handler=_scheduler)


def _logging(settings: Settings, level: str | None) -> None:
    # --loglevel, when given, wins over RCP_LOG_LEVEL; the format is RCP_LOG_FORMAT's.
    observe = replace(settings.observe, log_level=level) if level else settings.observe
    configure_logging(observe)


def _require_scale() -> None:
    """Exit 2 with one line, not a traceback, when the install lacks the [scale] extra."""
    for name in SCALE_MODULES:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            print(f"rcp: error: {NEEDS_SCALE} (missing: {exc.name or name})", file=sys.stderr)
            raise SystemExit(2) from None


def _settings() -> Settings:
    _require_scale()
    settings = Settings.from_env()
    if not settings.redis_url:
        print("REDIS_URL is not set: workers need Redis (and PostgreSQL in DATABASE_URL)", file=sys.stderr)
        raise SystemExit(2)
    return settings


def _worker(args: argparse.Namespace) -> int:
    settings = _settings()  # first: on an install without [scale] the imports below would fail
    from service.jobs.celery_app import create_celery

    _logging(settings, args.loglevel)
    app = create_celery(settings)
    beside = None
    if not args.no_scheduler:
        command = [sys.executable, "-c", _SCHEDULER_CMD, "scheduler", "--parent", str(os.getpid())]
        # Same process group: a signal to the worker's group reaches it too. Fixed arguments only.
        beside = subprocess.Popen(command)  # noqa: S603
    try:
        app.worker_main(
            [
                "worker",
                f"--loglevel={args.loglevel}",
                f"--concurrency={args.concurrency}",
                f"--pool={args.pool}",
                f"--queues={settings.celery_queue}",
                f"--hostname=rcp-{os.getpid()}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ]
        )
    finally:
        if beside is not None:
            beside.terminate()
            beside.wait(timeout=15)
    return 0


def _scheduler(args: argparse.Namespace) -> int:
    settings = _settings()
    from service.bootstrap import bootstrap
    from service.jobs.celery_app import CeleryDispatcher, create_celery
    from service.jobs.scheduler import Scheduler

    _logging(settings, args.loglevel)
    services = bootstrap(settings, migrate=False)
    app = create_celery(settings)
    scheduler = Scheduler(services, CeleryDispatcher(app, settings.celery_queue), parent=args.parent)

    def stop(signum: int, frame: Any) -> None:
        scheduler.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        scheduler.run_forever()
    finally:
        services.close()
    return 0
