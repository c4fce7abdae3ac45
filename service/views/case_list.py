"""The staff case list: every case the user may see, open and closed, searched, filtered, sorted.

Pages read the case list's indexed search rows (one per instance), never instance state or
variables; who sees a case follows the inbox: supervisors every case, others the cases that
opened tasks in their lanes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from service.errors import FieldError, InvalidData
from service.identity.actors import Actor
from service.store.rows.cases import CASE_SORTS, CaseListRow, CaseSlice
from service.views.inbox import PAGE_SIZES, lanes_of, saved_filters

if TYPE_CHECKING:
    from collections.abc import Mapping

    from service.services import Services

STATUSES = {
    "open": "Open",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "error": "Needs attention",
    "suspended": "Suspended",
}
SORT_LABELS = {
    "case": "Case number",
    "process": "Process",
    "applicant": "Applicant",
    "status": "Status",
    "stage": "Stage",
    "started": "Started",
}
FILTER_KIND = "cases"  # saved filters of the case list, apart from the task lists'


@dataclass(frozen=True)
class CaseQuery:
    """One case list as its URL states it (shareable, and it can be saved)."""

    q: str | None = None
    process: str | None = None
    status: str | None = None
    stage: str | None = None
    started_from: date | None = None
    started_to: date | None = None
    overdue: bool = False
    sort: str = "started"
    dir: str = "desc"
    page: int = 1
    size: int = PAGE_SIZES[0]

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> CaseQuery:
        """Read a query from URL arguments; a wrong value gets a field error."""
        errors: list[FieldError] = []
        status = _choice(args, "status", STATUSES, errors)
        sort = _choice(args, "sort", CASE_SORTS, errors) or "started"
        direction = _choice(args, "dir", ("asc", "desc"), errors) or ("desc" if sort == "started" else "asc")
        started_from, started_to = _date(args, "started_from", errors), _date(args, "started_to", errors)
        page = _whole(args, "page", 1, errors)
        size = _whole(args, "size", PAGE_SIZES[0], errors)
        if size not in PAGE_SIZES:
            errors.append(FieldError("size", f"Choose one of {', '.join(map(str, PAGE_SIZES))}"))
        if errors:
            raise InvalidData("the case list's filter has wrong values", errors)
        text = {k: (args.get(k) or "").strip()[:200] or None for k in ("q", "process", "stage")}
        overdue = args.get("overdue") in ("1", "on", "true")
        return cls(
            text["q"],
            text["process"],
            status,
            text["stage"],
            started_from,
            started_to,
            overdue,
            sort,
            direction,
            page,
            size,
        )

    def to_args(self, **changes: Any) -> dict[str, str]:
        """Return the URL arguments of this query (defaults left out), with ``changes`` applied."""
        query = replace(self, **changes)
        found = {k: v for k, v in asdict(query).items() if v is not None and v is not False}
        defaults = {"sort": "started", "dir": _default_dir(query.sort), "page": 1, "size": PAGE_SIZES[0]}
        kept = {k: v for k, v in found.items() if defaults.get(k, object()) != v}
        return {k: ("1" if v is True else str(v)) for k, v in kept.items()}

    def sorted_by(self, column: str) -> dict[str, str]:
        """Return the URL arguments that sort by ``column`` (the other way round if it sorts already)."""
        flip = {"asc": "desc", "desc": "asc"}
        direction = flip[self.dir] if column == self.sort else _default_dir(column)
        return self.to_args(sort=column, dir=direction, page=1)

    @property
    def filtered(self) -> bool:
        return any(
            (self.q, self.process, self.status, self.stage, self.started_from, self.started_to, self.overdue)
        )


def _default_dir(sort: str) -> str:
    return "desc" if sort == "started" else "asc"


def _choice(args: Mapping[str, str], name: str, allowed: Any, errors: list[FieldError]) -> str | None:
    value = args.get(name) or None
    if value is not None and value not in allowed:
        errors.append(FieldError(name, f"Choose one of {', '.join(allowed)}"))
        return None
    return value


def _date(args: Mapping[str, str], name: str, errors: list[FieldError]) -> date | None:
    if not args.get(name):
        return None
    try:
        return date.fromisoformat(args[name])
    except ValueError:
        errors.append(FieldError(name, "Enter a date as YYYY-MM-DD"))
        return None


def _whole(args: Mapping[str, str], name: str, default: int, errors: list[FieldError]) -> int:
    raw = args.get(name)
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        errors.append(FieldError(name, "Enter a whole number of 1 or more"))
        return default
    return int(raw)


def slice_of(actor: Actor, query: CaseQuery, now: datetime, notice_cases: tuple[str, ...]) -> CaseSlice:
    """Return what the store reads for a query: the actor's lanes, the search and the filters."""
    lanes = lanes_of(actor)
    started = [
        datetime.combine(d, time.min, UTC) if d else None for d in (query.started_from, query.started_to)
    ]
    return CaseSlice(
        lanes=None if lanes is None else tuple(lanes),
        prefix=" ".join(query.q.split()).lower() if query.q else None,
        notice_cases=notice_cases,
        process_key=query.process,
        status=query.status,
        stage=query.stage,
        started_from=started[0],
        started_before=started[1] + timedelta(days=1) if started[1] else None,
        overdue_at=now if query.overdue else None,
        sort=query.sort,
        descending=query.dir == "desc",
    )


def page(services: Services, actor: Actor, query: CaseQuery) -> dict[str, Any]:
    """Return one page of the case list with the filter's choices and the actor's saved filters."""
    now = services.clock.now()
    with services.db.unit_of_work(readonly=True) as uow:
        notices = uow.cases.notice_cases(query.q.strip()) if query.q else ()
        current = slice_of(actor, query, now, notices)
        rows = uow.cases.page(current, query.size + 1, (query.page - 1) * query.size)
        processes = uow.inbox.process_names()
        stages = uow.cases.stages()
    return {
        "query": query,
        "rows": [_row(r, processes, now) for r in rows[: query.size]],
        "hasNext": len(rows) > query.size,
        "processes": sorted(processes.items(), key=lambda kv: kv[1].lower()),
        "statuses": STATUSES,
        "stages": stages,
        "sorts": SORT_LABELS,
        "saved": saved_filters(services, actor, FILTER_KIND),
        "now": now,
    }


def status_of(row: CaseListRow) -> str:
    """Return the status the list names a case by."""
    if row["status"] in ("completed", "cancelled"):
        return row["status"]
    if row["suspended"]:
        return "suspended"
    return "error" if row["has_incident"] or row["status"] == "error" else "open"


def _row(r: CaseListRow, processes: dict[str, str], now: datetime) -> dict[str, Any]:
    status = status_of(r)
    overdue = status == "open" and r["due_at"] is not None and r["due_at"] < now
    return {
        **r,
        "process_name": processes.get(r["process_key"], r["process_key"].replace("_", " ").capitalize()),
        "status_code": status,
        "status_label": STATUSES[status],
        "overdue": overdue,
    }
