"""``rcp user create|update|unlock|list``: staff users of the web inbox and their groups."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from service.cli.core import services_from_env
from service.cli.output import Column, add_json_flag, emit
from service.errors import ServiceError
from service.identity import users
from service.identity.actors import ALL_GROUPS, Actor

CLI = Actor("user", "cli")


COLUMNS = [
    Column("username", "USERNAME"),
    Column("name", "NAME"),
    Column("email", "E-MAIL"),
    Column("groups", "GROUPS"),
    Column("state", "STATE"),
]


def register(commands: argparse._SubParsersAction) -> None:
    """Add the user commands."""
    user = commands.add_parser(
        "user",
        help="manage staff users of the web inbox",
        description="Create, change and list the staff who sign in to the web inbox with a local"
        " password, and the groups that decide which tasks they work.",
    )
    sub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION", title="actions")
    _register_create(sub)
    _register_update(sub)
    unlock = sub.add_parser(
        "unlock",
        help="clear a user's sign-in delays",
        description="Clear the delays failed sign-ins put on a user's account, from every address,"
        " so the user can sign in at once (a client address guessing across accounts keeps its own"
        " delay). The unlock is written to the audit log.",
    )
    unlock.add_argument("username", help="the user to unlock")
    unlock.set_defaults(handler=_unlock)
    listing = sub.add_parser(
        "list",
        help="list users with their groups",
        description="List every staff user with their groups and whether they may sign in.",
    )
    add_json_flag(listing)
    listing.set_defaults(handler=_list)


def _register_create(sub: argparse._SubParsersAction) -> None:
    create = sub.add_parser(
        "create",
        help="create a user (asks for the password unless --password-env)",
        description="Create a staff user in the given groups. The password is asked for twice on"
        " the terminal, or read from an environment variable with --password-env.",
        epilog="example:\n  RITA_PASSWORD=... rcp user create rita --groups reviewers"
        " --name 'Rita Reyes' --password-env RITA_PASSWORD",
    )
    create.add_argument("username", help="the name the user signs in with")
    create.add_argument("--groups", required=True, help=f"comma-separated, from: {', '.join(ALL_GROUPS)}")
    create.add_argument("--name", default=None, help="display name (default: the username)")
    create.add_argument("--email", default=None, help="e-mail address shown to colleagues")
    create.add_argument("--password-env", metavar="VAR", help="read the password from this variable")
    create.set_defaults(handler=_create)


def _register_update(sub: argparse._SubParsersAction) -> None:
    change = sub.add_parser(
        "update",
        help="change a user's groups, password, name or active flag",
        description="Change what is given and keep the rest. A deactivated user can no longer sign"
        " in; their history stays.",
    )
    change.add_argument("username", help="the user to change")
    change.add_argument("--groups", default=None, help="replace the groups (comma-separated)")
    change.add_argument("--name", default=None, help="a new display name")
    change.add_argument("--email", default=None, help="a new e-mail address")
    change.add_argument("--password-env", metavar="VAR", help="set the password from this variable")
    change.add_argument("--ask-password", action="store_true", help="ask for a new password")
    state = change.add_mutually_exclusive_group()
    state.add_argument("--deactivate", action="store_true", help="refuse further sign-ins")
    state.add_argument("--activate", action="store_true", help="allow sign-ins again")
    change.set_defaults(handler=_update)


def _groups(text: str) -> list[str]:
    return [g.strip() for g in text.split(",") if g.strip()]


def _password(var: str | None, ask: bool = True) -> str | None:
    if var:
        value = os.environ.get(var)
        if not value:
            raise ServiceError(f"environment variable {var} is not set")
        return value
    if not ask:
        return None
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat password: "):
        raise ServiceError("the passwords differ")
    return first


def _create(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        user = users.create(
            services,
            args.username,
            _password(args.password_env) or "",
            _groups(args.groups),
            display_name=args.name,
            email=args.email,
            by=CLI,
        )
    except ServiceError as exc:
        print(f"rcp user: error: {exc.detail}", file=sys.stderr)
        return 2
    finally:
        services.close()
    print(f"created {user.username} ({', '.join(user.groups)})")
    return 0


def _update(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        user = users.update(
            services,
            args.username,
            by=CLI,
            groups=_groups(args.groups) if args.groups is not None else None,
            password=_password(args.password_env, ask=args.ask_password),
            display_name=args.name,
            email=args.email,
            active=True if args.activate else False if args.deactivate else None,
        )
    except ServiceError as exc:
        print(f"rcp user: error: {exc.detail}", file=sys.stderr)
        return 2
    finally:
        services.close()
    print(f"updated {user.username} ({', '.join(user.groups)}){'' if user.active else ' inactive'}")
    return 0


def _unlock(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        users.unlock(services, args.username, by=CLI)
    except ServiceError as exc:
        print(f"rcp user: error: {exc.detail}", file=sys.stderr)
        return 2
    finally:
        services.close()
    print(f"unlocked {args.username} (sign-in delays cleared)")
    return 0


def _list(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        rows = [
            {
                "username": user.username,
                "name": user.display_name,
                "email": user.email,
                "groups": list(user.groups),
                "state": "active" if user.active else "inactive",
            }
            for user in users.list_users(services)
        ]
    finally:
        services.close()
    emit(rows, COLUMNS, args.json)
    return 0
