"""Case documents' rows (``case_documents``): what views, actions and the API read."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict


class DocumentRow(TypedDict):
    """One attached document's metadata; ``deleted_at`` set means only the tombstone is left."""

    id: str
    business_key: str
    instance_id: str
    name: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    answers: str | None
    task_id: str | None
    supersedes: str | None
    deleted_at: datetime | None
    deleted_by: str | None
    deleted_reason: str | None


class ExpiredDocumentRow(TypedDict):
    """A live document whose case closed longer ago than the retention period."""

    id: str
    business_key: str
    name: str
    sha256: str
    closed_at: datetime
