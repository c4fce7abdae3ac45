"""Deployed process definitions, one row per (key, version)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, bindparam, func, insert, literal_column, select

from service.store.prepared import Prepared
from service.store.rows import DefinitionRow
from service.store.schema import process_definitions as t

_COLUMNS = list(t.c)
# LIMIT 1 written into the SQL, not bound: with LIMIT $n PostgreSQL's cached generic plan is
# costed for an unknown limit and, once a key has a few dozen versions, every execution is
# planned anew (as the audit insert was, repositories/audit.py).
_ONE: ColumnElement[int] = literal_column("1")
_NEWEST = (t.c.key == bindparam("key"), t.c.version.desc())
_LATEST = select(*_COLUMNS).where(_NEWEST[0]).order_by(_NEWEST[1]).limit(_ONE)
# Every start asks for it; the row itself (XML, forms) is immutable and cached by the catalog.
_LATEST_ID = Prepared(select(t.c.id).where(_NEWEST[0]).order_by(_NEWEST[1]).limit(_ONE))


def _row(r: Any) -> DefinitionRow:
    return DefinitionRow(**r._mapping)


class DefinitionRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, definition_id: int) -> DefinitionRow | None:
        r = self.conn.execute(select(*_COLUMNS).where(t.c.id == definition_id)).first()
        return _row(r) if r else None

    def latest(self, key: str) -> DefinitionRow | None:
        r = self.conn.execute(_LATEST, {"key": key}).first()
        return _row(r) if r else None

    def latest_id(self, key: str) -> int | None:
        r = _LATEST_ID.first(self.conn, {"key": key})
        return int(r["id"]) if r else None

    def by_version(self, key: str, version: int) -> DefinitionRow | None:
        r = self.conn.execute(select(*_COLUMNS).where(t.c.key == key, t.c.version == version)).first()
        return _row(r) if r else None

    def by_content(self, key: str, content_hash: str) -> DefinitionRow | None:
        """Return the newest version of ``key`` with exactly this content, if any."""
        r = self.conn.execute(
            select(*_COLUMNS)
            .where(t.c.key == key, t.c.content_hash == content_hash)
            .order_by(t.c.version.desc())
            .limit(1)
        ).first()
        return _row(r) if r else None

    def versions(self, key: str) -> list[DefinitionRow]:
        rows = self.conn.execute(select(*_COLUMNS).where(t.c.key == key).order_by(t.c.version)).all()
        return [_row(r) for r in rows]

    def latest_all(self) -> list[DefinitionRow]:
        newest = select(t.c.key, func.max(t.c.version).label("v")).group_by(t.c.key).subquery()
        rows = self.conn.execute(
            select(*_COLUMNS)
            .join(newest, (t.c.key == newest.c.key) & (t.c.version == newest.c.v))
            .order_by(t.c.key)
        ).all()
        return [_row(r) for r in rows]

    def starting_on_message(self, message_name: str) -> list[DefinitionRow]:
        return [d for d in self.latest_all() if message_name in d.start_messages]

    def add(self, **values: Any) -> int:
        result = self.conn.execute(insert(t).values(**values))
        return int(result.inserted_primary_key[0])  # type: ignore[index]
