"""The ``rcp`` command: run the service, deploy diagrams, manage tokens and users."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from service.cli import api, core, init, jobs, notices, tokens, users

# Each module adds its subcommands; a new area of the service adds its module here.
REGISTRARS: list[Callable[[argparse._SubParsersAction], None]] = [
    core.register,
    tokens.register,
    api.register,
    jobs.register,
    users.register,
    notices.register,
    init.register,
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rcp", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for register in REGISTRARS:
        register(commands)
    args = parser.parse_args(argv)
    result: int = args.handler(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
