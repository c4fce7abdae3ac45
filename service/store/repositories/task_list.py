"""The open-task list (the API's and the inbox's), compiled once per combination of filters given.

``TaskRepository.list`` builds and compiles a Core select on every call; this reads exactly the
same (same columns, conditions, order, limit and offset) through a ``Prepared`` statement per
shape of filter: which filters are given and, for candidate groups, how many.
``tests/integration/test_task_list.py`` holds the two equal on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, bindparam, select

from service.store.db import UnitOfWork
from service.store.prepared import Prepared
from service.store.rows import TaskFilter, TaskRow
from service.store.schema import human_tasks as ht

# More candidate groups than any lane list holds: a longer list goes through Core, uncached.
MAX_GROUPS = 16
# (number of candidate groups or None, then whether each optional filter is given, in _FILTERS order)
Shape = tuple[Any, ...]
# Optional filters compared to one bound value: (parameter, condition on it).
_FILTERS: tuple[tuple[str, ColumnElement[bool]], ...] = (
    ("assignee", ht.c.assignee == bindparam("assignee")),
    ("instance_id", ht.c.instance_id == bindparam("instance_id")),
    ("business_key", ht.c.business_key == bindparam("business_key")),
    ("business_key_like", ht.c.business_key.like(bindparam("business_key_like"))),
    ("process_key", ht.c.process_key == bindparam("process_key")),
    ("due_before", ht.c.due_at <= bindparam("due_before")),
)
_compiled: dict[Shape, Prepared] = {}


def open_tasks(uow: UnitOfWork, f: TaskFilter) -> list[TaskRow]:
    """Return the open tasks ``f`` selects, earliest due first (what ``uow.tasks.list(f)`` returns)."""
    groups = None if f.candidate_groups is None else list(f.candidate_groups)
    if groups is not None and not groups:
        return []  # no lane can match an empty list (Core's empty IN selects nothing)
    if groups is not None and len(groups) > MAX_GROUPS:
        return uow.tasks.list(f)
    params = _params(f, groups or [])
    shape = (None if groups is None else len(groups), f.unassigned, *(n in params for n, _ in _FILTERS))
    prepared = _compiled.get(shape)
    if prepared is None:
        prepared = _compiled.setdefault(shape, Prepared(_statement(shape)))
    return [TaskRow.of(r) for r in prepared.rows(uow.conn, params)]


def _params(f: TaskFilter, groups: list[str]) -> dict[str, Any]:
    """Return the bound values: one per candidate group, each filter given, the page's bounds."""
    given = {
        "assignee": f.assignee,
        "instance_id": f.instance_id,
        "business_key": f.business_key,
        # Core's query tests the prefix with LIKE as given (no escaping), so this does too.
        "business_key_like": f"{f.business_key_like}%" if f.business_key_like else None,
        "process_key": f.process_key,
        "due_before": f.due_before,
    }
    params = {name: value for name, value in given.items() if value is not None}
    params.update({f"lane_{i}": g for i, g in enumerate(groups)})
    return {**params, "limit": f.limit, "offset": f.offset}


def _statement(shape: Shape) -> Select[Any]:
    """Build the select of one shape: the conditions it has, the order and page of Core's query."""
    groups, unassigned, *given = shape
    conditions: list[ColumnElement[bool]] = []
    if groups is not None:
        lanes = [bindparam(f"lane_{i}", type_=ht.c.lane.type) for i in range(groups)]
        conditions.append(ht.c.lane.in_(lanes))
    # Core's query puts the assignee before the unassigned test; the order changes no answer.
    conditions += [cond for (_, cond), on in zip(_FILTERS, given, strict=True) if on]
    if unassigned:
        conditions.append(ht.c.assignee.is_(None))
    return (
        select(ht)
        .where(*conditions)
        .order_by(ht.c.due_at.is_(None), ht.c.due_at, ht.c.created_at, ht.c.id)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )
