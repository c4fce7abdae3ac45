"""Records rules on case documents: supervisors' deletion, retention expiry, the orphan sweep.

Neither deletion nor expiry removes the row: it becomes a tombstone (who, when, why) in the same
transaction as its audit entry. The bytes go afterwards, and only when no live row names them
(the same content may be attached to two cases) and they are older than the sweep's grace
period, so an upload that is about to commit its row never loses its blob.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from service.errors import FieldError, Forbidden, InvalidData, NotFound
from service.identity.actors import SYSTEM, Actor
from service.store import UnitOfWork
from service.store.rows.documents import DocumentRow, ExpiredDocumentRow

if TYPE_CHECKING:
    from service.services import Services

RETENTION_REASON = "retention period ended"
MAX_REASON = 500
SWEEP_EVERY = timedelta(minutes=10)  # listing a bucket is not free: the sweep is paced


def delete(services: Services, actor: Actor, business_key: str, document_id: str, reason: str) -> DocumentRow:
    """Tombstone a document (supervisors only, with a reason), audited; then release its bytes."""
    if not actor.is_supervisor:
        raise Forbidden("only supervisors may delete a case document")
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        flaw = f"give a reason (1 to {MAX_REASON} characters)"
        raise InvalidData(flaw, [FieldError("reason", flaw)])

    def work(uow: UnitOfWork) -> DocumentRow:
        row = uow.documents.get(document_id)
        if row is None or row["business_key"] != business_key:
            raise NotFound(f"case {business_key} has no document {document_id}", documentId=document_id)
        now = services.clock.now()
        if not uow.documents.tombstone(document_id, now, actor.name, reason):
            raise NotFound(f"document {document_id} was already deleted", documentId=document_id)
        _audit(uow, actor, row, now, "delete_document", reason)
        uow.commit()
        return row

    row = services.db.run(work)
    release(services, [row["sha256"]])
    return row


@dataclass(frozen=True)
class Expiry:
    """What ``expire`` found (and removed, when applied)."""

    closed_before: datetime
    documents: list[ExpiredDocumentRow]
    applied: bool


def expire(services: Services, *, apply: bool = False, actor: Actor = SYSTEM, limit: int = 500) -> Expiry:
    """List documents past retention; with ``apply``, tombstone them (audited) and release bytes."""
    years = services.settings.documents.retention_years
    now = services.clock.now()
    closed_before = (
        now.replace(year=now.year - years)
        if (now.month, now.day) != (2, 29)
        else now - timedelta(days=365 * years)
    )

    def work(uow: UnitOfWork) -> list[ExpiredDocumentRow]:
        found = uow.documents.expired(closed_before, limit)
        if apply:
            for doc in found:
                row = uow.documents.get(doc["id"])
                if row is not None and uow.documents.tombstone(doc["id"], now, actor.name, RETENTION_REASON):
                    _audit(uow, actor, row, now, "expire_document", RETENTION_REASON)
            uow.commit()
        return found

    found = services.db.run(work)
    if apply:
        release(services, [d["sha256"] for d in found])
    return Expiry(closed_before, found, apply)


def release(services: Services, shas: list[str]) -> int:
    """Remove blobs no live row names once they are older than the grace period; return how many."""
    with services.db.unit_of_work(readonly=True) as uow:
        kept = uow.documents.referenced(shas)
    # Blob times are the storage's wall-clock times, so they are compared with the wall clock; a
    # younger blob may be an upload of the same content about to commit its row (the sweep waits).
    cutoff = datetime.now(UTC) - services.settings.documents.sweep_grace
    removed = 0
    for sha in sorted(set(shas) - kept):
        blob = services.documents.info(sha)
        if blob is not None and blob.modified_at <= cutoff:
            services.documents.delete(sha)
            removed += 1
    return removed


def sweep_orphans(services: Services, grace: timedelta | None = None, batch: int = 1000) -> int:
    """Remove blobs no live row names (a crashed upload, a deletion) older than the grace period."""
    grace = services.settings.documents.sweep_grace if grace is None else grace
    cutoff = datetime.now(UTC) - grace  # wall clock, as the storage's own times are
    old = [b.sha256 for b in services.documents.blobs() if b.modified_at <= cutoff][:batch]
    with services.db.unit_of_work(readonly=True) as uow:
        kept = uow.documents.referenced(old)
    orphans = [s for s in old if s not in kept]
    for sha in orphans:
        services.documents.delete(sha)
    return len(orphans) + _sweep_scratch(services, cutoff)


def sweep_job(services: Services) -> int:
    """Run the orphan sweep at most every ``SWEEP_EVERY`` in this process (the periodic job)."""
    if not services.pacer.due("document-sweep", services.clock.now(), SWEEP_EVERY):
        return 0
    return sweep_orphans(services)


def _sweep_scratch(services: Services, cutoff: datetime) -> int:
    scratch = getattr(services.documents, "scratch_files", None)
    if scratch is None:
        return 0
    removed = 0
    for path, modified_at in scratch():
        if modified_at <= cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _audit(uow: UnitOfWork, actor: Actor, row: DocumentRow, at: datetime, action: str, reason: str) -> None:
    uow.audit.append(
        at=at,
        actor_kind=actor.kind,
        actor=actor.name,
        action=action,
        outcome="ok",
        instance_id=row["instance_id"],
        data={"documentId": row["id"], "name": row["name"], "sha256": row["sha256"], "reason": reason},
    )
