"""``rcp notices``: the notices the program issued, their text and PDF, and whether they were e-mailed."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from service.cli.core import services_from_env
from service.cli.output import Column, add_json_flag, emit
from service.identity.actors import SYSTEM
from service.services import Services
from service.views import program

COLUMNS = [
    Column("noticeNumber", "NUMBER"),
    Column("issuedOn", "ISSUED"),
    Column("kind", "KIND"),
    Column("caseRef", "CASE"),
    Column("recipient", "RECIPIENT"),
    Column("email", "E-MAIL"),
]


def register(commands: argparse._SubParsersAction) -> None:
    """Add the notices command."""
    notices = commands.add_parser(
        "notices",
        help="list issued notices (and their e-mail delivery)",
        description="List the notices the program issued (oldest first) with the state of their"
        " e-mail, or print one notice's text, or write its PDF exactly as issued.",
        epilog="examples:\n  rcp notices --case A-2026-080\n  rcp notices --show RCP-INEL-2026-00001\n"
        "  rcp notices --pdf RCP-INEL-2026-00001 --out notice.pdf",
    )
    notices.add_argument(
        "--case", default=None, help="only the notices of this case (application, audit ...)"
    )
    notices.add_argument("--show", metavar="NUMBER", default=None, help="print one notice's full text")
    notices.add_argument("--pdf", metavar="NUMBER", default=None, help="write one notice's PDF to --out")
    notices.add_argument("--out", type=Path, default=None, help="file for --pdf (default: NUMBER.pdf)")
    add_json_flag(notices)
    notices.set_defaults(handler=_notices)


def _notices(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        if args.show:
            print(program.notice(services, SYSTEM, args.show)["text"])
        elif args.pdf:
            target = args.out or Path(f"{args.pdf}.pdf")
            target.write_bytes(program.notice_pdf(services, SYSTEM, args.pdf))
            print(f"wrote {target}")
        else:
            emit(_listing(services, args.case), COLUMNS, args.json)
    finally:
        services.close()
    return 0


def _listing(services: Services, case: str | None) -> list[dict[str, Any]]:
    return [
        {
            "noticeNumber": n["noticeNumber"],
            "issuedOn": n["issuedOn"],
            "kind": n["kind"],
            "caseRef": n["caseRef"],
            "recipient": n["recipient"]["name"],
            "email": n["email"]["status"] if n["email"] else "no e-mail address",
        }
        for n in program.notices(services, SYSTEM, case_ref=case, limit=1000)
    ]
