"""Read-side searches for integrators: instances by filters (keyset pages), definition statistics."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    String,
    and_,
    bindparam,
    cast,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB

from service.store.rows import DefinitionIndexRow, InstanceCountRow, InstanceListingRow, InstanceQuery
from service.store.schema import process_definitions as dt
from service.store.schema import process_instances as t
from service.store.typed import typed_rows

_SUMMARY = [c for c in t.c if c.name not in ("state", "variables", "called_definitions")]


class SearchRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def instances(self, q: InstanceQuery) -> list[InstanceListingRow]:
        """Return one page of instance summaries (no state, no variables) with their version."""
        order = (t.c.created_at.desc(), t.c.id.desc()) if q.descending else (t.c.created_at, t.c.id)
        query = (
            select(*_SUMMARY, dt.c.version.label("definition_version"))
            .join(dt, dt.c.id == t.c.definition_id)
            .where(and_(true(), *self._conditions(q)))
            .order_by(*order)
            .limit(q.limit)
        )
        return typed_rows(InstanceListingRow, self.conn.execute(query))

    def _conditions(self, q: InstanceQuery) -> list[ColumnElement[bool]]:
        c: list[ColumnElement[bool]] = []
        if q.process_key is not None:
            c.append(t.c.process_key == q.process_key)
        if q.business_key is not None:
            c.append(t.c.business_key == q.business_key)
        if q.statuses:
            c.append(t.c.status.in_(list(q.statuses)))
        if q.suspended is not None:
            c.append(t.c.suspended.is_(q.suspended))
        if q.has_incident is not None:
            c.append(t.c.has_incident.is_(q.has_incident))
        for column, low, high in (
            (t.c.created_at, q.started_after, q.started_before),
            (t.c.updated_at, q.updated_after, q.updated_before),
        ):
            if low is not None:
                c.append(column >= low)
            if high is not None:
                c.append(column < high)
        c.extend(self._variable_equals(name, value) for name, value in q.variables)
        if q.after is not None:
            created, ident = q.after
            if q.descending:
                c.append(or_(t.c.created_at < created, and_(t.c.created_at == created, t.c.id < ident)))
            else:
                c.append(or_(t.c.created_at > created, and_(t.c.created_at == created, t.c.id > ident)))
        return c

    def _variable_equals(self, name: str, value: Any) -> ColumnElement[bool]:
        # ``name`` is a checked identifier (service layer); values are always bound parameters.
        if self.conn.dialect.name == "postgresql":
            found = cast(t.c.variables, JSONB).op("->")(bindparam(None, name, String))
            return found == cast(bindparam(None, json.dumps(value), String), JSONB)
        path = f'$."{name}"'
        kind = func.json_type(t.c.variables, path)
        extracted = func.json_extract(t.c.variables, path)
        if value is None:
            return kind == "null"
        if isinstance(value, bool):
            return kind == ("true" if value else "false")
        if isinstance(value, int | float):
            return and_(kind.in_(("integer", "real")), extracted == value)
        if isinstance(value, str):
            return and_(kind == "text", extracted == value)
        raise ValueError("only scalar variable values can be compared")

    def definition_index(self) -> list[DefinitionIndexRow]:
        """Return every deployed version (without its XML or forms), by key and version."""
        query = select(
            dt.c.id,
            dt.c.key,
            dt.c.version,
            dt.c.name,
            dt.c.deployed_at,
            dt.c.deployed_by,
            dt.c.note,
            dt.c.start_messages,
        ).order_by(dt.c.key, dt.c.version)
        return typed_rows(DefinitionIndexRow, self.conn.execute(query))

    def instance_counts(self, definition_ids: Sequence[int] | None = None) -> list[InstanceCountRow]:
        """Count instances per definition version, status, suspension and incident flag."""
        query = select(
            t.c.definition_id, t.c.status, t.c.suspended, t.c.has_incident, func.count().label("n")
        ).group_by(t.c.definition_id, t.c.status, t.c.suspended, t.c.has_incident)
        if definition_ids is not None:
            query = query.where(t.c.definition_id.in_(list(definition_ids)))
        return typed_rows(InstanceCountRow, self.conn.execute(query))
