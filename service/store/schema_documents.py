"""Case documents' metadata: one row per attached document, written in its trigger's transaction.

The bytes live in a ``service.documents`` blob store under the content's SHA-256; a row is
written only after its blob, so no row points at nothing. Rows are never updated except to
leave a tombstone (deleted by a supervisor, or expired after the retention period).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table

from service.store.schema import ID, UtcDateTime, metadata

case_documents = Table(
    "case_documents",
    metadata,
    Column("id", ID, primary_key=True),
    Column("business_key", String(200), nullable=False),
    Column("instance_id", ID, ForeignKey("process_instances.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_by", String(200), nullable=False),
    Column("uploaded_at", UtcDateTime, nullable=False),
    # Its place among the case's documents: several attached at one instant keep the order sent.
    Column("seq", Integer, nullable=False, server_default="0"),
    # What the document answers: a request or round ("information request 2"), a message name.
    Column("answers", String(200)),
    Column("task_id", ID),  # the task whose form carried it (staff uploads)
    Column("supersedes", ID, ForeignKey("case_documents.id")),  # the document it corrects
    # The tombstone: who removed the bytes, when and why (a supervisor's reason, or retention).
    Column("deleted_at", UtcDateTime),
    Column("deleted_by", String(200)),
    Column("deleted_reason", String(500)),
    Index(None, "business_key", "uploaded_at", "id"),
    Index(None, "sha256"),
)
