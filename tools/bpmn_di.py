"""Write a diagram's DI: the BPMNDiagram with its pool, lane and node shapes, edges and labels."""

from __future__ import annotations

from bpmn_geometry import Box, anchor, label_box, route
from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
NS = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI}


def q(tag: str) -> str:
    """Expand a prefixed tag such as ``bpmn:lane`` to its namespaced form."""
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


def local(elem: etree._Element) -> str:
    """Return the tag name of an element without its namespace."""
    return etree.QName(elem).localname


def diagram_element(
    root: etree._Element,
    collaboration: etree._Element,
    process: etree._Element,
    nodes: dict[str, etree._Element],
    flows: list[etree._Element],
    boxes: dict[str, Box],
    lane_boxes: list[tuple[str, Box]],
    pool: Box,
) -> etree._Element:
    """Build the BPMNDiagram: pool, lanes, every shape with its label, and every edge."""
    key = process.get("id")
    diagram = etree.Element(q("bpmndi:BPMNDiagram"), id=f"BPMNDiagram_{key}")
    plane = etree.SubElement(
        diagram, q("bpmndi:BPMNPlane"), id=f"BPMNPlane_{key}", bpmnElement=collaboration.get("id")
    )
    participant = collaboration.find("bpmn:participant", NS)
    _shape(plane, participant.get("id"), pool, isHorizontal="true")
    lanes = {lane.get("name"): lane.get("id") for lane in process.iterfind("bpmn:laneSet/bpmn:lane", NS)}
    for name, box in lane_boxes:
        _shape(plane, lanes[name], box, isHorizontal="true")
    ordered = sorted(
        nodes, key=lambda i: (local(nodes[i]) != "subProcess", local(nodes[i]) == "boundaryEvent")
    )
    for ident in ordered:
        kind = local(nodes[ident])
        extra = {"isExpanded": "true"} if kind == "subProcess" else {}
        if kind == "exclusiveGateway":
            extra["isMarkerVisible"] = "true"
        _shape(plane, ident, boxes[ident], label_box(nodes, ident, boxes[ident], local), **extra)
    _edges(plane, nodes, flows, boxes)
    return diagram


def _label_element(parent: etree._Element, box: Box) -> None:
    label = etree.SubElement(parent, q("bpmndi:BPMNLabel"))
    etree.SubElement(label, q("dc:Bounds"), x=_n(box.x), y=_n(box.y), width=_n(box.w), height=_n(box.h))


def _edges(
    plane: etree._Element,
    nodes: dict[str, etree._Element],
    flows: list[etree._Element],
    boxes: dict[str, Box],
) -> None:
    """Write each sequence flow's waypoints, and its label beside the first segment."""
    for flow in flows:
        edge = etree.SubElement(
            plane, q("bpmndi:BPMNEdge"), id=f"{flow.get('id')}_di", bpmnElement=flow.get("id")
        )
        source, target = flow.get("sourceRef"), flow.get("targetRef")
        points = route(
            anchor(boxes[source], local(nodes[source])),
            anchor(boxes[target], local(nodes[target])),
            local(nodes[source]),
            local(nodes[target]),
        )
        for x, y in points:
            etree.SubElement(edge, q("di:waypoint"), x=_n(x), y=_n(y))
        if flow.get("name"):
            (x0, y0), (x1, y1) = points[0], points[1]
            if abs(x0 - x1) < 1 and len(points) > 2:  # down or up, then across: on the crossing part
                label = Box(x1 + 8, y1 - 22, 84, 20)
            elif abs(x0 - x1) < 1:  # straight down or up: beside it
                label = Box(x0 + 6, y0 + 4 if y1 > y0 else y0 - 24, 84, 20)
            else:
                label = Box(x0 + 6, y0 - 22, 84, 20)
            _label_element(edge, label)


def _shape(plane: etree._Element, ident: str, box: Box, label: Box | None = None, **attrs: str) -> None:
    shape = etree.SubElement(plane, q("bpmndi:BPMNShape"), id=f"{ident}_di", bpmnElement=ident, **attrs)
    etree.SubElement(shape, q("dc:Bounds"), x=_n(box.x), y=_n(box.y), width=_n(box.w), height=_n(box.h))
    if label is not None:
        _label_element(shape, label)


def _n(v: float) -> str:
    return str(round(v))
