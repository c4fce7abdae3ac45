"""Analysts' drafts: diagrams saved per user while they work, never deployed as such."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from service.engine.decisions_model import parse_dmn, tables
from service.engine.inspect import executable_process_ids
from service.engine.xml import DiagramUnreadable, parse_diagram
from service.errors import FieldError, InvalidData, NotFound
from service.identity.actors import Actor
from service.ids import new_id
from service.modeler.access import require_analyst
from service.store.rows import DiagramDraftRow, DiagramDraftSummaryRow

if TYPE_CHECKING:
    from service.services import Services

MAX_TITLE = 300


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _view(row: DiagramDraftSummaryRow | DiagramDraftRow) -> dict[str, Any]:
    view = {
        "id": row["id"],
        "title": row["title"],
        "processKey": row["process_key"],
        "baseDefinitionId": row["base_definition_id"],
        "created": _iso(row["created_at"]),
        "updated": _iso(row["updated_at"]),
    }
    if "bpmn_xml" in row:
        view["xml"] = row["bpmn_xml"]
    return view


def _process_key(xml: bytes) -> str | None:
    """Return the draft's process key, or ``<decision id>.dmn`` for a decision table's file."""
    try:
        tree = parse_diagram("draft.bpmn", xml)
    except DiagramUnreadable as exc:
        table = _decision_key(xml)
        if table is not None:
            return table
        raise InvalidData(
            "the draft is not a readable diagram", [FieldError("xml", str(exc.issue))]
        ) from None
    keys = executable_process_ids(tree)
    return keys[0] if keys else None


def _decision_key(xml: bytes) -> str | None:
    try:
        found = tables(parse_dmn("draft.dmn", xml))
    except DiagramUnreadable:
        return None
    return f"{found[0].decision_id}.dmn" if found else None


def save(
    services: Services,
    actor: Actor,
    xml: bytes,
    *,
    title: str | None = None,
    draft_id: str | None = None,
    base_definition_id: int | None = None,
) -> dict[str, Any]:
    """Create a draft, or replace one of the actor's own drafts."""
    require_analyst(actor)
    key = _process_key(xml)
    title = (title or "").strip()[:MAX_TITLE] or key or "Untitled diagram"
    now = services.clock.now()
    text = xml.decode("utf-8")
    with services.db.unit_of_work() as uow:
        if draft_id is None:
            draft_id = new_id()
            uow.drafts.add(
                id=draft_id,
                owner=actor.name,
                title=title,
                process_key=key,
                base_definition_id=base_definition_id,
                bpmn_xml=text,
                created_at=now,
                updated_at=now,
            )
        elif not uow.drafts.update(
            draft_id, actor.name, title=title, process_key=key, bpmn_xml=text, updated_at=now
        ):
            raise NotFound(f"you have no draft {draft_id}", draftId=draft_id)
        row = uow.drafts.get(draft_id, actor.name)
        uow.commit()
    assert row is not None
    return _view(row)


def list_own(services: Services, actor: Actor) -> list[dict[str, Any]]:
    """Return the actor's drafts, newest first."""
    require_analyst(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        return [_view(r) for r in uow.drafts.list_for(actor.name)]


def open_own(services: Services, actor: Actor, draft_id: str) -> dict[str, Any]:
    """Return one of the actor's drafts with its XML (another user's drafts are not found)."""
    require_analyst(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        row = uow.drafts.get(draft_id, actor.name)
    if row is None:
        raise NotFound(f"you have no draft {draft_id}", draftId=draft_id)
    return _view(row)


def delete_own(services: Services, actor: Actor, draft_id: str) -> None:
    """Delete one of the actor's drafts."""
    require_analyst(actor)
    with services.db.unit_of_work() as uow:
        if not uow.drafts.delete(draft_id, actor.name):
            raise NotFound(f"you have no draft {draft_id}", draftId=draft_id)
        uow.commit()
