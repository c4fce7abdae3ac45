"""Geometry of the layout helper: shape sizes, label places and orthogonal edge routes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

COL_W, ROW_H = 150, 140  # grid cell
ACTIVITIES = {
    "task",
    "userTask",
    "serviceTask",
    "scriptTask",
    "callActivity",
    "sendTask",
    "receiveTask",
    "manualTask",
}
EVENTS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"}
GATEWAYS = {"exclusiveGateway", "parallelGateway", "eventBasedGateway", "inclusiveGateway"}


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


def size(kind: str) -> tuple[int, int]:
    if kind in EVENTS:
        return 36, 36
    if kind in GATEWAYS:
        return 50, 50
    return 100, 80


def anchor(box: Box, kind: str) -> Box:
    """Connect sequence flows to an expanded sub-process at the height of its first row."""
    if kind != "subProcess":
        return box
    return Box(box.x, box.y + ROW_H / 2 - 6 - 40, box.w, 80)


def label_box(nodes: dict[str, Any], ident: str, box: Box, local: Any) -> Box | None:
    """Place external labels where edges do not run: beside boundary events, above gateways."""
    node = nodes[ident]
    kind = local(node)
    if not node.get("name"):
        return None
    if kind == "boundaryEvent":
        host = node.get("attachedToRef")
        siblings = [
            i for i, n in nodes.items() if local(n) == "boundaryEvent" and n.get("attachedToRef") == host
        ]
        if siblings.index(ident) % 2 == 0 and local(nodes[host]) != "subProcess":
            return Box(box.x - 84, box.bottom - 4, 82, 40)
        return Box(box.right + 2, box.bottom - 4, 82, 40)
    if kind in GATEWAYS:  # lower left: edges leave a gateway to the right, up or down
        return Box(box.cx - 104, box.bottom - 6, 94, 40)
    if kind in EVENTS:
        return Box(box.cx - 50, box.bottom + 4, 100, 28)
    return None


def route(s: Box, t: Box, skind: str, tkind: str) -> list[tuple[float, float]]:
    """Return orthogonal waypoints from ``s`` to ``t``."""
    if skind == "boundaryEvent":
        if abs(t.cx - s.cx) < 2 and t.y > s.bottom:
            return [(s.cx, s.bottom), (t.cx, t.y)]
        if t.y > s.bottom or abs(t.cy - s.cy) > ROW_H / 2:
            side = t.x if t.cx > s.cx else t.right
            return [(s.cx, s.bottom), (s.cx, t.cy), (side, t.cy)]
    if abs(t.cx - s.cx) < 1 and t.y > s.bottom:  # straight down
        return [(s.cx, s.bottom), (t.cx, t.y)]
    if abs(t.cx - s.cx) < 1 and t.bottom < s.y:  # straight up
        return [(s.cx, s.y), (t.cx, t.bottom)]
    if t.x >= s.right - 1:  # forward
        if abs(s.cy - t.cy) < 1:
            return [(s.right, s.cy), (t.x, t.cy)]
        if skind in GATEWAYS or skind == "boundaryEvent":
            exit_y = s.y if t.cy < s.cy else s.bottom
            return [(s.cx, exit_y), (s.cx, t.cy), (t.x, t.cy)]
        if tkind in GATEWAYS:
            entry_y = t.bottom if s.cy > t.cy else t.y
            return [(s.right, s.cy), (t.cx, s.cy), (t.cx, entry_y)]
        xm = t.x - 20
        return [(s.right, s.cy), (xm, s.cy), (xm, t.cy), (t.x, t.cy)]
    # backward: in the gap above the source's row when the target is higher, else below it
    gap = (ROW_H - 80) / 2 - 6
    if t.cy < s.cy - 1:
        channel = s.cy - 40 - gap
        return [(s.cx, s.y), (s.cx, channel), (t.cx, channel), (t.cx, t.bottom)]
    channel = max(s.bottom, t.bottom) + gap
    return [(s.cx, s.bottom), (s.cx, channel), (t.cx, channel), (t.cx, t.bottom)]
