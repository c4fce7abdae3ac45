"""Integrator API tokens: created and revoked by CLI, stored hashed, with scopes."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from service.errors import Conflict, Duplicate, ServiceError
from service.identity.actors import Actor

if TYPE_CHECKING:
    from service.services import Services
    from service.store import Database, UnitOfWork
    from service.store.rows import TokenRow

SCOPES = ("start", "message", "read", "tasks", "deploy", "webhooks", "documents")
PREFIX = "rcp"
TOUCH_EVERY = timedelta(seconds=60)
NAME = re.compile(r"^[^\x00-\x1f\x7f]{1,200}$")
# A token checked less than this long ago is believed without reading its row again: a revocation
# made by another process (rcp token revoke) holds for every request from then on at the latest.
CACHE_SECONDS = 1.0
CACHE_SIZE = 1024  # tokens remembered per database; the least recently used leave first


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
    checked(services.db).clear()  # this process forgets it at once; others within CACHE_SECONDS
    return done


def list_tokens(services: Services) -> list[TokenRow]:
    with services.db.unit_of_work(readonly=True) as uow:
        return uow.tokens.list()


@dataclass
class Checked:
    """A token found active, when it was read (monotonic seconds) and when it was last used."""

    token_id: str
    actor: Actor
    read_at: float
    last_used_at: datetime | None


class TokenCache:
    """Tokens recently found active, keyed by the SHA-256 of the whole token (never the token)."""

    def __init__(self, size: int = CACHE_SIZE, seconds: float = CACHE_SECONDS) -> None:
        self.size, self.seconds = size, seconds
        self._entries: OrderedDict[str, Checked] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Checked | None:
        """Return the token checked under ``key`` if that was less than ``seconds`` ago."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            if time.monotonic() - found.read_at >= self.seconds:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return found

    def put(self, key: str, entry: Checked) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


_CACHES: weakref.WeakKeyDictionary[Database, TokenCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def checked(db: Database) -> TokenCache:
    """Return the cache of tokens checked against ``db`` (one per database in the process)."""
    with _CACHES_LOCK:
        return _CACHES.setdefault(db, TokenCache())


def authenticate(services: Services, header: str | None) -> Actor:
    """Turn an ``Authorization: Bearer`` header into an integrator actor, or raise 401."""
    if not header or not header.startswith("Bearer "):
        raise Unauthenticated("a bearer token is required")
    presented = header[len("Bearer ") :].strip()
    cache, key = checked(services.db), _hash(presented)
    found = cache.get(key)
    if found is None:
        found = _look_up(services, presented)
        cache.put(key, found)
    now = services.clock.now()
    if found.last_used_at is None or now - found.last_used_at > TOUCH_EVERY:
        # Recorded at most once a minute so reads do not turn into writes on every request.
        with services.db.unit_of_work() as uow:
            uow.tokens.touch(found.token_id, now)
            uow.commit()
        found.last_used_at = now
    return found.actor


def _look_up(services: Services, presented: str) -> Checked:
    """Read the token's row and check its secret; raise 401 unless it is active."""
    parts = presented.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise Unauthenticated("malformed token")
    _, token_id, secret = parts
    read_at = time.monotonic()  # before the read: the entry is never newer than what it saw
    with services.db.unit_of_work(readonly=True) as uow:
        row = uow.tokens.get(token_id)
    if (
        row is None
        or row["revoked_at"] is not None
        or not hmac.compare_digest(row["secret_hash"], _hash(secret))
    ):
        raise Unauthenticated("unknown or revoked token")
    actor = Actor("integrator", row["name"], scopes=frozenset(row["scopes"]))
    return Checked(token_id, actor, read_at, row["last_used_at"])
