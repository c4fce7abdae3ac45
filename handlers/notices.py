"""The notification port and the one way a notice is issued.

A notice is a stored, immutable document: recipient, date issued, rule cited, rendered text and a
PDF. The archive (``service/store/adapters.py``) writes it and its e-mail to the outbox in the
transaction of the step that issues it; the step's key makes a retried step find the notice it
already issued instead of issuing a second one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any, Protocol

from .deadlines import deadline_zone
from .pdf import render_pdf
from .records import Record
from .registry import CallContext


class NoticeArchive(Protocol):
    """Where notices are kept and from where their e-mails leave (``Ports.notices``)."""

    def for_step(self, step_key: str) -> Record | None: ...

    def notice(self, notice_number: str) -> Record | None: ...

    def next_number(self, series: str) -> str: ...

    def store(self, notice: Record, email: Record | None) -> Record: ...

    def notify_staff(self, *, key: str, to: list[str], subject: str, text: str, instance_id: str) -> bool: ...


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Stamp:
    """The number and date a notice gets when it is issued."""

    number: str
    issued_at: datetime
    zone: tzinfo = UTC  # the offices' zone: a notice is dated by their calendar

    @property
    def issued_on(self) -> date:
        return self.issued_at.astimezone(self.zone).date()


@dataclass(frozen=True)
class Letter:
    """What a notice says: composed by a template once the notice has its number and date."""

    kind: str
    case_ref: str
    recipient: Recipient
    rule_cited: str
    subject: str
    paragraphs: list[str]
    office: dict[str, Any]
    signer: str
    facts: dict[str, Any] = field(default_factory=dict)


Compose = Callable[[Stamp], Letter]


class NoticeIssuer:
    """Issue notices through the archive: number, date, text, PDF, e-mail, once per step."""

    def __init__(self, archive: NoticeArchive, program: dict[str, Any], now: Callable[[], datetime]) -> None:
        self.archive = archive
        self.program = program
        self.now = now

    def issue(self, call: CallContext, series: str, compose: Compose) -> dict[str, Any]:
        """Issue the notice ``compose`` writes, or return the one this step already issued."""
        existing = self.archive.for_step(call.step_key)
        if existing is not None:
            return summary(existing)
        stamp = Stamp(self.archive.next_number(series), self.now(), deadline_zone(self.program))
        letter = compose(stamp)
        header = letterhead(self.program, letter.office)
        text = render_text(header, stamp, letter)
        pdf = render_pdf(
            title=f"{letter.subject} ({stamp.number})",
            header=header,
            body=text.split("\n\n")[1:],
            issued_at=stamp.issued_at,
        )
        return summary(
            self.archive.store(_record(call, stamp, letter, text, pdf), _email(stamp, letter, text))
        )


def _record(call: CallContext, stamp: Stamp, letter: Letter, text: str, pdf: bytes) -> Record:
    """Return the notice as the archive keeps it: who, when, which rule, what it said."""
    return {
        "notice_number": stamp.number,
        "step_key": call.step_key,
        "kind": letter.kind,
        "case_ref": letter.case_ref,
        "instance_id": call.instance_id,
        "recipient_name": letter.recipient.name,
        "recipient_email": letter.recipient.email,
        "recipient_address": letter.recipient.address,
        "issued_at": stamp.issued_at,
        "issued_on": stamp.issued_on,
        "rule_cited": letter.rule_cited,
        "subject": letter.subject,
        "body": text,
        "pdf": pdf,
        "facts": letter.facts,
    }


def _email(stamp: Stamp, letter: Letter, text: str) -> Record | None:
    """Return the notice's e-mail, or None when the recipient has no address (it goes by mail)."""
    if not letter.recipient.email:
        return None
    return {
        "to": [letter.recipient.email],
        "reply_to": letter.office.get("email"),
        "subject": f"{letter.subject} ({stamp.number})",
        "text": text,
    }


def summary(notice: Record) -> dict[str, Any]:
    """Return what the diagram needs to know about an issued notice (JSON-able)."""
    issued_on = notice["issued_on"]
    return {
        "notice_number": notice["notice_number"],
        "kind": notice["kind"],
        "issued_on": issued_on.isoformat() if isinstance(issued_on, date) else issued_on,
        "rule_cited": notice["rule_cited"],
        **notice["facts"],
    }


def letterhead(program: dict[str, Any], office: dict[str, Any]) -> list[str]:
    """Return the agency, office and address lines, all from configuration."""
    agency = program.get("agency", {}).get("name", "")
    return [line for line in (agency, office.get("name", ""), office.get("address", "")) if line]


def render_text(header: list[str], stamp: Stamp, letter: Letter) -> str:
    """Return the notice's full text: letterhead, number and date, recipient, body, signature."""
    to = [f"To: {letter.recipient.name}"]
    if letter.recipient.address:
        to += [f"    {line}" for line in letter.recipient.address.splitlines()]
    blocks = [
        "\n".join(header),
        f"{letter.subject}\nNotice {stamp.number}, issued {stamp.issued_on.isoformat()}",
        "\n".join(to),
        *letter.paragraphs,
        f"{letter.office.get(letter.signer, '')}\n{letter.office.get('name', '')}",
        f"Rule cited: {letter.rule_cited}",
    ]
    return "\n\n".join(blocks) + "\n"


def office(program: dict[str, Any], section: str) -> dict[str, Any]:
    """Return an office of the configuration, failing clearly when it is missing."""
    found = program.get(section)
    if not isinstance(found, dict):
        raise LookupError(f"program configuration has no [{section}] section")
    return found
