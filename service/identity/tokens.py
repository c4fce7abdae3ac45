"""Integrator API tokens: created and revoked by CLI, stored hashed, with scopes."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from service.errors import Conflict, Duplicate, ServiceError
from service.identity.actors import Actor

if TYPE_CHECKING:
    from service.services import Services
    from service.store import UnitOfWork
    from service.store.rows import TokenRow

SCOPES = ("start", "message", "read", "tasks", "deploy", "webhooks")
PREFIX = "rcp"
TOUCH_EVERY = timedelta(seconds=60)
NAME = re.compile(r"^[^\x00-\x1f\x7f]{1,200}$")


class Unauthenticated(ServiceError):
    status = 401
    title = "Unauthenticated"
    type_slug = "unauthenticated"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(services: Services, name: str, scopes: list[str]) -> str:
    """Create a token and return its plaintext (shown once; only its hash is kept)."""
    if not NAME.match(name):
        raise ServiceError("token names are 1-200 characters, without control characters")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ServiceError(f"unknown scope(s): {', '.join(unknown)}; choose from {', '.join(SCOPES)}")
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)

    def add(uow: UnitOfWork) -> None:
        if uow.tokens.by_name(name) is not None:
            raise _name_taken(name)
        uow.tokens.add(token_id, name, _hash(secret), sorted(set(scopes)), services.clock.now())
        uow.commit()

    try:
        services.db.run(add)
    except Duplicate:
        raise _name_taken(name) from None  # a twin create took the name between the check and the insert
    return f"{PREFIX}_{token_id}_{secret}"


def _name_taken(name: str) -> Conflict:
    return Conflict(f"a token named '{name}' exists; revoke it or pick another name")


def revoke(services: Services, name: str) -> bool:
    """Revoke the named token; True if it was active."""
    with services.db.unit_of_work() as uow:
        done = uow.tokens.revoke(name, services.clock.now())
        uow.commit()
    return done


def list_tokens(services: Services) -> list[TokenRow]:
    with services.db.unit_of_work(readonly=True) as uow:
        return uow.tokens.list()


def authenticate(services: Services, header: str | None) -> Actor:
    """Turn an ``Authorization: Bearer`` header into an integrator actor, or raise 401."""
    if not header or not header.startswith("Bearer "):
        raise Unauthenticated("a bearer token is required")
    parts = header[len("Bearer ") :].strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise Unauthenticated("malformed token")
    _, token_id, secret = parts
    with services.db.unit_of_work(readonly=True) as uow:
        row = uow.tokens.get(token_id)
    if (
        row is None
        or row["revoked_at"] is not None
        or not hmac.compare_digest(row["secret_hash"], _hash(secret))
    ):
        raise Unauthenticated("unknown or revoked token")
    now = services.clock.now()
    if row["last_used_at"] is None or now - row["last_used_at"] > TOUCH_EVERY:
        # Recorded at most once a minute so reads do not turn into writes on every request.
        with services.db.unit_of_work() as uow:
            uow.tokens.touch(token_id, now)
            uow.commit()
    return Actor("integrator", row["name"], scopes=frozenset(row["scopes"]))
