"""Decision tables' rows: deployed decision versions and the decisions a case took."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict


class DecisionDefinitionRow(TypedDict):
    """One deployed version of a decision table (its DMN file)."""

    id: int
    key: str
    version: int
    name: str | None
    content_hash: str
    source_name: str
    dmn_xml: str
    deployed_at: datetime
    deployed_by: str
    note: str | None


class DecisionEvaluationRow(TypedDict):
    """A decision a business rule task took: table and version, inputs, the rule that hit, outputs."""

    id: int
    instance_id: str
    process_key: str
    task_name: str
    decision_key: str
    decision_version: int | None
    inputs: dict[str, Any]
    rule_id: str | None
    rule_index: int | None
    annotation: str | None
    outputs: dict[str, Any]
    evaluated_at: datetime
    decision_name: str | None  # the table's name in the version evaluated
