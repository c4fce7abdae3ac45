"""``rcp token create|revoke|list``: integrator tokens (shown once, stored hashed)."""

from __future__ import annotations

import argparse

from service.cli.core import services_from_env
from service.identity import tokens


def register(commands: argparse._SubParsersAction) -> None:
    token = commands.add_parser("token", help="manage integrator API tokens")
    sub = token.add_subparsers(dest="token_command", required=True)
    create = sub.add_parser("create", help="create a token and print it once")
    create.add_argument("name")
    create.add_argument(
        "--scopes", default="start,message,read", help=f"comma-separated, from: {', '.join(tokens.SCOPES)}"
    )
    create.set_defaults(handler=_create)
    revoke = sub.add_parser("revoke", help="revoke a token by name")
    revoke.add_argument("name")
    revoke.set_defaults(handler=_revoke)
    listing = sub.add_parser("list", help="list tokens (never their secrets)")
    listing.set_defaults(handler=_list)


def _create(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        print(tokens.create(services, args.name, [s.strip() for s in args.scopes.split(",") if s.strip()]))
    finally:
        services.close()
    return 0


def _revoke(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        done = tokens.revoke(services, args.name)
    finally:
        services.close()
    print("revoked" if done else "no active token of that name")
    return 0 if done else 1


def _list(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        for t in tokens.list_tokens(services):
            state = "revoked" if t["revoked_at"] else "active"
            print(f"{t['name']}\t{','.join(t['scopes'])}\t{state}\tlast used {t['last_used_at'] or 'never'}")
    finally:
        services.close()
    return 0
