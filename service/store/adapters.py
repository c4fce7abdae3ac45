"""Adapters that implement the handlers' ports over this transaction's connection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from handlers.ports import Ports

if TYPE_CHECKING:
    from service.clock import Clock
    from service.config import Settings
    from service.store.db import UnitOfWork


def build_ports(uow: UnitOfWork, settings: Settings, clock: Clock) -> Ports:
    """Return the ports handlers use inside ``uow``."""
    return Ports(clock=clock, program=settings.program, clients={})
