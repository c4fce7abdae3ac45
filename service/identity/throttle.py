"""Sign-in throttle: growing delays per account and address, per address, and (short) per account.

A hard lockout per username let anyone lock any named account out. Failures are counted under
three keys instead, each with its own delay that doubles with every further failure up to a cap:

- the account from one address: a stranger guessing from one place waits longer and longer, and
  the owner, signing in from elsewhere, is not held up by it;
- the address, across accounts: one place spraying guesses over many names;
- the account, from anywhere: many places guessing one password; its delay stays short (capped
  at half a minute), so it slows guessing without keeping the owner out.

A counter is forgotten after ``FORGET_AFTER`` without a failure, or at a successful sign-in (the
account's keys only: signing in to one's own account must not reset an address's count).
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from service.store import UnitOfWork
    from service.store.rows import LoginFailureRow

ANY = ""  # the key part that stands for any account or any address
FORGET_AFTER = timedelta(hours=1)
UNKNOWN_ADDRESS = "unknown"


@dataclass(frozen=True)
class Rule:
    """How many failures a key may have before its delay starts, the first delay and its cap."""

    name: str
    free: int
    first: timedelta
    cap: timedelta

    def delay(self, failures: int) -> timedelta | None:
        """Return the delay after ``failures`` failures: none, then doubling up to the cap."""
        if failures < self.free:
            return None
        return min(self.cap, self.first * 2 ** min(failures - self.free, 30))


PAIR = Rule("this account from this address", 5, timedelta(seconds=30), timedelta(minutes=15))
ADDRESS = Rule("this address", 20, timedelta(minutes=1), timedelta(hours=1))
ACCOUNT = Rule("this account", 10, timedelta(seconds=2), timedelta(seconds=30))


@dataclass(frozen=True)
class Key:
    """One counter: its rule and the (username, address) it is stored under."""

    rule: Rule
    username: str
    address: str

    @property
    def id(self) -> tuple[str, str]:
        return (self.username, self.address)


@dataclass(frozen=True)
class Block:
    """A key whose delay is running: what it is and until when."""

    key: Key
    until: datetime

    def seconds(self, now: datetime) -> int:
        return max(1, math.ceil((self.until - now).total_seconds()))


def address_key(remote: str | None) -> str:
    """Return the key of a client address: an IPv6 address counts as its /64 (one subscriber)."""
    if not remote:
        return UNKNOWN_ADDRESS
    try:
        ip = ipaddress.ip_address(remote)
    except ValueError:
        return remote[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def keys(username: str, address: str) -> list[Key]:
    """Return the three counters a sign-in attempt of ``username`` from ``address`` touches."""
    return [Key(PAIR, username, address), Key(ADDRESS, ANY, address), Key(ACCOUNT, username, ANY)]


def counted(row: LoginFailureRow | None, now: datetime) -> int:
    """Return the failures a stored counter still holds (none once forgotten)."""
    if row is None or now - row["last_failed_at"] > FORGET_AFTER:
        return 0
    return row["failures"]


def blocking(found: dict[tuple[str, str], LoginFailureRow], wanted: list[Key], now: datetime) -> Block | None:
    """Return the key holding the attempt back longest, or None when it may be checked."""
    running = [
        Block(key, row["blocked_until"])
        for key in wanted
        if (row := found.get(key.id)) is not None
        and row["blocked_until"] is not None
        and row["blocked_until"] > now
    ]
    return max(running, key=lambda b: b.until, default=None)


def count_failure(
    uow: UnitOfWork, wanted: list[Key], found: dict[tuple[str, str], LoginFailureRow], now: datetime
) -> str | None:
    """Count a failure under each key; return what delays it started, for the audit log."""
    started = []
    for key in wanted:
        failures = counted(found.get(key.id), now) + 1
        delay = key.rule.delay(failures)
        uow.logins.record_failure(key.username, key.address, failures, now, now + delay if delay else None)
        if delay:
            started.append(f"{key.rule.name} waits {int(delay.total_seconds())} s after {failures} failures")
    return f"throttled: {'; '.join(started)}" if started else None


def note_refusal(
    uow: UnitOfWork, block: Block, row: LoginFailureRow, now: datetime
) -> tuple[str, dict[str, str | None]] | None:
    """Mark a delay's first refused attempt; return its audit detail and data (None after it)."""
    if row["refusal_noted"]:
        return None
    uow.logins.note_refusal(*block.key.id)
    detail = f"throttled: {block.key.rule.name}, {block.seconds(now)} s left; later attempts not logged"
    return detail, {"address": block.key.address or None}
