"""Identifiers: one place makes them."""

from __future__ import annotations

import uuid


def new_id() -> str:
    """Return a new random identifier (UUID4 text)."""
    return str(uuid.uuid4())
