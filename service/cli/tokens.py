"""``rcp token create|revoke|list``: integrator tokens (shown once, stored hashed)."""

from __future__ import annotations

import argparse
import sys

from service.cli.core import services_from_env
from service.cli.output import Column, add_json_flag, emit
from service.errors import ServiceError
from service.identity import tokens

COLUMNS = [
    Column("name", "NAME"),
    Column("scopes", "SCOPES"),
    Column("state", "STATE"),
    Column("createdAt", "CREATED"),
    Column("lastUsedAt", "LAST USED"),
]


def register(commands: argparse._SubParsersAction) -> None:
    """Add the token commands."""
    token = commands.add_parser(
        "token",
        help="manage integrator API tokens",
        description="Create, list and revoke the bearer tokens integrators call the API with."
        " A token is printed once when created; only its hash is stored.",
    )
    sub = token.add_subparsers(dest="token_command", required=True, metavar="ACTION", title="actions")
    create = sub.add_parser(
        "create",
        help="create a token and print it once",
        description="Create a named token with scopes and print it (the only time it is shown).",
        epilog="example:\n  rcp token create trade-portal --scopes start,message,read",
    )
    create.add_argument(
        "name",
        help="a name for the integrator (unique among active tokens; a revoked token's name is free again)",
    )
    create.add_argument(
        "--scopes", default="start,message,read", help=f"comma-separated, from: {', '.join(tokens.SCOPES)}"
    )
    create.set_defaults(handler=_create)
    revoke = sub.add_parser(
        "revoke",
        help="revoke a token by name",
        description="Revoke the named token: calls with it are refused from now on. Exit code 1 when"
        " no active token has that name.",
    )
    revoke.add_argument("name", help="the token's name")
    revoke.set_defaults(handler=_revoke)
    listing = sub.add_parser(
        "list",
        help="list tokens (never their secrets)",
        description="List every token with its scopes, state and when it was last used.",
    )
    add_json_flag(listing)
    listing.set_defaults(handler=_list)


def _create(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        print(tokens.create(services, args.name, [s.strip() for s in args.scopes.split(",") if s.strip()]))
    except ServiceError as exc:
        print(f"rcp token create: error: {exc.detail}", file=sys.stderr)
        return 2
    finally:
        services.close()
    return 0


def _revoke(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        done = tokens.revoke(services, args.name)
    finally:
        services.close()
    if not done:
        print(f"rcp token revoke: no active token named '{args.name}'", file=sys.stderr)
        return 1
    print(f"revoked {args.name}")
    return 0


def _list(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        rows = [
            {
                "name": t["name"],
                "scopes": list(t["scopes"]),
                "state": "revoked" if t["revoked_at"] else "active",
                "createdAt": t["created_at"],
                "lastUsedAt": t["last_used_at"],
            }
            for t in tokens.list_tokens(services)
        ]
    finally:
        services.close()
    emit(rows, COLUMNS, args.json)
    return 0
