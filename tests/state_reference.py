"""SpiffWorkflow's own converters, as the state writer used them before ``engine.state_tasks``.

The reference the faster writer is held to: the same state-only workflow dict, built by
SpiffWorkflow 3.2's ``WorkflowConverter``, ``BpmnSubWorkflowConverter`` and ``TaskConverter``.
"""

from __future__ import annotations

import json
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnSubWorkflowConverter, WorkflowConverter

from service.engine import compaction
from service.engine.serializer import StateOnlyWorkflowConverter, build


class _SpiffWorkflowConverter(StateOnlyWorkflowConverter):
    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        if completed := compaction.completed_elements(workflow):
            dct[compaction.RECORD] = completed
        return dct


# SpiffWorkflow writes sub-workflows itself here (BpmnSubWorkflowConverter), tasks included.
REFERENCE = build(_SpiffWorkflowConverter, BpmnSubWorkflowConverter)


def reference_state(workflow: BpmnWorkflow) -> Any:
    """Return the workflow's state as SpiffWorkflow's converters write it, parsed."""
    return json.loads(REFERENCE.serialize_json(workflow))
