"""Hot-path statements compiled once per dialect and run on the transaction's own DBAPI cursor.

Every trigger runs the same dozen statements, and for small ones SQLAlchemy's per-execution work
costs more than the database does. A ``Prepared`` statement is compiled by SQLAlchemy once per
dialect, with each column type's own bind and result processors (so values are stored and read
back exactly as Core stores and reads them), then run on the cursor of the connection's current
transaction. DBAPI errors are re-raised as SQLAlchemy's, so callers catch the same exceptions.

The bare cursor bypasses SQLAlchemy's SQL logging and cursor events, so while anyone watches
(``echo`` or the ``sqlalchemy.engine`` logger at INFO, or a ``before_cursor_execute`` /
``after_cursor_execute`` listener other than the queue's own: tracing, query counters) the same
SQL with the same bound values goes through ``Connection.exec_driver_sql`` instead, which logs it
and fires the events.

On a PostgreSQL write transaction (``service.store.pending``) ``send`` queues a statement whose
outcome the caller does not wait for, and the next ``rows``/``first``/``run`` takes the queue
along in one pipeline: one round trip for all of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Column, ColumnDefault, Connection, Dialect, Integer, Table, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.selectable import Select, TextualSelect

from service.store import errors, pending

Processor = Callable[[Any], Any] | None
# A text() statement for SQL one dialect alone speaks; given ``.columns()`` it returns rows.
Statement = Select[Any] | UpdateBase | TextualSelect | TextClause
_REQUIRED = object()  # marks a parameter the caller must give


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # parameter names, in positional order for qmark/format styles
    positional: bool
    # (name, bind processor, value when the caller leaves it out or _REQUIRED), in ``names`` order
    plan: tuple[tuple[str, Processor, Any], ...]
    keys: tuple[str, ...]  # result column names (empty for statements without rows)
    results: tuple[Processor, ...]


class Prepared:
    """One statement, compiled on first use for each dialect; run with plain parameter dicts."""

    def __init__(
        self,
        statement: Statement,
        column_keys: Sequence[str] | None = None,
        fills: Mapping[str, Any] | None = None,
    ) -> None:
        self.statement = statement
        self.column_keys = list(column_keys) if column_keys is not None else None
        self.fills = dict(fills or {})  # values for parameters a caller leaves out
        self._compiled: dict[str, _Compiled] = {}

    @classmethod
    def insert(cls, table: Table) -> Prepared:
        """Insert rows into ``table``: a column left out gets its scalar default, else NULL."""
        # An integer primary key is the database's to number (autoincrement).
        columns = [c for c in table.c if not (c.primary_key and isinstance(c.type, Integer))]
        fills = {c.name: _scalar_default(c) for c in columns if c.nullable or _scalar_default(c) is not None}
        return cls(insert(table), column_keys=[c.name for c in columns], fills=fills)

    def rows(self, conn: Connection, params: Mapping[str, Any] | None = None) -> list[Mapping[str, Any]]:
        """Run a statement that returns rows; return them as dicts keyed by column name."""
        # Typed as mappings of whatever the statement selects: its repository names the row type.
        compiled = self._for(conn.dialect)
        return _fetched(compiled, self._execute(conn, compiled, [params or {}], many=False))

    def rows_then(
        self, conn: Connection, params: Mapping[str, Any], then: Prepared, then_params: Mapping[str, Any]
    ) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
        """Run this statement, then ``then``; return the rows of each (one round trip on PostgreSQL).

        ``then`` still runs after this statement finished (its own snapshot, after any lock this
        one took): only the wait between them is saved.
        """
        queue = pending.of(conn)
        if queue is None or _watched(conn):
            return self.rows(conn, params), then.rows(conn, then_params)
        first, second = self._for(conn.dialect), then._for(conn.dialect)
        cursors = pending.reads(
            conn,
            queue,
            [
                pending.Statement(first.sql, _bind(first, params)),
                pending.Statement(second.sql, _bind(second, then_params)),
            ],
        )
        try:
            return _fetched(first, cursors[0]), _fetched(second, cursors[1])
        finally:
            cursors[1].close()  # already closed unless reading the first one failed

    def prefetch(self, conn: Connection, params: Mapping[str, Any] | None = None) -> Prefetched:
        """Ask now for rows wanted later; return what gives them.

        On a PostgreSQL write transaction the read rides the next round trip (with the lock read
        that opens a trigger, or the answer's first read); elsewhere it runs when first wanted.
        """
        wanted = Prefetched(self, conn, params or {})
        queue = pending.of(conn)
        if queue is not None and not _watched(conn):
            compiled = self._for(conn.dialect)
            queue.queued.append(
                pending.Statement(compiled.sql, _bind(compiled, wanted.params), fetched=wanted.arrived)
            )
            wanted.queued = True
        return wanted

    def first(self, conn: Connection, params: Mapping[str, Any] | None = None) -> Mapping[str, Any] | None:
        """Run a statement that returns rows; return the first one, or None."""
        found = self.rows(conn, params)
        return found[0] if found else None

    def run(self, conn: Connection, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> int:
        """Run a statement without rows (once, or once per mapping); return the rows it touched."""
        many = not isinstance(params, Mapping)
        batch: Sequence[Mapping[str, Any]] = params if many else [params]  # type: ignore[assignment,list-item]
        if not batch:
            return 0
        cursor = self._execute(conn, self._for(conn.dialect), batch, many=many)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def send(
        self,
        conn: Connection,
        params: Mapping[str, Any] | Sequence[Mapping[str, Any]],
        check: Callable[[int], None] | None = None,
        refused: Callable[[], None] | None = None,
    ) -> None:
        """Run a statement nobody waits for; on PostgreSQL it goes out with the next one.

        ``check``, when given, gets the row count once it is known and raises to fail the
        transaction. ``refused``, for a statement the server checks itself (rcp_expect_rows), is
        called when it refuses and raises the caller's error. A failure of a sent statement (or
        its check) raises before the transaction commits, from the statement it travels with
        (``service.store.pending``).
        """
        queue = pending.of(conn)
        if queue is None or _watched(conn):
            try:
                count = self.run(conn, params)
            except DBAPIError as exc:
                if refused is not None and errors.unexpected_rows(exc):
                    refused()
                raise
            if check is not None:
                check(count)
            return
        many = not isinstance(params, Mapping)
        batch: Sequence[Mapping[str, Any]] = params if many else [params]  # type: ignore[assignment,list-item]
        if batch:
            compiled = self._for(conn.dialect)
            bound = [_bind(compiled, p) for p in batch]
            queue.queued.append(
                pending.Statement(compiled.sql, bound if many else bound[0], many, check, refused=refused)
            )

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = _compile(self.statement, dialect, self.column_keys, self.fills)
            self._compiled[dialect.name] = compiled
        return compiled

    def _execute(
        self, conn: Connection, compiled: _Compiled, batch: Sequence[Mapping[str, Any]], *, many: bool
    ) -> Any:
        """Run the statement on a new cursor of the transaction's connection; the caller closes it."""
        bound = [_bind(compiled, params) for params in batch]
        if _watched(conn):
            # The same SQL and bound values, through the Connection so logging and events see it
            # (it sends the queue first, service.store.pending).
            return conn.exec_driver_sql(compiled.sql, bound if many else bound[0])
        queue = pending.of(conn)
        if queue is not None and queue.queued:  # with what is queued (and BEGIN), in one round trip
            return pending.execute(
                conn, queue, pending.Statement(compiled.sql, bound if many else bound[0], many)
            )
        cursor = conn.connection.cursor()
        try:
            if many:
                cursor.executemany(compiled.sql, bound)
            else:
                cursor.execute(compiled.sql, bound[0])
        except conn.dialect.loaded_dbapi.Error as exc:
            cursor.close()
            raise DBAPIError.instance(
                compiled.sql, bound, exc, conn.dialect.loaded_dbapi.Error, dialect=conn.dialect
            ) from exc
        return cursor


class Prefetched:
    """The rows of a read asked for ahead of their use (``Prepared.prefetch``)."""

    def __init__(self, statement: Prepared, conn: Connection, params: Mapping[str, Any]) -> None:
        self.statement, self.conn, self.params = statement, conn, params
        self.queued = False
        self._rows: list[Mapping[str, Any]] | None = None

    def arrived(self, fetched: list[Any]) -> None:
        """Take the rows the queue's round trip brought back."""
        self._rows = _processed(self.statement._for(self.conn.dialect), fetched)

    def rows(self) -> list[Mapping[str, Any]]:
        """Return the rows: sending the queue if the read is still in it, reading if never queued."""
        if self._rows is None:
            if self.queued:
                pending.flush(self.conn)
            if self._rows is None:  # not queued (SQLite, a watched connection), or the queue was dropped
                self._rows = self.statement.rows(self.conn, self.params)
        return self._rows


def _fetched(compiled: _Compiled, cursor: Any) -> list[Mapping[str, Any]]:
    """Return a cursor's rows as dicts keyed by column name (result types applied); close it."""
    try:
        fetched = cursor.fetchall()
    finally:
        cursor.close()
    return _processed(compiled, fetched)


def _processed(compiled: _Compiled, fetched: list[Any]) -> list[Mapping[str, Any]]:
    keys, results = compiled.keys, compiled.results
    return [{k: (p(v) if p else v) for k, p, v in zip(keys, results, row, strict=True)} for row in fetched]


def _compile(
    statement: Statement, dialect: Dialect, column_keys: list[str] | None, fills: dict[str, Any]
) -> _Compiled:
    compiled: Any = statement.compile(dialect=dialect, column_keys=column_keys)
    positional = bool(compiled.positional)
    names = tuple(compiled.positiontup) if positional else tuple(compiled.binds)
    plan = tuple(
        (
            n,
            compiled.binds[n].type.dialect_impl(dialect).bind_processor(dialect),
            # A value the statement carries itself (a LIMIT), else the table's fill, else none.
            fills.get(n, _REQUIRED) if compiled.binds[n].required else compiled.binds[n].value,
        )
        for n in names
    )
    if isinstance(statement, Select | TextualSelect):  # a text() statement given its .columns()
        columns = [(str(c.key), c.type) for c in statement.selected_columns]
    elif isinstance(statement, UpdateBase):
        columns = [(str(d["name"]), d["type"]) for d in statement.returning_column_descriptions]
    else:
        columns = []
    return _Compiled(
        sql=compiled.string,
        names=names,
        positional=positional,
        plan=plan,
        keys=tuple(name for name, _ in columns),
        # The column types decide the processing (none of ours looks at the DBAPI's own type code).
        results=tuple(kind.dialect_impl(dialect).result_processor(dialect, None) for _, kind in columns),
    )


def _scalar_default(column: Column[Any]) -> Any:
    default = column.default
    return default.arg if isinstance(default, ColumnDefault) and default.is_scalar else None


# Per connection (a unit of work's): the answer of ``_looked_at``, found at its first statement.
_WATCHED: WeakKeyDictionary[Connection, bool] = WeakKeyDictionary()


def _watched(conn: Connection) -> bool:
    """Say whether SQL logging or a cursor event listener is on for this connection.

    Asked once per connection (a unit of work opens its own), not per statement: looking through
    the listeners cost ~2 µs, a dozen times a trigger. A listener added or logging turned on
    while a unit of work has already run a statement is seen by the next unit of work.
    """
    found = _WATCHED.get(conn)
    if found is None:
        found = _WATCHED[conn] = _looked_at(conn)
    return found


def _looked_at(conn: Connection) -> bool:
    dispatch = conn.dispatch
    return (
        any(fn is not pending.before_cursor_execute for fn in dispatch.before_cursor_execute)
        or bool(dispatch.after_cursor_execute)
        or conn.engine.logger.isEnabledFor(logging.INFO)
    )


def _bind(compiled: _Compiled, params: Mapping[str, Any]) -> Any:
    values = []
    for name, process, default in compiled.plan:
        value = params.get(name, default)
        if value is _REQUIRED:
            raise KeyError(f"parameter '{name}' is required by the statement")
        values.append(process(value) if process is not None else value)
    return tuple(values) if compiled.positional else dict(zip(compiled.names, values, strict=True))
