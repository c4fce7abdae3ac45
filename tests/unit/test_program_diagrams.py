"""The program's diagrams keep their contract: ids, handlers, forms, lanes, documentation, DI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from lxml import etree

from handlers.catalog import operations
from handlers.registry import Registry
from service.engine.inspect import form_references
from service.engine.inspect import operations as operation_uses
from service.identity.actors import LANE_GROUPS

PROCESSES = Path(__file__).resolve().parents[2] / "processes"
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
}
PROCESS_IDS = {
    "application_review",
    "information_request",
    "onsite_verification",
    "closing_conference_petition",
    "audit_report_delivery",
    "notice_of_violation",
    "certification_removal",
    "appeal",
    "record_demand",
    "formal_report_due",
}
STARTED_BY_INTEGRATORS = {
    "application_review",
    "closing_conference_petition",
    "audit_report_delivery",
    "notice_of_violation",
    "certification_removal",
    "record_demand",
    "formal_report_due",
}
FLOW_NODES = [
    "startEvent",
    "endEvent",
    "intermediateCatchEvent",
    "boundaryEvent",
    "userTask",
    "serviceTask",
    "businessRuleTask",
    "scriptTask",
    "callActivity",
    "subProcess",
    "exclusiveGateway",
    "eventBasedGateway",
]
DIAGRAMS = sorted(PROCESSES.glob("*.bpmn"))


def _tree(path: Path) -> etree._ElementTree:
    return etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))


def test_the_ten_processes_have_the_ids_integrators_use() -> None:
    found = {p.get("id") for path in DIAGRAMS for p in _tree(path).getroot().iterfind("bpmn:process", NS)}

    assert found == PROCESS_IDS
    assert {p.stem for p in DIAGRAMS} == PROCESS_IDS


def _handler_problems(name: str, tree: etree._ElementTree) -> list[str]:
    """Say which operations of a diagram have no handler, or are passed the wrong parameters."""
    registry = Registry.of(operations())
    problems = []
    for use in operation_uses(tree):
        if use.operation not in registry.names():
            problems.append(f"{name}:{use.line} {use.operation} has no handler")
        else:
            wrong = registry.parameter_problems(use.operation, use.params)
            problems += [f"{name}:{use.line} {p}" for p in wrong]
    return problems


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.stem)
def test_every_operation_in_a_diagram_has_a_handler_with_those_parameters(path: Path) -> None:
    tree = _tree(path)

    assert operation_uses(tree), "every program process calls the data or notification service"
    assert _handler_problems(path.name, tree) == []


def test_a_diagram_calling_an_operation_without_a_handler_fails_the_check() -> None:
    tree = _tree(PROCESSES / "appeal.bpmn")
    operator = tree.getroot().find(".//spiffworkflow:serviceTaskOperator", NS)
    assert operator is not None
    operator.set("id", "file_protest")  # a name no desk handles

    assert _handler_problems("appeal.bpmn", tree) == [
        f"appeal.bpmn:{operator.sourceline} file_protest has no handler"
    ]


def test_every_handler_is_used_by_some_diagram() -> None:
    used = {u.operation for path in DIAGRAMS for u in operation_uses(_tree(path))}

    assert {op.name for op in operations()} - used == set()


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.stem)
def test_every_element_is_documented_with_the_rule_it_implements(path: Path) -> None:
    root = _tree(path).getroot()
    undocumented = []
    for kind in FLOW_NODES:
        for node in root.iterfind(f".//bpmn:{kind}", NS):
            text = node.findtext("bpmn:documentation", default="", namespaces=NS)
            if "§" not in text and "Joins" not in text and "configuration" not in text.lower():
                undocumented.append(node.get("id"))
    for flow in root.iterfind(".//bpmn:sequenceFlow", NS):
        if flow.find("bpmn:conditionExpression", NS) is not None and not flow.findtext(
            "bpmn:documentation", namespaces=NS
        ):
            undocumented.append(flow.get("id"))

    assert undocumented == []


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.stem)
def test_lanes_are_inbox_groups_and_every_user_task_has_a_form_file(path: Path) -> None:
    tree = _tree(path)
    lanes = {lane.get("name") for lane in tree.getroot().iterfind(".//bpmn:lane", NS)}
    forms = {use.filename for use in form_references(tree)}

    assert lanes <= set(LANE_GROUPS)
    for name in forms:
        schema = json.loads((PROCESSES / "forms" / name).read_text())
        if name.endswith(".schema.json"):
            Draft202012Validator.check_schema(schema)
    user_tasks = list(tree.getroot().iterfind(".//bpmn:userTask", NS))
    for task in user_tasks:
        names = {
            p.get("name")
            for p in task.iterfind(".//spiffworkflow:property", NS)
            if p.get("value", "").endswith(".schema.json")
        }
        assert "formJsonSchemaFilename" in names, task.get("id")


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.stem)
def test_the_diagram_interchange_places_every_element(path: Path) -> None:
    root = _tree(path).getroot()
    placed = {s.get("bpmnElement") for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
    placed |= {e.get("bpmnElement") for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    elements = {
        n.get("id")
        for kind in [*FLOW_NODES, "sequenceFlow", "lane", "participant"]
        for n in root.iterfind(f".//bpmn:{kind}", NS)
    }

    assert elements - placed == set()


def test_processes_integrators_start_have_a_start_schema() -> None:
    schemas = {p.name.removesuffix(".start.schema.json") for p in PROCESSES.glob("*.start.schema.json")}

    assert schemas == STARTED_BY_INTEGRATORS
    for key in schemas:
        Draft202012Validator.check_schema(json.loads((PROCESSES / f"{key}.start.schema.json").read_text()))


def test_timers_compute_deadlines_from_the_rule_start_date_never_from_now() -> None:
    timers = [
        (path.name, t.text or "")
        for path in DIAGRAMS
        for t in _tree(path).getroot().iterfind(".//bpmn:timerEventDefinition/*", NS)
    ]

    assert timers
    assert [t for t in timers if "now()" in t[1] or "today()" in t[1]] == []


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.stem)
def test_the_documentation_picture_shows_the_current_diagram(path: Path) -> None:
    svg = (PROCESSES.parent / "docs" / "diagrams" / f"{path.stem}.svg").read_text()
    shown = {i for i in re.findall(r'data-element-id="([^"]+)"', svg) if not i.endswith("_label")}
    root = _tree(path).getroot()
    drawn = {s.get("bpmnElement") for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
    drawn |= {e.get("bpmnElement") for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}

    assert shown == drawn, "re-render with tools/render_diagrams.sh"
