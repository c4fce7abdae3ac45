"""The case list: one search row per instance, kept by the trigger path and read a page at a time."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, bindparam, exists, or_, select, text, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from service.store.prepared import Prepared
from service.store.rows.cases import CaseEntry, CaseListRow, CaseSlice
from service.store.schema import process_instances as pi
from service.store.schema_cases import case_index as ci
from service.store.schema_cases import case_lanes as cl
from service.store.schema_program import notices as nt
from service.store.typed import typed_rows

PREFIX_END = chr(0x10FFFF)  # sorts after every character, so [p, p + END) holds every text starting p
_SORTS: dict[str, Any] = {
    "case": ci.c.key_search,
    "process": ci.c.process_key,
    "applicant": ci.c.applicant_search,
    "status": pi.c.status,
    "stage": ci.c.stage,
    "started": ci.c.started_at,
}
_PG_STAGES = text(
    "WITH RECURSIVE hop(stage, n) AS ("
    " SELECT min(stage), 1 FROM case_index"
    " UNION ALL SELECT (SELECT min(stage) FROM case_index WHERE stage > hop.stage), n + 1"
    " FROM hop WHERE hop.stage IS NOT NULL AND n < 200"
    ") SELECT stage FROM hop WHERE stage IS NOT NULL ORDER BY stage"
)
_COLUMNS = (
    *(ci.c[n] for n in ("instance_id", "process_key", "business_key", "applicant", "stage", "due_at")),
    ci.c.started_at,
    *(pi.c[n] for n in ("status", "suspended", "has_incident", "completed_at")),
)


_REFRESHED = (
    *("process_key", "business_key", "key_search", "applicant", "applicant_search", "importer_search"),
    *("status", "stage", "due_at"),
)


def _record_statements(dialect_insert: Any) -> tuple[Prepared, Prepared]:
    """Build the row's upsert (started_at kept) and the lanes' insert for one dialect."""
    row = dialect_insert(ci)
    upsert = row.on_conflict_do_update(
        index_elements=[ci.c.instance_id], set_={n: row.excluded[n] for n in _REFRESHED}
    )
    lanes = dialect_insert(cl).on_conflict_do_nothing()
    return (
        Prepared(upsert, column_keys=["instance_id", "started_at", *_REFRESHED]),
        Prepared(lanes, column_keys=["instance_id", "lane"]),
    )


# Every trigger writes them: one statement each, built once, sent without waiting on PostgreSQL.
_RECORD = {"postgresql": _record_statements(pg_insert), "sqlite": _record_statements(sqlite_insert)}


@cache
def _update_statement(columns: frozenset[str]) -> Prepared:
    """Build the update of some columns of a row known to exist (started_at never changes)."""
    return Prepared(
        update(ci)
        .where(ci.c.instance_id == bindparam("id"))
        .values(**{c: bindparam(c) for c in sorted(columns)})
    )


def _row_values(entry: CaseEntry) -> dict[str, Any]:
    """Return the upsert's values of an entry (started_at is kept when the row exists)."""
    return {
        "instance_id": entry.instance_id,
        "started_at": entry.started_at,
        "process_key": entry.process_key,
        "business_key": entry.business_key,
        "key_search": lowered(entry.business_key),
        "applicant": entry.applicant,
        "applicant_search": lowered(entry.applicant),
        "importer_search": lowered(entry.importer_number),
        "status": entry.status,
        "stage": entry.stage,
        "due_at": entry.due_at,
    }


def lowered(text: str | None) -> str | None:
    """Return text as the search columns hold it: spaces folded, lower case, at most 300 characters."""
    return " ".join(text.split()).lower()[:300] or None if text else None


def starts_with(column: Any, text: str) -> ColumnElement[bool]:
    """Return a prefix match an index can serve as a range (no LIKE)."""
    return and_(column >= text, column < text + PREFIX_END)


class CaseRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        # Per instance, its row as this transaction knows the table holds it (``assume``,
        # ``record``), with every lane known to be in case_lanes.
        self._known: dict[str, CaseEntry] = {}

    def assume(self, entry: CaseEntry) -> None:
        """Take ``entry`` as the instance's row, so a ``record`` of the same values writes nothing.

        Only for what the commit of the instance's current version recorded, under its lock: the
        trigger path is the only writer of these rows.
        """
        self._known[entry.instance_id] = entry

    def recorded(self, instance_id: str) -> CaseEntry | None:
        """Return the instance's row as this transaction recorded or assumed it."""
        return self._known.get(instance_id)

    def record(self, entry: CaseEntry) -> None:
        """Write or refresh the instance's search row and add the lanes its open tasks are in.

        A row equal to the one known to be stored is not written again (nor its indexes), and
        lanes known to be stored are not inserted again.
        """
        known = self._known.get(entry.instance_id)
        stored_lanes = set(known.lanes) if known is not None else set()
        lanes = sorted(set(entry.lanes) - stored_lanes)
        self._known[entry.instance_id] = replace(entry, lanes=tuple(sorted(stored_lanes.union(entry.lanes))))
        upsert, insert_lanes = _RECORD[self.conn.dialect.name]
        values = _row_values(entry)
        if known is None:
            upsert.send(self.conn, values)
        elif changed := frozenset(
            k for k, v in _row_values(known).items() if k in _REFRESHED and values[k] != v
        ):
            # Only the changed columns: the indexes on the others are left alone (a row has seven);
            # started_at is kept, as the upsert keeps it.
            _update_statement(changed).send(self.conn, {"id": entry.instance_id, **values})
        if lanes:
            insert_lanes.send(self.conn, [{"instance_id": entry.instance_id, "lane": lane} for lane in lanes])

    def notice_cases(self, number: str) -> tuple[str, ...]:
        """Return the cases that issued the notice of this number (letters in any case)."""
        found = select(nt.c.instance_id).where(nt.c.notice_number.in_({number, number.upper()})).limit(20)
        return tuple(r.instance_id for r in self.conn.execute(found) if r.instance_id)

    def page(self, s: CaseSlice, limit: int, offset: int) -> list[CaseListRow]:
        """Return one page of cases in the slice's order (then by id, so pages never overlap)."""
        column = _SORTS[s.sort]
        order = (column.desc(), ci.c.instance_id.desc()) if s.descending else (column, ci.c.instance_id)
        query = (
            select(*_COLUMNS)
            .join(pi, pi.c.id == ci.c.instance_id)
            .where(and_(true(), *self._conditions(s)))
            .order_by(*order)
            .limit(limit)
            .offset(offset)
        )
        return typed_rows(CaseListRow, self.conn.execute(query))

    def stages(self) -> list[str]:
        """Return the stages open cases are at, for the filter's choices."""
        if self.conn.dialect.name == "postgresql":
            # PostgreSQL reads every index entry for DISTINCT; hop from one stage to the next instead.
            return [r.stage for r in self.conn.execute(_PG_STAGES)]
        rows = self.conn.execute(select(ci.c.stage).where(ci.c.stage.is_not(None)).distinct().limit(200))
        return sorted(r.stage for r in rows)

    def _conditions(self, s: CaseSlice) -> list[ColumnElement[bool]]:
        c: list[ColumnElement[bool]] = []
        if s.lanes is not None:
            seen = select(cl.c.instance_id).where(
                cl.c.instance_id == ci.c.instance_id, cl.c.lane.in_(s.lanes)
            )
            c.append(exists(seen))
        if s.prefix:
            terms = [
                starts_with(col, s.prefix)
                for col in (ci.c.key_search, ci.c.applicant_search, ci.c.importer_search)
            ]
            if s.notice_cases:
                terms.append(ci.c.instance_id.in_(s.notice_cases))
            c.append(or_(*terms))
        if s.process_key:
            c.append(ci.c.process_key == s.process_key)
        if s.status:
            c.append(_status(s.status))
        if s.stage:
            c.append(ci.c.stage == s.stage)
        if s.started_from is not None:
            c.append(ci.c.started_at >= s.started_from)
        if s.started_before is not None:
            c.append(ci.c.started_at < s.started_before)
        if s.overdue_at is not None:
            c.append(ci.c.due_at < s.overdue_at)
        return c


def _status(status: str) -> ColumnElement[bool]:
    """Return the condition of a case status as the list names it (served by the status index)."""
    if status == "suspended":
        return and_(ci.c.status.in_(("open", "error")), pi.c.suspended.is_(True))
    if status in ("open", "error"):
        return and_(ci.c.status == status, pi.c.suspended.is_(False))
    return ci.c.status == status
