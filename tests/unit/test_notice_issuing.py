"""Notices are issued once per step, from configuration, as text and a deterministic PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from handlers.deadlines import appeal_decision_due, appeal_window_closes, conference_due, report_copy_due
from handlers.notices import Letter, NoticeIssuer, Recipient, Stamp
from handlers.pdf import latin1, render_pdf
from handlers.registry import CallContext

PROGRAM = {"agency": {"name": "U.S. Customs and Border Protection"}}
OFFICE = {"name": "Regulatory Audit Field Office", "address": "Miami, Florida", "director_title": "Director"}
NOW = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)


class FakeArchive:
    """An in-memory NoticeArchive: keeps notices and e-mails like the SQL adapter does."""

    def __init__(self) -> None:
        self.notices: dict[str, dict[str, Any]] = {}
        self.emails: list[dict[str, Any]] = []
        self.numbers = 0

    def for_step(self, step_key: str) -> dict[str, Any] | None:
        return next((n for n in self.notices.values() if n["step_key"] == step_key), None)

    def notice(self, notice_number: str) -> dict[str, Any] | None:
        return self.notices.get(notice_number)

    def next_number(self, series: str) -> str:
        self.numbers += 1
        return f"RCP-{series}-2026-{self.numbers:05d}"

    def store(self, notice: dict[str, Any], email: dict[str, Any] | None) -> dict[str, Any]:
        self.notices[notice["notice_number"]] = notice
        if email is not None:
            self.emails.append(email)
        return notice

    def notify_staff(self, *, key: str, to: list[str], subject: str, text: str, instance_id: str) -> bool:
        return True


def _letter(stamp: Stamp) -> Letter:
    return Letter(
        kind="denial",
        case_ref="A-1",
        recipient=Recipient("Harbor Imports LLC", "c@harbor.example", "1 Pier Road\nBaltimore"),
        rule_cited="19 CFR 163.13(b)",
        subject="Notice of denial of certification",
        paragraphs=[f"Appeal by {appeal_window_closes(stamp.issued_on).isoformat()}."],
        office=OFFICE,
        signer="director_title",
        facts={"appeal_window_closes_on": appeal_window_closes(stamp.issued_on).isoformat()},
    )


def test_a_step_issues_its_notice_once_however_often_it_runs() -> None:
    archive = FakeArchive()
    issuer = NoticeIssuer(archive, PROGRAM, lambda: NOW)
    call = CallContext("instance-1", "A-1", "application_review", "task-7", "send_denial")

    first = issuer.issue(call, "DEN", _letter)
    again = issuer.issue(call, "DEN", _letter)

    assert first == again
    assert first["notice_number"] == "RCP-DEN-2026-00001"
    assert first["appeal_window_closes_on"] == "2026-02-04"
    assert len(archive.notices) == 1 and len(archive.emails) == 1


def test_the_text_carries_letterhead_recipient_number_date_signature_and_rule() -> None:
    archive = FakeArchive()
    NoticeIssuer(archive, PROGRAM, lambda: NOW).issue(CallContext("i", None, "p", "t", "n"), "DEN", _letter)

    [notice] = archive.notices.values()
    assert notice["body"].splitlines()[:3] == [
        "U.S. Customs and Border Protection",
        "Regulatory Audit Field Office",
        "Miami, Florida",
    ]
    assert "Notice RCP-DEN-2026-00001, issued 2026-01-05" in notice["body"]
    assert "To: Harbor Imports LLC\n    1 Pier Road\n    Baltimore" in notice["body"]
    assert (
        notice["body"]
        .rstrip()
        .endswith("Director\nRegulatory Audit Field Office\n\nRule cited: 19 CFR 163.13(b)")
    )
    assert notice["pdf"].startswith(b"%PDF-")


def test_the_same_notice_renders_the_same_pdf_bytes() -> None:
    pages = [
        render_pdf(title="T", header=["CBP"], body=["§163.12(d)(2)(i) \u2013 a dash"], issued_at=NOW)
        for _ in range(2)
    ]

    assert pages[0] == pages[1]
    assert latin1("§ \u2013 \u201cquoted\u201d \u2026") == '§ - "quoted" ...'


def test_deadlines_count_calendar_days_from_the_rule_start_date() -> None:
    assert conference_due(date(2026, 1, 5)) == date(2026, 1, 20)  # §163.11(b)
    assert report_copy_due(date(2026, 1, 31)) == date(2026, 3, 2)  # §163.11(a)(6), no weekend shift
    assert appeal_window_closes(date(2026, 2, 27)) == date(2026, 3, 29)  # §163.13(d), a Sunday stays
    assert appeal_decision_due(date(2026, 12, 15)) == date(2027, 1, 14)  # §163.13(d)
