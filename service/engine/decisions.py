"""DMN 1.3 decision tables: what the modeler, the deployment and business rule tasks call.

Public API (the web modeler calls these; keep the signatures):

    validate_dmn(file_name: str, xml: bytes | str) -> list[Issue]
        Every problem of one .dmn file (Issue is ``service.errors.DiagramIssue``, the BPMN checks'
        type: file, element_id (the rule's id, else the decision's or column's), line, message,
        severity, rule). Empty when the file may be deployed.
    evaluate_decision(xml: bytes | str, decision_id: str, inputs: Mapping[str, object],
                      functions: Mapping[str, Callable] | None = None) -> DecisionOutcome
        Run one table on the given variables (the test bench); raises ``DecisionFailed`` (a
        ValueError) when it cannot decide, ``LookupError`` when the decision is not in the file.
    decision_tables(xml: bytes | str) -> list[DecisionTableInfo]
        id, name, hit_policy, inputs [label, expression, type_ref], outputs [name, type_ref], rules.

``DecisionOutcome`` (frozen): decision_id, rule_id (None if no rule hit), rule_index (1-based or
None), annotation, outputs, inputs (by column label). Cells are Python expressions under the
script policy (``policy.py``); a cell that is a value is compared for equality, one that starts
with an operator ('< 10', 'in ("a", "b")') is completed with the input, '?' stands for the input.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from service.engine.decisions_check import check_dmn
from service.engine.decisions_eval import DecisionFailed, decide
from service.engine.decisions_model import Table, parse_dmn, tables
from service.engine.decisions_values import ColumnInfo, DecisionOutcome, DecisionTableInfo, DecisionTaken
from service.errors import DiagramIssue as Issue

__all__ = [
    "ColumnInfo",
    "DecisionFailed",
    "DecisionOutcome",
    "DecisionTableInfo",
    "DecisionTaken",
    "Issue",
    "decision_tables",
    "evaluate_decision",
    "table_of",
    "validate_dmn",
]


def validate_dmn(file_name: str, xml: bytes | str) -> list[Issue]:
    """Return every problem of one DMN file, each naming the file, the table and the rule."""
    return check_dmn(file_name, xml)


def table_of(xml: bytes | str, decision_id: str, file_name: str = "decision.dmn") -> Table:
    """Return one decision's table from DMN XML; ``LookupError`` when the file has no such decision."""
    for table in tables(parse_dmn(file_name, xml)):
        if table.decision_id == decision_id:
            return table
    raise LookupError(f"no decision '{decision_id}' in {file_name}")


def evaluate_decision(
    xml: bytes | str,
    decision_id: str,
    inputs: Mapping[str, object],
    functions: Mapping[str, Callable[..., Any]] | None = None,
) -> DecisionOutcome:
    """Evaluate one decision on ``inputs`` under the script policy, as a business rule task would."""
    from service.engine.scripting import RestrictedEnvironment  # loads SpiffWorkflow only when run

    table = table_of(xml, decision_id)
    environment = RestrictedEnvironment(functions or {})
    data = dict(inputs)
    return decide(table, lambda expression, extra: environment.evaluate(expression, data, extra))


def decision_tables(xml: bytes | str) -> list[DecisionTableInfo]:
    """Describe each decision table of a DMN file: columns, hit policy, number of rules."""
    return [
        DecisionTableInfo(
            id=t.decision_id,
            name=t.decision_name,
            hit_policy=t.hit_policy,
            inputs=[ColumnInfo(c.label, c.expression, c.type_ref) for c in t.inputs],
            outputs=[ColumnInfo(o.label, "", o.type_ref, o.name) for o in t.outputs],
            rules=len(t.rules),
        )
        for t in tables(parse_dmn("decision.dmn", xml))
    ]
