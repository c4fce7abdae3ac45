"""``rcp case``: export a case's record as one archive, and check an archive against its manifest."""

from __future__ import annotations

import argparse
from pathlib import Path

from service.cli.core import services_from_env
from service.identity.actors import SYSTEM
from service.views import case_record
from service.views.record_archive import ArchiveCheck, check


def register(commands: argparse._SubParsersAction) -> None:
    """Add the case command with its export and verify subcommands."""
    case = commands.add_parser(
        "case",
        help="export a case's record as evidence, or check an exported record",
        description="Work with a case as a record: its whole family (the instances started under"
        " its number and those acting on it), its audit entries, decisions, notices and documents.",
    )
    actions = case.add_subparsers(dest="case_command", required=True, metavar="ACTION", title="actions")
    export = actions.add_parser(
        "export",
        help="write the case's record to one zip archive",
        description="Write one zip archive of the case: the case as the service reads it, every audit"
        " entry of its family with its place in the audit chain, each decision with the data before"
        " and after, every notice (text and PDF), every document, and a manifest of SHA-256 hashes"
        " carrying the case's audit chain head.",
        epilog="example:\n  rcp case export A-2026-011 --out A-2026-011-record.zip",
    )
    export.add_argument("key", metavar="KEY", help="the case's number (its business key)")
    export.add_argument(
        "--out", type=Path, default=None, help="the archive to write (default: KEY-record.zip here)"
    )
    export.set_defaults(handler=_export)
    verify = actions.add_parser(
        "verify",
        help="check an exported record file by file; exit 1 naming what changed",
        description="Check each file of an exported record against the SHA-256 in its manifest, the"
        " exported audit entries against their own hashes and, unless --offline, against the live"
        " audit log (the entries still there, unchanged, and the chain intact up to the record's"
        " head). Exit 0 when everything holds, 1 listing each problem.",
        epilog="examples:\n  rcp case verify A-2026-011-record.zip\n"
        "  rcp case verify --offline A-2026-011-record.zip",
    )
    verify.add_argument("archive", metavar="ARCHIVE", type=Path, help="the zip archive rcp case export wrote")
    verify.add_argument(
        "--offline", action="store_true", help="check the files only; do not read the live audit log"
    )
    verify.set_defaults(handler=_verify)


def _export(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        made = case_record.export(services, SYSTEM, args.key)
    finally:
        services.close()
    target = args.out or Path(made.name)
    target.write_bytes(made.content)
    print(f"wrote {target} ({len(made.content)} bytes)")
    return 0


def _verify(args: argparse.Namespace) -> int:
    found = check(args.archive.read_bytes())
    live = "not checked (--offline)"
    if not args.offline and found.business_key:
        services = services_from_env()
        try:
            found.problems += case_record.live_check(services, found.entries, found.head)
        finally:
            services.close()
        live = "checked"
    print(report(found, live))
    return 0 if not found.problems else 1


def report(found: ArchiveCheck, live: str) -> str:
    """Say what the check found: the case, the files, the chain head, and every problem."""
    head = found.head
    lines = [
        f"case {found.business_key or '?'}, exported {found.exported_at or '?'}",
        f"files checked: {found.files}",
        f"audit chain head: seq {head['seq']}, hash {head['hash']}" if head else "audit chain head: none",
        f"live audit log: {live}",
    ]
    if found.problems:
        return "\n".join([*lines, "record does NOT hold:", *(f"  {p}" for p in found.problems)])
    return "\n".join([*lines, "record holds: every file matches its manifest"])
