"""Point each issue at an element the canvas draws (an event, not its timer definition)."""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from service.engine.xml import DiagramUnreadable, parse_diagram
from service.errors import DiagramIssue

BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"


def on_canvas(xml: bytes, issues: list[DiagramIssue]) -> list[DiagramIssue]:
    """Move issues on nested elements (event definitions, expressions) to their drawn owner."""
    try:
        tree = parse_diagram("diagram.bpmn", xml)
    except DiagramUnreadable:
        return issues
    drawn = {
        e.get("bpmnElement")
        for e in tree.getroot().iter(f"{{{BPMNDI}}}BPMNShape", f"{{{BPMNDI}}}BPMNEdge")
        if e.get("bpmnElement")
    }
    by_id = {e.get("id"): e for e in tree.getroot().iter() if isinstance(e.tag, str) and e.get("id")}
    return [_moved(i, drawn, by_id) for i in issues]


def _moved(
    issue: DiagramIssue, drawn: set[str | None], by_id: dict[str | None, etree._Element]
) -> DiagramIssue:
    if issue.element_id is None or issue.element_id in drawn or issue.element_id not in by_id:
        return issue
    node: etree._Element | None = by_id[issue.element_id]
    while node is not None:
        if node.get("id") in drawn:
            return replace(issue, element_id=node.get("id"))
        node = node.getparent()
    return issue
