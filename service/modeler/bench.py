"""The decision test bench: which values a table reads, typed from what the analyst typed."""

from __future__ import annotations

import ast
import builtins
import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from service.engine import decisions as engine
from service.engine.xml import DiagramUnreadable

INTEGER = re.compile(r"^-?\d+$")
NUMBER = re.compile(r"^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$")
KNOWN = set(dir(builtins)) | {"True", "False", "None"}


def _names(expression: str) -> list[str]:
    """Return the case variables an input expression reads (not the functions it calls)."""
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        return []
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    found = [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    return [n for n in dict.fromkeys(found) if n not in called and n not in KNOWN]


def fields(xml: bytes | str) -> dict[str, list[dict[str, str]]]:
    """Name, per decision, the variables its input columns read, with the column that reads each."""
    try:
        tables = engine.decision_tables(xml)
    except DiagramUnreadable:
        return {}
    found: dict[str, list[dict[str, str]]] = {}
    for table in tables:
        seen: dict[str, dict[str, str]] = {}
        for column in table.inputs:
            bare = column.expression.strip().isidentifier()
            for name in _names(column.expression):
                type_ref = column.type_ref if bare else ""
                seen.setdefault(name, {"name": name, "column": column.label, "typeRef": type_ref})
        found[table.id] = list(seen.values())
    return found


def _one(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text == "":
        return None
    if text[0] in "[{":
        try:
            return json.loads(text)  # a record the table reads fields of
        except json.JSONDecodeError:
            return text
    if text in ("true", "false"):
        return text == "true"
    if INTEGER.match(text):
        return int(text)
    if NUMBER.match(text):
        return float(text)
    return text


def typed(values: dict[str, Any]) -> dict[str, Any]:
    """Read the bench's text fields as case data would hold them: numbers, true/false, text, null."""
    return {name: _one(value) for name, value in values.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def plain(values: dict[str, Any]) -> dict[str, Any]:
    """Make an outcome's values JSON (Decimals as numbers or text, dates as ISO text)."""
    return {str(k): _plain(v) for k, v in values.items()}
