"""Server-drawn SVG charts: geometry computed here, drawn by the template (no script, no build)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

LABEL_WIDTH = 230
BAR_WIDTH = 380
COUNT_WIDTH = 170
ROW_HEIGHT = 34
BAR_HEIGHT = 18
TOP = 8


@dataclass(frozen=True)
class Bar:
    """One rule's bar: met on time (left part) and late (right part)."""

    label: str
    met: int
    late: int
    y: int
    met_width: float
    late_width: float

    @property
    def late_x(self) -> float:
        return LABEL_WIDTH + self.met_width

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4

    @property
    def share_on_time(self) -> str:
        total = self.met + self.late
        return f"{round(100 * self.met / total)} %" if total else "none closed"


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    bar_x: int = LABEL_WIDTH
    count_x: int = LABEL_WIDTH + BAR_WIDTH + 8
    bar_height: int = BAR_HEIGHT

    @property
    def empty(self) -> bool:
        return all(b.met + b.late == 0 for b in self.bars)


def met_vs_late(rules: Sequence[dict[str, Any]]) -> Chart:
    """Horizontal stacked bars per rule, scaled to the busiest rule."""
    most = max((r["metOnTime"] + r["late"] for r in rules), default=0) or 1
    bars = []
    for i, rule in enumerate(rules):
        label = f"{rule['citation']} {rule['short']}" if rule["citation"] else rule["short"]
        bars.append(
            Bar(
                label=label,
                met=rule["metOnTime"],
                late=rule["late"],
                y=TOP + i * ROW_HEIGHT,
                met_width=round(BAR_WIDTH * rule["metOnTime"] / most, 1),
                late_width=round(BAR_WIDTH * rule["late"] / most, 1),
            )
        )
    return Chart(bars, LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH, TOP * 2 + ROW_HEIGHT * len(bars))
