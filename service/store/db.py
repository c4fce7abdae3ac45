"""Database engines and the unit of work: one transaction per external trigger."""

from __future__ import annotations

import os
import select
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DBAPIError, DisconnectionError

from service.errors import Busy, Contention
from service.store import audit_chain, pending
from service.store.checkpoint import WalCheckpointer
from service.store.errors import translate
from service.store.repositories import (
    AuditRepository,
    CaseMigrationRepository,
    DeadlineRepository,
    DefinitionRepository,
    DraftRepository,
    DueWorkRepository,
    IdempotencyRepository,
    InboxRepository,
    IncidentRepository,
    InstanceRepository,
    LeaseRepository,
    LoginRepository,
    MailboxRepository,
    NoticeRepository,
    OutboxRepository,
    RateLimitRepository,
    SearchRepository,
    ServiceCallRepository,
    SubscriptionRepository,
    TaskRepository,
    TimerRepository,
    TokenRepository,
    UserRepository,
    WebhookRepository,
)
from service.store.repositories.cases import CaseRepository
from service.store.repositories.decisions import DecisionRepository
from service.store.repositories.documents import DocumentRepository
from service.store.repositories.gauges import GaugeRepository

T = TypeVar("T")
R = TypeVar("R")


class _Repository(Generic[R]):
    """A unit of work's repository, built on first use on the unit's connection and kept."""

    def __init__(self, factory: Callable[[Connection], R]) -> None:
        self.factory = factory

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, uow: None, owner: type) -> _Repository[R]: ...

    @overload
    def __get__(self, uow: UnitOfWork, owner: type) -> R: ...

    def __get__(self, uow: UnitOfWork | None, owner: type) -> R | _Repository[R]:
        if uow is None:
            return self
        repository = self.factory(uow.conn)
        uow.__dict__[self.name] = repository  # the next lookup finds it without this descriptor
        return repository


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs (psycopg2 is not a dependency)."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url[len("postgres://") :]
    return url


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """Create the SQLAlchemy engine with the settings each backend needs."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        # A request that meets a locked instance waits for it rather than failing at once; an
        # unreachable server fails a connect (and /readyz) in seconds, not at the TCP timeout.
        connect_args={
            "options": "-c lock_timeout=10000 -c statement_timeout=60000",
            **({} if "connect_timeout" in make_url(url).query else {"connect_timeout": 5}),
        },
    )
    if "application_name" not in make_url(url).query:
        event.listen(engine, "do_connect", _name_connection)
    event.listen(engine, "checkout", _closed_by_server)
    # Any other statement first sends what the transaction queued (service.store.pending), in order.
    event.listen(engine, "before_cursor_execute", pending.before_cursor_execute, retval=True)
    return engine


def _closed_by_server(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Replace a pooled connection the server ended, without a round trip (no pre-ping)."""
    # An idle connection has nothing to read: a server that ended it (restart, terminated backend)
    # sent its farewell or closed the socket, so a readable socket means the connection is gone.
    pgconn = dbapi_connection.pgconn
    if dbapi_connection.closed or pgconn.status != 0:  # 0: CONNECTION_OK
        raise DisconnectionError("the connection is closed")
    if select.select([pgconn.socket], [], [], 0)[0]:
        raise DisconnectionError("the server ended the connection while it was idle")


def application_name(pid: int) -> str:
    """Return the ``application_name`` this service's PostgreSQL connections carry in process ``pid``."""
    return f"rcp:{pid}"


def _name_connection(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
    # Named at connect time, not engine creation: a pool process forked from a worker opens its
    # own connections, and pg_stat_activity then says which process holds which transaction.
    cparams["application_name"] = application_name(os.getpid())


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, pool_size=8, max_overflow=16)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook below emit BEGIN itself (pysqlite's own BEGIN is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # The log is checkpointed by a thread of its own past 4 MB (service.store.checkpoint), off
        # the triggers' path; a commit checkpoints itself only past ~40 MB, when that thread is
        # not running (a process that never wrote) or cannot keep up. The WAL file is cut back to
        # 64 MB after a checkpoint.
        cursor.execute("PRAGMA wal_autocheckpoint=10000")
        cursor.execute("PRAGMA journal_size_limit=67108864")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        audit_chain.install_sqlite_functions(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the lock at BEGIN, so two triggers on one instance serialise instead of
        # failing on a lock upgrade; readers use a deferred BEGIN and never block writers (WAL).
        mode = "DEFERRED" if conn.get_execution_options().get("rcp_readonly") else "IMMEDIATE"
        cursor = conn.connection.cursor()
        cursor.execute(f"BEGIN {mode}")
        cursor.close()

    return engine


class UnitOfWork:
    """One database transaction and the repositories that work inside it."""

    def __init__(self, engine: Engine, *, readonly: bool = False) -> None:
        self._engine = engine
        self._readonly = readonly
        self.conn: Connection
        self._savepoints = 0

    def __enter__(self) -> UnitOfWork:
        conn = self._engine.connect()
        if self._readonly:
            # PostgreSQL: BEGIN READ ONLY (no round trip more), so the unit can end with COMMIT
            # (__exit__); the pool resets the connection to read-write when it comes back.
            conn = conn.execution_options(rcp_readonly=True, postgresql_readonly=True)
        self.conn = conn
        self._tx = conn.begin()
        if conn.dialect.name == "postgresql":
            if self._readonly:
                conn.info.pop(pending.KEY, None)  # never a queue left from a broken transaction
            else:
                pending.open_on(conn)
        return self

    # Repositories are built on first use: a trigger touches a handful of the two dozen.
    definitions = _Repository(DefinitionRepository)
    instances = _Repository(InstanceRepository)
    tasks = _Repository(TaskRepository)
    subscriptions = _Repository(SubscriptionRepository)
    timers = _Repository(TimerRepository)
    incidents = _Repository(IncidentRepository)
    audit = _Repository(AuditRepository)
    tokens = _Repository(TokenRepository)
    users = _Repository(UserRepository)
    outbox = _Repository(OutboxRepository)
    drafts = _Repository(DraftRepository)
    case_migrations = _Repository(CaseMigrationRepository)
    inbox = _Repository(InboxRepository)
    logins = _Repository(LoginRepository)
    notices = _Repository(NoticeRepository)
    # integrator API
    idempotency = _Repository(IdempotencyRepository)
    mailbox = _Repository(MailboxRepository)
    webhooks = _Repository(WebhookRepository)
    rate_limits = _Repository(RateLimitRepository)
    search = _Repository(SearchRepository)
    cases = _Repository(CaseRepository)  # the staff case list's search rows
    # Background work (service/jobs): due rows, attempts, leases, deadline history.
    due = _Repository(DueWorkRepository)
    calls = _Repository(ServiceCallRepository)
    leases = _Repository(LeaseRepository)
    deadlines = _Repository(DeadlineRepository)
    gauges = _Repository(GaugeRepository)  # read-only counts for /metrics (service.observe)
    documents = _Repository(DocumentRepository)  # case documents' metadata (service.documents)
    decisions = _Repository(DecisionRepository)  # DMN decision versions, pins, decisions taken

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if self._tx.is_active and self._ends_with_commit(exc_type):
                self._tx.commit()
            elif self._tx.is_active:
                self._tx.rollback()
        finally:
            try:
                pending.close_on(self.conn)  # what is still queued goes with the rollback
            finally:
                self.conn.close()

    def _ends_with_commit(self, exc_type: Any) -> bool:
        """Say whether a unit left without ``commit()`` ends with COMMIT rather than ROLLBACK."""
        # A read-only PostgreSQL transaction that did not fail: its COMMIT keeps nothing a
        # ROLLBACK would drop, and psycopg deallocates every statement the connection prepared
        # at a ROLLBACK, so each read would make the next trigger parse and plan all of its
        # statements again (server time per trigger x2.3 with one read between triggers).
        return self._readonly and exc_type is None and self.conn.dialect.name == "postgresql"

    def commit(self) -> None:
        """Commit the transaction (the one commit of a trigger)."""
        if "audit" in self.__dict__:  # audit entries go last: the chain's lock is held until here
            self.audit.flush()
        queue = pending.of(self.conn)
        if queue is not None:  # the queued writes and COMMIT in one round trip
            pending.execute(self.conn, queue, None, commit=True).close()
        self._tx.commit()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Run a block whose writes vanish if it raises (a failing handler leaves nothing)."""
        # Plain SQL on the transaction's cursor: every service call pays for its savepoint, and
        # SQLAlchemy's nested transaction compiles a statement for each SAVEPOINT and RELEASE.
        self._savepoints += 1
        name = f"rcp_savepoint_{self._savepoints}"
        if (queue := pending.of(self.conn)) is not None:  # PostgreSQL: SAVEPOINT rides the queue
            with pending.savepoint(self.conn, queue, name):
                yield
            return
        cursor = self.conn.connection.cursor()
        try:
            cursor.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                cursor.execute(f"ROLLBACK TO SAVEPOINT {name}")
                cursor.execute(f"RELEASE SAVEPOINT {name}")
                raise
            cursor.execute(f"RELEASE SAVEPOINT {name}")
        finally:
            cursor.close()

    @property
    def dialect(self) -> str:
        return self.conn.dialect.name


class Database:
    """Hands out units of work; the one place transactions start."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite files: the log is checkpointed off the triggers' path, from the first write on.
        self.checkpointer = _checkpointer_for(engine)
        if self.checkpointer is not None:  # a database dropped without dispose() stops it too
            weakref.finalize(self, self.checkpointer.stop_soon)

    def unit_of_work(self, *, readonly: bool = False) -> UnitOfWork:
        if self.checkpointer is not None and not readonly:
            self.checkpointer.start()
        return UnitOfWork(self.engine, readonly=readonly)

    def run(self, work: Callable[[UnitOfWork], T], *, attempts: int = 5) -> T:
        """Run ``work`` in a unit of work, retrying when the database reports a lock or deadlock.

        A caller never sees a lock error: when every attempt met one, it gets ``Busy`` (503). A
        unique key another transaction stored first comes out as ``Duplicate``.
        """
        for attempt in range(1, attempts + 1):
            try:
                with self.unit_of_work() as uow:
                    return work(uow)
            except DBAPIError as exc:
                failure = translate(exc)
                if not isinstance(failure, Contention):
                    if failure is exc:
                        raise
                    raise failure from exc
                if attempt == attempts:
                    raise Busy("the case is busy with another step; try again in a moment") from exc
                time.sleep(0.02 * 2**attempt)
        raise AssertionError("unreachable")

    def ping(self) -> None:
        """Run a trivial query: raise when the database does not answer (the health check)."""
        with self.unit_of_work(readonly=True) as uow:
            uow.conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.stop()
        self.engine.dispose()


def _checkpointer_for(engine: Engine) -> WalCheckpointer | None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return WalCheckpointer(Path(database).resolve())
