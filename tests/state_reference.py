"""SpiffWorkflow's own converters, as the state writer used them before ``engine.state_tasks``.

The reference the faster writer is held to: the same state-only workflow dict, built by
SpiffWorkflow 3.2's ``WorkflowConverter``, ``BpmnSubWorkflowConverter`` and ``TaskConverter``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import WorkflowConverter
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from service.engine import compaction
from service.engine.serializer import StateOnlyWorkflowConverter


class _SpiffWorkflowConverter(StateOnlyWorkflowConverter):
    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        if completed := compaction.completed_elements(workflow):
            dct[compaction.RECORD] = completed
        return dct


def _build() -> BpmnWorkflowSerializer:
    config = dict(SPIFF_CONFIG)
    config[BpmnWorkflow] = _SpiffWorkflowConverter
    registry = BpmnWorkflowSerializer.configure(config)
    registry.register(Decimal, lambda v: {"value": str(v)}, lambda v: Decimal(v["value"]))
    return BpmnWorkflowSerializer(registry)


REFERENCE = _build()


def reference_state(workflow: BpmnWorkflow) -> Any:
    """Return the workflow's state as SpiffWorkflow's converters write it, parsed."""
    return json.loads(REFERENCE.serialize_json(workflow))
