"""``rcp backup DEST``: a copy that opens and has the rows, taken while the service keeps writing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import psycopg
import pytest

from service.cli import main
from service.clock import MovableClock
from service.identity import tokens
from service.store.migrate import upgrade
from tests.conftest import service_missing
from tests.support import Switchboard, make_services

RCP = Path(sys.executable).with_name("rcp")
PG_MAINTENANCE = "postgresql://postgres@127.0.0.1:5432/postgres"  # scratch databases are made from here


def _count(path: Path, table: str = "api_tokens") -> int:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _integrity(path: Path) -> str:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])


@pytest.fixture
def sqlite_env(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("RCP_INSTANCE_DIR", str(tmp_path))
    return Path(sqlite_url.removeprefix("sqlite:///"))


def test_a_sqlite_backup_taken_while_the_service_writes_opens_and_has_the_rows(
    sqlite_env: Path, tmp_path: Path, clock: MovableClock, capsys: pytest.CaptureFixture[str]
) -> None:
    services = make_services(f"sqlite:///{sqlite_env}", tmp_path, clock, Switchboard())
    stop, written = threading.Event(), list[int]()

    def keep_writing() -> None:
        while not stop.is_set():
            tokens.create(services, f"portal-{len(written)}", ["read"])
            written.append(1)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 20:  # the service is busy before the backup starts
            stop.wait(0.01)
        before = len(written)
        code = main(["backup", str(tmp_path / "copy.db")])
        after = len(written)
    finally:
        stop.set()
        writer.join()
        services.close()

    out = capsys.readouterr().out
    copy = tmp_path / "copy.db"
    assert code == 0
    assert after > before, "the writer kept committing while the backup ran"
    assert out == f"wrote {copy} ({copy.stat().st_size:,} bytes; integrity_check ok)\n"
    assert _integrity(copy) == "ok"
    assert before <= _count(copy) <= after + 1  # a snapshot: every row committed before it began
    assert not Path(f"{copy}-wal").exists()  # one self-contained file


def test_a_write_left_open_does_not_block_the_backup_and_is_not_in_it(
    sqlite_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with closing(sqlite3.connect(sqlite_env, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")  # as a trigger holds the write lock mid-step
        writer.execute(
            "INSERT INTO api_tokens (id, name, secret_hash, scopes, created_at)"
            " VALUES ('t1', 'half-done', 'x', '[]', '2026-01-05 00:00:00')"
        )
        code = main(["backup", str(tmp_path / "copy.db")])
        writer.execute("COMMIT")

    assert code == 0
    assert _count(tmp_path / "copy.db") == 0
    assert _count(sqlite_env) == 1
    assert "integrity_check ok" in capsys.readouterr().out


def test_backup_refuses_to_overwrite_unless_forced(
    sqlite_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "copy.db"
    dest.write_text("yesterday's backup")

    assert main(["backup", str(dest)]) == 2
    assert capsys.readouterr().err == f"rcp backup: error: {dest} exists; pass --force to overwrite it\n"
    assert dest.read_text() == "yesterday's backup"
    assert main(["backup", str(dest), "--force"]) == 0
    assert _integrity(dest) == "ok"


def test_backup_names_a_destination_it_cannot_write(
    sqlite_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", str(tmp_path), "--force"]) == 2
    assert (
        capsys.readouterr().err
        == f"rcp backup: error: {tmp_path} is a folder; name the backup file to write\n"
    )
    assert main(["backup", str(tmp_path / "absent" / "copy.db")]) == 2
    assert (
        capsys.readouterr().err
        == f"rcp backup: error: no folder {tmp_path / 'absent'} to write the backup in\n"
    )


def test_backup_of_a_missing_sqlite_database_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/absent.db")
    monkeypatch.setenv("RCP_INSTANCE_DIR", str(tmp_path))

    assert main(["backup", str(tmp_path / "copy.db")]) == 2
    assert "no SQLite database at" in capsys.readouterr().err
    assert not (tmp_path / "absent.db").exists()
    assert not (tmp_path / "copy.db").exists()


def test_without_pg_dump_on_path_it_prints_the_command_to_run(tmp_path: Path) -> None:
    env = {
        "PATH": str(tmp_path),  # nothing on it: no pg_dump
        "DATABASE_URL": "postgresql://rcp:s3cret@db.internal:5432/rcp",
        "RCP_INSTANCE_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [str(RCP), "backup", str(tmp_path / "rcp.dump")], capture_output=True, text=True, env=env, check=False
    )

    assert done.returncode == 2
    assert done.stdout == ""
    assert (
        f"pg_dump --format=custom --file {tmp_path / 'rcp.dump'} postgresql://rcp:***@db.internal:5432/rcp"
        in done.stderr
    )
    assert "s3cret" not in done.stderr


@pytest.fixture
def scratch_pg() -> Iterator[Callable[[], str]]:
    """Make scratch databases from the maintenance database; drop them all at the end."""
    try:
        admin = psycopg.connect(PG_MAINTENANCE, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        service_missing("PostgreSQL", str(exc).strip())
    made: list[str] = []

    def make() -> str:
        made.append(f"rcp_backup_{os.getpid()}_{uuid.uuid4().hex[:6]}")
        admin.execute(f'CREATE DATABASE "{made[-1]}"')
        return PG_MAINTENANCE.rsplit("/", 1)[0] + f"/{made[-1]}"

    try:
        yield make
    finally:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.postgres
def test_a_postgres_backup_is_a_pg_dump_archive_that_restores(
    scratch_pg: Callable[[], str],
    tmp_path: Path,
    clock: MovableClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source, target = scratch_pg(), scratch_pg()
    upgrade(source)
    services = make_services(source, tmp_path, clock, Switchboard())
    tokens.create(services, "trade-portal", ["read"])
    services.close()
    monkeypatch.setenv("DATABASE_URL", source)
    monkeypatch.setenv("RCP_INSTANCE_DIR", str(tmp_path))
    dest = tmp_path / "rcp.dump"

    assert main(["backup", str(dest)]) == 0

    assert capsys.readouterr().out == f"wrote {dest} ({dest.stat().st_size:,} bytes; pg_dump exit 0)\n"
    listing = subprocess.run(
        ["pg_restore", "--list", str(dest)], capture_output=True, text=True, check=True
    ).stdout
    for table in ("api_tokens", "process_instances", "human_tasks", "alembic_version"):
        assert f"TABLE DATA public {table}" in listing
    # The restore the README gives brings the rows back.
    subprocess.run(["pg_restore", "--no-owner", "--dbname", target, str(dest)], check=True)
    with psycopg.connect(target) as restored:
        assert restored.execute("SELECT name FROM api_tokens").fetchall() == [("trade-portal",)]
    assert main(["backup", str(dest)]) == 2  # an archive is never overwritten by accident
