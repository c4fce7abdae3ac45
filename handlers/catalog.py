"""Every operation diagrams may call, gathered for the registry."""

from __future__ import annotations

from typing import Any

from .ports import Ports
from .registry import Operation


def operations() -> list[Operation[Any, Ports]]:
    """Return the production operations (the registry's allow-list)."""
    return []
