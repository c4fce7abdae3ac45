"""Find UNIQUE rules that can both match: only what the cells show for certain is reported.

A cell is read as a set of values when it is '-', a constant, a membership test of constants
('in ("a", "b")') or a comparison with a number ('< 10', '>= 5'). Two rules overlap when, column by
column, their sets meet. A cell of any other form is not understood and the pair is not reported;
two rules both hitting at run time still fail the step (``decisions_eval.decide``).
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import Any

from service.engine.decisions_eval import PLACEHOLDER, cell_expression
from service.engine.decisions_model import ANY, Rule, Table


@dataclass(frozen=True)
class Cell:
    """What values a cell accepts: any, a finite set, or a numeric interval."""

    any: bool = False
    values: frozenset[Any] | None = None
    low: float = -math.inf
    low_closed: bool = False
    high: float = math.inf
    high_closed: bool = False


def read_cell(text: str) -> Cell | None:
    """Return the values a cell accepts, or None when its form is not understood."""
    if text in ANY:
        return Cell(any=True)
    try:
        tree = ast.parse(cell_expression(text), mode="eval").body
        if not (isinstance(tree, ast.Compare) and len(tree.ops) == 1):
            return None
        left, op, right = tree.left, tree.ops[0], tree.comparators[0]
        if not (isinstance(left, ast.Name) and left.id == PLACEHOLDER):
            return None
        value = ast.literal_eval(right)
    except (SyntaxError, ValueError):
        return None
    return _cell(op, value)


def _cell(op: ast.cmpop, value: Any) -> Cell | None:
    if isinstance(op, ast.Eq) and isinstance(value, str | int | float | bool):
        return Cell(values=frozenset([value]))
    if isinstance(op, ast.In) and isinstance(value, tuple | list | set | frozenset):
        return Cell(values=frozenset(value))
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    if isinstance(op, ast.Lt | ast.LtE):
        return Cell(high=value, high_closed=isinstance(op, ast.LtE))
    if isinstance(op, ast.Gt | ast.GtE):
        return Cell(low=value, low_closed=isinstance(op, ast.GtE))
    return None


def _in_interval(value: Any, cell: Cell) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    above = value > cell.low or (cell.low_closed and value == cell.low)
    below = value < cell.high or (cell.high_closed and value == cell.high)
    return above and below


def meet(a: Cell, b: Cell) -> bool:
    """Tell whether some value is accepted by both cells."""
    if a.any or b.any:
        return True
    if a.values is not None and b.values is not None:
        return bool(a.values & b.values)
    if a.values is not None:
        return any(_in_interval(v, b) for v in a.values)
    if b.values is not None:
        return any(_in_interval(v, a) for v in b.values)
    low, low_closed = max((a.low, a.low_closed), (b.low, b.low_closed), key=lambda x: (x[0], not x[1]))
    high, high_closed = min((a.high, a.high_closed), (b.high, b.high_closed), key=lambda x: (x[0], x[1]))
    return low < high or (low == high and low_closed and high_closed)


def overlapping(table: Table) -> list[tuple[Rule, Rule]]:
    """Return each pair of rules (earlier, later) that can both match."""
    read = [[read_cell(c) for c in rule.inputs] for rule in table.rules]
    pairs = []
    for j, later in enumerate(table.rules):
        for i in range(j):
            cells = list(zip(read[i], read[j], strict=False))
            if any(a is None or b is None for a, b in cells):
                continue
            if all(meet(a, b) for a, b in cells if a is not None and b is not None):
                pairs.append((table.rules[i], later))
    return pairs
