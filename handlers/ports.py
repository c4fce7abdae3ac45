"""The ports handlers work through; the service wires adapters for them per transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


@dataclass(frozen=True)
class Ports:
    """Everything a handler may be given: the clock, program configuration and service clients."""

    clock: Clock
    program: dict[str, Any] = field(default_factory=dict)
    clients: dict[str, Any] = field(default_factory=dict)

    def client(self, name: str) -> Any:
        """Return the named client (data service, notifier ...), failing clearly when absent."""
        try:
            return self.clients[name]
        except KeyError:
            raise LookupError(f"no '{name}' client is wired for handlers") from None
