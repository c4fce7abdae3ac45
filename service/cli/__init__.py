"""The rcp command: run the service, deploy diagrams, manage tokens, users and backups."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version

from service.cli import api, audit, backup, cases, core, documents, init, jobs, notices, tokens, users
from service.cli.parsing import RcpParser
from service.errors import ServiceError

DESCRIPTION = """\
Run the U.S. Customs Recordkeeping Compliance Program service and manage it: serve the staff
inbox, the modeler and the integrator API; deploy process diagrams; create integrator tokens and
staff users; read issued notices; run scale-out workers; back the database up.

Every command reads its configuration from the environment (DATABASE_URL, SECRET_KEY,
RCP_INSTANCE_DIR, REDIS_URL ...; see the README's Configuration section)."""

EPILOG = """\
examples:
  rcp run                              serve on http://127.0.0.1:8000 with the background runner
  rcp token create trade-portal --scopes start,message,read
  rcp token list --json                tokens as JSON, for scripts
  rcp backup /var/backups/rcp.db       an online copy of the SQLite database

Run 'rcp COMMAND --help' for a command's options."""

# Each module adds its subcommands; a new area of the service adds its module here.
REGISTRARS: list[Callable[[argparse._SubParsersAction], None]] = [
    core.register,
    tokens.register,
    api.register,
    jobs.register,
    users.register,
    notices.register,
    init.register,
    backup.register,
    audit.register,
    cases.register,
    documents.register,
]


def _version() -> str:
    try:
        return version("rcp-orchestrator")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    """Build the rcp parser with every area's commands."""
    parser = RcpParser(prog="rcp", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"rcp {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title="commands")
    for register in REGISTRARS:
        register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one rcp command; an expected refusal is one line on stderr and exit code 2."""
    args = build_parser().parse_args(argv)
    try:
        result: int = args.handler(args)
    except ServiceError as exc:
        print(f"rcp: error: {exc.detail}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file named on the command line that cannot be read or written
        print(f"rcp: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    return result


if __name__ == "__main__":
    sys.exit(main())
