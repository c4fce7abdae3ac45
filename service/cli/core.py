"""``rcp run``, ``rcp deploy``, ``rcp validate``, ``rcp fire-timers``, ``rcp migrate``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from service.actions.deployment import read_directory, review, store
from service.bootstrap import bootstrap
from service.cli.init import log_locations
from service.cli.parsing import processes_folder
from service.config import Settings
from service.errors import DeploymentRejected
from service.identity.actors import SYSTEM, Actor
from service.identity.users import ensure_demo_users
from service.observe.logs import configure_logging
from service.services import Services

log = logging.getLogger("rcp")

# Steps the run command takes after deploying (demo users, ...); areas of the service add theirs.
RUN_PREPARERS: list[Any] = [ensure_demo_users]


RUN_EPILOG = """\
examples:
  rcp run                                  everything in one process (SQLite by default)
  rcp run --no-runner --host 127.0.0.1 --port 8000 --trusted-proxy 127.0.0.1
                                           a web process behind nginx; workers run apart"""

FORWARDED = "x-forwarded-for x-forwarded-host x-forwarded-proto x-forwarded-port"


def register(commands: argparse._SubParsersAction) -> None:
    """Add run, deploy, validate, migrate and fire-timers."""
    _register_run(commands)
    folder_help = (
        "the processes folder (default: RCP_PROCESSES_DIR, else the instance folder's processes/,"
        " else the processes shipped with the package)"
    )
    dep = commands.add_parser(
        "deploy",
        help="validate and deploy the diagrams of a processes folder",
        description="Validate every diagram of a processes folder and deploy each changed one as a"
        " new version; running cases stay on the version they started on.",
    )
    dep.add_argument("--dir", type=processes_folder, default=None, metavar="DIR", help=folder_help)
    dep.add_argument("--note", default=None, help="change note recorded with new versions")
    dep.set_defaults(handler=_deploy)

    val = commands.add_parser(
        "validate",
        help="validate diagrams without deploying",
        description="Check every diagram of a processes folder as a deployment would, and deploy"
        " nothing. Exit code 2 when a diagram has an error.",
    )
    val.add_argument("--dir", type=processes_folder, default=None, metavar="DIR", help=folder_help)
    val.set_defaults(handler=_validate)

    mig = commands.add_parser(
        "migrate",
        help="apply database migrations",
        description="Bring the database in DATABASE_URL up to the schema this version needs"
        " (run it once per upgrade, before restarting the service).",
    )
    mig.set_defaults(handler=_migrate)

    fire = commands.add_parser(
        "fire-timers",
        help="fire every due timer once and exit",
        description="Fire the timers that are due now, once, and exit (the runner does this"
        " continuously; this is for a service run with RCP_RUNNER=off).",
    )
    fire.set_defaults(handler=_fire_timers)


def _register_run(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser(
        "run",
        help="migrate, deploy processes/, and serve (with the background runner)",
        description="Migrate the database, deploy the processes folder, create the demo users"
        " (unless RCP_DEMO_USERS=0) and serve the web pages and the API with waitress, with the"
        " background runner (timers, retries, e-mail and webhook delivery) in the same process.",
        epilog=RUN_EPILOG,
    )
    run.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every interface)")
    run.add_argument("--port", type=int, default=None, help="port to listen on (default: PORT, else 8000)")
    run.add_argument(
        "--no-runner", action="store_true", help="serve only; background work runs in rcp worker processes"
    )
    run.add_argument("--threads", type=int, default=8, help="requests served at the same time")
    run.add_argument(
        "--trusted-proxy",
        metavar="ADDR",
        default=None,
        help="address of the reverse proxy whose X-Forwarded-* headers are believed (client address,"
        " https); without it they are ignored",
    )
    run.add_argument(
        "--trusted-proxy-headers",
        metavar="HEADERS",
        default=FORWARDED,
        help="the forwarded headers taken from the trusted proxy (space-separated)",
    )
    run.set_defaults(handler=_run)


def serve_options(args: argparse.Namespace, port: int) -> dict[str, Any]:
    """Return waitress's options for rcp run's arguments."""
    options: dict[str, Any] = {"host": args.host, "port": port, "threads": args.threads}
    if args.trusted_proxy:
        options.update(
            trusted_proxy=args.trusted_proxy,
            trusted_proxy_count=1,
            trusted_proxy_headers=args.trusted_proxy_headers,
            clear_untrusted_proxy_headers=True,
        )
    return options


def services_from_env(**overrides: Any) -> Services:
    settings = Settings.from_env(**overrides)
    configure_logging(settings.observe)
    return bootstrap(settings)


def deploy_folder(
    services: Services,
    folder: Path | None,
    actor: Actor = SYSTEM,
    note: str | None = None,
    *,
    keep_newer: bool = False,
    say: Callable[[str], None] | None = None,
) -> int:
    """Deploy a folder's diagrams; report each through ``say`` (default: the log)."""
    say = say or log.info
    try:
        report = review(services, read_directory(folder or services.settings.processes_dir))
        for issue in report.issues if report.ok else ():
            print(f"{issue.severity.upper()}: {issue}", file=sys.stderr)
        results = store(services, report, actor, note, keep_newer=keep_newer)
    except DeploymentRejected as exc:
        for issue in exc.issues:
            print(f"{issue.severity.upper()}: {issue}", file=sys.stderr)
        return 2
    for r in results:
        if r.get("latestVersion", r["version"]) > r["version"]:
            log.warning(
                "%s: the folder holds version %s; version %s (from the web modeler) stays the latest."
                " Download it from the modeler's versions page to bring the folder up to date.",
                r["key"],
                r["version"],
                r["latestVersion"],
            )
            continue
        state = "new version" if r["created"] else "unchanged"
        say(f"deployed {r['key']} version {r['version']} ({state})")
    return 0


def _deploy(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        return deploy_folder(services, args.dir, Actor("user", "cli"), args.note, say=print)
    finally:
        services.close()


def _validate(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        report = review(services, read_directory(args.dir or services.settings.processes_dir))
    finally:
        services.close()
    for issue in report.issues:
        print(
            f"{issue.severity.upper()}: {issue}", file=sys.stderr if issue.severity == "error" else sys.stdout
        )
    if not report.ok:
        print("rcp validate: validation failed", file=sys.stderr)
        return 2
    print(f"{len(report.candidates)} process(es) valid")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    services_from_env().close()
    print("database at the latest schema")
    return 0


def _fire_timers(args: argparse.Namespace) -> int:
    from service.actions import timers

    services = services_from_env()
    try:
        print(f"fired timers of {timers.fire_due(services, limit=10_000)} instance(s)")
    finally:
        services.close()
    return 0


def _run(args: argparse.Namespace) -> int:
    from waitress import serve

    from service import create_app
    from service.jobs.embedded import start_runner

    overrides = {"port": args.port} if args.port else {}
    services = services_from_env(**overrides)
    log_locations(services)  # before deploying: a refused folder still says which folder it was
    if deploy_folder(services, None, keep_newer=True) != 0:
        return 2
    for prepare in RUN_PREPARERS:
        prepare(services)
    app = create_app(services=services)
    runner = None if args.no_runner else start_runner(services)
    log.info("serving on http://%s:%s", args.host, services.settings.port)
    try:
        serve(app, **serve_options(args, services.settings.port))
    finally:
        if runner is not None:
            runner.stop()
        services.close()
    return 0
