"""Celery for scale-out: workers run ``service.jobs.sweep`` (task ``rcp.sweep``) from Redis.

The task is the very function the embedded runner calls, so both runners share every code path.
Messages carry no work, only "sweep now": the work itself is taken from the database under row
locks, so a lost, duplicated or late message costs nothing and a killed worker loses nothing.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from celery import Celery

from service.config import Settings

if TYPE_CHECKING:
    from service.services import Services

log = logging.getLogger("rcp.jobs")

SWEEP = "rcp.sweep"
EXPIRES = 30.0  # a sweep not started by then is dropped: the scheduler queues fresh ones


class ProcessServices:
    """The services of the current process, built on first use (never inherited across a fork)."""

    def __init__(self, factory: Callable[[], Services]) -> None:
        self._factory = factory
        self._built: Services | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def get(self) -> Services:
        with self._lock:
            if self._built is None or self._pid != os.getpid():
                self._built = self._factory()
                self._pid = os.getpid()
            return self._built


def celery_config(settings: Settings) -> dict[str, Any]:
    """Return the Celery configuration the settings describe."""
    if not settings.redis_url:
        raise RuntimeError("REDIS_URL is not set: the Celery runner needs Redis as its broker")
    transport: dict[str, Any] = {"visibility_timeout": 3600}
    if settings.redis_prefix:
        transport["global_keyprefix"] = settings.redis_prefix
    return {
        "broker_url": settings.redis_url,
        "broker_transport_options": transport,
        "broker_connection_retry_on_startup": True,
        "task_default_queue": settings.celery_queue,
        "task_ignore_result": True,
        "task_serializer": "json",
        "accept_content": ["json"],
        # One message at a time per pool slot: queued sweeps stay visible to the scheduler.
        "worker_prefetch_multiplier": 1,
        "worker_hijack_root_logger": False,
        "worker_send_task_events": False,
        "task_send_sent_event": False,
    }


def create_celery(settings: Settings, services_factory: Callable[[], Services] | None = None) -> Celery:
    """Build the Celery app; its task builds the service objects once per worker process."""

    def default_factory() -> Services:
        from service.bootstrap import bootstrap

        return bootstrap(settings, migrate=False)

    app = Celery("rcp", set_as_current=False)
    app.conf.update(celery_config(settings))
    services = ProcessServices(services_factory or default_factory)

    @app.task(name=SWEEP, ignore_result=True)
    def sweep_task() -> int:
        from service.jobs import sweep

        return sweep(services.get())

    app.rcp_services = services
    return app


class CeleryDispatcher:
    """Queues sweeps on the Celery queue and says how many wait there."""

    def __init__(self, app: Celery, queue: str) -> None:
        self.app = app
        self.queue = queue

    def waiting(self) -> int:
        with self.app.pool.acquire(block=True) as conn:
            declared = conn.default_channel.queue_declare(queue=self.queue)
            return int(declared.message_count)

    def dispatch(self, copies: int) -> None:
        for _ in range(copies):
            self.app.send_task(SWEEP, queue=self.queue, expires=EXPIRES, ignore_result=True)
