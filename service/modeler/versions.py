"""Deployed versions per process: who, when, why, running cases; XML of any version; diffs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from service.engine import compare
from service.engine.xml import DiagramUnreadable
from service.errors import FieldError, InvalidData, NotFound
from service.identity.actors import Actor
from service.modeler.access import require_analyst, require_reader
from service.store import UnitOfWork
from service.store.rows import DefinitionRow

if TYPE_CHECKING:
    from service.services import Services


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _version(uow: UnitOfWork, key: str, version: int | None) -> DefinitionRow:
    row = uow.definitions.latest(key) if version is None else uow.definitions.by_version(key, version)
    if row is None:
        what = f"process '{key}'" + (f" version {version}" if version is not None else "")
        raise NotFound(f"{what} is not deployed", processKey=key)
    return row


def processes(services: Services, actor: Actor) -> list[dict[str, Any]]:
    """List deployed processes with their latest version and running cases."""
    require_reader(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        found = []
        for d in uow.definitions.latest_all():
            running = uow.case_migrations.running_counts(d.key)
            found.append(
                {
                    "key": d.key,
                    "name": d.name,
                    "latestVersion": d.version,
                    "deployed": _iso(d.deployed_at),
                    "deployedBy": d.deployed_by,
                    "runningCases": sum(running.values()),
                }
            )
    return found


def versions(services: Services, actor: Actor, key: str) -> dict[str, Any]:
    """List every version of a process, newest first, with author, time, note and running cases."""
    require_reader(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        rows = uow.definitions.versions(key)
        if not rows:
            raise NotFound(f"process '{key}' is not deployed", processKey=key)
        running = uow.case_migrations.running_counts(key)
    return {
        "key": key,
        "name": rows[-1].name,
        "versions": [
            {
                "id": r.id,
                "version": r.version,
                "name": r.name,
                "deployed": _iso(r.deployed_at),
                "deployedBy": r.deployed_by,
                "note": r.note,
                "contentHash": r.content_hash,
                "sourceName": r.source_name,
                "runningCases": running.get(r.id, 0),
            }
            for r in reversed(rows)
        ],
    }


def migration_source(listed: dict[str, Any]) -> int | None:
    """Pick the version cases would move from: the newest but the latest with running cases."""
    older = listed["versions"][1:]  # newest first; cases on the latest have nowhere to move
    return next((v["version"] for v in older if v["runningCases"]), None)


def xml(services: Services, actor: Actor, key: str, version: int | None = None) -> dict[str, Any]:
    """Return a version's diagram (latest when no version is given) for download or editing."""
    require_reader(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        row = _version(uow, key, version)
    return {
        "key": row.key,
        "version": row.version,
        "definitionId": row.id,
        "fileName": f"{row.key}.v{row.version}.bpmn",
        "sourceName": row.source_name,
        "xml": row.bpmn_xml,
    }


def for_editing(services: Services, actor: Actor, key: str, version: int | None = None) -> dict[str, Any]:
    """Return a version's diagram to open in the modeler (analysts only)."""
    require_analyst(actor)
    return xml(services, actor, key, version)


def diff(services: Services, actor: Actor, key: str, before: int, after: int) -> dict[str, Any]:
    """Compare two versions: elements added, removed and changed (with what changed)."""
    require_reader(actor)
    if before == after:
        raise InvalidData("pick two different versions", [FieldError("to", "same as 'from'")])
    with services.db.unit_of_work(readonly=True) as uow:
        old, new = _version(uow, key, before), _version(uow, key, after)
    try:
        changes = compare.compare(old.bpmn_xml.encode(), new.bpmn_xml.encode())
    except DiagramUnreadable as exc:  # stored versions were parsed at deploy; kept for safety
        raise InvalidData("a stored version is unreadable", [FieldError("version", str(exc.issue))]) from None
    return {"key": key, "from": old.version, "to": new.version, "changes": changes}
