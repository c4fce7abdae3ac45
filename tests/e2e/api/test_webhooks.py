"""Webhooks: queued with the step that causes them, sent later, signed, retried with backoff.

The receivers here listen on loopback, so each test puts 127.0.0.1 on the allow-list first
(``tests/e2e/api/test_webhook_egress.py`` holds what happens without it).
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask

from service.actions import mailbox, missed_deadlines, starting, tasks, webhooks
from service.clock import MovableClock
from service.notify import outbox
from service.services import Services
from service.trigger import events
from service.views import webhooks as webhook_views
from tests.apikit import Receiver, issue_notice, open_task, problem, token
from tests.e2e.api.webhook_kit import PUBLIC, allow, register, verify
from tests.support import INTEGRATOR, REVIEWER, Switchboard

START = {"businessKey": "A-1", "variables": {"application_number": "A-1", "received_on": "2026-01-05"}}


def test_a_new_task_is_sent_signed_to_the_receiver_and_retried_after_it_fails_once(
    api: Services, app: Flask, clock: MovableClock
) -> None:
    auth = token(api, "portal", "start", "read", "webhooks")
    allow(api, "127.0.0.1")
    with Receiver(answers=[503, 200]) as receiver:
        hook = register(app, auth, receiver.url, ["task.created"])
        first_sent = clock.now()

        started = app.test_client().post("/api/v1/process-definitions/smoke/start", json=START, headers=auth)
        assert started.status_code == 201
        assert receiver.received == []  # queued with the start, never sent inside the request

        assert outbox.deliver_due(api) == 1
        assert len(receiver.received) == 1
        assert outbox.deliver_due(api) == 0  # backing off: not due again yet
        second_sent = clock.advance(seconds=31)
        assert outbox.deliver_due(api) == 1

    first = verify(receiver.received[0], hook["secret"], first_sent)
    second = verify(receiver.received[1], hook["secret"], second_sent)
    assert first == second
    task = started.get_json()["activeTasks"][0]
    assert first["type"] == "task.created"
    assert first["data"]["taskId"] == task["id"]
    assert first["data"]["dueCitation"] == "§163.11(b)"
    assert first["data"]["processInstanceId"] == started.get_json()["id"]
    page = app.test_client().get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=auth).get_json()
    assert page["next"] is None
    deliveries = page["items"]
    assert [(d["status"], d["attempts"]) for d in deliveries] == [("sent", 2)]
    assert re.fullmatch(r"200 in \d+ ms: thanks", deliveries[0]["lastResponse"])
    assert re.fullmatch(r"DeliveryFailed: 503 in \d+ ms: busy, try later", deliveries[0]["lastError"])


def test_a_receiver_that_keeps_failing_is_given_up_after_the_last_attempt(
    api: Services, app: Flask, clock: MovableClock
) -> None:
    auth = token(api, "portal", "start", "read", "webhooks")
    allow(api, "127.0.0.1")
    with Receiver(answers=[500] * events.ATTEMPTS) as receiver:
        hook = register(app, auth, receiver.url, ["task.created"])
        starting.start(api, "smoke", START["variables"], INTEGRATOR, business_key="A-1")
        for _ in range(events.ATTEMPTS):
            outbox.deliver_due(api)
            clock.advance(timedelta(hours=1, seconds=1))
        assert outbox.deliver_due(api) == 0
    assert len(receiver.received) == events.ATTEMPTS
    deliveries = webhook_views.deliveries(api, "portal", hook["id"])
    assert [(d["status"], d["attempts"]) for d in deliveries] == [("failed", events.ATTEMPTS)]


def test_instance_completed_and_incident_events_are_queued_for_subscribers(
    api: Services, board: Switchboard
) -> None:
    token(api, "portal", "read")
    allow(api, "127.0.0.1")
    webhooks.register(api, "portal", "http://127.0.0.1:9/hook", ["instance.completed", "incident.created"])
    waiting = starting.start(api, "api_twostep", {"case_number": "C-1"}, INTEGRATOR, business_key="C-1")
    tasks.complete(api, open_task(api, waiting.instance_id)["id"], {}, REVIEWER)
    scanner = mailbox.Actor("integrator", "scanner", scopes=frozenset({"message"}))
    mailbox.send(
        api, "document_received", scanner, business_key="C-1", correlation_keys={"case_number": "C-1"}
    )
    board.failures_left = 1
    failing = starting.start(api, "api_flaky", {}, INTEGRATOR, business_key="F-1")

    with api.db.unit_of_work(readonly=True) as uow:
        queued = [r["payload"]["event"] for r in uow.outbox.list(kind="webhook")]
    assert [(e["type"], e["data"]["processInstanceId"]) for e in queued] == [
        ("instance.completed", waiting.instance_id),
        ("incident.created", failing.instance_id),
    ]
    assert queued[0]["data"]["processDefinitionKey"] == "api_twostep"
    assert queued[1]["data"]["message"] == "records service unavailable"


def test_a_missed_deadline_is_reported_once(api: Services, clock: MovableClock) -> None:
    token(api, "portal", "read")
    allow(api, "127.0.0.1")
    hook = webhooks.register(api, "portal", "http://127.0.0.1:9/hook", ["deadline.missed"])
    instance = starting.start(api, "smoke", START["variables"], INTEGRATOR, business_key="A-1").instance_id
    assert missed_deadlines.report(api) == 0  # due on 20 January, end of day

    clock.advance(days=16)
    assert missed_deadlines.report(api) == 1
    clock.advance(seconds=30)
    assert missed_deadlines.report(api) == 0

    deliveries = webhook_views.deliveries(api, "portal", hook["id"])
    assert [d["eventType"] for d in deliveries] == ["deadline.missed"]
    with api.db.unit_of_work(readonly=True) as uow:
        event = uow.outbox.list(kind="webhook")[0]["payload"]["event"]
    assert event["data"]["processInstanceId"] == instance
    assert event["data"]["due"] == "2026-01-20T23:59:59+00:00"


def test_deliveries_to_a_removed_webhook_are_dropped(api: Services, app: Flask) -> None:
    auth = token(api, "portal", "webhooks")
    allow(api, "127.0.0.1")
    with Receiver(answers=[]) as receiver:
        hook = register(app, auth, receiver.url, ["task.created"])
        starting.start(api, "smoke", START["variables"], INTEGRATOR, business_key="A-1")
        assert app.test_client().delete(f"/api/v1/webhooks/{hook['id']}", headers=auth).status_code == 204
        outbox.deliver_due(api)
    assert receiver.received == []
    with api.db.unit_of_work(readonly=True) as uow:
        row = uow.outbox.list(kind="webhook")[0]
    assert (row["status"], row["last_response"]) == (
        "sent",
        "not sent: the webhook was removed or its token revoked",
    )


def test_a_ping_reaches_the_receiver(api: Services, app: Flask, clock: MovableClock) -> None:
    auth = token(api, "portal", "webhooks")
    allow(api, "127.0.0.1")
    with Receiver(answers=[]) as receiver:
        hook = register(app, auth, receiver.url, ["incident.created"])
        pinged = app.test_client().post(f"/api/v1/webhooks/{hook['id']}/ping", headers=auth)
        assert pinged.status_code == 202
        outbox.deliver_due(api)
    assert verify(receiver.received[0], hook["secret"], clock.now())["type"] == "ping"


def test_another_integrators_webhook_is_not_found(api: Services, app: Flask) -> None:
    auth = token(api, "portal", "webhooks")
    other = token(api, "scanner", "webhooks")
    hook = register(app, auth, f"https://{PUBLIC}/hook", ["task.created"])

    seen = app.test_client().get(f"/api/v1/webhooks/{hook['id']}", headers=other)

    assert seen.status_code == 404
    assert app.test_client().get("/api/v1/webhooks", headers=other).get_json() == {"items": [], "next": None}


def test_a_webhook_url_with_credentials_or_an_unknown_event_is_refused(api: Services, app: Flask) -> None:
    auth = token(api, "portal", "webhooks")
    client = app.test_client()

    with_password = client.post(
        "/api/v1/webhooks",
        json={"url": "https://u:p@portal.example/h", "events": ["task.created"]},
        headers=auth,
    )
    unknown = client.post(
        "/api/v1/webhooks", json={"url": f"https://{PUBLIC}/h", "events": ["task.done"]}, headers=auth
    )

    assert with_password.status_code == 422
    assert [e["field"] for e in problem(with_password)["errors"]] == ["url"]
    assert unknown.status_code == 422
    assert [e["field"] for e in problem(unknown)["errors"]] == ["events.0"]


def test_an_issued_notice_is_queued_with_the_step_that_issues_it(api: Services) -> None:
    token(api, "portal", "read")
    allow(api, "127.0.0.1")
    webhooks.register(api, "portal", "http://127.0.0.1:9/hook", ["notice.issued"])

    number = issue_notice(api, "APP-1")

    with api.db.unit_of_work(readonly=True) as uow:
        events = [r["payload"]["event"] for r in uow.outbox.list(kind="webhook")]
    assert [(e["type"], e["data"]["noticeNumber"], e["data"]["caseRef"]) for e in events] == [
        ("notice.issued", number, "APP-1")
    ]
    assert events[0]["data"]["pdf"] == f"/api/v1/notices/{number}/pdf"
