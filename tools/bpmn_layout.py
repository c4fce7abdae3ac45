"""Lay out a BPMN diagram from a grid: write its DI, lane membership and flow references.

Usage: ``python tools/bpmn_layout.py processes/<key>.bpmn [...]`` reads ``tools/layouts/<key>.layout``
and rewrites the diagram in place. The ``.bpmn`` files stay the source of truth (they open in
Camunda Modeler and bpmn.io, where anyone may move things by hand); this helper only spares
placing hundreds of coordinates by hand. See ``tools/README.md`` for the grid format.

What it rewrites, and nothing else:
- ``bpmn:incoming``/``bpmn:outgoing`` of every flow node, from the sequence flows;
- each lane's ``bpmn:flowNodeRef`` list, from the lane section the grid places a node in;
- the ``bpmndi:BPMNDiagram``: shapes on a left-to-right grid, boundary events on their host's
  lower edge, expanded sub-processes around their children, orthogonal edges.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from bpmn_di import NS, diagram_element, local, q
from bpmn_geometry import ACTIVITIES, COL_W, EVENTS, GATEWAYS, ROW_H, Box, size
from lxml import etree

POOL_BAND, LANE_BAND = 30, 30  # label bands of the pool and of each lane
MARGIN = 20
X0 = POOL_BAND + LANE_BAND + 10  # first column's left edge, relative to the pool
FLOW_NODES = ACTIVITIES | EVENTS | GATEWAYS | {"subProcess"}


@dataclass
class Grid:
    lanes: list[tuple[str, list[list[str]]]]  # lane name, rows of cells (element id or ".")

    @classmethod
    def read(cls, path: Path) -> Grid:
        lanes: list[tuple[str, list[list[str]]]] = []
        for raw in path.read_text().splitlines():
            line = raw.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            if line.startswith("lane "):
                lanes.append((line.split(None, 1)[1].strip(), []))
            elif not lanes:
                raise SystemExit(f"{path}: cells before the first 'lane' line")
            else:
                lanes[-1][1].append(line.split())
        return cls(lanes)

    def cells(self) -> dict[str, tuple[str, int, int]]:
        """Return element id -> (lane, row in the whole pool, column)."""
        found: dict[str, tuple[str, int, int]] = {}
        row0 = 0
        for lane, rows in self.lanes:
            for r, cells in enumerate(rows):
                for c, ident in enumerate(cells):
                    if ident == ".":
                        continue
                    if ident in found:
                        raise SystemExit(f"{ident} is placed twice in the grid")
                    found[ident] = (lane, row0 + r, c)
            row0 += max(len(rows), 1)
        return found

    @property
    def columns(self) -> int:
        return max((len(cells) for _, rows in self.lanes for cells in rows), default=1)


def layout(bpmn_path: Path, grid_path: Path) -> None:
    """Rewrite ``bpmn_path`` laid out on the grid of ``grid_path``."""
    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
    tree = etree.parse(str(bpmn_path), parser)
    root = tree.getroot()
    process = root.find("bpmn:process", NS)
    collaboration = root.find("bpmn:collaboration", NS)
    if process is None or collaboration is None:
        raise SystemExit(f"{bpmn_path}: needs one bpmn:process and a bpmn:collaboration with its participant")
    grid = Grid.read(grid_path)
    nodes = {e.get("id"): e for e in process.iter() if isinstance(e.tag, str) and local(e) in FLOW_NODES}
    flows = [e for e in process.iter(q("bpmn:sequenceFlow"))]
    _check_placement(nodes, grid, bpmn_path)
    _rewrite_references(nodes, flows)
    boxes, lane_boxes, pool = _place(nodes, grid)
    _rewrite_lanes(process, grid, nodes)
    for old in root.findall("bpmndi:BPMNDiagram", NS):
        root.remove(old)
    root.append(diagram_element(root, collaboration, process, nodes, flows, boxes, lane_boxes, pool))
    etree.indent(tree, space="  ")
    tree.write(str(bpmn_path), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _check_placement(nodes: dict[str, etree._Element], grid: Grid, path: Path) -> None:
    placed = set(grid.cells())
    wanted = {i for i, e in nodes.items() if local(e) not in ("boundaryEvent", "subProcess")}
    missing, unknown = wanted - placed, placed - wanted
    if missing or unknown:
        raise SystemExit(
            f"{path}: not in the grid: {sorted(missing)}; in the grid but not a node: {sorted(unknown)}"
        )


def _rewrite_references(nodes: dict[str, etree._Element], flows: list[etree._Element]) -> None:
    for node in nodes.values():
        for old in node.findall("bpmn:incoming", NS) + node.findall("bpmn:outgoing", NS):
            node.remove(old)
    for kind, attr in (("incoming", "targetRef"), ("outgoing", "sourceRef")):
        for flow in flows:
            node = nodes[flow.get(attr)]
            ref = etree.Element(q(f"bpmn:{kind}"))
            ref.text = flow.get("id")
            # XSD order: documentation, extensionElements, incoming*, outgoing*, then the rest.
            leading = [
                c for c in node if local(c) in ("documentation", "extensionElements", "incoming", "outgoing")
            ]
            if kind == "incoming":
                leading = [c for c in leading if local(c) != "outgoing"]
            node.insert(len(leading), ref)


def _place(nodes: dict[str, etree._Element], grid: Grid) -> tuple[dict[str, Box], list[tuple[str, Box]], Box]:
    cells = grid.cells()
    boxes: dict[str, Box] = {}
    for ident, (_, row, col) in cells.items():
        w, h = size(local(nodes[ident]))
        boxes[ident] = Box(X0 + col * COL_W + (COL_W - w) / 2, row * ROW_H + (ROW_H - h) / 2, w, h)
    for ident, node in nodes.items():
        if local(node) == "subProcess":
            kids = [boxes[k] for k in _children(node) if k in boxes]
            cols = [cells[k][2] for k in _children(node) if k in cells]
            rows = [cells[k][1] for k in _children(node) if k in cells]
            x, y = X0 + min(cols) * COL_W + 8, min(rows) * ROW_H + 6
            boxes[ident] = Box(
                x, y, (max(cols) - min(cols) + 1) * COL_W - 16, (max(rows) - min(rows) + 1) * ROW_H - 12
            )
            assert kids
    for ident, node in nodes.items():
        if local(node) == "boundaryEvent":
            host_id = node.get("attachedToRef")
            host = boxes[host_id]
            siblings = [
                i
                for i, n in nodes.items()
                if local(n) == "boundaryEvent" and n.get("attachedToRef") == host_id
            ]
            k = siblings.index(ident)
            if local(nodes[host_id]) == "subProcess":  # along the lower edge from the left
                cx = host.x + 60 + 120 * k
            else:  # two per activity, 44 px apart, centred on the lower edge
                cx = host.cx + (k - (len(siblings) - 1) / 2) * 44
            boxes[ident] = Box(cx - 18, host.bottom - 18, 36, 36)
    lane_boxes = []
    row0 = 0
    width = X0 + grid.columns * COL_W + MARGIN
    for lane, rows in grid.lanes:
        n = max(len(rows), 1)
        lane_boxes.append((lane, Box(POOL_BAND, row0 * ROW_H, width - POOL_BAND, n * ROW_H)))
        row0 += n
    pool = Box(0, 0, width, row0 * ROW_H)
    return _shift(boxes), [(n, _shift_box(b)) for n, b in lane_boxes], _shift_box(pool)


def _shift_box(b: Box) -> Box:
    return Box(b.x + 160, b.y + 80, b.w, b.h)


def _shift(boxes: dict[str, Box]) -> dict[str, Box]:
    return {k: _shift_box(b) for k, b in boxes.items()}


def _children(sub: etree._Element) -> list[str]:
    return [
        c.get("id") for c in sub.iter() if isinstance(c.tag, str) and local(c) in FLOW_NODES and c is not sub
    ]


def _rewrite_lanes(process: etree._Element, grid: Grid, nodes: dict[str, etree._Element]) -> None:
    cells = grid.cells()
    members: dict[str, list[str]] = {lane: [] for lane, _ in grid.lanes}
    for ident, node in nodes.items():
        if local(node) == "boundaryEvent":
            lane = _lane_of(node.get("attachedToRef"), cells, nodes)
        else:
            lane = _lane_of(ident, cells, nodes)
        members[lane].append(ident)
    for lane in process.iterfind("bpmn:laneSet/bpmn:lane", NS):
        name = lane.get("name")
        if name not in members:
            raise SystemExit(f"lane {name} is not in the grid")
        for old in lane.findall("bpmn:flowNodeRef", NS):
            lane.remove(old)
        for ident in members[name]:
            ref = etree.SubElement(lane, q("bpmn:flowNodeRef"))
            ref.text = ident


def _lane_of(ident: str, cells: dict[str, tuple[str, int, int]], nodes: dict[str, etree._Element]) -> str:
    if ident in cells:
        return cells[ident][0]
    kids = [cells[k][0] for k in _children(nodes[ident]) if k in cells]
    return kids[0]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    layouts = Path(__file__).parent / "layouts"
    for name in argv:
        path = Path(name)
        layout(path, layouts / f"{path.stem}.layout")
        print(f"laid out {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
