"""Every request: its id (taken or made, echoed, carried into the work it causes), one access line."""

from __future__ import annotations

import io
import json
import logging

import pytest
from flask import Flask

from service.config import ObserveSettings
from service.identity import users
from service.identity.actors import SYSTEM
from service.notify import outbox
from service.observe.logs import configure_logging
from service.services import Services
from tests.apikit import Receiver, token
from tests.e2e.api.webhook_kit import allow
from tests.e2e.inbox_world import csrf

START = {"businessKey": "A-1", "variables": {"application_number": "A-1", "received_on": "2026-01-05"}}


def _access(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "rcp.access"]


def test_a_request_id_sent_is_echoed_and_one_made_otherwise(app: Flask) -> None:
    client = app.test_client()

    given = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    made = client.get("/healthz")
    replaced = client.get("/healthz", headers={"X-Request-ID": "no spaces allowed"})

    assert given.headers["X-Request-ID"] == "abc-123"
    assert len(made.headers["X-Request-ID"]) == 32
    assert replaced.headers["X-Request-ID"] not in ("no spaces allowed", made.headers["X-Request-ID"])
    refused = client.get("/api/v1/tasks", headers={"X-Request-ID": "abc-124"})
    assert refused.status_code == 401
    assert refused.headers["X-Request-ID"] == "abc-124"  # refused requests too


def test_each_request_has_one_access_line_without_its_query_string(
    app: Flask, api: Services, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="rcp.access")
    auth = token(api, "portal", "read")

    answer = app.test_client().get(
        "/api/v1/tasks?businessKey=SECRET-7", headers={**auth, "X-Request-ID": "abc-125"}
    )

    assert answer.status_code == 200
    [line] = _access(caplog)
    assert line.levelno == logging.INFO
    assert (line.method, line.path, line.status) == ("GET", "/api/v1/tasks", 200)  # type: ignore[attr-defined]
    assert line.user == "portal"  # type: ignore[attr-defined]
    assert line.remote_addr == "127.0.0.1"  # type: ignore[attr-defined]
    assert line.request_id == "abc-125"  # type: ignore[attr-defined]
    assert line.duration_ms >= 0  # type: ignore[attr-defined]
    assert "SECRET-7" not in line.getMessage()
    assert line.getMessage().startswith("GET /api/v1/tasks 200 ")


def test_a_signed_in_user_is_named_on_the_access_line(
    app: Flask, api: Services, caplog: pytest.LogCaptureFixture
) -> None:
    users.create(api, "rita", "correct-horse-battery", ["reviewers"], by=SYSTEM)
    client = app.test_client()
    form = {"csrf_token": csrf(client, "/login"), "username": "rita", "password": "correct-horse-battery"}
    assert client.post("/login", data=form).status_code == 303
    caplog.set_level(logging.INFO, logger="rcp.access")
    caplog.clear()  # the sign-in's own lines, when the root logger already listens at INFO

    assert client.get("/inbox").status_code == 200

    [line] = _access(caplog)
    assert line.user == "rita"  # type: ignore[attr-defined]


@pytest.mark.usefixtures("restore_root_logger")
def test_json_log_lines_parse_and_carry_the_request_id(app: Flask) -> None:
    out = io.StringIO()
    configure_logging(ObserveSettings(log_format="json"), stream=out)

    app.test_client().get("/healthz?probe=1", headers={"X-Request-ID": "abc-126"})

    entries = [json.loads(line) for line in out.getvalue().splitlines()]
    [access] = [e for e in entries if e["logger"] == "rcp.access"]
    assert access["request_id"] == "abc-126"
    assert (access["method"], access["path"], access["status"]) == ("GET", "/healthz", 200)
    assert access["level"] == "INFO"


def test_the_request_id_is_carried_into_the_webhook_delivery_the_request_caused(
    app: Flask, api: Services, caplog: pytest.LogCaptureFixture
) -> None:
    auth = token(api, "portal", "start", "read", "webhooks")
    allow(api, "127.0.0.1")  # the receiver is on loopback
    client = app.test_client()
    with Receiver(answers=[200]) as receiver:
        hooked = client.post(
            "/api/v1/webhooks", json={"url": receiver.url, "events": ["task.created"]}, headers=auth
        )
        assert hooked.status_code == 201
        started = client.post(
            "/api/v1/process-definitions/smoke/start", json=START, headers={**auth, "X-Request-ID": "abc-123"}
        )
        assert started.status_code == 201
        with api.db.unit_of_work(readonly=True) as uow:
            [queued] = uow.outbox.list(kind="webhook")
        assert queued["request_id"] == "abc-123"
        caplog.set_level(logging.INFO, logger="rcp.outbox")

        assert outbox.deliver_due(api) == 1  # later, in the runner, outside any request

    assert len(receiver.received) == 1
    [sent] = [r for r in caplog.records if r.name == "rcp.outbox"]
    assert sent.getMessage() == f"outbox {queued['key']} sent (webhook)"
    assert sent.request_id == "abc-123"  # type: ignore[attr-defined]


@pytest.fixture
def restore_root_logger() -> object:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet = {name: logging.getLogger(name).level for name in ("alembic", "spiff", "SpiffWorkflow")}
    yield None
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, was in quiet.items():
        logging.getLogger(name).setLevel(was)
