"""Move the running cases of one definition version to a later one (supervisors only).

Running cases stay on their version unless a supervisor moves them; a case moves only when every
active task and waiting event it has exists unchanged in the target version. Each case moves in
its own transaction through the normal trigger path and is recorded (table + audit log).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from service.engine import migration as engine_migration
from service.engine.values import WaitState
from service.errors import Conflict, ServiceError
from service.identity.actors import Actor
from service.store.rows import DefinitionRow
from service.trigger.core import Loaded, on_instance
from service.trigger.save import Audit
from service.views import migration as migration_views

if TYPE_CHECKING:
    from service.services import Services


def migrate(
    services: Services,
    process_key: str,
    from_version: int,
    actor: Actor,
    to_version: int | None = None,
    instance_ids: list[str] | None = None,
) -> dict[str, Any]:
    """Move running cases (all of the version, or the ones named) that can move; report each."""
    migration_views.require_supervisor(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        source, target = migration_views.versions(uow, process_key, from_version, to_version)
        running = uow.case_migrations.running_on(source.id, migration_views.MAX_CASES)
    # Named cases are each checked under their lock (finished, or on another version: refused).
    wanted = running if instance_ids is None else list(dict.fromkeys(instance_ids))
    results = []
    for instance_id in wanted:
        results.append(_migrate_one(services, instance_id, source, target, actor))
    return {
        "processKey": process_key,
        "fromVersion": source.version,
        "toVersion": target.version,
        "migrated": sum(r["migrated"] for r in results),
        "results": results,
    }


def _migrate_one(
    services: Services, instance_id: str, source: DefinitionRow, target: DefinitionRow, actor: Actor
) -> dict[str, Any]:
    audit = Audit(
        "migrate",
        data={"processKey": source.key, "fromVersion": source.version, "toVersion": target.version},
    )

    def apply(loaded: Loaded) -> WaitState:
        row = loaded.row
        if row.definition_id != source.id:
            raise Conflict(f"case {row.id} is no longer on version {source.version}", instanceId=row.id)
        bundle, called = migration_views.target_bundle(services, loaded.uow, row, target)
        found = engine_migration.blockers(loaded.workflow, bundle)
        if found:
            raise Conflict(
                f"case {row.id} cannot move: " + "; ".join(f"{b.element_id} {b.reason}" for b in found),
                instanceId=row.id,
                reasons=[b.as_dict() for b in found],
            )
        engine_migration.migrate(loaded.workflow, bundle, services.clock)
        loaded.uow.case_migrations.repin(row.id, target.id, called)
        _record(services, loaded, source, target, actor)
        return services.engine.advance(loaded.workflow)

    try:
        outcome = on_instance(services, instance_id, actor, audit, apply)
    except ServiceError as exc:
        reasons = exc.extra.get("reasons") or [{"elementId": None, "name": None, "reason": exc.detail}]
        return {"id": instance_id, "migrated": False, "reasons": reasons}
    finally:
        # The cached workflow was built on the old specs; the next trigger restores from the row.
        services.live.forget(instance_id)
    return {"id": instance_id, "migrated": True, "status": outcome.status, "reasons": []}


def _record(
    services: Services, loaded: Loaded, source: DefinitionRow, target: DefinitionRow, actor: Actor
) -> None:
    loaded.uow.case_migrations.record(
        instance_id=loaded.row.id,
        process_key=source.key,
        from_definition_id=source.id,
        to_definition_id=target.id,
        from_version=source.version,
        to_version=target.version,
        instance_version=loaded.row.version + 1,
        migrated_at=services.clock.now(),
        migrated_by=f"{actor.kind}:{actor.name}",
    )
