"""``rcp backup DEST``: a consistent copy of the database, taken while the service runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service.config import Settings
from service.store.backup import BackupFailed, backup

EPILOG = """\
examples:
  rcp backup /var/backups/rcp/rcp-$(date +%F).db         SQLite: an online copy, checked
  rcp backup /var/backups/rcp/rcp-$(date +%F).dump       PostgreSQL: a pg_dump custom archive

restore (with the service stopped):
  SQLite      rm -f DB-wal DB-shm; cp BACKUP DB    (DB: the file DATABASE_URL names)
  PostgreSQL  pg_restore --clean --if-exists --no-owner --dbname DATABASE_URL BACKUP"""


def register(commands: argparse._SubParsersAction) -> None:
    """Add the backup command."""
    cmd = commands.add_parser(
        "backup",
        help="copy the database to a file while the service runs",
        description="Copy the database in DATABASE_URL to DEST without stopping the service."
        " SQLite: an online backup (one consistent snapshot; writers go on), then PRAGMA"
        " integrity_check of the copy. PostgreSQL: pg_dump --format=custom (pg_dump must be on"
        " PATH). Prints the backup's path and size.",
        epilog=EPILOG,
    )
    cmd.add_argument("dest", type=Path, metavar="DEST", help="the file to write")
    cmd.add_argument("--force", action="store_true", help="overwrite DEST if it exists")
    cmd.set_defaults(handler=_backup)


def _backup(args: argparse.Namespace) -> int:
    try:
        done = backup(Settings.from_env().database_url, args.dest, force=args.force)
    except BackupFailed as exc:
        print(f"rcp backup: error: {exc.detail}", file=sys.stderr)
        return 2
    print(f"wrote {done.path} ({done.size:,} bytes; {done.check})")
    return 0
