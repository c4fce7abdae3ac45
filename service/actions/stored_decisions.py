"""Deploying decision tables: a version per content, the versions each process version pins.

A process version pins the decision versions it was deployed with (``definition_decisions``),
and its content hash covers theirs. So a changed table gives each process using it a new
version: new cases evaluate the new table, running cases keep the one their version pins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from service.engine.decisions import decision_tables
from service.engine.validation import DecisionCandidate, ProcessCandidate
from service.engine.values import DiagramSource
from service.engine.xml import DiagramUnreadable
from service.store import UnitOfWork
from service.store.rows import DefinitionRow


@dataclass(frozen=True)
class By:
    """Who deploys, with which note, when."""

    actor_kind: str
    actor_name: str
    note: str | None
    at: datetime


@dataclass(frozen=True)
class StoredDecision:
    """The version a deployment's decision is stored as (``created``: a new one)."""

    id: int
    key: str
    version: int
    content_hash: str
    created: bool


@dataclass(frozen=True)
class Pins:
    """The decision versions a process version uses: ids to store, hashes for its content hash."""

    ids: dict[str, int]
    hashes: dict[str, str]


def store(
    uow: UnitOfWork, candidates: Iterable[DecisionCandidate], by: By, keep_newer: bool
) -> dict[str, StoredDecision]:
    """Store each decision whose content is new; return the version of each, by decision id."""
    stored: dict[str, StoredDecision] = {}
    for c in candidates:
        digest = c.content_hash()
        latest = uow.decisions.latest(c.key)
        same = latest if latest is not None and latest["content_hash"] == digest else None
        if same is None and keep_newer and latest is not None:
            same = uow.decisions.by_content(c.key, digest)
        if same is not None:
            stored[c.key] = StoredDecision(same["id"], c.key, same["version"], digest, False)
            continue
        version = (latest["version"] if latest else 0) + 1
        new_id = uow.decisions.add(
            key=c.key,
            version=version,
            name=c.name,
            content_hash=digest,
            source_name=c.source_name,
            dmn_xml=c.xml.decode("utf-8"),
            deployed_at=by.at,
            deployed_by=f"{by.actor_kind}:{by.actor_name}",
            note=by.note,
        )
        data = {"decision": c.key, "version": version, "note": by.note}
        uow.audit.append(
            at=by.at, actor_kind=by.actor_kind, actor=by.actor_name, action="deploy", outcome="ok", data=data
        )
        stored[c.key] = StoredDecision(new_id, c.key, version, digest, True)
    return stored


def pins_for(uow: UnitOfWork, keys: Iterable[str], deployed: Mapping[str, StoredDecision]) -> Pins:
    """Pin the deployment's version of each decision a process uses, else the latest deployed."""
    ids: dict[str, int] = {}
    hashes: dict[str, str] = {}
    for key in keys:
        if key in deployed:
            ids[key], hashes[key] = deployed[key].id, deployed[key].content_hash
            continue
        latest = uow.decisions.latest(key)
        if latest is not None:  # validation refused a process naming a decision nowhere deployed
            ids[key], hashes[key] = latest["id"], latest["content_hash"]
    return Pins(ids, hashes)


def users_to_reversion(
    uow: UnitOfWork, deployed: Mapping[str, StoredDecision], own_keys: set[str]
) -> list[tuple[DefinitionRow, list[str]]]:
    """Return the latest deployed processes (not in this deployment) using a decision it changed."""
    changed = {k for k, d in deployed.items() if d.created}
    if not changed:
        return []
    latest = [d for d in uow.definitions.latest_all() if d.key not in own_keys]
    pinned = uow.decisions.pinned(d.id for d in latest)
    users = []
    for row in latest:
        keys = [p["key"] for p in pinned[row.id]]
        if changed & set(keys):
            users.append((row, keys))
    return users


def reversioned(
    uow: UnitOfWork, row: DefinitionRow, keys: list[str], deployed: Mapping[str, StoredDecision]
) -> tuple[ProcessCandidate, Pins]:
    """Return a deployed process as a candidate for its next version, with the new pins."""
    candidate = ProcessCandidate(
        key=row.key,
        name=row.name,
        source_name=row.source_name,
        xml=row.bpmn_xml.encode(),
        called_keys=list(row.called_keys),
        start_messages=list(row.start_messages),
        forms=dict(row.forms),
        start_schema=row.start_schema,
        decision_keys=keys,
    )
    return candidate, pins_for(uow, keys, deployed)


def deployed_sources(uow: UnitOfWork, own: list[DiagramSource]) -> list[DiagramSource]:
    """Return the latest deployed decisions this deployment does not replace (by file or id)."""
    names = {s.name for s in own}
    keys = set()
    for source in own:
        try:
            keys |= {t.id for t in decision_tables(source.xml)}
        except DiagramUnreadable:
            continue  # the deployment's checks report it
    return [
        DiagramSource(d["source_name"], d["dmn_xml"].encode())
        for d in uow.decisions.latest_all()
        if d["source_name"] not in names and d["key"] not in keys
    ]
