"""Request metrics: each answer counts once in its own series, however often its series is reused."""

from __future__ import annotations

from typing import Any, cast

import pytest

from service.observe.metrics import Metrics


def _value(metrics: Metrics, name: str, labels: dict[str, str]) -> Any:
    return metrics.registry.get_sample_value(name, labels)


def test_repeated_requests_add_to_their_series_and_other_statuses_get_their_own() -> None:
    metrics = Metrics(cast(Any, object()))  # the database collector is not scraped here

    for seconds in (0.001, 0.02, 0.3):
        metrics.request("GET", "/api/v1/tasks", 200, seconds)
    metrics.request("GET", "/api/v1/tasks", 404, 0.002)
    metrics.request("POST", "/api/v1/tasks", 200, 0.002)

    route = {"method": "GET", "route": "/api/v1/tasks"}
    assert _value(metrics, "rcp_http_requests_total", {**route, "status": "200"}) == 3
    assert _value(metrics, "rcp_http_requests_total", {**route, "status": "404"}) == 1
    assert _value(metrics, "rcp_http_request_duration_seconds_count", route) == 4
    assert _value(metrics, "rcp_http_request_duration_seconds_bucket", {**route, "le": "0.025"}) == 3
    assert _value(metrics, "rcp_http_request_duration_seconds_sum", route) == pytest.approx(0.323)
    post = {"method": "POST", "route": "/api/v1/tasks", "status": "200"}
    assert _value(metrics, "rcp_http_requests_total", post) == 1
