"""Read-side views of the program's records: notices (with e-mail delivery), cases, deadlines.

Notices stay in the outbox when no SMTP server is configured; these views show them, their text,
their PDF and whether their e-mail left, so the web and API can render them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from service.errors import Forbidden, NotFound
from service.identity.actors import Actor
from service.store.repositories.program_cases import CaseRecords
from service.store.rows import NoticeListingRow

if TYPE_CHECKING:
    from service.services import Services
    from service.store import UnitOfWork


def _may_read(actor: Actor) -> None:
    if actor.kind in ("system", "timer"):
        return
    if actor.kind == "integrator" and "read" in actor.scopes:
        return
    if actor.kind == "user" and actor.groups:
        return
    raise Forbidden("reading program records needs a staff group or the 'read' scope")


def may_read(actor: Actor) -> None:
    """Refuse an actor who may not read the program's records (Forbidden)."""
    _may_read(actor)


def _plain(value: Any) -> Any:
    """Return JSON-friendly values: ISO dates, decimal strings."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def notices(
    services: Services,
    actor: Actor,
    *,
    case_ref: str | None = None,
    instance_id: str | None = None,
    kind: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """List issued notices (newest last) with the delivery state of their e-mail."""
    _may_read(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        return notices_in(uow, case_ref=case_ref, instance_id=instance_id, kind=kind, limit=limit)


def notices_in(
    uow: UnitOfWork,
    *,
    case_ref: str | None = None,
    instance_id: str | None = None,
    kind: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """List issued notices as ``uow`` sees them (a caller reading more in the same transaction)."""
    rows = uow.notices.list(case_ref=case_ref, instance_id=instance_id, kind=kind, limit=limit)
    return [_notice_view(r) for r in rows]


def notice(services: Services, actor: Actor, notice_number: str) -> dict[str, Any]:
    """Return one notice with its full text."""
    _may_read(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        rows = uow.notices.list(notice_number=notice_number, limit=1)
    if not rows:
        raise NotFound(f"notice {notice_number} does not exist", noticeNumber=notice_number)
    return _notice_view(rows[0])


def notice_pdf(services: Services, actor: Actor, notice_number: str) -> bytes:
    """Return the PDF of a notice, exactly as issued."""
    _may_read(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        row = uow.notices.get(notice_number)
    if row is None:
        raise NotFound(f"notice {notice_number} does not exist", noticeNumber=notice_number)
    return bytes(row["pdf"])


def _notice_view(row: NoticeListingRow) -> dict[str, Any]:
    delivery = None
    if row.get("delivery_status") is not None:
        delivery = {
            "status": row["delivery_status"],
            "attempts": row["delivery_attempts"],
            "sentAt": _plain(row["delivery_sent_at"]),
            "lastError": row["delivery_last_error"],
        }
    return {
        "noticeNumber": row["notice_number"],
        "kind": row["kind"],
        "caseRef": row["case_ref"],
        "processInstanceId": row["instance_id"],
        "recipient": {
            "name": row["recipient_name"],
            "email": row["recipient_email"],
            "address": row["recipient_address"],
        },
        "issuedAt": _plain(row["issued_at"]),
        "issuedOn": _plain(row["issued_on"]),
        "ruleCited": row["rule_cited"],
        "subject": row["subject"],
        "text": row["body"],
        "sha256": row["sha256"],
        "facts": row["facts"],
        "email": delivery,  # None: the recipient has no e-mail address, so the notice goes by mail
    }


def recordkeeper(services: Services, actor: Actor, importer_number: str) -> dict[str, Any]:
    """Return a recordkeeper with its certification, violation history and removals."""
    _may_read(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        records = CaseRecords(uow.conn, services.clock.now)
        keeper = records.recordkeeper(importer_number)
        if keeper is None:
            raise NotFound(f"no recordkeeper {importer_number}", importerNumber=importer_number)
        history = records.violations(importer_number)
    return _plain({**keeper, "violations": history})


def application(services: Services, actor: Actor, application_number: str) -> dict[str, Any]:
    """Return an application with its suspension periods (start, end, days: §163.12(c)(1))."""
    _may_read(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        records = CaseRecords(uow.conn, services.clock.now)
        found = records.application(application_number)
        if found is None:
            raise NotFound(f"no application {application_number}", applicationNumber=application_number)
        suspensions = records.suspensions(application_number)
    return _plain({**found, "suspensions": suspensions})


def audit(services: Services, actor: Actor, audit_number: str) -> dict[str, Any]:
    """Return an audit with its missed deadlines."""
    _may_read(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        records = CaseRecords(uow.conn, services.clock.now)
        found = records.audit(audit_number)
        if found is None:
            raise NotFound(f"no audit {audit_number}", auditNumber=audit_number)
        misses = records.deadline_misses(audit_number)
    return _plain({**found, "deadline_misses": misses})


def missed_deadlines(services: Services, actor: Actor, case_ref: str) -> list[dict[str, Any]]:
    """Return the deadlines recorded as missed for a case (application, audit, demand, appeal)."""
    _may_read(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        return [_plain(m) for m in CaseRecords(uow.conn, services.clock.now).deadline_misses(case_ref)]


def removal(services: Services, actor: Actor, removal_number: str) -> dict[str, Any]:
    """Return a removal of certification and when it took effect (§163.13(c)(3))."""
    _may_read(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        found = CaseRecords(uow.conn, services.clock.now).removal(removal_number)
    if found is None:
        raise NotFound(f"no removal {removal_number}", removalNumber=removal_number)
    return _plain(found)


def appeal(services: Services, actor: Actor, appeal_number: str) -> dict[str, Any]:
    """Return an appeal: receipt, timeliness, decision due date, delays and decision (§163.13(d))."""
    _may_read(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        found = CaseRecords(uow.conn, services.clock.now).appeal(appeal_number)
    if found is None:
        raise NotFound(f"no appeal {appeal_number}", appealNumber=appeal_number)
    return _plain(found)


def appeals_of(services: Services, actor: Actor, notice_number: str) -> list[dict[str, Any]]:
    """Return the appeals received against a notice (of denial or removal), oldest first."""
    _may_read(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        return [_plain(a) for a in CaseRecords(uow.conn, services.clock.now).appeals_of(notice_number)]
