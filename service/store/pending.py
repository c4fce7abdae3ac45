"""PostgreSQL write-behind: a trigger's writes that need no answer travel with its next statement.

Most of a trigger's writes (derived rows, the case row, the audit entry) tell it nothing it waits
for: a failure only has to abort the transaction before it commits. On a PostgreSQL write
transaction such statements are queued (``Prepared.send``) and sent, in order, in one psycopg
pipeline together with the next statement that needs an answer (a read, an update whose count
is checked, a savepoint's release, a Core statement, the commit), so they cost no round trip of
their own. The transaction's ``BEGIN`` rides the same pipeline. A queued statement that fails
raises with the statement sent with it; the unit of work rolls back as before.

The queue lives in the connection's ``info`` only between ``open`` and ``close`` (the unit of
work's ``__enter__`` and ``__exit__``), so nothing queued outlives its transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from service.store import errors

KEY = "rcp_pending"


@dataclass(frozen=True)
class Statement:
    """A statement to send: SQL in the driver's style, its bound parameters, once or per set."""

    sql: str
    params: Any
    many: bool = False
    # Called with the statement's row count once it is known (raises to fail the transaction).
    check: Callable[[int], None] | None = None
    # Called with the statement's rows once they came back (a read queued ahead of its use).
    fetched: Callable[[list[Any]], None] | None = None
    # Called when the server refused the statement for touching other rows than it expected
    # (rcp_expect_rows): raises the caller's own error. The statement needs no round trip of its
    # own before a COMMIT: failing, it stops the pipeline before the COMMIT runs.
    refused: Callable[[], None] | None = None


@dataclass
class Pending:
    """The statements a transaction queued, and how many times it sent its queue."""

    queued: list[Statement] = field(default_factory=list)
    sends: int = 0  # a savepoint tells from this whether its SAVEPOINT went out yet


def open_on(conn: Connection) -> None:
    """Start queueing on this connection's transaction (PostgreSQL writes only), BEGIN first.

    psycopg sends its own BEGIN as a round trip of its own, even in a pipeline; with the driver in
    autocommit mode the unit of work's BEGIN is queued instead, and goes out with the first
    statement. Every statement passes the queue first (Prepared, Core's ``before_execute``), so
    none can run outside the transaction.
    """
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    dbapi.autocommit = True
    conn.info[KEY] = Pending([Statement("BEGIN", None)])


def close_on(conn: Connection) -> None:
    """Stop queueing (after the commit or rollback); whatever is still queued is dropped."""
    try:
        if conn.info.pop(KEY, None) is None:
            return
        dbapi = conn.connection.dbapi_connection
        if dbapi is not None and not dbapi.closed and dbapi.info.transaction_status == 0:  # 0: idle
            dbapi.autocommit = False
            return
    except Exception:  # noqa: S110  (a broken connection: replaced just below)
        pass
    # Still in a transaction, broken, or in autocommit: never hand this connection out again.
    with suppress(Exception):
        conn.invalidate()


def of(conn: Connection) -> Pending | None:
    """Return the connection's queue, or None when its statements go out one by one."""
    found: Pending | None = conn.info.get(KEY)
    return found


def flush(conn: Connection) -> None:
    """Send whatever is queued (one round trip); a no-op when nothing is."""
    pending = of(conn)
    if pending is not None and pending.queued:
        execute(conn, pending, None).close()


def before_cursor_execute(
    conn: Connection, _cursor: Any, statement: str, parameters: Any, *_: Any
) -> tuple[str, Any]:
    """Send the queue before a statement SQLAlchemy runs (Core, ``exec_driver_sql``): BEGIN first.

    Listened with ``retval=True`` (it returns the statement unchanged), so SQLAlchemy keeps this
    very function and ``Prepared`` can tell it from a tracing or counting listener.
    """
    flush(conn)
    return statement, parameters


def execute(conn: Connection, pending: Pending, last: Statement | None, *, commit: bool = False) -> Any:
    """Send the queue, then ``last`` (and COMMIT), in one pipeline; return ``last``'s cursor.

    The cursor holds ``last``'s rows and count once the pipeline is synced; the caller closes it.
    Queued statements' checks run then, so a COMMIT waits for a pipeline of its own when any is due.
    """
    return reads(conn, pending, [last] if last is not None else [], commit=commit)[0]


def reads(
    conn: Connection, pending: Pending, lasts: Sequence[Statement], *, commit: bool = False
) -> list[Any]:
    """Send the queue, then each of ``lasts`` in turn (and COMMIT), in one pipeline; return their cursors.

    Each statement still runs on its own, after the one before it finished: under READ COMMITTED a
    read that follows a locking read takes its snapshot once that lock is granted. With no
    ``lasts`` one cursor (without rows) is returned. The caller closes every cursor.
    """
    if commit and any(item.check for item in pending.queued):
        execute(conn, pending, None).close()  # a failed check must stop the commit
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    queued, pending.queued = pending.queued, []
    pending.sends += 1
    cursors = [dbapi.cursor() for _ in range(max(1, len(lasts)))]
    try:
        counts = _pipeline(dbapi, queued, list(zip(lasts, cursors, strict=False)), commit)
    except conn.dialect.loaded_dbapi.Error as exc:
        for cursor in cursors:
            cursor.close()
        if errors.unexpected_rows(exc):
            for item in queued:
                if item.refused is not None:
                    item.refused()  # raises the refusal the statement's sender chose
        # The server names the failing statement in the error; the message lists what was sent.
        sent = [item.sql for item in [*queued, *lasts]] + (["COMMIT"] if commit else [])
        raise DBAPIError.instance(
            ";\n".join(sent), None, exc, conn.dialect.loaded_dbapi.Error, dialect=conn.dialect
        ) from exc
    try:
        for item, count, rows in counts:
            if item.check is not None:
                item.check(count)
            if item.fetched is not None:
                item.fetched(rows)
    except BaseException:
        for cursor in cursors:
            cursor.close()
        raise
    return cursors


def _pipeline(
    dbapi: Any, queued: list[Statement], lasts: list[tuple[Statement, Any]], commit: bool
) -> list[tuple[Statement, int, list[Any]]]:
    """Run the statements in one psycopg pipeline; return what the checked and fetched ones need."""
    side = dbapi.cursor()
    watched: list[tuple[Any, Statement]] = []
    try:
        with dbapi.pipeline():
            for item in queued:
                own = dbapi.cursor() if item.check or item.fetched else side
                _send(own, item)
                if own is not side:
                    watched.append((own, item))
            for last, cursor in lasts:
                _send(cursor, last)
            if commit:  # as a statement: the pipeline's one sync at its end covers it too
                side.execute("COMMIT")
        return [(item, own.rowcount, own.fetchall() if item.fetched else []) for own, item in watched]
    finally:
        side.close()
        for own, _ in watched:
            own.close()


@contextmanager
def savepoint(conn: Connection, pending: Pending, name: str) -> Iterator[None]:
    """Run a block in a savepoint: SAVEPOINT is queued, RELEASE sends the block's writes with it."""
    mark, sends = len(pending.queued), pending.sends
    pending.queued.append(Statement(f"SAVEPOINT {name}", None))
    try:
        yield
        if pending.sends == sends and len(pending.queued) == mark + 1:
            # The block sent and queued nothing (a handler that only computed): the savepoint
            # would enclose no statement, so it goes unsent and costs no round trip.
            del pending.queued[mark]
            return
        # The block's queued writes go out before RELEASE, so their failure is the block's.
        execute(conn, pending, Statement(f"RELEASE SAVEPOINT {name}", None)).close()
    except BaseException:
        if pending.sends == sends:  # nothing went out since SAVEPOINT was queued: drop it all
            del pending.queued[mark:]
            raise
        # Everything still queued was queued inside the block: it goes with the rollback.
        pending.queued[:] = [Statement(f"ROLLBACK TO SAVEPOINT {name}", None)]
        execute(conn, pending, Statement(f"RELEASE SAVEPOINT {name}", None)).close()
        raise


def _send(cursor: Any, item: Statement) -> None:
    if item.many:
        params: Sequence[Any] = item.params
        cursor.executemany(item.sql, params)
    else:
        cursor.execute(item.sql, item.params)
