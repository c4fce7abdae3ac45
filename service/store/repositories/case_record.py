"""The audit entries a case record carries, with their place in the hash chain; never writes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import Connection, select

from service.store.schema import audit_log as t
from service.store.typed import typed


class ChainedEntry(TypedDict):
    """An audit entry with its chain position and hashes (``service.store.audit_chain``)."""

    id: int
    seq: int
    at: datetime
    instance_id: str | None
    task_id: str | None
    task_name: str | None
    actor_kind: str
    actor: str
    action: str
    data: Any
    outcome: str
    detail: str | None
    prev_hash: str
    hash: str


def _chained(rows: Any) -> list[ChainedEntry]:
    return [typed(ChainedEntry, {name: r[name] for name in ChainedEntry.__annotations__}) for r in rows]


def entries_of(conn: Connection, instance_ids: Sequence[str]) -> list[ChainedEntry]:
    """Return every audit entry of the instances (refusals and failures too), in chain order."""
    query = select(t).where(t.c.instance_id.in_(list(instance_ids))).order_by(t.c.seq)
    return _chained(conn.execute(query).mappings())


def entries_at(conn: Connection, seqs: Sequence[int]) -> list[ChainedEntry]:
    """Return the entries at these chain positions as the live log holds them now."""
    found: list[ChainedEntry] = []
    for start in range(0, len(seqs), 500):  # bounded IN lists
        query = select(t).where(t.c.seq.in_(list(seqs[start : start + 500]))).order_by(t.c.seq)
        found += _chained(conn.execute(query).mappings())
    return found
