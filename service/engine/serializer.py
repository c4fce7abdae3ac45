"""State-only serialisation: specs are stored once per definition version, never per instance."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnSubWorkflowConverter, BpmnWorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import VERSION
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from service.engine import compaction
from service.engine.state_tasks import workflow_dict

SERIALIZER_VERSION = f"spiff-{VERSION}+state"


class StateOnlyWorkflowConverter(BpmnWorkflowConverter):
    """Serialise a workflow without its specs; restore it against cached spec objects."""

    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct = workflow_dict(self.registry, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        if completed := compaction.completed_elements(workflow):
            dct[compaction.RECORD] = completed
        return dct

    def from_dict(self, dct: dict[str, Any], specs: tuple[Any, dict[str, Any]] | None = None) -> BpmnWorkflow:
        if specs is None:
            raise ValueError("state-only workflows are restored against their definition's specs")
        spec, subprocess_specs = specs
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        # States saved before compaction existed have no record: nothing had left them.
        compaction.set_completed_elements(workflow, dct.get(compaction.RECORD, {}))
        return workflow


class SubWorkflowConverter(BpmnSubWorkflowConverter):
    """Serialise a sub-workflow as SpiffWorkflow does, its tasks written faster (``state_tasks``)."""

    def to_dict(self, workflow: BpmnSubWorkflow) -> dict[str, Any]:
        dct = workflow_dict(self.registry, workflow)
        dct["parent_task_id"] = str(workflow.parent_task_id)
        dct["spec"] = workflow.spec.name
        return dct


def build(
    workflow_converter: type[BpmnWorkflowConverter] = StateOnlyWorkflowConverter,
    sub_workflow_converter: type[BpmnSubWorkflowConverter] = SubWorkflowConverter,
) -> BpmnWorkflowSerializer:
    """Build the state serializer (tests build one with SpiffWorkflow's own converters to compare)."""
    config = dict(SPIFF_CONFIG)
    config[BpmnWorkflow] = workflow_converter
    config[BpmnSubWorkflow] = sub_workflow_converter
    registry = BpmnWorkflowSerializer.configure(config)
    # Penalty ceilings and appraised values may be Decimals (§163.6(b)); keep them exact.
    registry.register(Decimal, lambda v: {"value": str(v)}, lambda v: Decimal(v["value"]))
    return BpmnWorkflowSerializer(registry)


_SERIALIZER = build()


def dump_state(workflow: BpmnWorkflow) -> str:
    """Return the workflow's state (no specs) as a JSON string."""
    return _SERIALIZER.serialize_json(workflow)


def load_state(state: str, spec: Any, subprocess_specs: dict[str, Any]) -> BpmnWorkflow:
    """Restore a workflow from ``dump_state`` output against its definition's specs."""
    dct = json.loads(state)
    _SERIALIZER.migrate(dct)
    workflow: BpmnWorkflow = _SERIALIZER.from_dict(dct, specs=(spec, subprocess_specs))
    return workflow
