"""The staff inbox: task lists with filters, days left, counts, saved filters and reassignment.

Lists never load instance state: they read the indexed open-task rows, one page at a time.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, time, tzinfo
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from service.errors import FieldError, Forbidden, InvalidData
from service.identity.actors import ANALYSTS, SUPERVISORS, Actor
from service.store.rows import InboxSlice, SavedFilterRow, TaskRow
from service.views.local_time import office_zone

if TYPE_CHECKING:
    from collections.abc import Mapping

    from service.services import Services

VIEWS = {"mine": "My tasks", "queue": "Group queue", "all": "All open"}
PAGE_SIZES = (25, 50, 100)
# The columns a list sorts by, with the words its caption uses ("by due date").
SORTS = {
    "due": "due date",
    "task": "task",
    "case": "case number",
    "created": "waiting since",
    "assignee": "assignee",
}
DUE_SOON_DAYS = 3
COUNT_CAP = 1000
# Where a case's applicant is found among its variables (first match wins).
APPLICANT_PATHS = (
    ("applicant_name",),
    ("applicantName",),
    ("applicant", "name"),
    ("recordkeeper_name",),
    ("importer_name",),
    ("applicant",),
)


@dataclass(frozen=True)
class InboxQuery:
    """One inbox list as its URL states it (the filter is shareable and can be saved)."""

    view: str = "mine"
    process: str | None = None
    q: str | None = None
    due_before: date | None = None
    overdue: bool = False
    page: int = 1
    size: int = PAGE_SIZES[0]
    sort: str = "due"
    desc: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> InboxQuery:
        """Read a query from URL arguments; a wrong value gets a field error."""
        errors: list[FieldError] = []
        view = args.get("view") or "mine"
        if view not in VIEWS:
            errors.append(FieldError("view", f"choose one of {', '.join(VIEWS)}"))
        due_before = None
        if args.get("due_before"):
            try:
                due_before = date.fromisoformat(args["due_before"])
            except ValueError:
                errors.append(FieldError("due_before", "Enter a date as YYYY-MM-DD"))
        page = _positive(args.get("page"), 1, "page", errors)
        size = _positive(args.get("size"), PAGE_SIZES[0], "size", errors)
        if size not in PAGE_SIZES:
            errors.append(FieldError("size", f"choose one of {', '.join(map(str, PAGE_SIZES))}"))
        sort = args.get("sort") or "due"
        if sort not in SORTS:
            errors.append(FieldError("sort", f"choose one of {', '.join(SORTS)}"))
        if errors:
            raise InvalidData("the inbox filter has wrong values", errors)
        q = (args.get("q") or "").strip()[:200] or None
        overdue = args.get("overdue") in ("1", "on", "true")
        desc = args.get("desc") in ("1", "on", "true")
        return cls(view, args.get("process") or None, q, due_before, overdue, page, size, sort, desc)

    def to_args(self, **changes: Any) -> dict[str, str]:
        """Return the URL arguments of this query (defaults left out), with ``changes`` applied."""
        query = replace(self, **changes)
        default = InboxQuery()
        found = {k: v for k, v in asdict(query).items() if v != getattr(default, k) and v is not None}
        return {k: ("1" if v is True else str(v)) for k, v in found.items()}

    @property
    def filtered(self) -> bool:
        return bool(self.process or self.q or self.due_before or self.overdue)


def _positive(raw: str | None, default: int, name: str, errors: list[FieldError]) -> int:
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        errors.append(FieldError(name, "Enter a whole number of 1 or more"))
        return default
    return int(raw)


def lanes_of(actor: Actor) -> list[str] | None:
    """Return the lanes whose tasks the actor works; None means every lane (supervisors)."""
    if actor.is_supervisor:
        return None
    return sorted(g for g in actor.groups if g not in (SUPERVISORS, ANALYSTS))


def lands_in_modeler(actor: Actor) -> bool:
    """Tell whether the actor's home is the modeler: an analyst who works no task lane."""
    return ANALYSTS in actor.groups and not actor.is_supervisor and not lanes_of(actor)


def _slice(actor: Actor, view: str, query: InboxQuery, now: datetime, zone: tzinfo = UTC) -> InboxSlice:
    if view == "all" and not actor.is_supervisor:
        raise Forbidden("only supervisors see all open tasks")
    # "Due on or before" a day: to the end of that day where the offices keep their deadlines.
    due_before = datetime.combine(query.due_before, time.max, zone) if query.due_before else None
    common = InboxSlice(
        process_key=query.process,
        key_prefix=query.q,
        due_before=due_before,
        overdue_at=now if query.overdue else None,
        sort=query.sort,
        descending=query.desc,
    )
    if view == "mine":
        return replace(common, lanes=lanes_of(actor), assignee=actor.name)
    if view == "queue":
        return replace(common, lanes=lanes_of(actor), unassigned=True)
    return common


def page(services: Services, actor: Actor, query: InboxQuery) -> dict[str, Any]:
    """Return one page of an inbox list with per-list counts and the filter choices."""
    now, zone = services.clock.now(), office_zone(services)
    current = _slice(actor, query.view, query, now, zone)
    unfiltered = InboxQuery()
    offset = (query.page - 1) * query.size
    with services.db.unit_of_work(readonly=True) as uow:
        rows = uow.inbox.page(current, query.size + 1, offset)
        counts = {
            view: uow.inbox.count(_slice(actor, view, unfiltered, now), COUNT_CAP)
            for view in VIEWS
            if view != "all" or actor.is_supervisor
        }
        labels = uow.inbox.case_labels(sorted({r.instance_id for r in rows}), APPLICANT_PATHS)
        processes = uow.inbox.process_names()
        saved = uow.inbox.filters(actor.name)
    return {
        "query": query,
        "rows": [_row(r, labels.get(r.instance_id), processes, now, zone) for r in rows[: query.size]],
        "hasNext": len(rows) > query.size,
        "counts": counts,
        "countCap": COUNT_CAP,
        "views": {v: label for v, label in VIEWS.items() if v in counts},
        "processes": sorted(processes.items(), key=lambda kv: kv[1].lower()),
        "saved": [_saved(f) for f in saved],
        "sortLabel": SORTS[query.sort],
        "now": now,
    }


def _row(
    r: TaskRow, applicant: str | None, processes: dict[str, str], now: datetime, zone: tzinfo
) -> dict[str, Any]:
    return {
        **{k: getattr(r, k) for k in ("id", "name", "instance_id", "business_key", "lane", "assignee")},
        **{k: getattr(r, k) for k in ("due_at", "due_citation", "process_key", "created_at", "claimed_at")},
        "title": r.label,
        "applicant": applicant if applicant and not applicant.startswith(("{", "[")) else None,
        "process_name": processes.get(r.process_key, r.process_key),
        **due_status(r.due_at, now, zone),
    }


def due_status(due_at: datetime | None, now: datetime, zone: tzinfo = UTC) -> dict[str, Any]:
    """Return calendar days left in ``zone`` (negative when overdue) and the urgency mark of a due date."""
    if due_at is None:
        return {"days_left": None, "urgency": None}
    days = (due_at.astimezone(zone).date() - now.astimezone(zone).date()).days
    urgency = "overdue" if due_at < now else "soon" if days <= DUE_SOON_DAYS else None
    return {"days_left": days, "urgency": urgency}


def saved_filters(services: Services, actor: Actor, kind: str = "tasks") -> list[dict[str, Any]]:
    """Return the actor's saved filters of a list (task lists or cases) with their URL arguments."""
    with services.db.unit_of_work(readonly=True) as uow:
        return [_saved(f) for f in uow.inbox.filters(actor.name, kind)]


def _saved(row: SavedFilterRow) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "args": dict(parse_qsl(row["query"]))}
