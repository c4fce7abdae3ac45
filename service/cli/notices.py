"""``rcp notices``: the notices the program issued, their text and PDF, and whether they were e-mailed."""

from __future__ import annotations

import argparse
from pathlib import Path

from service.cli.core import services_from_env
from service.identity.actors import SYSTEM
from service.views import program


def register(commands: argparse._SubParsersAction) -> None:
    notices = commands.add_parser("notices", help="list issued notices (and their e-mail delivery)")
    notices.add_argument(
        "--case", default=None, help="only the notices of this case (application, audit ...)"
    )
    notices.add_argument("--show", metavar="NUMBER", default=None, help="print one notice's full text")
    notices.add_argument("--pdf", metavar="NUMBER", default=None, help="write one notice's PDF to --out")
    notices.add_argument("--out", type=Path, default=None, help="file for --pdf (default: NUMBER.pdf)")
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
            for n in program.notices(services, SYSTEM, case_ref=args.case, limit=1000):
                mail = n["email"]["status"] if n["email"] else "no e-mail address"
                print(
                    f"{n['noticeNumber']}\t{n['issuedOn']}\t{n['kind']}\t{n['caseRef']}\t{n['recipient']['name']}\t{mail}"
                )
    finally:
        services.close()
    return 0
