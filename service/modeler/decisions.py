"""Decision tables in the modeler: list, open, validate, try on the test bench, compare, deploy.

Decisions are versioned per decision id (``uow.decisions``); each version keeps the whole ``.dmn``
file it came from. Deploying a changed table gives each process using it a new version, so new
cases evaluate the new table while running cases keep the one their version pins.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypedDict

from service.actions import deployment
from service.engine import decisions as engine
from service.engine.values import DiagramSource
from service.engine.xml import DiagramUnreadable
from service.errors import DeploymentRejected, FieldError, InvalidData, NotFound
from service.identity.actors import Actor
from service.modeler import bench as bench_inputs
from service.modeler import drafts
from service.modeler.access import require_analyst, require_reader
from service.modeler.table_diff import compare_files
from service.store import UnitOfWork
from service.store.rows.decisions import DecisionDefinitionRow

if TYPE_CHECKING:
    from service.services import Services

FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,195}\.dmn$")
MAX_NOTE = 2000


class DecisionVersionView(TypedDict):
    """One deployed version of a decision as the modeler's pages and answers show it."""

    key: str
    version: int
    name: str | None
    fileName: str
    deployed: str
    deployedBy: str
    note: str | None


class DecisionVersions(TypedDict):
    """Every deployed version of a decision, newest first."""

    key: str
    name: str | None
    versions: list[DecisionVersionView]


def _version_view(row: DecisionDefinitionRow) -> DecisionVersionView:
    return {
        "key": row["key"],
        "version": row["version"],
        "name": row["name"],
        "fileName": row["source_name"],
        "deployed": row["deployed_at"].isoformat(),
        "deployedBy": row["deployed_by"],
        "note": row["note"],
    }


def _row(uow: UnitOfWork, key: str, version: int | None) -> DecisionDefinitionRow:
    row = uow.decisions.latest(key) if version is None else uow.decisions.by_version(key, version)
    if row is None:
        what = f"decision '{key}'" + (f" version {version}" if version is not None else "")
        raise NotFound(f"{what} is not deployed", decisionKey=key)
    return row


def listing(services: Services, actor: Actor) -> list[DecisionVersionView]:
    """List the deployed decision tables, latest version of each, by name."""
    require_reader(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        rows = uow.decisions.latest_all()
    return sorted((_version_view(r) for r in rows), key=lambda v: (v["name"] or v["key"]).lower())


def versions(services: Services, actor: Actor, key: str) -> DecisionVersions:
    """List every version of a decision, newest first."""
    require_reader(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        rows = uow.decisions.versions(key)
    if not rows:
        raise NotFound(f"decision '{key}' is not deployed", decisionKey=key)
    newest_first = sorted(rows, key=lambda r: r["version"], reverse=True)
    return {"key": key, "name": newest_first[0]["name"], "versions": [_version_view(r) for r in newest_first]}


def for_editing(services: Services, actor: Actor, key: str, version: int | None = None) -> dict[str, Any]:
    """Return a deployed decision's file to open in the editor, with the tables it holds."""
    require_analyst(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        row = _row(uow, key, version)
    return {**_version_view(row), "xml": row["dmn_xml"], "bench": bench_inputs.fields(row["dmn_xml"])}


def draft_for_editing(services: Services, actor: Actor, key: str, draft_id: str) -> dict[str, Any]:
    """Return one of the actor's decision table drafts to open in the editor, on its table."""
    opened = drafts.open_own(services, actor, draft_id)
    if opened["processKey"] != f"{key}.dmn":
        raise NotFound(f"you have no draft {draft_id} of decision '{key}'", draftId=draft_id)
    with services.db.unit_of_work(readonly=True) as uow:
        row = _row(uow, key, None)
    draft = {"draftId": opened["id"], "draftTitle": opened["title"], "xml": opened["xml"]}
    return {**_version_view(row), **draft, "bench": bench_inputs.fields(opened["xml"])}


def xml(services: Services, actor: Actor, key: str, version: int) -> dict[str, Any]:
    """Return one deployed version's file (to download or compare)."""
    require_reader(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        row = _row(uow, key, version)
    return {"fileName": f"{row['key']}.v{row['version']}.dmn", "xml": row["dmn_xml"]}


def check_file_name(file_name: str | None) -> str:
    """Return the file name when it is a plain ``.dmn`` name (no folders)."""
    if not file_name or not FILE_NAME.match(file_name):
        raise InvalidData(
            "fileName must be a .dmn file name", [FieldError("fileName", "like penalty_ceiling.dmn")]
        )
    return file_name


def validate(services: Services, actor: Actor, file_name: str, xml: bytes) -> dict[str, Any]:
    """Run the deploy checks of one DMN file (each issue names its table and rule); change nothing."""
    require_analyst(actor)
    issues = engine.validate_dmn(check_file_name(file_name), xml)
    return {"ok": not any(i.severity == "error" for i in issues), "issues": [i.as_dict() for i in issues]}


def try_table(
    services: Services, actor: Actor, xml: bytes, decision_id: str, values: dict[str, Any]
) -> dict[str, Any]:
    """Evaluate a draft table on the bench's values: the rule that hits and its outputs."""
    require_analyst(actor)
    variables = bench_inputs.typed(values)
    try:
        outcome = engine.evaluate_decision(xml, decision_id, variables)
    except LookupError as exc:
        raise InvalidData(str(exc), [FieldError("decisionId", "not a decision of this file")]) from None
    except DiagramUnreadable as exc:
        raise InvalidData("the table is not readable", [FieldError("xml", str(exc.issue))]) from None
    except ValueError as exc:  # DecisionFailed: a wrong type, two UNIQUE hits, a failing cell
        raise InvalidData(f"the table cannot decide: {exc}", [FieldError("inputs", str(exc))]) from None
    return {
        "decisionId": outcome.decision_id,
        "ruleId": outcome.rule_id,
        "ruleIndex": outcome.rule_index,
        "annotation": outcome.annotation,
        "outputs": bench_inputs.plain(outcome.outputs),
        "inputs": bench_inputs.plain(outcome.inputs),
    }


def diff(services: Services, actor: Actor, key: str, before: int, after: int) -> dict[str, Any]:
    """Compare two deployed versions of a decision, table by table and cell by cell."""
    require_reader(actor)
    if before == after:
        raise InvalidData("pick two different versions", [FieldError("to", "same as 'from'")])
    with services.db.unit_of_work(readonly=True) as uow:
        old, new = _row(uow, key, before), _row(uow, key, after)
    return {"key": key, "from": before, "to": after, "tables": compare_files(old["dmn_xml"], new["dmn_xml"])}


def diff_draft(services: Services, actor: Actor, key: str, xml: bytes) -> dict[str, Any]:
    """Compare an edited file with the latest deployed version of its decision."""
    require_analyst(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        latest = _row(uow, key, None)
    try:
        tables = compare_files(latest["dmn_xml"], xml)
    except DiagramUnreadable as exc:
        raise InvalidData("the table is not readable", [FieldError("xml", str(exc.issue))]) from None
    return {"key": key, "from": latest["version"], "to": None, "tables": tables}


def deploy(services: Services, actor: Actor, file_name: str, xml: bytes, note: str | None) -> dict[str, Any]:
    """Deploy an edited DMN file: new decision versions, new versions of the processes using them."""
    require_analyst(actor)
    note = (note or "").strip()
    if not note:
        raise InvalidData("a change note is required", [FieldError("note", "say what changed and why")])
    if len(note) > MAX_NOTE:
        raise InvalidData(
            "the change note is too long", [FieldError("note", f"at most {MAX_NOTE} characters")]
        )
    name = check_file_name(file_name)
    issues = engine.validate_dmn(name, xml)
    if any(i.severity == "error" for i in issues):
        raise DeploymentRejected(issues)
    candidates = deployment.DiagramSet([], decisions=[DiagramSource(name, xml)])
    results = deployment.store(services, deployment.check(services, candidates), actor, note)
    with services.db.unit_of_work(readonly=True) as uow:
        decided = [_version_view(r) for r in uow.decisions.latest_all() if r["source_name"] == name]
    return {"fileName": name, "decisions": decided, "processes": list(results)}
