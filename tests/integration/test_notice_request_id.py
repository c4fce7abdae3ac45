"""A notice a request causes is e-mailed later under that request's id (its log lines join it)."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from service import create_app
from service.clock import MovableClock
from service.notify import SmtpSender, outbox
from service.services import Services
from tests.apikit import token
from tests.integration.test_notice_email import Inbox
from tests.integration.test_scenarios_applications import application
from tests.program_support import program_services


@pytest.fixture
def mail_server() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on loopback keeping what it accepts."""
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def services(sqlite_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(sqlite_url, tmp_path, clock)
    yield built
    built.close()


def test_the_notice_e_mail_a_request_caused_is_delivered_under_its_request_id(
    services: Services, mail_server: tuple[Inbox, int], caplog: pytest.LogCaptureFixture
) -> None:
    inbox, port = mail_server
    client = create_app(services=services).test_client()
    started = client.post(
        "/api/v1/process-definitions/application_review/start",
        json={"businessKey": "A-2026-095", "variables": application("A-2026-095", "other")},
        headers={**token(services, "trade-portal", "start"), "X-Request-ID": "abc-123"},
    )
    assert started.status_code == 201, started.get_data(as_text=True)
    assert started.headers["X-Request-ID"] == "abc-123"
    with services.db.unit_of_work(readonly=True) as uow:
        [queued] = uow.outbox.list(kind="email")
    assert queued["request_id"] == "abc-123"  # the ineligible applicant's notice, queued by the start

    services.senders["email"] = SmtpSender("127.0.0.1", port, "rcp-notices@cbp.example")
    caplog.set_level(logging.INFO, logger="rcp.outbox")
    assert outbox.deliver_due(services) == 1  # the runner, outside any request

    assert len(inbox.envelopes) == 1
    [sent] = [r for r in caplog.records if r.name == "rcp.outbox"]
    assert sent.getMessage() == f"outbox {queued['key']} sent (email)"
    assert sent.request_id == "abc-123"  # type: ignore[attr-defined]
