"""The request id of the work in hand: set by a request, carried into the work it causes.

Plain standard library, so the store (which writes it on outbox rows) and the runners (which set
it again when they deliver that work) may import it without reaching the web layer.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

# Printable token characters (RFC 9110 tchar), so an id is safe to log and to echo in a header.
_VALID = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}")

_request_id: ContextVar[str | None] = ContextVar("rcp_request_id", default=None)


def current() -> str | None:
    """Return the request id of the work in hand (None outside any request)."""
    return _request_id.get()


def accept(given: str | None) -> str:
    """Return ``given`` when it is a valid request id, else a new one."""
    if given and _VALID.fullmatch(given):
        return given
    return uuid.uuid4().hex


def enter(request_id: str | None) -> Token[str | None]:
    """Make ``request_id`` current; return the token that ``leave`` takes."""
    return _request_id.set(request_id)


def leave(token: Token[str | None]) -> None:
    """Restore the request id that was current before ``enter``."""
    _request_id.reset(token)


@contextmanager
def carried(request_id: str | None) -> Iterator[None]:
    """Run a block as part of the request ``request_id`` (background work it caused)."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)
