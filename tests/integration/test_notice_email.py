"""Notices leave by e-mail through a real SMTP server on loopback, with their PDF, once."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from service.clock import MovableClock
from service.notify import SmtpSender, outbox
from service.services import Services
from service.store.adapters import message_id
from service.views import program
from tests.integration.test_scenarios_applications import application
from tests.program_support import INTAKE, Case, program_services


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def services(sqlite_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(sqlite_url, tmp_path, clock)
    yield built
    built.close()


def test_a_notice_is_e_mailed_with_its_pdf_and_a_message_id_from_its_outbox_key(
    services: Services, clock: MovableClock, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    case = Case.start(services, clock, "application_review", application("A-2026-090", "other"), "A-2026-090")
    notice = case.notice("ineligible_applicant")
    assert notice["email"]["status"] == "pending"  # no SMTP configured yet: the notice waits
    services.senders["email"] = SmtpSender("127.0.0.1", port, "rcp-notices@cbp.example")

    assert outbox.deliver_due(services) == 1
    assert outbox.deliver_due(services) == 0

    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["compliance@harbor.example"]
    mail = message_from_bytes(envelope.content, policy=policy.default)
    assert mail["Subject"] == f"Application not accepted: applicant not eligible ({notice['noticeNumber']})"
    assert mail["From"] == "rcp-notices@cbp.example"
    assert mail["Reply-To"] == "rcp-field-office@localhost"
    with services.db.unit_of_work(readonly=True) as uow:
        [row] = uow.outbox.list(instance_id=case.id)
    assert mail["Message-ID"] == message_id(row["key"], services.settings.smtp_sender)
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None and "Reasons:" in body.get_content()
    [pdf] = list(mail.iter_attachments())
    assert pdf.get_filename() == f"{notice['noticeNumber']}.pdf"
    assert pdf.get_content() == program.notice_pdf(services, INTAKE, notice["noticeNumber"])
    delivered = case.notice("ineligible_applicant")["email"]
    assert (delivered["status"], delivered["attempts"]) == ("sent", 1)


def test_an_unreachable_server_leaves_the_notice_pending_for_a_retry(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "application_review", application("A-2026-091", "other"), "A-2026-091")
    services.senders["email"] = SmtpSender("127.0.0.1", _free_port(), "rcp-notices@cbp.example", timeout=2)

    assert outbox.deliver_due(services) == 1

    delivery = case.notice("ineligible_applicant")["email"]
    assert (delivery["status"], delivery["attempts"]) == ("pending", 1)
    assert "ConnectionRefusedError" in delivery["lastError"]
    clock.advance(seconds=29)
    assert outbox.deliver_due(services) == 0  # the first retry waits 30 seconds
