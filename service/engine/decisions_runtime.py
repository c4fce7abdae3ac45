"""Business rule tasks at run time: the parser's DMN engine evaluates our way and records the hit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser import SpiffBpmnParser

from service.engine.decisions_eval import decide
from service.engine.decisions_model import Table, tables
from service.engine.decisions_values import DecisionTaken


class RecordingDmnEngine:
    """Stands in for Spiff's ``DMNEngine``: one table, evaluated by ``decide``, each hit recorded.

    Spiff's own engine stops at the first hit of a UNIQUE table and knows no FIRST; ours checks
    UNIQUE, types every input and output, and tells the trigger which rule decided (the case page
    shows it). The hit goes to the script engine's ``decisions_taken``, which is new per trigger.
    """

    def __init__(self, table: Table, version: int | None) -> None:
        self.table = table
        self.version = version

    def result(self, task: Any) -> dict[str, Any]:
        """Decide for the task; return the outputs Spiff merges into the task's data."""
        script_engine = task.workflow.script_engine
        outcome = decide(
            self.table,
            lambda expression, extra: script_engine.evaluate(task, expression, external_context=extra),
        )
        collector = getattr(script_engine, "decisions_taken", None)
        if collector is not None:
            collector.append(
                DecisionTaken(
                    decision_id=self.table.decision_id,
                    version=self.version,
                    task_name=task.task_spec.bpmn_id or task.task_spec.name,
                    process_key=task.workflow.spec.name,
                    outcome=outcome,
                )
            )
        return dict(outcome.outputs)


class DecisionParser(SpiffBpmnParser):
    """The Spiff parser whose business rule tasks get ``RecordingDmnEngine``s."""

    def __init__(self, decision_versions: Mapping[str, int] | None = None) -> None:
        super().__init__(validator=None)
        self.decision_versions = dict(decision_versions or {})

    def get_engine(self, decision_ref: str, node: Any) -> RecordingDmnEngine:
        """Return the engine of the decision a business rule task names (``calledDecisionId``)."""
        dmn = self.dmn_parsers.get(decision_ref)
        if dmn is None:
            known = ", ".join(sorted(self.dmn_parsers)) or "none"
            message = f"no decision '{decision_ref}' is deployed or in this deployment (known: {known})"
            raise ValidationException(message, node=node, file_name=self._file_of(node))
        for table in tables(etree.ElementTree(dmn.node)):
            if table.decision_id == decision_ref:
                return RecordingDmnEngine(table, self.decision_versions.get(decision_ref))
        message = f"decision '{decision_ref}' has no decision table"
        raise ValidationException(message, node=node, file_name=self._file_of(node))

    def _file_of(self, node: Any) -> str:
        """Return the name of the diagram file holding ``node`` (for the issue)."""
        root = node.getroottree().getroot()
        found = (p.filename for p in self.process_parsers.values() if p.node.getroottree().getroot() is root)
        return next(found, "") or ""
