"""The state writer gives exactly what SpiffWorkflow's converters give, faster.

``engine.state_tasks`` writes a workflow's tasks itself (each id formatted once); the saved state
must not change by a byte of meaning: checked here on saved application states (with a finished
information-request sub-workflow), before and after compaction, and with typed data.
``tests/conftest.py`` also checks every state the rest of the suite saves (loops that fork, time
out and fail; every program scenario).
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from service.engine import compaction, serializer
from service.engine.specs import load_bundle
from service.engine.values import DiagramSource
from tests.state_reference import reference_state

FIXTURE = (
    Path(__file__).resolve().parent.parent / "fixtures" / "states" / "application_review_pre_compaction.json"
)


def _saved(index: int) -> Any:
    saved = json.loads(FIXTURE.read_text())
    sources = [DiagramSource(name, xml.encode()) for name, xml in saved["sources"].items()]
    bundle = load_bundle(saved["process_key"], sources)
    return serializer.load_state(saved["cases"][index]["state"], bundle.spec, bundle.subprocess_specs)


def _written(workflow: Any) -> Any:
    return json.loads(serializer.dump_state(workflow))


@pytest.mark.parametrize("index", [0, 1])
@pytest.mark.parametrize("compact", [False, True])
def test_saved_application_states_are_written_as_spiffworkflow_writes_them(index: int, compact: bool) -> None:
    saved = json.loads(FIXTURE.read_text())
    bundle = load_bundle(
        saved["process_key"], [DiagramSource(n, x.encode()) for n, x in saved["sources"].items()]
    )
    workflow = serializer.load_state(saved["cases"][index]["state"], bundle.spec, bundle.subprocess_specs)
    assert workflow.subprocesses  # sub-workflows are written too
    if compact:
        compaction.compact(workflow)
    assert _written(workflow) == reference_state(workflow)


def test_typed_and_odd_data_is_written_as_spiffworkflow_writes_it() -> None:
    saved = json.loads(FIXTURE.read_text())
    bundle = load_bundle(
        saved["process_key"], [DiagramSource(n, x.encode()) for n, x in saved["sources"].items()]
    )
    workflow = serializer.load_state(saved["cases"][1]["state"], bundle.spec, bundle.subprocess_specs)
    task = workflow.last_task
    task.data.update(
        {
            "ceiling": Decimal("100000.00"),
            "received": datetime(2026, 1, 5, 9, 30),
            "nested": {"list": [1, "two", None], "deep": {"x": 1.5}},
            "helper": len,
        }
    )
    task.internal_data["rcp_error"] = "boom"
    written = _written(workflow)
    assert written == reference_state(workflow)
    [last] = [t for t in written["tasks"].values() if t["id"] == str(task.id)]
    assert last["delta"]["updates"]["helper"] is None  # a callable is not kept, as SpiffWorkflow keeps none
    assert last["delta"]["updates"]["ceiling"] == {"value": "100000.00", "typename": "Decimal"}
