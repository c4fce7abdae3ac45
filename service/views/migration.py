"""Which running cases of a version can move to a later one, and why the others cannot.

Reads only: each case is restored from its committed row (never the live cache) and compared
with the target version's specs (``service.engine.migration.blockers``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from service.engine import migration as engine_migration
from service.engine.specs import SpecBundle
from service.errors import FieldError, Forbidden, InvalidData, NotFound
from service.identity.actors import Actor
from service.store import UnitOfWork
from service.store.rows import DefinitionRow, InstanceRow

if TYPE_CHECKING:
    from service.services import Services


MAX_CASES = 1000


def require_supervisor(actor: Actor) -> None:
    """Refuse anyone but a supervisor (moving cases is theirs to decide)."""
    if not actor.is_supervisor:
        raise Forbidden("only supervisors move running cases to another version")


def versions(
    uow: UnitOfWork, process_key: str, from_version: int, to_version: int | None
) -> tuple[DefinitionRow, DefinitionRow]:
    source = uow.definitions.by_version(process_key, from_version)
    target_version = from_version + 1 if to_version is None else to_version
    target = uow.definitions.by_version(process_key, target_version)
    if source is None or target is None:
        missing = from_version if source is None else target_version
        raise NotFound(f"process '{process_key}' has no version {missing}", processKey=process_key)
    if target.version <= source.version:
        raise InvalidData(
            "cases move forward only", [FieldError("toVersion", f"must be later than {from_version}")]
        )
    return source, target


def target_bundle(
    services: Services, uow: UnitOfWork, row: InstanceRow, target: DefinitionRow
) -> tuple[SpecBundle, dict[str, int]]:
    # Callees the case already runs keep their pinned versions; new callees get the latest.
    called = services.catalog.resolve_called(uow, target)
    called.update({k: v for k, v in row.called_definitions.items() if k in called})
    return services.catalog.bundle(uow, target.id, called), called


def _reasons(
    services: Services, uow: UnitOfWork, row: InstanceRow, target: DefinitionRow
) -> list[dict[str, Any]]:
    if row.suspended:
        return [{"elementId": None, "name": None, "reason": "the case is suspended: resume it first"}]
    bundle, _ = target_bundle(services, uow, row, target)
    # Restored from the committed row (never taken from the live cache: this only reads).
    current = services.catalog.bundle(uow, row.definition_id, row.called_definitions)
    engine = services.engine.script_engine(None, row.id, row.business_key)
    workflow = services.engine.restore(row.state, current, engine)
    return [b.as_dict() for b in engine_migration.blockers(workflow, bundle)]


def check(
    services: Services, process_key: str, from_version: int, actor: Actor, to_version: int | None = None
) -> dict[str, Any]:
    """Report which running cases of a version can move to the target version, and why not."""
    require_supervisor(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        source, target = versions(uow, process_key, from_version, to_version)
        cases = []
        for instance_id in uow.case_migrations.running_on(source.id, MAX_CASES):
            row = uow.instances.get(instance_id)
            if row is None:
                continue
            reasons = _reasons(services, uow, row, target)
            cases.append(
                {
                    "id": row.id,
                    "businessKey": row.business_key,
                    "status": row.status,
                    "movable": not reasons,
                    "reasons": reasons,
                }
            )
    return {
        "processKey": process_key,
        "fromVersion": source.version,
        "toVersion": target.version,
        "movable": sum(c["movable"] for c in cases),
        "blocked": sum(not c["movable"] for c in cases),
        "cases": cases,
    }
