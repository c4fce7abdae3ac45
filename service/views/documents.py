"""Read case documents: a case's list, one document's metadata, its bytes. Never writes.

Who may read: staff (any program group) and integrators holding the ``documents`` scope
(the API checks the scope; ``may_read`` here refuses everyone else).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, BinaryIO, TypedDict

from service.documents.port import BlobMissing
from service.errors import Forbidden, NotFound, ServiceError
from service.identity.actors import Actor
from service.store.rows.documents import DocumentRow

log = logging.getLogger("rcp.documents")


class ContentMissing(ServiceError):
    """A live document whose bytes are gone from the store: the service's fault, not the caller's."""

    status = 500
    title = "Document content missing"


if TYPE_CHECKING:
    from service.services import Services
    from service.store import UnitOfWork


class DocumentItem(TypedDict):
    """A document as the API and pages show it (camelCase, ISO times)."""

    id: str
    businessKey: str
    instanceId: str
    name: str
    mediaType: str
    size: int
    sha256: str
    uploadedBy: str
    uploadedAt: str
    answers: str | None
    taskId: str | None
    supersedes: str | None
    supersededBy: str | None
    deleted: DeletedItem | None


class DeletedItem(TypedDict):
    at: str
    by: str
    reason: str


def may_read(actor: Actor) -> None:
    """Refuse an actor who may not read or attach case documents (Forbidden)."""
    if actor.kind == "integrator" and "documents" not in actor.scopes:
        raise Forbidden("reading documents needs the 'documents' scope", requiredScope="documents")
    if actor.kind == "user" and not actor.groups:
        raise Forbidden("reading documents needs a staff group")


def listing(
    services: Services, actor: Actor, business_key: str, offset: int = 0, count: int = 100
) -> list[DocumentItem]:
    """Return one page of a case's documents (tombstones included), oldest first."""
    may_read(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        if offset == 0 and uow.documents.case_instance(business_key) is None:
            raise NotFound(f"no case has the number {business_key}", businessKey=business_key)
        rows = uow.documents.for_case(business_key, offset, count)
        later = uow.documents.successors([r["id"] for r in rows])
    return [item(r, later.get(r["id"])) for r in rows]


def one(services: Services, actor: Actor, business_key: str, document_id: str) -> DocumentItem:
    """Return one document of the case (404 when the case has no such document)."""
    may_read(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        row = _row(uow.documents.get(document_id), business_key, document_id)
        later = uow.documents.successors([row["id"]])
    return item(row, later.get(row["id"]))


def content(
    services: Services, actor: Actor, business_key: str, document_id: str
) -> tuple[DocumentRow, BinaryIO]:
    """Return a live document's row and a stream of its bytes (404 for a tombstone)."""
    may_read(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        row = _row(uow.documents.get(document_id), business_key, document_id)
    if row["deleted_at"] is not None:
        raise NotFound(f"document {document_id} was deleted: {row['deleted_reason']}", documentId=document_id)
    try:
        return row, services.documents.open(row["sha256"])
    except BlobMissing:
        # A row never points at a missing blob unless someone removed it from the store by hand.
        log.error(
            "document %s of case %s: blob %s is missing from the store",
            document_id,
            business_key,
            row["sha256"],
        )
        raise ContentMissing(
            f"the content of document {document_id} is missing from the document store; "
            "the operators have been told (restore it from a backup)",
            documentId=document_id,
        ) from None


def on_case(uow: UnitOfWork, business_key: str) -> list[DocumentItem]:
    """Return a case's documents (metadata only) inside the caller's read (the case view)."""
    rows = uow.documents.for_case(business_key, 0, 1000)
    later = uow.documents.successors([r["id"] for r in rows])
    return [item(r, later.get(r["id"])) for r in rows]


def _row(row: DocumentRow | None, business_key: str, document_id: str) -> DocumentRow:
    if row is None or row["business_key"] != business_key:
        raise NotFound(f"case {business_key} has no document {document_id}", documentId=document_id)
    return row


def item(row: DocumentRow, superseded_by: str | None = None) -> DocumentItem:
    """Return a document row as the API and pages show it."""
    deleted: DeletedItem | None = None
    if row["deleted_at"] is not None:
        deleted = DeletedItem(
            at=row["deleted_at"].isoformat(), by=row["deleted_by"] or "", reason=row["deleted_reason"] or ""
        )
    return DocumentItem(
        id=row["id"],
        businessKey=row["business_key"],
        instanceId=row["instance_id"],
        name=row["name"],
        mediaType=row["media_type"],
        size=row["size"],
        sha256=row["sha256"],
        uploadedBy=row["uploaded_by"],
        uploadedAt=row["uploaded_at"].isoformat(),
        answers=row["answers"],
        taskId=row["task_id"],
        supersedes=row["supersedes"],
        supersededBy=superseded_by,
        deleted=deleted,
    )
