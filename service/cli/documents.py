"""``rcp documents``: case documents past their retention period, listed or removed."""

from __future__ import annotations

import argparse

from service.actions import document_records
from service.cli.core import services_from_env
from service.cli.output import Column, add_json_flag, emit
from service.identity.actors import Actor

COLUMNS = [
    Column("id", "ID"),
    Column("businessKey", "CASE"),
    Column("name", "NAME"),
    Column("closedAt", "CASE CLOSED"),
]
OPERATOR = Actor("system", "rcp documents expire")


def register(commands: argparse._SubParsersAction) -> None:
    """Add the documents command and its expire subcommand."""
    documents = commands.add_parser(
        "documents",
        help="case documents: list or remove those past their retention period",
        description="Manage case documents kept by the service.",
    )
    sub = documents.add_subparsers(dest="documents_command", metavar="COMMAND", required=True)
    expire = sub.add_parser(
        "expire",
        help="list documents kept longer than the retention period (--apply removes them)",
        description="List the documents of cases closed longer ago than RCP_DOCUMENT_RETENTION_YEARS"
        " (5 by default). With --apply, each one's bytes are removed and a tombstone stays in their"
        " place (who, when, why), written to the audit log.",
        epilog="examples:\n  rcp documents expire\n  rcp documents expire --apply",
    )
    expire.add_argument("--apply", action="store_true", help="remove them (default: only list them)")
    expire.add_argument("--limit", type=int, default=500, help="at most this many in one run (default 500)")
    add_json_flag(expire)
    expire.set_defaults(handler=_expire)


def _expire(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        found = document_records.expire(services, apply=args.apply, actor=OPERATOR, limit=args.limit)
    finally:
        services.close()
    rows = [
        {
            "id": d["id"],
            "businessKey": d["business_key"],
            "name": d["name"],
            "closedAt": d["closed_at"].isoformat(),
        }
        for d in found.documents
    ]
    emit(rows, COLUMNS, args.json)
    if not args.json:
        verb = "removed" if found.applied else "past retention (run with --apply to remove them)"
        print(f"{len(rows)} document(s) {verb}; cases closed before {found.closed_before:%Y-%m-%d}")
    return 0
