"""Case documents' metadata: written once, tombstoned, never otherwise changed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, and_, case, func, insert, select, update

from service.store.rows.documents import DocumentRow, ExpiredDocumentRow
from service.store.schema import process_instances as pi
from service.store.schema_documents import case_documents as t
from service.store.typed import typed_row, typed_rows

CLOSED = ("completed", "cancelled")


class DocumentRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, row: DocumentRow) -> None:
        """Write a document's row (its blob is already stored), after the case's others."""
        after = select(func.coalesce(func.max(t.c.seq), 0) + 1).where(t.c.business_key == row["business_key"])
        self.conn.execute(insert(t).values(**row, seq=after.scalar_subquery()))

    def get(self, document_id: str) -> DocumentRow | None:
        return typed_row(DocumentRow, self.conn.execute(select(t).where(t.c.id == document_id)).first())

    def for_case(self, business_key: str, offset: int = 0, limit: int = 100) -> list[DocumentRow]:
        """Return a case's documents, tombstones included, oldest first."""
        query = (
            select(t)
            .where(t.c.business_key == business_key)
            .order_by(t.c.uploaded_at, t.c.seq, t.c.id)
            .offset(offset)
            .limit(limit)
        )
        return typed_rows(DocumentRow, self.conn.execute(query))

    def successors(self, ids: Iterable[str]) -> dict[str, str]:
        """Return, for each of ``ids`` a later document corrects, the newest such document's id."""
        wanted = list(ids)
        if not wanted:
            return {}
        query = (
            select(t.c.supersedes, t.c.id)
            .where(t.c.supersedes.in_(wanted))
            .order_by(t.c.uploaded_at, t.c.seq)
        )
        return {old: new for old, new in self.conn.execute(query) if old is not None}

    def tombstone(self, document_id: str, at: datetime, by: str, reason: str) -> bool:
        """Leave only the tombstone of a live document; return False when it was already gone."""
        done = self.conn.execute(
            update(t)
            .where(t.c.id == document_id, t.c.deleted_at.is_(None))
            .values(deleted_at=at, deleted_by=by, deleted_reason=reason)
        )
        return done.rowcount == 1

    def referenced(self, shas: Iterable[str]) -> set[str]:
        """Return which of these blobs a live row still names."""
        wanted = list(shas)
        if not wanted:
            return set()
        query = select(t.c.sha256).where(t.c.sha256.in_(wanted), t.c.deleted_at.is_(None)).distinct()
        return set(self.conn.scalars(query))

    def expired(self, closed_before: datetime, limit: int = 500) -> list[ExpiredDocumentRow]:
        """Return live documents of cases whose every instance closed before ``closed_before``."""
        cases = (
            select(
                pi.c.business_key.label("key"),
                func.max(pi.c.completed_at).label("closed_at"),
                func.sum(case((pi.c.status.not_in(CLOSED), 1), else_=0)).label("open"),
            )
            .where(pi.c.business_key.is_not(None))
            .group_by(pi.c.business_key)
            .subquery()
        )
        query = (
            select(t.c.id, t.c.business_key, t.c.name, t.c.sha256, cases.c.closed_at)
            .join(cases, cases.c.key == t.c.business_key)
            .where(
                t.c.deleted_at.is_(None),
                and_(cases.c.open == 0, cases.c.closed_at.is_not(None), cases.c.closed_at < closed_before),
            )
            .order_by(cases.c.closed_at, t.c.id)
            .limit(limit)
        )
        return typed_rows(ExpiredDocumentRow, self.conn.execute(query))

    def case_instance(self, business_key: str) -> str | None:
        """Return the first instance started under ``business_key`` (the case a document joins)."""
        query = (
            select(pi.c.id)
            .where(pi.c.business_key == business_key)
            .order_by(pi.c.created_at, pi.c.id)
            .limit(1)
        )
        return self.conn.scalar(query)
