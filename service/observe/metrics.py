"""Prometheus metrics: this process's triggers and HTTP requests, the deployment's state at scrape.

Each ``Metrics`` has its own ``CollectorRegistry`` (never the global default), so many apps in one
process (the tests) never share a series. Counters and histograms are process-local: the web
process reports the triggers it ran (its requests and its embedded runner); Celery workers' own
triggers are not in them. The database gauges count what the whole deployment holds, whichever
process did the work.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from service.views import operations

if TYPE_CHECKING:
    from prometheus_client import Metric

    from service.services import Services

log = logging.getLogger("rcp.metrics")

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The metrics of one set of services, in their own registry."""

    def __init__(self, services: Services) -> None:
        self.registry = CollectorRegistry()
        self.triggers = Counter(
            "rcp_triggers", "Triggers run by this process, by kind and outcome",
            ["kind", "outcome"], registry=self.registry,
        )  # fmt: skip
        self.trigger_seconds = Histogram(
            "rcp_trigger_duration_seconds", "Time a trigger took (load, apply, save, commit)",
            ["kind"], buckets=SECONDS, registry=self.registry,
        )  # fmt: skip
        self.requests = Counter(
            "rcp_http_requests", "HTTP requests answered, by route and status",
            ["method", "route", "status"], registry=self.registry,
        )  # fmt: skip
        self.request_seconds = Histogram(
            "rcp_http_request_duration_seconds", "Time to answer an HTTP request, by route",
            ["method", "route"], buckets=SECONDS, registry=self.registry,
        )  # fmt: skip
        self._request_series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}
        self.registry.register(DatabaseCollector(services))

    def trigger(self, kind: str, outcome: str, seconds: float) -> None:
        """Count a trigger and its duration (``Services.observe_trigger``)."""
        self.triggers.labels(kind, outcome).inc()
        self.trigger_seconds.labels(kind).observe(seconds)

    def request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count an answered HTTP request and its duration."""
        key = (method, route, status)
        series = self._request_series.get(key)
        if series is None:  # the children are looked up once per key, not per request
            series = (
                self.requests.labels(method, route, str(status)),
                self.request_seconds.labels(method, route),
            )
            self._request_series[key] = series
        series[0].inc()
        series[1].observe(seconds)

    def exposition(self) -> bytes:
        """Return every metric in the Prometheus text format."""
        return generate_latest(self.registry)


def metrics_of(services: Services) -> Metrics:
    """Return the services' metrics, made and wired into the trigger path on first use."""
    bound = getattr(services.observe_trigger, "__self__", None)
    if isinstance(bound, Metrics):
        return bound
    made = Metrics(services)
    services.observe_trigger = made.trigger
    return made


class DatabaseCollector(Collector):
    """Gauges read from the database when Prometheus scrapes (read-only, a few aggregates)."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def describe(self) -> list[Metric]:
        return []  # described by collecting: never query the database at registration

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("rcp_database_up", "1 when the database answered this scrape, else 0")
        try:
            found = operations.gauges(self.services)
        except Exception as exc:
            # A scrape must still answer while the database is away: that is when it matters.
            log.warning("metrics: the database did not answer: %s", exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from gauge_families(found)


def gauge_families(found: operations.Gauges) -> Iterator[Metric]:
    """Return the gauges of one reading of the database."""
    open_tasks = GaugeMetricFamily("rcp_open_tasks", "Open human tasks by lane", labels=["lane"])
    overdue = GaugeMetricFamily("rcp_overdue_tasks", "Open human tasks past due by lane", labels=["lane"])
    for row in found.lanes:
        open_tasks.add_metric([row["lane"] or "none"], row["open"])
        overdue.add_metric([row["lane"] or "none"], row["overdue"])
    backlog = GaugeMetricFamily(
        "rcp_outbox_pending", "Outbox messages waiting to be sent, by kind (email, webhook)", labels=["kind"]
    )
    for kinds in found.backlog:
        backlog.add_metric([kinds["kind"]], kinds["pending"])
    yield open_tasks
    yield overdue
    yield GaugeMetricFamily("rcp_due_timers", "Timers past due, not yet fired", value=found.due_timers)
    yield GaugeMetricFamily(
        "rcp_due_timer_lateness_seconds",
        "Seconds the oldest due timer is past due (0 when none is due)",
        value=found.timer_lateness,
    )
    yield backlog
    yield GaugeMetricFamily("rcp_open_incidents", "Incidents not yet resolved", value=found.open_incidents)
