"""``rcp webhook add|list|remove|deliveries`` and ``rcp api openapi|docs`` (offline copies)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from service.actions import webhooks
from service.cli.core import services_from_env
from service.errors import ServiceError
from service.views import webhooks as webhook_views


def register(commands: argparse._SubParsersAction) -> None:
    hook = commands.add_parser("webhook", help="manage integrators' webhooks")
    sub = hook.add_subparsers(dest="webhook_command", required=True)
    add = sub.add_parser("add", help="register a URL for event types; prints the signing secret once")
    add.add_argument("owner", help="the integrator's token name")
    add.add_argument("url")
    add.add_argument(
        "--events", required=True, help=f"comma-separated, from: {', '.join(webhooks.EVENT_TYPES)}"
    )
    add.add_argument("--description", default=None)
    add.set_defaults(handler=_add)
    listing = sub.add_parser("list", help="list webhooks")
    listing.add_argument("--owner", default=None)
    listing.set_defaults(handler=_list)
    remove = sub.add_parser("remove", help="remove a webhook by id")
    remove.add_argument("id")
    remove.set_defaults(handler=_remove)
    sent = sub.add_parser("deliveries", help="show a webhook's recent deliveries")
    sent.add_argument("id")
    sent.set_defaults(handler=_deliveries)

    api = commands.add_parser("api", help="write the integrator API's OpenAPI document or docs page")
    api_sub = api.add_subparsers(dest="api_command", required=True)
    for name, what in (("openapi", "the OpenAPI 3.1 document (JSON)"), ("docs", "the HTML documentation")):
        cmd = api_sub.add_parser(name, help=f"print {what}")
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
        for w in webhook_views.list_for(services, args.owner):
            print(f"{w['id']}\t{w['owner']}\t{w['url']}\t{','.join(w['events'])}")
    finally:
        services.close()
    return 0


def _remove(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        webhooks.remove(services, None, args.id)
    except ServiceError as exc:
        print(exc.detail, file=sys.stderr)
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
        print(exc.detail, file=sys.stderr)
        return 1
    finally:
        services.close()
    for d in rows:
        answer = d["lastResponse"] or d["lastError"] or ""
        print(f"{d['created']}\t{d['eventType']}\t{d['status']}\t{d['attempts']} attempt(s)\t{answer}")
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
