"""The one wiring place: every dependency of the service is built and passed here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from handlers.ports import Ports
from handlers.registry import Registry
from service.clock import Clock, SystemClock
from service.config import Settings
from service.definitions import DefinitionCatalog
from service.engine import Engine
from service.engine.functions import diagram_functions
from service.engine.live import LiveWorkflows
from service.outbox import Sender
from service.store import Database, UnitOfWork, make_engine
from service.store.migrate import upgrade

PortsFactory = Callable[[UnitOfWork], Ports]


@dataclass
class Services:
    """The dependencies every service function receives."""

    settings: Settings
    clock: Clock
    db: Database
    engine: Engine
    registry: Registry[Ports]
    catalog: DefinitionCatalog
    ports: PortsFactory
    live: LiveWorkflows = field(default_factory=LiveWorkflows)
    senders: dict[str, Sender] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        self.db.dispose()


def default_registry() -> Registry[Ports]:
    """Return the production handler registry."""
    from handlers.catalog import operations

    return Registry.of(operations())


def default_ports(settings: Settings, clock: Clock) -> PortsFactory:
    """Return the factory giving handlers this transaction's adapters."""
    from service.cases.webhooks import notice_issued
    from service.store.adapters import build_ports

    def on_notice(uow: UnitOfWork, notice: dict[str, Any]) -> None:
        notice_issued(uow, notice, clock.now())

    return lambda uow: build_ports(uow, settings, clock, on_notice)


def default_senders(settings: Settings) -> dict[str, Sender]:
    """Return the outbox senders the settings configure (none: messages wait in the outbox)."""
    senders: dict[str, Sender] = {}
    if settings.smtp_host:
        from service.notify import SmtpSender

        senders["email"] = SmtpSender(settings.smtp_host, settings.smtp_port, settings.smtp_sender)
    return senders


def bootstrap(
    settings: Settings,
    *,
    clock: Clock | None = None,
    registry: Registry[Ports] | None = None,
    ports: PortsFactory | None = None,
    senders: dict[str, Sender] | None = None,
    migrate: bool = True,
) -> Services:
    """Build the services from settings; tests pass their own clock, registry or ports."""
    clock = clock or SystemClock()
    if migrate:
        if settings.database_url.startswith("sqlite:///"):
            settings.instance_dir.mkdir(parents=True, exist_ok=True)
        upgrade(settings.database_url)
    db = Database(make_engine(settings.database_url))
    services = Services(
        settings=settings,
        clock=clock,
        db=db,
        engine=Engine(diagram_functions(clock), clock, script_time_limit=settings.script_time_limit),
        registry=registry or default_registry(),
        catalog=DefinitionCatalog(),
        ports=ports or default_ports(settings, clock),
        senders=default_senders(settings) if senders is None else senders,
    )
    if senders is None:
        from service.webhook_delivery import WebhookSender

        # Webhooks need no configuration: registered receivers are called from the outbox.
        services.senders["webhook"] = WebhookSender(services)
    return services
