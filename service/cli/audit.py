"""``rcp audit verify``: check the audit log's hash chain and name the first broken entry."""

from __future__ import annotations

import argparse

from service.cli.core import services_from_env
from service.store.audit_chain import ChainVerdict
from service.views.audit import verify_chain


def register(commands: argparse._SubParsersAction) -> None:
    """Add the audit command and its verify subcommand."""
    audit = commands.add_parser(
        "audit",
        help="check the audit log's hash chain",
        description="Work with the audit log. Each entry carries the hash of the entry before it,"
        " so an entry edited, deleted or moved in the database breaks the chain there.",
    )
    actions = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION", title="actions")
    verify = actions.add_parser(
        "verify",
        help="walk the chain; exit 1 naming the first broken entry",
        description="Walk the audit log in chain order, checking each entry's hash and its link to"
        " the entry before. Exit 0 when the chain holds (printing the count and the last hash,"
        " worth keeping elsewhere: entries removed from the very end leave no gap), 1 naming the"
        " first entry that breaks it.",
        epilog="example:\n  rcp audit verify",
    )
    verify.add_argument(
        "--batch", type=int, default=1000, help="entries read per query (default: 1000; memory stays flat)"
    )
    verify.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        verdict = verify_chain(services, max(1, args.batch))
    finally:
        services.close()
    print(report(verdict))
    return 0 if verdict.broken is None else 1


def report(verdict: ChainVerdict) -> str:
    """Say whether the chain holds, or where and how it breaks."""
    broken = verdict.broken
    if broken is None:
        last = f" (last seq {verdict.head_seq}, hash {verdict.head_hash})" if verdict.entries else ""
        return f"audit chain intact: {verdict.entries} entries{last}"
    return (
        f"audit chain broken at seq {broken.seq} (id {broken.id}, {broken.at.isoformat()}):"
        f" {broken.problem}; {verdict.entries} entries before it hold"
    )
