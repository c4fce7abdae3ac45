"""Analysts' diagram drafts, case migrations between versions, and running cases per version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from service.store.rows import CaseMigrationRow, DiagramDraftRow, DiagramDraftSummaryRow
from service.store.schema import process_instances as pi
from service.store.schema_modeler import case_migrations as cm
from service.store.schema_modeler import diagram_drafts as dd
from service.store.typed import typed_row, typed_rows

FINISHED = ("completed", "cancelled")


class DraftRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, **values: Any) -> None:
        self.conn.execute(insert(dd).values(**values))

    def update(self, draft_id: str, owner: str, **values: Any) -> bool:
        """Change an owner's draft; False when the owner has no draft of that id."""
        result = self.conn.execute(
            update(dd).where(dd.c.id == draft_id, dd.c.owner == owner).values(**values)
        )
        return result.rowcount == 1

    def get(self, draft_id: str, owner: str) -> DiagramDraftRow | None:
        r = self.conn.execute(select(dd).where(dd.c.id == draft_id, dd.c.owner == owner)).first()
        return typed_row(DiagramDraftRow, r)

    def list_for(self, owner: str) -> list[DiagramDraftSummaryRow]:
        """Return an owner's drafts, newest first, without their XML."""
        columns = [c for c in dd.c if c.name != "bpmn_xml"]
        rows = self.conn.execute(
            select(*columns).where(dd.c.owner == owner).order_by(dd.c.updated_at.desc(), dd.c.id)
        )
        return typed_rows(DiagramDraftSummaryRow, rows)

    def delete(self, draft_id: str, owner: str) -> bool:
        result = self.conn.execute(delete(dd).where(dd.c.id == draft_id, dd.c.owner == owner))
        return result.rowcount == 1


class CaseMigrationRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def running_counts(self, process_key: str) -> dict[int, int]:
        """Return the number of running cases per definition id of a process."""
        rows = self.conn.execute(
            select(pi.c.definition_id, func.count())
            .where(pi.c.process_key == process_key, pi.c.status.not_in(FINISHED))
            .group_by(pi.c.definition_id)
        )
        return {int(r[0]): int(r[1]) for r in rows}

    def running_on(self, definition_id: int, limit: int) -> list[str]:
        """Return the ids of running cases pinned to a definition, oldest first."""
        rows = self.conn.execute(
            select(pi.c.id)
            .where(pi.c.definition_id == definition_id, pi.c.status.not_in(FINISHED))
            .order_by(pi.c.created_at, pi.c.id)
            .limit(limit)
        )
        return list(rows.scalars())

    def repin(self, instance_id: str, definition_id: int, called_definitions: dict[str, int]) -> None:
        """Point a case at another definition version (inside its migration's transaction)."""
        self.conn.execute(
            update(pi)
            .where(pi.c.id == instance_id)
            .values(definition_id=definition_id, called_definitions=called_definitions)
        )

    def record(self, **values: Any) -> None:
        self.conn.execute(insert(cm).values(**values))

    def for_instance(self, instance_id: str) -> list[CaseMigrationRow]:
        rows = self.conn.execute(select(cm).where(cm.c.instance_id == instance_id).order_by(cm.c.id))
        return typed_rows(CaseMigrationRow, rows)

    def into(self, definition_id: int) -> list[CaseMigrationRow]:
        rows = self.conn.execute(select(cm).where(cm.c.to_definition_id == definition_id).order_by(cm.c.id))
        return typed_rows(CaseMigrationRow, rows)
