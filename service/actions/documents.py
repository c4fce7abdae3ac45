"""Attach documents to a case: the blob first (content-addressed, idempotent), then its row.

Signatures other layers call (the API, the staff pages, the case export):

- ``stage(services, upload) -> Staged``: check the name (422), store the bytes under their
  SHA-256 with the size limit (413, ``RCP_DOCUMENT_MAX_BYTES``), tell the type from the content
  (415). Writes no row; a staged blob whose row never commits is removed by the sweep
  (``document_records.sweep_orphans``) after the grace period.
- ``record(uow, staged, case, actor, at) -> DocumentRow``: write the row and its audit entry in
  the caller's transaction (a task completion attaching the files of its form calls this).
- ``attach(services, actor, business_key, uploads, about) -> list[DocumentRow]``: stage every
  upload, then one transaction writing their rows (``POST /api/v1/cases/{key}/documents``).
- ``document_records``: ``delete`` (supervisors, with a reason: a tombstone), ``expire`` (the
  retention period), ``sweep_orphans`` (blobs without a live row).
- Reading: ``service.views.documents`` (``listing``, ``one``, ``content``).

Records rules: what the applicant sent for §163.12(c)(1) or a demand under §163.6(a) is evidence,
so a document is never changed once attached; a correction is a new document that ``supersedes``
the old one. How long it is kept is configuration (RULES.md names no period for the program's own
files): ``RCP_DOCUMENT_RETENTION_YEARS``, five by default, counted from the case's closing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from service.documents import names, sniff
from service.documents.port import Readable, TooLarge
from service.errors import FieldError, InvalidData, NotFound, ServiceError
from service.identity.actors import Actor
from service.ids import new_id
from service.store import UnitOfWork
from service.store.rows.documents import DocumentRow
from service.views import documents

if TYPE_CHECKING:
    from service.services import Services


class DocumentTooLarge(ServiceError):
    status = 413
    title = "Payload too large"
    type_slug = "payload-too-large"


class UnsupportedDocument(ServiceError):
    status = 415
    title = "Unsupported media type"
    type_slug = "unsupported-media-type"


@dataclass(frozen=True)
class Upload:
    """One file as received: its name as sent and its bytes (read once, in chunks)."""

    name: str
    stream: Readable
    field: str = "file"  # the form field that carried it, named in refusals


@dataclass(frozen=True)
class Staged:
    """A document whose bytes are stored and checked, waiting for its row."""

    name: str
    media_type: str
    sha256: str
    size: int


@dataclass(frozen=True)
class About:
    """What a document answers and corrects (all optional)."""

    answers: str | None = None  # the request or round, e.g. "information request 2"
    task_id: str | None = None  # the task whose form carried it
    supersedes: str | None = None  # the id of the document it corrects, on the same case


def stage(services: Services, upload: Upload) -> Staged:
    """Check and store one upload's bytes; refuse (422, 413, 415) before any row exists."""
    flaw = names.problem(upload.name)
    if flaw is not None:
        raise InvalidData(flaw, [FieldError(upload.field, flaw)])
    head = upload.stream.read(sniff.HEAD)
    media_type = sniff.media_type(head, upload.name)
    if media_type is None:
        detail = f"{upload.name}: the content is not {sniff.ACCEPTED_WORDS}"
        raise UnsupportedDocument(detail, field=upload.field, accepted=list(sniff.ACCEPTED))
    limit = services.settings.documents.max_bytes
    try:
        stored = services.documents.put(Prefixed(head, upload.stream), limit)
    except TooLarge:
        raise DocumentTooLarge(f"{upload.name} is larger than {limit} bytes", field=upload.field) from None
    return Staged(upload.name, media_type, stored.sha256, stored.size)


def record(
    uow: UnitOfWork, staged: Staged, case: str, actor: Actor, at: datetime, about: About = About()
) -> DocumentRow:
    """Write a staged document's row and audit entry in the caller's transaction."""
    instance_id = uow.documents.case_instance(case)
    if instance_id is None:
        raise NotFound(f"no case has the number {case}", businessKey=case)
    if about.supersedes is not None:
        _check_superseded(uow, case, about.supersedes)
    row = DocumentRow(
        id=new_id(),
        business_key=case,
        instance_id=instance_id,
        name=staged.name,
        media_type=staged.media_type,
        size=staged.size,
        sha256=staged.sha256,
        uploaded_by=actor.name,
        uploaded_at=at,
        answers=about.answers,
        task_id=about.task_id,
        supersedes=about.supersedes,
        deleted_at=None,
        deleted_by=None,
        deleted_reason=None,
    )
    uow.documents.add(row)
    uow.audit.append(
        at=at,
        actor_kind=actor.kind,
        actor=actor.name,
        action="attach_document",
        outcome="ok",
        instance_id=instance_id,
        task_id=about.task_id,
        data={"documentId": row["id"], "name": staged.name, "sha256": staged.sha256, "size": staged.size},
    )
    return row


def attach(
    services: Services, actor: Actor, business_key: str, uploads: list[Upload], about: About = About()
) -> list[DocumentRow]:
    """Store the uploads' bytes, then write all their rows in one transaction."""
    documents.may_read(actor)
    if not uploads:
        raise InvalidData("send at least one file", [FieldError("file", "is required")])
    with services.db.unit_of_work(readonly=True) as uow:  # an unknown case is said before any check
        if uow.documents.case_instance(business_key) is None:
            raise NotFound(f"no case has the number {business_key}", businessKey=business_key)
    staged = [stage(services, u) for u in uploads]

    def work(uow: UnitOfWork) -> list[DocumentRow]:
        now = services.clock.now()
        rows = [record(uow, s, business_key, actor, now, about) for s in staged]
        uow.commit()
        return rows

    return services.db.run(work)


def _check_superseded(uow: UnitOfWork, case: str, document_id: str) -> None:
    old = uow.documents.get(document_id)
    if old is None or old["business_key"] != case:
        flaw = f"no document {document_id} on case {case}"
        raise InvalidData(flaw, [FieldError("supersedes", flaw)])


class Prefixed:
    """A stream that yields ``head`` and then the rest of ``tail`` (the sniffed bytes go first)."""

    def __init__(self, head: bytes, tail: Readable) -> None:
        self._head = head
        self._tail = tail

    def read(self, size: int = -1) -> bytes:
        if self._head:
            taken = self._head if size < 0 else self._head[:size]
            self._head = self._head[len(taken) :]
            return taken
        return self._tail.read(size)
