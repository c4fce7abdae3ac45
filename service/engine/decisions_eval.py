"""Evaluate one decision table: cells as Python under the script policy, UNIQUE and FIRST hits.

One evaluation serves the business rule task at run time and the modeler's test bench, so a
table behaves the same in both. ``run(expression, extra)`` evaluates one expression against the
case's data (plus ``extra`` names); the caller supplies it with its restricted environment.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from service.engine.decisions_model import ANY, Rule, Table, output_key
from service.engine.decisions_values import DecisionOutcome

Runner = Callable[[str, dict[str, Any]], Any]
PLACEHOLDER = "dmninputexpr"  # what '?' in a cell stands for: the input's value
HIT_POLICIES = ("UNIQUE", "FIRST")
TYPE_REFS = ("string", "number", "integer", "long", "double", "boolean", "date")
_QUESTION = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")  # a '?' outside quotes


class DecisionFailed(ValueError):
    """A table could not decide: a value of the wrong type, two UNIQUE hits, a failing cell."""


def cell_expression(cell: str) -> str:
    """Return the Python expression that tests one input cell against the input's value."""
    if _QUESTION.search(cell):
        return _QUESTION.sub(PLACEHOLDER, cell)
    try:
        ast.parse(cell, mode="eval")
    except SyntaxError:
        return f"{PLACEHOLDER} {cell}"  # a comparison with its left side left out: '< 10', 'in (...)'
    return f"{PLACEHOLDER} == ({cell})"


def type_problem(value: Any, type_ref: str) -> str | None:
    """Say why ``value`` is not of the DMN type ``type_ref`` (None when it is, or is null)."""
    if value is None:
        return None
    numeric = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    fits = {
        "string": isinstance(value, str),
        "number": numeric,
        "double": numeric,
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "long": isinstance(value, int) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "date": isinstance(value, date) or (isinstance(value, str) and _is_iso_date(value)),
    }.get(type_ref)
    if fits is None:
        return f"unknown typeRef '{type_ref}' (one of {', '.join(TYPE_REFS)})"
    return None if fits else f"{value!r} is not a {type_ref}"


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text[:10])
    except ValueError:
        return False
    return True


def decide(table: Table, run: Runner) -> DecisionOutcome:
    """Evaluate the table's inputs, find the rule that hits under its policy, and its outputs."""
    if table.hit_policy not in HIT_POLICIES:
        raise DecisionFailed(
            f"decision '{table.decision_id}': hit policy {table.hit_policy} is not supported"
        )
    values = [_input_value(table, column_index, run) for column_index in range(len(table.inputs))]
    hits: list[Rule] = []
    for rule in table.rules:
        if _matches(table, rule, values, run):
            hits.append(rule)
            if table.hit_policy == "FIRST":
                break
    if len(hits) > 1:
        ids = ", ".join(f"'{r.id}' (row {r.index})" for r in hits)
        raise DecisionFailed(f"decision '{table.decision_id}' is UNIQUE but rules {ids} all match")
    inputs = {(c.label or c.expression): v for c, v in zip(table.inputs, values, strict=True)}
    if not hits:
        outputs = {output_key(o): None for o in table.outputs}
        return DecisionOutcome(table.decision_id, None, None, None, outputs, inputs)
    rule = hits[0]
    return DecisionOutcome(
        table.decision_id, rule.id, rule.index, rule.annotation, _outputs(table, rule, run), inputs
    )


def _input_value(table: Table, index: int, run: Runner) -> Any:
    column = table.inputs[index]
    value = run(column.expression, {})
    problem = type_problem(value, column.type_ref)
    if problem:
        raise DecisionFailed(f"decision '{table.decision_id}': input '{column.label}' is {problem}")
    return value


def _matches(table: Table, rule: Rule, values: list[Any], run: Runner) -> bool:
    for cell, value in zip(rule.inputs, values, strict=False):
        if cell in ANY:
            continue
        try:
            if not run(cell_expression(cell), {PLACEHOLDER: value}):
                return False
        except Exception as exc:
            raise DecisionFailed(
                f"decision '{table.decision_id}', rule '{rule.id}' (row {rule.index}): {exc}"
            ) from exc
    return True


def _outputs(table: Table, rule: Rule, run: Runner) -> dict[str, Any]:
    outputs: dict[str, Any] = {}
    for column, cell in zip(table.outputs, rule.outputs, strict=False):
        value = run(cell, {}) if cell else None
        problem = type_problem(value, column.type_ref)
        if problem:
            where = f"decision '{table.decision_id}', rule '{rule.id}' (row {rule.index})"
            raise DecisionFailed(f"{where}: output '{output_key(column)}' {problem}")
        outputs[output_key(column)] = value
    return outputs
