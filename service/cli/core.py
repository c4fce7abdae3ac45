"""``rcp run``, ``rcp deploy``, ``rcp validate``, ``rcp fire-timers``, ``rcp migrate``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from service.actions.deployment import check, deploy, read_directory
from service.bootstrap import bootstrap
from service.config import Settings
from service.observe.logs import configure_logging
from service.errors import DeploymentRejected
from service.identity.actors import SYSTEM, Actor
from service.identity.users import ensure_demo_users
from service.services import Services

log = logging.getLogger("rcp")

# Steps the run command takes after deploying (demo users, ...); areas of the service add theirs.
RUN_PREPARERS: list[Any] = [ensure_demo_users]


def register(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser(
        "run", help="migrate, deploy processes/, and serve (with the background runner)"
    )
    run.add_argument("--port", type=int, default=None)
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--no-runner", action="store_true", help="serve only; run workers separately")
    run.set_defaults(handler=_run)

    dep = commands.add_parser("deploy", help="validate and deploy the diagrams of a processes folder")
    dep.add_argument("--dir", type=Path, default=None)
    dep.add_argument("--note", default=None, help="change note recorded with new versions")
    dep.set_defaults(handler=_deploy)

    val = commands.add_parser("validate", help="validate diagrams without deploying")
    val.add_argument("--dir", type=Path, default=None)
    val.set_defaults(handler=_validate)

    mig = commands.add_parser("migrate", help="apply database migrations")
    mig.set_defaults(handler=lambda args: (services_from_env(), 0)[1])

    fire = commands.add_parser("fire-timers", help="fire every due timer once and exit")
    fire.set_defaults(handler=_fire_timers)


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
) -> int:
    try:
        diagrams = read_directory(folder or services.settings.processes_dir)
        results = deploy(services, diagrams, actor, note, keep_newer=keep_newer)
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
        log.info("deployed %s version %s (%s)", r["key"], r["version"], state)
    return 0


def _deploy(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        return deploy_folder(services, args.dir, Actor("user", "cli"), args.note)
    finally:
        services.close()


def _validate(args: argparse.Namespace) -> int:
    services = services_from_env()
    try:
        report = check(services, read_directory(args.dir or services.settings.processes_dir))
    finally:
        services.close()
    for issue in report.issues:
        print(
            f"{issue.severity.upper()}: {issue}", file=sys.stderr if issue.severity == "error" else sys.stdout
        )
    print(f"{len(report.candidates)} process(es) valid" if report.ok else "validation failed")
    return 0 if report.ok else 2


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
    if deploy_folder(services, None, keep_newer=True) != 0:
        return 2
    for prepare in RUN_PREPARERS:
        prepare(services)
    app = create_app(services=services)
    runner = None if args.no_runner else start_runner(services)
    log.info("serving on http://%s:%s", args.host, services.settings.port)
    try:
        serve(app, host=args.host, port=services.settings.port, threads=8)
    finally:
        if runner is not None:
            runner.stop()
        services.close()
    return 0
