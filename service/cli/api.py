"""``rcp webhook add|list|remove|deliveries`` and ``rcp api openapi|docs`` (offline copies)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from service.actions import webhooks
from service.cli.core import services_from_env
from service.cli.output import Column, add_json_flag, emit
from service.errors import ServiceError
from service.views import webhooks as webhook_views

WEBHOOK_COLUMNS = [
    Column("id", "ID"),
    Column("owner", "OWNER"),
    Column("url", "URL"),
    Column("events", "EVENTS"),
]
DELIVERY_COLUMNS = [
    Column("created", "CREATED"),
    Column("eventType", "EVENT"),
    Column("status", "STATUS"),
    Column("attempts", "ATTEMPTS"),
    Column("answer", "LAST ANSWER"),
]


def register(commands: argparse._SubParsersAction) -> None:
    """Add the webhook and api commands."""
    hook = commands.add_parser(
        "webhook",
        help="manage integrators' webhooks",
        description="Register, list and remove the URLs the service POSTs signed events to, and"
        " see how their deliveries went.",
    )
    sub = hook.add_subparsers(dest="webhook_command", required=True, metavar="ACTION", title="actions")
    _register_add(sub)
    listing = sub.add_parser(
        "list", help="list webhooks", description="List the registered webhooks and their event types."
    )
    listing.add_argument("--owner", default=None, help="only the webhooks of this integrator token name")
    add_json_flag(listing)
    listing.set_defaults(handler=_list)
    remove = sub.add_parser(
        "remove", help="remove a webhook by id", description="Remove a webhook; nothing more is sent to it."
    )
    remove.add_argument("id", help="the webhook's id (see rcp webhook list)")
    remove.set_defaults(handler=_remove)
    sent = sub.add_parser(
        "deliveries",
        help="show a webhook's recent deliveries",
        description="List a webhook's recent deliveries: event, status, attempts and the last answer.",
    )
    sent.add_argument("id", help="the webhook's id (see rcp webhook list)")
    add_json_flag(sent)
    sent.set_defaults(handler=_deliveries)
    _register_api(commands)


def _register_add(sub: argparse._SubParsersAction) -> None:
    add = sub.add_parser(
        "add",
        help="register a URL for event types; prints the signing secret once",
        description="Register a URL to receive the given event types as signed POSTs. The signing"
        " secret is printed once.",
        epilog="example:\n  rcp webhook add trade-portal https://portal.example/hooks/rcp"
        " --events instance.completed",
    )
    add.add_argument("owner", help="the integrator's token name")
    add.add_argument("url", help="where events are POSTed (https in production)")
    add.add_argument(
        "--events", required=True, help=f"comma-separated, from: {', '.join(webhooks.EVENT_TYPES)}"
    )
    add.add_argument("--description", default=None, help="a note for whoever reads the list later")
    add.set_defaults(handler=_add)


def _register_api(commands: argparse._SubParsersAction) -> None:
    api = commands.add_parser(
        "api",
        help="write the integrator API's OpenAPI document or docs page",
        description="Write an offline copy of the integrator API's contract: the OpenAPI document"
        " or the HTML documentation page the service serves at /api/v1/docs.",
    )
    api_sub = api.add_subparsers(dest="api_command", required=True, metavar="ACTION", title="actions")
    for name, what in (("openapi", "the OpenAPI 3.1 document (JSON)"), ("docs", "the HTML documentation")):
        cmd = api_sub.add_parser(
            name, help=f"print {what}", description=f"Print {what}, or write it to a file."
        )
        cmd.add_argument("--out", type=Path, default=None, help="write to this file instead")
        cmd.set_defaults(handler=_export, export=name)


def _add(args: argparse.Namespace) -> int:
    services = services_from_env()
    events = [e.strip() for e in args.events.split(",") if e.strip()]
    try:
        created = webhooks.register(services, args.owner, args.url, events, args.description)
    except ServiceError as exc:
        print(f"refused: {exc.detail} {exc.extra.get('errors', '')}", file=sys.stderr)
        return 2
    finally:
        services.close()
    print(
        f"webhook {created['id']} for {created['owner']}: {created['url']} ({', '.join(created['events'])})"
    )
    print(f"signing secret (shown once): {created['secret']}")
    return 0


def _list(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        rows = [
            {"id": w["id"], "owner": w["owner"], "url": w["url"], "events": list(w["events"])}
            for w in webhook_views.list_for(services, args.owner)
        ]
    finally:
        services.close()
    emit(rows, WEBHOOK_COLUMNS, args.json)
    return 0


def _remove(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        webhooks.remove(services, None, args.id)
    except ServiceError as exc:
        print(f"rcp webhook: error: {exc.detail}", file=sys.stderr)
        return 1
    finally:
        services.close()
    print("removed")
    return 0


def _deliveries(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        rows = webhook_views.deliveries(services, None, args.id)
    except ServiceError as exc:
        print(f"rcp webhook: error: {exc.detail}", file=sys.stderr)
        return 1
    finally:
        services.close()
    keys = ("created", "eventType", "status", "attempts")
    listing = [{**{k: d[k] for k in keys}, "answer": d["lastResponse"] or d["lastError"]} for d in rows]
    emit(listing, DELIVERY_COLUMNS, args.json)
    return 0


def _export(args: argparse.Namespace) -> int:
    from service import api
    from service.api import docs_page, openapi

    api.load_routes()
    document = openapi.document()
    text = json.dumps(document, indent=2) if args.export == "openapi" else docs_page.render(document)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0
