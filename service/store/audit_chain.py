"""The audit log's hash chain: each entry's hash covers its content and the hash of the entry before.

Entries are numbered without gaps (``seq``) in the order they were committed. An entry's hash is
SHA-256 over a canonical serialisation (sorted-key JSON) of its content and ``prev_hash``, so
editing an entry, deleting one or reordering them breaks the chain at that entry. ``id`` and
``seq`` are not hashed: the links say the order, the numbers only make a gap easy to name.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64  # the prev_hash of the first entry
CONTENT = (
    *("at", "instance_id", "task_id", "task_name", "actor_kind", "actor", "action", "data"),
    *("outcome", "detail"),
)
# pg_advisory_xact_lock key: appenders on PostgreSQL take it so entries chain one after another.
# Taking it and reading the chain's head (each entry's insert reads it) stay separate statements,
# sent in one round trip: one statement under READ COMMITTED reads with the snapshot taken before
# it waited for the lock, so it could miss the entry the previous holder committed and fork the chain.
LOCK_KEY = 0x72637061756469  # "rcpaudi"


def entry_hash(entry: Mapping[str, Any], prev_hash: str) -> str:
    """Return the hash of an entry whose predecessor's hash is ``prev_hash``."""
    before, after = hashed_around(entry)
    return hashlib.sha256(f"{before}{prev_hash}{after}".encode("ascii")).hexdigest()


def hashed_around(entry: Mapping[str, Any]) -> tuple[str, str]:
    """Return the hashed text of an entry before and after its ``prev_hash`` (ASCII both).

    The text is the sorted-key JSON of the content and ``prev_hash``; split around the hash, the
    database can complete it with the head it reads (``AuditRepository.flush`` on PostgreSQL).
    """
    content = {name: entry.get(name) for name in CONTENT}
    content["at"] = instant(entry["at"])
    first = {k: v for k, v in content.items() if k < "prev_hash"}
    rest = {k: v for k, v in content.items() if k > "prev_hash"}
    # Both sides hold keys (CONTENT names some on each), so each dump is "{...}" around members.
    return _json(first)[:-1] + ',"prev_hash":"', '",' + _json(rest)[1:]


def _json(value: Mapping[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=True)


def install_sqlite_functions(connection: sqlite3.Connection) -> None:
    """Give a SQLite connection the three PostgreSQL functions the chained insert hashes with.

    ``convert_to(text, 'UTF8')``, ``sha256(bytes)`` and ``encode(bytes, 'hex')``: the same
    statement (``AuditRepository``) then reads the chain's head and hashes the entry on both
    databases, with no read of the head before it.
    """
    connection.create_function("convert_to", 2, _convert_to, deterministic=True)
    connection.create_function("sha256", 1, _sha256, deterministic=True)
    connection.create_function("encode", 2, _encode, deterministic=True)


def _convert_to(text: str, encoding: str) -> bytes:
    if encoding != "UTF8":
        raise ValueError(f"convert_to: only UTF8 is known here, not {encoding}")
    return text.encode("utf-8")


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _encode(data: bytes, form: str) -> str:
    if form != "hex":
        raise ValueError(f"encode: only hex is known here, not {form}")
    return data.hex()


def instant(at: datetime) -> str:
    """Return an entry's time as the chain hashes it: ISO 8601 in UTC, to the microsecond."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def stored_json(value: Any) -> Any:
    """Return ``value`` as the JSON column gives it back, so the hash covers what is read later."""
    return None if value is None else json.loads(json.dumps(value))


@dataclass(frozen=True)
class ChainBreak:
    """The first entry where the chain does not hold, and what is wrong with it."""

    seq: int
    id: int
    at: datetime
    problem: str


@dataclass(frozen=True)
class ChainVerdict:
    """What walking the chain found: how many entries, the last one's hash, the first break."""

    entries: int
    head_seq: int
    head_hash: str
    broken: ChainBreak | None


Batch = Callable[[int, int], Sequence[Mapping[str, Any]]]  # (after seq, how many) -> entries in seq order


def walk(read: Batch, size: int = 1000) -> ChainVerdict:
    """Check every entry in ``seq`` order, ``size`` at a time; stop at the first break."""
    seq, prev, count = 0, GENESIS, 0
    while batch := read(seq, size):
        for entry in batch:
            problem = _problem(entry, seq, prev)
            if problem:
                broken = ChainBreak(entry["seq"], entry["id"], entry["at"], problem)
                return ChainVerdict(count, seq, prev, broken)
            seq, prev, count = entry["seq"], entry["hash"], count + 1
    return ChainVerdict(count, seq, prev, None)


def _problem(entry: Mapping[str, Any], last_seq: int, last_hash: str) -> str | None:
    """Say what is wrong with ``entry`` coming after the entry ``last_seq`` (None: it holds)."""
    if entry["seq"] != last_seq + 1:
        gap = (last_seq + 1, entry["seq"] - 1)
        missing = f"seq {gap[0]}" if gap[0] == gap[1] else f"seq {gap[0]} to {gap[1]}"
        return f"entry missing: {missing} not found before this entry"
    if entry_hash(entry, entry["prev_hash"]) != entry["hash"]:
        return "content changed: the entry no longer matches its hash"
    if entry["prev_hash"] != last_hash:
        before = f"entry seq {last_seq}" if last_seq else "the start of the chain"
        return f"order changed: the entry does not follow {before} (an entry was replaced, removed or moved)"
    return None
