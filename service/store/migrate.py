"""Apply the Alembic migrations (the only way the schema is created or changed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """Return an Alembic config for ``url`` without needing an alembic.ini."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "heads") -> None:
    """Bring the database at ``url`` to ``revision`` (every head: areas add migrations side by side)."""
    command.upgrade(alembic_config(url), revision)


def revisions(conn: Connection) -> tuple[set[str], set[str]]:
    """Return the revisions the database is at and the heads of the migration scripts."""
    current = set(MigrationContext.configure(conn).get_current_heads())
    heads = set(ScriptDirectory(str(MIGRATIONS)).get_heads())
    return current, heads
