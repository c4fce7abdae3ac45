"""What a decision table hands out: plain values, importable without loading SpiffWorkflow."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ColumnInfo:
    """One input column (label, expression, typeRef) or output column (name, typeRef)."""

    label: str
    expression: str
    type_ref: str
    name: str = ""


@dataclass(frozen=True)
class DecisionTableInfo:
    """A decision table as the modeler lists it."""

    id: str
    name: str
    hit_policy: str
    inputs: list[ColumnInfo]
    outputs: list[ColumnInfo]
    rules: int


@dataclass(frozen=True)
class DecisionOutcome:
    """Which rule of a table hit (None when none did) and the outputs it gave."""

    decision_id: str
    rule_id: str | None
    rule_index: int | None  # 1-based, as the table shows it
    annotation: str | None
    outputs: dict[str, Any]
    inputs: dict[str, Any] = field(default_factory=dict)  # by column label, as evaluated


@dataclass(frozen=True)
class DecisionTaken:
    """A decision a business rule task took in a step, for the case's record."""

    decision_id: str
    version: int | None  # the deployed version the case's definition pins
    task_name: str  # the business rule task's element id
    process_key: str
    outcome: DecisionOutcome
