"""Deployed decision versions, the versions each process version pins, and the decisions taken."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection, func, insert, select

from service.store.rows.decisions import DecisionDefinitionRow, DecisionEvaluationRow
from service.store.schema_decisions import decision_definitions as d
from service.store.schema_decisions import decision_evaluations as e
from service.store.schema_decisions import definition_decisions as p


class Outcome(Protocol):
    """What a decision gave (``service.engine.decisions_values.DecisionOutcome``)."""

    @property
    def rule_id(self) -> str | None: ...
    @property
    def rule_index(self) -> int | None: ...
    @property
    def annotation(self) -> str | None: ...
    @property
    def inputs(self) -> dict[str, Any]: ...
    @property
    def outputs(self) -> dict[str, Any]: ...


class Taken(Protocol):
    """A decision a step took (``service.engine.decisions_values.DecisionTaken``)."""

    @property
    def decision_id(self) -> str: ...
    @property
    def version(self) -> int | None: ...
    @property
    def task_name(self) -> str: ...
    @property
    def process_key(self) -> str: ...
    @property
    def outcome(self) -> Outcome: ...


def _definition(r: Any) -> DecisionDefinitionRow:
    return DecisionDefinitionRow(**r._mapping)  # type: ignore[typeddict-item]


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    """Keep a decision's values as JSON holds them (dates and Decimals as text)."""
    loaded: dict[str, Any] = json.loads(json.dumps(dict(values), default=str))
    return loaded


class HasConnection(Protocol):
    """A unit of work (``service.store.UnitOfWork``): the transaction's connection."""

    conn: Connection


def of(uow: HasConnection) -> DecisionRepository:
    """Return the decisions repository working in the unit of work's transaction."""
    return DecisionRepository(uow.conn)


class DecisionRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def latest(self, key: str) -> DecisionDefinitionRow | None:
        """Return the newest version of a decision."""
        r = self.conn.execute(select(d).where(d.c.key == key).order_by(d.c.version.desc()).limit(1)).first()
        return _definition(r) if r else None

    def latest_all(self) -> list[DecisionDefinitionRow]:
        """Return the newest version of every decision."""
        newest = select(d.c.key, func.max(d.c.version).label("v")).group_by(d.c.key).subquery()
        rows = self.conn.execute(
            select(d).join(newest, (d.c.key == newest.c.key) & (d.c.version == newest.c.v)).order_by(d.c.key)
        ).all()
        return [_definition(r) for r in rows]

    def by_content(self, key: str, content_hash: str) -> DecisionDefinitionRow | None:
        """Return the newest version of ``key`` with exactly this content, if any."""
        r = self.conn.execute(
            select(d)
            .where(d.c.key == key, d.c.content_hash == content_hash)
            .order_by(d.c.version.desc())
            .limit(1)
        ).first()
        return _definition(r) if r else None

    def by_version(self, key: str, version: int) -> DecisionDefinitionRow | None:
        """Return one version of a decision, if it is deployed."""
        r = self.conn.execute(select(d).where(d.c.key == key, d.c.version == version)).first()
        return _definition(r) if r else None

    def versions(self, key: str) -> list[DecisionDefinitionRow]:
        """Return every version of a decision, oldest first."""
        return [
            _definition(r) for r in self.conn.execute(select(d).where(d.c.key == key).order_by(d.c.version))
        ]

    def add(self, **values: Any) -> int:
        """Store a decision version; return its id."""
        result = self.conn.execute(insert(d).values(**values))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def pin(self, definition_id: int, decisions: Mapping[str, int]) -> None:
        """Record the decision versions (decision key -> decision definition id) a process version uses."""
        rows = [
            {"definition_id": definition_id, "decision_key": k, "decision_definition_id": v}
            for k, v in decisions.items()
        ]
        if rows:
            self.conn.execute(insert(p), rows)

    def pinned(self, definition_ids: Iterable[int]) -> dict[int, list[DecisionDefinitionRow]]:
        """Return the decision versions each of these process versions pins."""
        ids = list(definition_ids)
        found: dict[int, list[DecisionDefinitionRow]] = {i: [] for i in ids}
        if not ids:
            return found
        query = (
            select(p.c.definition_id, d)
            .join(d, d.c.id == p.c.decision_definition_id)
            .where(p.c.definition_id.in_(ids))
            .order_by(p.c.definition_id, d.c.key)
        )
        for r in self.conn.execute(query):
            values = dict(r._mapping)
            found[values.pop("definition_id")].append(DecisionDefinitionRow(**values))  # type: ignore[typeddict-item]
        return found

    def record(self, instance_id: str, taken: Iterable[Taken], at: datetime) -> None:
        """Write the decisions a step took, in the step's transaction."""
        rows = [
            {
                "instance_id": instance_id,
                "process_key": t.process_key,
                "task_name": t.task_name,
                "decision_key": t.decision_id,
                "decision_version": t.version,
                "inputs": _jsonable(t.outcome.inputs),
                "rule_id": t.outcome.rule_id,
                "rule_index": t.outcome.rule_index,
                "annotation": t.outcome.annotation,
                "outputs": _jsonable(t.outcome.outputs),
                "evaluated_at": at,
            }
            for t in taken
        ]
        if rows:
            self.conn.execute(insert(e), rows)

    def taken(self, instance_ids: Iterable[str]) -> list[DecisionEvaluationRow]:
        """Return the decisions taken in these instances, in the order they were taken."""
        ids = list(instance_ids)
        if not ids:
            return []
        named = (d.c.key == e.c.decision_key) & (d.c.version == e.c.decision_version)
        query = (
            select(e, d.c.name.label("decision_name"))
            .select_from(e.outerjoin(d, named))
            .where(e.c.instance_id.in_(ids))
            .order_by(e.c.evaluated_at, e.c.id)
        )
        return [DecisionEvaluationRow(**r._mapping) for r in self.conn.execute(query)]  # type: ignore[typeddict-item]
