"""Identifiers: one place makes them, and says what one looks like."""

from __future__ import annotations

import re
import uuid

ID_LENGTH = 36  # UUID text; the store's id columns are this wide
ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_ID = re.compile(ID_PATTERN)
_CUT = "…"  # marks an id cut to fit


def new_id() -> str:
    """Return a new random identifier (UUID4 text)."""
    return str(uuid.uuid4())


def is_id(text: str) -> bool:
    """Return whether ``text`` is an identifier as ``new_id`` (and the engine's task ids) make them."""
    return _ID.fullmatch(text) is not None


def fitted(text: str | None) -> str | None:
    """Return an id a request named, cut with a marker when it is longer than an id can be."""
    if text is None or len(text) <= ID_LENGTH:
        return text
    return text[: ID_LENGTH - len(_CUT)] + _CUT
