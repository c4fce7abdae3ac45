"""Translate the database driver's errors into the service's own (``service.errors``).

Only the store knows which driver error means what: a unique violation is a ``Duplicate``, a lock,
deadlock or serialisation failure is ``Contention``. Anything else is left as it is (a bug).
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from service.errors import Contention, Duplicate

_CONTENTION_WORDS = ("locked", "deadlock", "lock timeout", "could not serialize")
_UNIQUE_SQLSTATE = "23505"  # PostgreSQL unique_violation
# Raised by rcp_expect_rows (migration 0021) when a statement did not touch the rows it expected.
EXPECTATION_SQLSTATE = "RCP09"


def translate(exc: BaseException) -> BaseException:
    """Return the service error a driver error means, or ``exc`` itself when it means nothing known."""
    if not isinstance(exc, DBAPIError):
        return exc
    text = str(exc.orig).lower()
    if isinstance(exc, OperationalError) and any(word in text for word in _CONTENTION_WORDS):
        return Contention(str(exc.orig))
    if isinstance(exc, IntegrityError) and _unique(exc):
        return Duplicate(str(exc.orig))
    return exc


def unexpected_rows(exc: BaseException) -> bool:
    """Say whether the server refused a statement that did not touch the rows it expected."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    return getattr(orig, "sqlstate", None) == EXPECTATION_SQLSTATE


def _unique(exc: IntegrityError) -> bool:
    if getattr(exc.orig, "sqlstate", None) == _UNIQUE_SQLSTATE:
        return True
    return "unique constraint failed" in str(exc.orig).lower()  # SQLite
