"""/metrics after a case runs: trigger counters, HTTP counters and the database gauges agree."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import text

from service import create_app
from service.actions import starting, timers
from service.clock import MovableClock
from service.config import ObserveSettings
from service.errors import Busy
from service.services import Services
from service.trigger.core import guarded
from service.trigger.save import Audit
from tests.apikit import problem, token
from tests.e2e.api.webhook_kit import allow
from tests.e2e.observe.conftest import samples, value
from tests.support import INTEGRATOR

START = {"businessKey": "A-1", "variables": {"application_number": "A-1", "received_on": "2026-01-05"}}


def _run_a_case(app: Flask, api: Services) -> str:
    """Start two cases over the API and complete the first one's task; return that task's id."""
    auth = token(api, "portal", "start", "read", "tasks")
    client = app.test_client()
    first = client.post("/api/v1/process-definitions/smoke/start", json=START, headers=auth)
    assert first.status_code == 201, first.get_data(as_text=True)
    second = client.post(
        "/api/v1/process-definitions/smoke/start", json={**START, "businessKey": "A-2"}, headers=auth
    )
    assert second.status_code == 201
    listed = client.get(f"/api/v1/tasks?processInstanceId={first.get_json()['id']}", headers=auth)
    task_id: str = listed.get_json()["items"][0]["id"]
    refused = client.post(
        f"/api/v1/tasks/{task_id}/complete", json={"variables": {"decision": "?"}}, headers=auth
    )
    assert refused.status_code == 422
    done = client.post(
        f"/api/v1/tasks/{task_id}/complete", json={"variables": {"decision": "ok"}}, headers=auth
    )
    assert done.status_code == 200, done.get_data(as_text=True)
    return task_id


def test_metrics_scraped_after_a_case_count_its_triggers_requests_and_open_tasks(
    app: Flask, api: Services
) -> None:
    _run_a_case(app, api)

    scraped = app.test_client().get("/metrics")

    assert scraped.status_code == 200
    assert scraped.content_type.startswith("text/plain; version=0.0.4")
    found = samples(scraped.get_data(as_text=True))
    assert value(found, "rcp_triggers_total", kind="start", outcome="completed") == 2
    assert value(found, "rcp_triggers_total", kind="complete", outcome="completed") == 1
    assert value(found, "rcp_triggers_total", kind="complete", outcome="refused") == 1
    assert value(found, "rcp_trigger_duration_seconds_count", kind="complete") == 2
    complete_route = {"method": "POST", "route": "/api/v1/tasks/<id>/complete"}
    assert value(found, "rcp_http_requests_total", **complete_route, status=200) == 1
    assert value(found, "rcp_http_requests_total", **complete_route, status=422) == 1
    assert value(found, "rcp_http_request_duration_seconds_count", **complete_route) == 2
    with api.db.unit_of_work(readonly=True) as uow:
        by_lane = dict(uow.conn.execute(text("SELECT lane, count(*) FROM human_tasks GROUP BY lane")).all())
    assert by_lane == {"reviewers": 1}  # the second case's task; the first one's is done
    assert value(found, "rcp_open_tasks", lane="reviewers") == by_lane["reviewers"]
    assert value(found, "rcp_overdue_tasks", lane="reviewers") == 0
    assert value(found, "rcp_open_incidents") == 0
    assert value(found, "rcp_database_up") == 1


def test_overdue_tasks_show_once_their_deadline_has_passed(
    app: Flask, api: Services, clock: MovableClock
) -> None:
    _run_a_case(app, api)
    clock.advance(days=30)  # the reviewers' 15-day deadline has passed

    found = samples(app.test_client().get("/metrics").get_data(as_text=True))

    assert value(found, "rcp_overdue_tasks", lane="reviewers") == 1
    assert value(found, "rcp_open_tasks", lane="reviewers") == 1


def test_a_late_timer_shows_with_its_lateness_until_the_runner_fires_it(
    app: Flask, api: Services, clock: MovableClock
) -> None:
    fire_at = (clock.now() + timedelta(hours=1)).isoformat()
    starting.start(api, "timer_only", {"fire_at": fire_at}, INTEGRATOR, business_key="T-1")
    client = app.test_client()
    assert value(samples(client.get("/metrics").get_data(as_text=True)), "rcp_due_timers") == 0
    clock.advance(seconds=3 * 3600)

    late = samples(client.get("/metrics").get_data(as_text=True))
    assert value(late, "rcp_due_timers") == 1
    assert value(late, "rcp_due_timer_lateness_seconds") == 2 * 3600

    assert timers.fire_due(api, limit=10) == 1
    fired = samples(client.get("/metrics").get_data(as_text=True))
    assert value(fired, "rcp_due_timers") == 0
    assert value(fired, "rcp_due_timer_lateness_seconds") == 0
    assert value(fired, "rcp_triggers_total", kind="timer", outcome="completed") == 1


def test_the_outbox_backlog_counts_pending_webhook_deliveries(app: Flask, api: Services) -> None:
    auth = token(api, "portal", "start", "read", "webhooks")
    allow(api, "127.0.0.1")  # the webhook's receiver is on loopback
    client = app.test_client()
    hooked = client.post(
        "/api/v1/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["task.created"]}, headers=auth
    )
    assert hooked.status_code == 201
    assert client.post("/api/v1/process-definitions/smoke/start", json=START, headers=auth).status_code == 201

    found = samples(client.get("/metrics").get_data(as_text=True))

    assert value(found, "rcp_outbox_pending", kind="webhook") == 1


def test_metrics_need_the_token_or_an_allowed_address(api: Services) -> None:
    observe = ObserveSettings(metrics_token="scrape-secret", metrics_allow=("127.0.0.1/32", "10.1.0.0/16"))
    client = create_app(services=replace(api, settings=replace(api.settings, observe=observe))).test_client()
    outside = {"REMOTE_ADDR": "192.0.2.7"}

    anonymous = client.get("/metrics", environ_base=outside)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    assert problem(anonymous)["title"] == "Unauthorized"
    wrong = client.get("/metrics", environ_base=outside, headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 401
    wrong_here = client.get("/metrics", headers={"Authorization": "Bearer guess"})
    assert wrong_here.status_code == 401  # credentials sent must be right, wherever from
    with_token = {"Authorization": "Bearer scrape-secret"}
    assert client.get("/metrics", environ_base=outside, headers=with_token).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.4.2"}).status_code == 200
    assert client.get("/metrics").status_code == 200  # the test client comes from 127.0.0.1


def test_without_a_token_an_address_off_the_allow_list_is_forbidden(api: Services) -> None:
    client = create_app(services=api).test_client()  # defaults: no token, loopback only

    refused = client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert refused.status_code == 403
    assert "192.0.2.7" in problem(refused)["detail"]
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::ffff:127.0.0.1"}).status_code == 200


def test_unknown_paths_are_counted_under_one_route_not_their_own(app: Flask) -> None:
    client = app.test_client()
    for n in range(3):
        assert client.get(f"/no-such-page-{n}").status_code == 404

    found = samples(client.get("/metrics").get_data(as_text=True))

    assert value(found, "rcp_http_requests_total", method="GET", route="(unmatched)", status=404) == 3
    assert not any("no-such-page" in str(labels) for _, labels in found)


def test_busy_and_failing_triggers_are_counted_with_their_outcome(app: Flask, api: Services) -> None:
    def locked() -> None:
        raise Busy("the case stayed locked")

    def broken() -> None:
        raise RuntimeError("disk full")

    with pytest.raises(Busy):
        guarded(api, INTEGRATOR, Audit("message"), locked, None)
    with pytest.raises(RuntimeError):
        guarded(api, INTEGRATOR, Audit("message"), broken, None)

    found = samples(app.test_client().get("/metrics").get_data(as_text=True))
    assert value(found, "rcp_triggers_total", kind="message", outcome="busy") == 1
    assert value(found, "rcp_triggers_total", kind="message", outcome="failed") == 1
    assert value(found, "rcp_trigger_duration_seconds_count", kind="message") == 2
    with api.db.unit_of_work(readonly=True) as uow:
        refusals = uow.conn.execute(text("SELECT count(*) FROM audit_log WHERE outcome = 'refused'")).scalar()
    assert refusals == 1  # the busy one is still written to the audit log as a refusal
