"""Cases: a business key and its family, found by number, applicant name or status, read whole.

The family rule lives in ``service.store.repositories.case_family``: the instances started under the
business key (their call activities run inside them: information requests, on-site
verifications, appeals, removals called by a notice of violation) and, for an application, the
removals and notices of violation started later for the same participant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from service.errors import NotFound
from service.identity.actors import Actor
from service.store.repositories.case_family import IMPORTER_PATHS, FamilyQueries
from service.store.rows import InstanceSummaryRow
from service.store.rows.family import MemberRow
from service.views import case_history, documents, instances, program
from service.views import decisions as table_decisions

if TYPE_CHECKING:
    from service.services import Services
    from service.store import UnitOfWork


@dataclass(frozen=True)
class CaseSearch:
    """What the case list is filtered by (every filter given must hold)."""

    prefix: str | None = None
    name: str | None = None
    statuses: tuple[str, ...] = ()


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _dig(variables: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        variables = variables.get(part) if isinstance(variables, dict) else None
    return variables


def applicant(variables: Any) -> str | None:
    """Return the name of the person the case is about, as its start variables give it."""
    for path in (("applicant", "name"), ("recordkeeper", "name"), ("auditee", "name")):
        found = _dig(variables, path)
        if isinstance(found, str):
            return found
    return None


def _summary(services: Services, uow: UnitOfWork, row: MemberRow) -> dict[str, Any]:
    definition = services.catalog.row(uow, row["definition_id"])
    return {
        "id": row["id"],
        "businessKey": row["business_key"],
        "processKey": row["process_key"],
        "processName": definition.name or row["process_key"],
        "status": row["status"],
        "suspended": row["suspended"],
        "hasIncident": row["has_incident"],
        "applicant": applicant(row["variables"]),
        "started": _iso(row["created_at"]),
        "updated": _iso(row["updated_at"]),
        "completed": _iso(row["completed_at"]),
    }


def search(
    services: Services, actor: Actor, found: CaseSearch, offset: int, count: int
) -> list[dict[str, Any]]:
    """Return one page of cases, newest first."""
    program.may_read(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        rows = FamilyQueries(uow.conn).search(
            prefix=found.prefix, name=found.name, statuses=found.statuses, offset=offset, count=count
        )
        return [_summary(services, uow, r) for r in rows]


def _family(queries: FamilyQueries, business_key: str) -> list[tuple[MemberRow, str]]:
    roots = queries.roots(business_key)
    if not roots:
        raise NotFound(f"case {business_key} does not exist", businessKey=business_key)
    family = [(r, "started under the case number") for r in roots]
    for root in roots:
        if root["process_key"] != "application_review":
            continue
        importer = _dig(root["variables"], IMPORTER_PATHS["application_review"])
        if isinstance(importer, str):
            taken = [m["id"] for m, _ in family]
            later = queries.acting_on(importer, root["created_at"], taken)
            family += [(m, "acts on the participant's certification") for m in later]
    return family


def case(
    services: Services, actor: Actor, business_key: str, shown: Callable[[str], bool] | None = None
) -> dict[str, Any]:
    """Return the case: its family, stage, open tasks, deadlines and everything that happened.

    ``shown`` keeps only the family members a staff member may open (the case page): roles decide
    what a user sees, so a reviewer does not read a later removal's steps.
    """
    program.may_read(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        queries = FamilyQueries(uow.conn)
        family = [(m, r) for m, r in _family(queries, business_key) if shown is None or shown(m["id"])]
        ids = [m["id"] for m, _ in family]
        members = [
            {**_summary(services, uow, m), "relation": relation, **_now(services, uow, m["id"])}
            for m, relation in family
        ]
        entries = queries.history(ids)
        numbers = [n for m, _ in family if isinstance(n := m["variables"].get("application_number"), str)]
        suspensions = [case_history.suspension(s) for s in queries.suspensions(numbers)]
        attached = documents.on_case(uow, business_key)
        decided = table_decisions.taken_in(uow, ids)  # what the family's DMN tables decided
        notices = _notices(uow, ids, business_key)  # one transaction: the case as of one moment
        appeals = _appeals(uow, notices)
    names = {k: v for m in members for k, v in m.pop("names").items()}
    pending = [a["appealNumber"] for a in appeals if a["pending"]]
    root = members[0]
    return {
        "businessKey": business_key,
        "processKey": root["processKey"],
        "processName": root["processName"],
        "applicant": root["applicant"],
        "status": root["status"],
        "stage": [s for m in members if m["status"] in ("waiting", "error") for s in m["stage"]],
        "family": [{k: v for k, v in m.items() if k not in ("openTasks", "deadlines")} for m in members],
        "openTasks": [t for m in members for t in m["openTasks"]],
        "deadlines": [d for m in members for d in m["deadlines"]],
        "suspensions": suspensions,
        "notices": notices,
        "decisions": [case_history.decision(e, names) for e in entries if e["action"] == "complete"],
        "messages": [case_history.message(e) for e in entries if e["action"] == "message"],
        "appeals": appeals,
        "pendingAppeal": pending[-1] if pending else None,
        "history": case_history.timeline(entries, names, notices, suspensions),
        "documents": attached,
        "tableDecisions": decided,
    }


def _appeals(uow: UnitOfWork, notices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the appeals of the family's notices, oldest first."""
    rows = FamilyQueries(uow.conn).appeals([n["noticeNumber"] for n in notices])
    return [case_history.appeal(a) for a in rows]


def _now(services: Services, uow: UnitOfWork, instance_id: str) -> dict[str, Any]:
    """Return where an instance stands: the names of the steps it waits at, its tasks and deadlines."""
    row = uow.instances.summary(instance_id)  # read once, and never the saved state
    if row is None:
        raise NotFound(f"process instance {instance_id} does not exist", instanceId=instance_id)
    names = _element_names(services, uow, row)
    view = instances.instance_in(services, uow, instance_id, row)
    waits = [t["name"] for t in view["activeTasks"]] + [m["element"] for m in view["waitingMessages"]]
    stage = list(dict.fromkeys(names.get(e, e.replace("_", " ").capitalize()) for e in waits))
    deadlines = [{**d, "processInstanceId": instance_id} for d in view["deadlines"]]
    return {"names": names, "stage": stage, "openTasks": view["activeTasks"], "deadlines": deadlines}


def _element_names(services: Services, uow: UnitOfWork, row: InstanceSummaryRow) -> dict[str, str]:
    """Return the diagram names of the instance's elements, its called processes' included."""
    bundle = services.catalog.bundle(uow, row["definition_id"], row["called_definitions"])
    # Called processes first: where an id repeats, the top diagram's own element names it.
    specs = [*bundle.subprocess_specs.values(), bundle.spec]
    found = {}
    for spec in specs:
        for task in spec.task_specs.values():
            element, name = getattr(task, "bpmn_id", None), getattr(task, "bpmn_name", None)
            if element and name:
                found[str(element)] = str(name)
    return found


def _notices(uow: UnitOfWork, ids: list[str], business_key: str) -> list[dict[str, Any]]:
    """Return the family's notices: issued by its instances or filed under its number, oldest first."""
    found = {n["noticeNumber"]: n for i in ids for n in program.notices_in(uow, instance_id=i, limit=1000)}
    found.update({n["noticeNumber"]: n for n in program.notices_in(uow, case_ref=business_key, limit=1000)})
    kept = (
        "noticeNumber",
        "kind",
        "caseRef",
        "processInstanceId",
        "issuedAt",
        "issuedOn",
        "ruleCited",
        "subject",
    )
    ordered = sorted(found.values(), key=lambda n: (n["issuedAt"], n["noticeNumber"]))
    return [{k: n[k] for k in kept} | {"recipient": n["recipient"]["name"]} for n in ordered]
