"""The one wiring place: every dependency of the service is built and passed here."""

from __future__ import annotations

from typing import Any

from handlers.deadlines import deadline_zone
from handlers.ports import Ports
from handlers.registry import Registry
from service.clock import Clock, SystemClock
from service.config import Settings
from service.definitions.catalog import DefinitionCatalog
from service.documents.port import BlobStore
from service.engine.functions import diagram_functions
from service.engine.live import LiveWorkflows
from service.engine.runtime import Engine
from service.services import PortsFactory, Sender, Services
from service.store import Database, UnitOfWork, make_engine
from service.store.migrate import upgrade


def default_registry() -> Registry[Ports]:
    """Return the production handler registry."""
    from handlers.catalog import operations

    return Registry.of(operations())


def default_ports(settings: Settings, clock: Clock) -> PortsFactory:
    """Return the factory giving handlers this transaction's adapters."""
    from service.store.adapters import build_ports
    from service.trigger.events import notice_issued

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


def default_documents(settings: Settings) -> BlobStore:
    """Return the blob store the settings name: the instance folder, or an S3-compatible bucket."""
    config = settings.documents
    if config.store == "s3":
        from service.documents.s3 import S3BlobStore

        return S3BlobStore.connect(
            config.s3_bucket, config.s3_endpoint_url, config.s3_region, config.s3_prefix
        )
    if config.store != "local":
        raise ValueError(f"RCP_DOCUMENTS_STORE must be local or s3, not {config.store!r}")
    from service.documents.local import LocalBlobStore

    return LocalBlobStore(settings.instance_dir / "documents")


def bootstrap(
    settings: Settings,
    *,
    clock: Clock | None = None,
    registry: Registry[Ports] | None = None,
    ports: PortsFactory | None = None,
    senders: dict[str, Sender] | None = None,
    migrate: bool = True,
    documents: BlobStore | None = None,
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
        engine=Engine(
            diagram_functions(clock, deadline_zone(settings.program)),
            clock,
            script_time_limit=settings.script_time_limit,
            max_case_data=settings.max_case_data,
        ),
        registry=registry or default_registry(),
        catalog=DefinitionCatalog(),
        ports=ports or default_ports(settings, clock),
        live=LiveWorkflows(),
        documents=documents or default_documents(settings),
        senders=default_senders(settings) if senders is None else senders,
    )
    if senders is None:
        from service.notify.webhooks import WebhookSender

        # Webhooks need no configuration: registered receivers are called from the outbox.
        services.senders["webhook"] = WebhookSender(services)
    return services
