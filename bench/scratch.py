"""Databases for benchmarks: the environment's, else a temporary one the bench creates and drops.

- ``RCP_BENCH_DATABASE_URL``: run against this database (SQLite or PostgreSQL); it is used as it
  is and never dropped (the bench did not create it).
- ``RCP_BENCH_PG_ADMIN_URL``: the maintenance database through which a temporary PostgreSQL
  database is created (default ``postgresql://postgres@127.0.0.1:5432/postgres``). The temporary
  database has a unique name (``rcp_bench_<pid>_<random>``) and is the only one a bench drops.

The shared ``test`` database is refused either way: the test suite's fixtures own it.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy import make_url

DEFAULT_PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
FORBIDDEN = frozenset({"test"})  # the test suite's database: no bench reads, writes or drops it


def environment_url() -> str | None:
    """Return the database the environment names for benches (checked), or None."""
    url = os.environ.get("RCP_BENCH_DATABASE_URL") or None
    if url is not None:
        refuse_forbidden(url)
    return url


def admin_url() -> str:
    """Return the PostgreSQL maintenance database through which temporary databases are made."""
    url = os.environ.get("RCP_BENCH_PG_ADMIN_URL") or DEFAULT_PG_ADMIN
    refuse_forbidden(url)
    return url


def refuse_forbidden(url: str) -> None:
    """Raise when ``url`` names a database benches must leave alone."""
    name = make_url(url).database or ""
    if not url.startswith("sqlite") and name in FORBIDDEN:
        raise SystemExit(f"benchmarks never use the database {name!r}; name another one")


def postgres_reachable(admin: str | None = None) -> bool:
    """Say whether the maintenance database answers."""
    try:
        with psycopg.connect(admin or admin_url(), autocommit=True, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@contextmanager
def temporary_postgres(admin: str | None = None) -> Iterator[str]:
    """Create a uniquely named PostgreSQL database, yield its URL, then drop that database."""
    admin = admin or admin_url()
    name = f"rcp_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield str(make_url(admin).set(database=name).render_as_string(hide_password=False))
        finally:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def temporary_sqlite() -> Iterator[str]:
    """Yield the URL of a SQLite file in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="rcp-bench-") as tmp:
        yield f"sqlite:///{Path(tmp) / 'bench.db'}"


@contextmanager
def postgres_database() -> Iterator[str]:
    """Yield the environment's PostgreSQL database if it names one, else a temporary one."""
    url = environment_url()
    if url is not None and not url.startswith("sqlite"):
        yield url
        return
    with temporary_postgres() as made:
        yield made
