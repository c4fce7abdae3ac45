"""Deployed process definitions as integrators see them: keys, versions, instance counts."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from service.errors import NotFound
from service.store import UnitOfWork
from service.store.rows import DefinitionIndexRow, DefinitionRow, InstanceCountRow

if TYPE_CHECKING:
    from service.services import Services

STATES = ("waiting", "error", "completed", "cancelled")


def _counts(rows: list[InstanceCountRow]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(
        lambda: {"total": 0, **dict.fromkeys(STATES, 0), "suspended": 0, "withIncidents": 0}
    )
    for r in rows:
        c = counts[r["definition_id"]]
        c["total"] += r["n"]
        c[r["status"]] = c.get(r["status"], 0) + r["n"]
        c["suspended"] += r["n"] if r["suspended"] else 0
        c["withIncidents"] += r["n"] if r["has_incident"] else 0
    return counts


def _empty_counts() -> dict[str, int]:
    return {"total": 0, **dict.fromkeys(STATES, 0), "suspended": 0, "withIncidents": 0}


def definitions(services: Services) -> list[dict[str, Any]]:
    """List every process key with its versions and their instance counts."""
    with services.db.unit_of_work(readonly=True) as uow:
        index = uow.search.definition_index()
        counts = _counts(uow.search.instance_counts())
    by_key: dict[str, list[DefinitionIndexRow]] = defaultdict(list)
    for d in index:
        by_key[d["key"]].append(d)
    listing = []
    for key, versions in by_key.items():
        latest = versions[-1]
        per_version: list[dict[str, Any]] = [
            {
                "id": v["id"],
                "version": v["version"],
                "deployed": v["deployed_at"].isoformat(),
                "instances": counts.get(v["id"], _empty_counts()),
            }
            for v in versions
        ]
        total = _empty_counts()
        for v in per_version:
            for name, n in v["instances"].items():
                total[name] += n
        listing.append(
            {
                "key": key,
                "name": latest["name"],
                "latestVersion": latest["version"],
                "startMessages": latest["start_messages"],
                "versions": per_version,
                "instances": total,
            }
        )
    return listing


def _find(uow: UnitOfWork, key: str, version: int | None) -> DefinitionRow:
    row = uow.definitions.by_version(key, version) if version is not None else uow.definitions.latest(key)
    if row is None:
        suffix = f" version {version}" if version is not None else ""
        raise NotFound(f"no deployed process definition '{key}'{suffix}", processKey=key)
    return row


def definition(services: Services, key: str, version: int | None = None) -> dict[str, Any]:
    """Return one version (the latest unless ``version``) with its start schema and forms."""
    with services.db.unit_of_work(readonly=True) as uow:
        row = _find(uow, key, version)
        latest = uow.definitions.latest(key)
        counts = _counts(uow.search.instance_counts([row.id]))
    return {
        "id": row.id,
        "key": row.key,
        "version": row.version,
        "latestVersion": latest.version if latest else row.version,
        "name": row.name,
        "deployed": row.deployed_at.isoformat(),
        "deployedBy": row.deployed_by,
        "note": row.note,
        "startSchema": row.start_schema,
        "startMessages": row.start_messages,
        "calledProcesses": row.called_keys,
        "forms": sorted(row.forms),
        "instances": counts.get(row.id, _empty_counts()),
    }


def definition_xml(services: Services, key: str, version: int | None = None) -> dict[str, Any]:
    """Return the BPMN XML of one version (Camunda's shape: id and bpmn20Xml)."""
    with services.db.unit_of_work(readonly=True) as uow:
        row = _find(uow, key, version)
    return {"id": row.id, "key": row.key, "version": row.version, "bpmn20Xml": row.bpmn_xml}
