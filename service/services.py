"""The dependencies every service function receives, built once by ``service.bootstrap``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from service.clock import Clock, Pacer
from service.config import Settings

if TYPE_CHECKING:
    from handlers.ports import Ports
    from handlers.registry import Registry
    from service.definitions.catalog import DefinitionCatalog
    from service.documents.port import BlobStore
    from service.engine.live import LiveWorkflows
    from service.engine.runtime import Engine
    from service.store import Database, UnitOfWork

Sender = Callable[[dict[str, Any]], "str | None"]
"""Send one outbox message's payload; return a short response text; raise to fail the attempt."""

PortsFactory = Callable[["UnitOfWork"], "Ports"]
"""Give handlers the adapters of one transaction (what they write commits with the step)."""

Resolver = Callable[[str, int], list[str]]
"""Return the IP addresses a host name resolves to for a port; raise OSError if it has none."""

TriggerObserver = Callable[[str, str, float], None]
"""Be told of a trigger: its kind, outcome (completed, refused, busy, failed) and seconds taken."""


def unobserved(kind: str, outcome: str, seconds: float) -> None:
    """Ignore a trigger (nothing measures this process's triggers)."""


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
    live: LiveWorkflows
    documents: BlobStore  # case documents' bytes (service.documents): local folder or S3
    senders: dict[str, Sender] = field(default_factory=dict)  # outbox kind -> sender
    pacer: Pacer = field(default_factory=Pacer)  # when paced background work last ran here
    observe_trigger: TriggerObserver = unobserved  # the metrics of service.observe, once an app has them
    resolve: Resolver | None = None  # webhook hosts' addresses; None: the system's (notify.egress)

    def close(self) -> None:
        self.db.dispose()
