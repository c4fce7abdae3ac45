"""Case documents as the staff pages show them: the case an instance belongs to, its list, one file.

A page names a case by one of its instances (``/cases/<instance_id>``); the documents belong to
the case number (business key). Whoever may open the case page may read its documents
(``casefile.may_see``; ``views.documents.may_read`` for the groups).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from service.errors import NotFound
from service.identity.actors import Actor
from service.store.rows.documents import DocumentRow
from service.views import casefile, documents

if TYPE_CHECKING:
    from service.services import Services

# Shown in the page itself (iframe or img); every other type is only ever downloaded.
PREVIEWED = {"application/pdf": "pdf", "image/png": "image", "image/jpeg": "image"}
KINDS = {
    "application/pdf": "PDF",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/tiff": "TIFF image",
    "text/plain": "Text",
    "text/csv": "CSV",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel workbook",
}


@dataclass(frozen=True)
class ShownDocument:
    """One row of the case page's document list."""

    item: documents.DocumentItem
    kind: str  # what people call the type: "PDF", "Word document" ...
    size: str  # "12 KB"
    preview: str | None  # "pdf", "image" or None (download only)


def case_key(services: Services, instance_id: str, actor: Actor) -> str:
    """Return the case number of an instance the actor may open (404 otherwise, or with no number)."""
    documents.may_read(actor)
    if not casefile.may_see(services, instance_id, actor):
        raise NotFound(f"process instance {instance_id} does not exist", instanceId=instance_id)
    with services.db.unit_of_work(readonly=True) as uow:
        row = uow.instances.get(instance_id)
    if row is None or not row.business_key:
        raise NotFound(f"process instance {instance_id} has no case number", instanceId=instance_id)
    return row.business_key


def listing(services: Services, business_key: str | None, actor: Actor) -> list[ShownDocument]:
    """Return a case's documents, oldest first, tombstones included (none without a case number).

    For the case page, which has checked that the actor may open the case (restoring its workflow
    once more here would double the page's cost); each document's own route checks again.
    """
    if not business_key:
        return []
    try:
        found = documents.listing(services, actor, business_key, 0, 500)
    except NotFound:
        return []
    return [
        ShownDocument(
            d, KINDS.get(d["mediaType"], d["mediaType"]), size_words(d["size"]), PREVIEWED.get(d["mediaType"])
        )
        for d in found
    ]


def content(
    services: Services, instance_id: str, document_id: str, actor: Actor
) -> tuple[DocumentRow, BinaryIO, str | None]:
    """Return a live document of the case, a stream of its bytes, and how a page may preview it."""
    row, stream = documents.content(services, actor, case_key(services, instance_id, actor), document_id)
    return row, stream, PREVIEWED.get(row["media_type"])


def size_words(size: int) -> str:
    """Say a size as people read it: bytes, KB or MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
