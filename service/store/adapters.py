"""Adapters that implement the handlers' ports over this transaction's connection.

Handlers write through these inside the step that calls them, so a notice, its e-mail in the outbox
and the records it changes commit together with the step, or not at all.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from handlers.ports import Ports
from handlers.records import Record
from service.store.repositories.program_cases import CaseRecords

if TYPE_CHECKING:
    from service.clock import Clock
    from service.config import Settings
    from service.store.db import UnitOfWork
    from service.store.rows import NoticeRow


NoticeHook = Callable[["UnitOfWork", Record], None]


def build_ports(
    uow: UnitOfWork, settings: Settings, clock: Clock, on_notice_issued: NoticeHook | None = None
) -> Ports:
    """Return the ports handlers use inside ``uow``."""
    records = CaseRecords(uow.conn, clock.now)
    notices = SqlNoticeArchive(uow, records, settings, clock, on_notice_issued)
    return Ports(clock=clock, program=settings.program, records=records, notices=notices)


def message_id(key: str, sender: str) -> str:
    """Return the e-mail Message-ID of an outbox key: the same key always gives the same id."""
    domain = sender.rpartition("@")[2] or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


class SqlNoticeArchive:
    """The notices port: notices in their table, their e-mails in the outbox, one transaction."""

    def __init__(
        self,
        uow: UnitOfWork,
        records: CaseRecords,
        settings: Settings,
        clock: Clock,
        on_issued: NoticeHook | None = None,
    ) -> None:
        self.uow = uow
        self.records = records
        self.sender = settings.smtp_sender
        self.clock = clock
        self.on_issued = on_issued  # e.g. queue the ``notice.issued`` webhook event, same transaction

    def for_step(self, step_key: str) -> Record | None:
        return _record(self.uow.notices.for_step(step_key))

    def notice(self, notice_number: str) -> Record | None:
        return _record(self.uow.notices.get(notice_number))

    def next_number(self, series: str) -> str:
        year = self.clock.now().year
        return f"RCP-{series}-{year}-{self.records.next_value(f'notice:{series}:{year}'):05d}"

    def store(self, notice: Record, email: Record | None) -> Record:
        digest = hashlib.sha256(notice["body"].encode() + b"\0" + notice["pdf"]).hexdigest()
        row = {**notice, "sha256": digest}
        self.uow.notices.add(row)
        if self.on_issued is not None:
            self.on_issued(self.uow, row)
        if email is not None:
            key = notice["step_key"]  # the step's key: a retried step never sends a second e-mail
            attachment = {
                "filename": f"{notice['notice_number']}.pdf",
                "content_type": "application/pdf",
                "data_base64": base64.b64encode(notice["pdf"]).decode("ascii"),
            }
            payload = {
                **email,
                "message_id": message_id(key, self.sender),
                "notice_number": notice["notice_number"],
                "attachments": [attachment],
            }
            self.uow.outbox.enqueue(
                key=key,
                kind="email",
                payload=payload,
                now=self.clock.now(),
                instance_id=notice["instance_id"],
            )
        return row

    def notify_staff(self, *, key: str, to: list[str], subject: str, text: str, instance_id: str) -> bool:
        outbox_key = f"{key}:staff"
        payload = {
            "to": to,
            "subject": subject,
            "text": text,
            "message_id": message_id(outbox_key, self.sender),
        }
        return self.uow.outbox.enqueue(
            key=outbox_key, kind="email", payload=payload, now=self.clock.now(), instance_id=instance_id
        )


def _record(notice: NoticeRow | None) -> Record | None:
    """Return a stored notice as the notices port hands records to handlers: a plain dict."""
    return cast("Record | None", notice)  # the same dict: a TypedDict is one at runtime
