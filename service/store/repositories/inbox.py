"""Reads and writes of the staff inbox: task lists by index order, saved filters, drafts, logins."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    delete,
    false,
    func,
    insert,
    literal_column,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.types import NullType

from service.store.rows import InboxSlice, LaneRow, LoginFailureRow, SavedFilterRow, TaskDraftRow, TaskRow
from service.store.schema import human_tasks as ht
from service.store.schema import process_definitions as pd
from service.store.schema import process_instances as pi
from service.store.schema_inbox import saved_filters as sf
from service.store.schema_inbox import sign_in_failures as lf
from service.store.schema_inbox import task_drafts as td
from service.store.typed import typed_row, typed_rows

LIST_COLUMNS = [c for c in ht.c if c.name != "instructions"]
SEARCH_PROBE = 200


# The columns a list may be sorted by (besides the due date): blanks last, ties in due order.
SORT_COLUMNS: dict[str, Callable[[Any], Any]] = {
    "task": lambda c: func.coalesce(c.title, c.name),
    "case": lambda c: c.business_key,
    "created": lambda c: c.created_at,
    "assignee": lambda c: c.assignee,
}


def _order(columns: Any, s: InboxSlice, dialect: str) -> tuple[Any, ...]:
    """Due date ascending, undated tasks last, then created, then id: what every list index holds.

    A list sorted by another column (``s.sort``) sorts by it first, blanks last either way.
    """
    due: tuple[Any, ...] = (columns.due_at.is_(None), columns.due_at)
    if dialect == "postgresql" or s.dated:  # PostgreSQL sorts NULLs last in ascending order
        due = (columns.due_at,)
    if s.sort == "due" and s.descending:
        due = (columns.due_at.is_(None), columns.due_at.desc())
    tail = (*due, columns.created_at, columns.id)
    if s.sort not in SORT_COLUMNS:
        return tail
    value = SORT_COLUMNS[s.sort](columns)
    return (value.is_(None), value.desc() if s.descending else value, *tail)


def _likely(condition: ColumnElement[bool], probability: float) -> ColumnElement[bool]:
    """Tell SQLite's planner how often a condition holds (a no-op for the result)."""
    # Untyped, so SQLAlchemy writes it as it is rather than "likelihood(...) = 1", which the
    # planner would no longer see through.
    odds: ColumnElement[Any] = literal_column(repr(probability))
    likely: ColumnElement[bool] = func.likelihood(condition, odds, type_=NullType())
    return likely


def _like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


class InboxRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._common_prefixes: dict[str, bool] = {}  # per transaction: is a key prefix common?

    def _conditions(self, s: InboxSlice) -> list[ColumnElement[bool]]:
        sqlite = self.conn.dialect.name == "sqlite"
        found: list[ColumnElement[bool]] = []
        if s.assignee is not None:
            found.append(ht.c.assignee == s.assignee)
        if s.unassigned:
            # SQLite's statistics take "assignee IS NULL" for as selective as one user's tasks and
            # would read every unassigned task; saying most tasks match keeps it on the queue index.
            unassigned = ht.c.assignee.is_(None)
            found.append(_likely(unassigned, 0.9) if sqlite else unassigned)
        if s.process_key:
            found.append(ht.c.process_key == s.process_key)
        if s.key_prefix:
            found.append(self._key_prefix(s.key_prefix))
        if s.due_before is not None:
            found.append(ht.c.due_at <= s.due_before)
        if s.overdue_at is not None:
            found.append(ht.c.due_at < s.overdue_at)
        if s.dated and sqlite:
            # Stated outright (the range implies it) so the index's "undated" column is an
            # equality and the due-date range is read from the index, in order.
            found.append(ht.c.due_at.is_(None) == false())
        return found

    def _key_prefix(self, prefix: str) -> ColumnElement[bool]:
        if self.conn.dialect.name == "postgresql":
            return func.lower(ht.c.business_key).like(_like_prefix(prefix.lower()), escape="\\")
        # SQLite's LIKE ignores ASCII case and uses the NOCASE index. Its planner cannot tell a
        # rare prefix from a common one, so count matches up to a cap and say which it is: few
        # matches are read through the key index, many in due order through the list's index.
        match = ht.c.business_key.like(_like_prefix(prefix), escape="\\")
        if prefix not in self._common_prefixes:
            probe = select(ht.c.id).where(match).limit(SEARCH_PROBE).subquery()
            found = int(self.conn.execute(select(func.count()).select_from(probe)).scalar_one())
            self._common_prefixes[prefix] = found >= SEARCH_PROBE
        return _likely(match, 0.9 if self._common_prefixes[prefix] else 0.0001)

    def _select(self, s: InboxSlice, lane: str | None, lanes: Sequence[str] | None) -> Select[Any]:
        conditions = self._conditions(s)
        if lane is not None:
            conditions.append(ht.c.lane == lane)
        elif lanes is not None:
            conditions.append(ht.c.lane.in_(list(lanes)))
        return select(*LIST_COLUMNS).where(and_(true(), *conditions))

    def page_query(self, s: InboxSlice, limit: int, offset: int) -> Select[Any]:
        """Return the query of one page: open tasks by due date (undated last), then id."""
        dialect = self.conn.dialect.name
        if s.lanes is None or len(s.lanes) <= 1 or s.assignee is not None:
            lane = s.lanes[0] if s.lanes is not None and len(s.lanes) == 1 else None
            return (
                self._select(s, lane, s.lanes).order_by(*_order(ht.c, s, dialect)).limit(limit).offset(offset)
            )
        # An IN list over lanes would make the database sort the whole queue; a union of
        # per-lane index ranges, each cut at offset + limit, keeps the cost to one page.
        parts = [
            self._select(s, lane, None)
            .order_by(*_order(ht.c, s, dialect))
            .limit(offset + limit)
            .subquery()
            .select()
            for lane in sorted(set(s.lanes))
        ]
        merged = union_all(*parts).subquery()
        return select(merged).order_by(*_order(merged.c, s, dialect)).limit(limit).offset(offset)

    def page(self, s: InboxSlice, limit: int, offset: int) -> list[TaskRow]:
        """Return one page of open tasks (see ``page_query``), without their instructions."""
        if s.lanes is not None and not s.lanes:
            return []
        return [TaskRow.of(r._mapping) for r in self.conn.execute(self.page_query(s, limit, offset))]

    def explain(self, s: InboxSlice, limit: int, offset: int) -> str:
        """Return the database's plan for one page (benchmarks and tests check it sorts nothing)."""
        query = self.page_query(s, limit, offset).compile(self.conn, compile_kwargs={"literal_binds": True})
        prefix = "EXPLAIN QUERY PLAN " if self.conn.dialect.name == "sqlite" else "EXPLAIN "
        rows = self.conn.exec_driver_sql(prefix + str(query)).all()
        return "\n".join(str(r[-1]) for r in rows)

    def count(self, s: InboxSlice, cap: int) -> int:
        """Count matching tasks, stopping at ``cap`` so a count never scans a whole queue."""
        if s.lanes is not None and not s.lanes:
            return 0
        capped = self._select(s, None, s.lanes).with_only_columns(ht.c.id).limit(cap).subquery()
        return int(self.conn.execute(select(func.count()).select_from(capped)).scalar_one())

    def case_labels(
        self, instance_ids: Sequence[str], paths: Sequence[tuple[str, ...]]
    ) -> dict[str, str | None]:
        """Return, per instance, the first of the given variable paths that holds a value."""
        if not instance_ids:
            return {}
        label = func.coalesce(*[pi.c.variables[path].as_string() for path in paths])
        rows = self.conn.execute(select(pi.c.id, label.label("label")).where(pi.c.id.in_(list(instance_ids))))
        return {r.id: r.label for r in rows}

    def process_names(self) -> dict[str, str]:
        """Return each deployed process key with the name of its latest version."""
        rows = self.conn.execute(select(pd.c.key, pd.c.name).order_by(pd.c.key, pd.c.version))
        return {r.key: r.name or r.key for r in rows}

    def open_task_lanes(self, instance_id: str) -> list[LaneRow]:
        rows = self.conn.execute(select(ht.c.lane).where(ht.c.instance_id == instance_id).distinct())
        return typed_rows(LaneRow, rows)

    def filters(self, username: str, kind: str = "tasks") -> list[SavedFilterRow]:
        mine = select(sf).where(sf.c.username == username, sf.c.kind == kind)
        rows = self.conn.execute(mine.order_by(sf.c.name))
        return typed_rows(SavedFilterRow, rows)

    def save_filter(self, username: str, name: str, query: str, now: datetime, kind: str = "tasks") -> None:
        """Save a named filter; a filter of the same name is replaced."""
        done = self.conn.execute(
            update(sf)
            .where(sf.c.username == username, sf.c.name == name)
            .values(query=query, created_at=now, kind=kind)
        )
        if done.rowcount == 0:
            values = {"username": username, "name": name, "query": query, "created_at": now, "kind": kind}
            self.conn.execute(insert(sf).values(**values))

    def delete_filter(self, username: str, filter_id: int) -> bool:
        done = self.conn.execute(delete(sf).where(sf.c.username == username, sf.c.id == filter_id))
        return done.rowcount == 1

    def draft(self, task_id: str, username: str) -> TaskDraftRow | None:
        r = self.conn.execute(select(td).where(td.c.task_id == task_id, td.c.username == username)).first()
        return typed_row(TaskDraftRow, r)

    def save_draft(self, task_id: str, username: str, fields: dict[str, Any], now: datetime) -> None:
        done = self.conn.execute(
            update(td)
            .where(td.c.task_id == task_id, td.c.username == username)
            .values(fields=fields, saved_at=now)
        )
        if done.rowcount == 0:
            self.conn.execute(
                insert(td).values(task_id=task_id, username=username, fields=fields, saved_at=now)
            )


class LoginRepository:
    """Failed sign-ins per (account, address), per address and per account, for the throttle."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def failures(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], LoginFailureRow]:
        """Return the counters of the (username, address) keys that have one."""
        wanted = or_(*(and_(lf.c.username == u, lf.c.address == a) for u, a in keys))
        rows = typed_rows(LoginFailureRow, self.conn.execute(select(lf).where(wanted)))
        return {(r["username"], r["address"]): r for r in rows}

    def record_failure(
        self, username: str, address: str, failures: int, now: datetime, blocked_until: datetime | None
    ) -> None:
        """Write a key's counter (insert or overwrite: two racing failures may count as one)."""
        values = {
            "failures": failures,
            "last_failed_at": now,
            "blocked_until": blocked_until,
            "refusal_noted": False,
        }
        dialect = pg_insert if self.conn.dialect.name == "postgresql" else sqlite_insert
        statement = dialect(lf).values(username=username, address=address, **values)
        self.conn.execute(
            statement.on_conflict_do_update(index_elements=["username", "address"], set_=values)
        )

    def note_refusal(self, username: str, address: str) -> None:
        """Mark that a refused attempt of the key's current delay is in the audit log."""
        self.conn.execute(
            update(lf).where(lf.c.username == username, lf.c.address == address).values(refusal_noted=True)
        )

    def clear(self, keys: Sequence[tuple[str, str]]) -> None:
        """Forget the counters of the given (username, address) keys."""
        for username, address in keys:
            self.conn.execute(delete(lf).where(lf.c.username == username, lf.c.address == address))

    def clear_account(self, username: str) -> int:
        """Forget every counter naming the account (from any address); return how many."""
        return self.conn.execute(delete(lf).where(lf.c.username == username)).rowcount
