"""Back the database up: SQLite's online backup, checked; PostgreSQL through pg_dump."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url

from service.errors import ServiceError


class BackupFailed(ServiceError):
    """The copy could not be made or did not check out; DEST is left as it was or removed."""


@dataclass(frozen=True)
class Backup:
    """A finished backup: where it is, how big, and the check it passed."""

    path: Path
    size: int
    check: str


def backup(database_url: str, dest: Path, *, force: bool = False) -> Backup:
    """Copy the database at ``database_url`` to ``dest`` (SQLite file or pg_dump archive)."""
    if dest.is_dir():
        raise BackupFailed(f"{dest} is a folder; name the backup file to write")
    if not dest.parent.is_dir():
        raise BackupFailed(f"no folder {dest.parent} to write the backup in")
    if dest.exists() and not force:
        raise BackupFailed(f"{dest} exists; pass --force to overwrite it")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return backup_sqlite(Path(url.database or ""), dest)
    if url.get_backend_name() == "postgresql":
        return backup_postgres(database_url, dest)
    raise BackupFailed(f"no backup for {url.get_backend_name()} databases")


def backup_sqlite(source: Path, dest: Path) -> Backup:
    """Copy a live SQLite database as one snapshot (writers go on), then check the copy."""
    if not source.is_file():
        raise BackupFailed(f"no SQLite database at {source}")
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    # Read-only: a backup never creates or changes the database it copies. One step (pages=-1):
    # in WAL mode the read snapshot does not block writers, while a copy in steps would start
    # over after every write another connection commits.
    source_uri = source.resolve().as_uri() + "?mode=ro"
    with (
        closing(sqlite3.connect(source_uri, uri=True, timeout=30)) as src,
        closing(sqlite3.connect(partial, isolation_level=None)) as copy,
    ):
        src.backup(copy)
        # One self-contained file (no -wal beside it), whatever mode the service runs in.
        copy.execute("PRAGMA journal_mode=DELETE")
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        partial.unlink()
        raise BackupFailed(f"the copy of {source} failed its integrity check: {check}")
    partial.replace(dest)
    return Backup(dest, dest.stat().st_size, "integrity_check ok")


def pg_dump_command(database_url: str, dest: Path) -> list[str]:
    """Return the pg_dump command that writes a custom-format archive of the database."""
    return ["pg_dump", "--format=custom", "--file", str(dest), libpq_url(database_url)]


def libpq_url(database_url: str) -> str:
    """Return the URL as libpq reads it (no SQLAlchemy driver name such as +psycopg)."""
    url = make_url(database_url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def backup_postgres(database_url: str, dest: Path) -> Backup:
    """Run pg_dump to a custom-format archive (a consistent snapshot while the service runs)."""
    command = pg_dump_command(database_url, dest)
    if shutil.which("pg_dump") is None:
        shown = [*command[:-1], make_url(command[-1]).render_as_string(hide_password=True)]
        raise BackupFailed(
            "pg_dump is not on PATH; install the PostgreSQL client tools (Debian: postgresql-client)"
            f" and run: {' '.join(shown)}"
        )
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupFailed(f"pg_dump failed: {done.stderr.strip()}")
    return Backup(dest, dest.stat().st_size, "pg_dump exit 0")
