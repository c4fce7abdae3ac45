"""The decisions DMN tables took in a case: table and version, inputs, the rule that hit, outputs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from service.store import UnitOfWork


class RuleHit(TypedDict):
    """The rule that decided: its id, its row (1-based) and its annotation (the paragraph cited)."""

    id: str
    row: int | None
    annotation: str | None


class TableDecision(TypedDict):
    """One decision a business rule task took."""

    decision: str
    name: str | None
    version: int | None
    task: str
    processKey: str
    processInstanceId: str
    inputs: dict[str, Any]
    rule: RuleHit | None  # None: no rule matched (each output is then null)
    outputs: dict[str, Any]
    at: str


def taken_in(uow: UnitOfWork, instance_ids: Iterable[str]) -> list[TableDecision]:
    """Return the decisions taken in these instances, oldest first."""
    return [
        TableDecision(
            decision=r["decision_key"],
            name=r["decision_name"],
            version=r["decision_version"],
            task=r["task_name"],
            processKey=r["process_key"],
            processInstanceId=r["instance_id"],
            inputs=r["inputs"],
            rule=RuleHit(id=r["rule_id"], row=r["rule_index"], annotation=r["annotation"])
            if r["rule_id"]
            else None,
            outputs=r["outputs"],
            at=r["evaluated_at"].isoformat(),
        )
        for r in uow.decisions.taken(instance_ids)
    ]
