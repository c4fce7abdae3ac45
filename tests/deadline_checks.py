"""Find every deadline a diagram or its forms state, and say what the deadline table cannot explain.

Used by tests/unit/test_deadline_table.py: a diagram saying 16 days where the rule says 15 fails.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from handlers.deadlines import RULES, RULES_BY_ID, Rule, classify

PROCESSES = Path(__file__).resolve().parents[1] / "processes"
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
}
BPMN = "{" + NS["bpmn"] + "}"
TIMERS = ("timeDate", "timeDuration", "timeCycle")
BOUNDS = ("formatMinimum", "formatMaximum", "formatExclusiveMinimum", "formatExclusiveMaximum")
LOWER = ("formatMinimum", "formatExclusiveMinimum")
# Operations whose ``due_on`` parameter names the deadline they remind of or escalate.
DEADLINE_OPERATIONS = ("remind_staff", "escalate_missed_deadline")
WRAPPERS = ("start_of_day", "end_of_day")
# A period in words: "15 days", "30-day", "30 calendar days", "the 15th calendar day".
PERIOD_WORDS = re.compile(r"\b(\d+)(?:st|nd|rd|th)?[- ](?:calendar[- ])?days?\b", re.IGNORECASE)
CITATIONS = re.compile(r"163\.\d+(?:\([a-z0-9]+\))*", re.IGNORECASE)
PLACEHOLDER = re.compile(r"^\{\{\s*([A-Za-z][\w.]*)\s*\}\}$")
ALL_DATES = {d for r in RULES for d in r.known_dates}


@dataclass(frozen=True)
class Deadline:
    """One deadline a diagram states: where, which rule its element cites, and the expression."""

    where: str
    rule: Rule
    expression: str


def parse(path: Path, text: str | None = None) -> etree._ElementTree:
    """Parse a diagram without entities or network (from ``text`` when given)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    if text is None:
        return etree.parse(str(path), parser)
    return etree.ElementTree(etree.fromstring(text.encode(), parser))


def _element(node: etree._Element) -> etree._Element:
    """Return the drawn BPMN element at or above ``node`` (event definitions are not drawn)."""
    found: etree._Element | None = node
    while found is not None:
        tag = found.tag if isinstance(found.tag, str) else ""
        if found.get("id") and tag.startswith(BPMN) and not tag.endswith("EventDefinition"):
            return found
        found = found.getparent()
    raise LookupError(f"no BPMN element above line {node.sourceline}")


def _property(elem: etree._Element, name: str) -> str | None:
    found = elem.find(
        f"bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property[@name='{name}']", NS
    )
    return None if found is None else found.get("value")


def _rule(elem: etree._Element, citation: str | None, *texts: str) -> Rule:
    """Return the rule the element belongs to, as the deadline board files it."""
    cited = citation or elem.findtext("bpmn:documentation", namespaces=NS)
    return RULES_BY_ID[classify(cited, elem.get("id"), elem.get("name"), *texts)]


def _where(path: Path, elem: etree._Element, node: etree._Element, what: str) -> str:
    return f"{path.name}:{node.sourceline} {elem.get('id')} {what}"


def deadlines(path: Path, tree: etree._ElementTree) -> Iterator[Deadline]:
    """Yield every due date, timer and deadline-computing service-task parameter of a diagram."""
    root = tree.getroot()
    for prop in root.iterfind(".//spiffworkflow:property[@name='dueDate']", NS):
        task = _element(prop)
        rule = _rule(task, _property(task, "dueCitation"))
        yield Deadline(_where(path, task, prop, "dueDate"), rule, prop.get("value", ""))
    for kind in TIMERS:
        for timer in root.iterfind(f".//bpmn:timerEventDefinition/bpmn:{kind}", NS):
            event = _element(timer)
            yield Deadline(_where(path, event, timer, kind), _rule(event, None), timer.text or "")
    for operator in root.iterfind(".//spiffworkflow:serviceTaskOperator", NS):
        params = {
            p.get("id"): p for p in operator.iterfind("spiffworkflow:parameters/spiffworkflow:parameter", NS)
        }
        task = _element(operator)
        cited = params["rule"].get("value", "").strip("'\"") if "rule" in params else None
        # The rule parameter may cite a paragraph with two rules; what the task is about picks one.
        about = [params["what"].get("value", "")] if "what" in params else []
        about.append(task.findtext("bpmn:documentation", default="", namespaces=NS))
        for name, param in params.items():
            value = param.get("value", "")
            if "add_days" in value or (name == "due_on" and operator.get("id") in DEADLINE_OPERATIONS):
                yield Deadline(
                    _where(path, task, param, f"parameter {name}"), _rule(task, cited, *about), value
                )


def _normal(expression: str) -> str:
    return ast.unparse(ast.parse(expression, mode="eval").body)


def _date_name(node: ast.expr) -> str | None:
    """Return the date an expression reads: ``x``, ``a["x"]`` or ``a.get("x")``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return str(node.slice.value)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
        key = node.args[0] if node.args else None
        return str(key.value) if isinstance(key, ast.Constant) else None
    return None


def _names_date(rule: Rule, name: str) -> str | None:
    """Say why a date reference does not fit the rule, or None when the table knows it there."""
    if name not in ALL_DATES:
        return f"{name} is not a date the deadline table knows"
    if rule.period is not None and name not in rule.known_dates:
        return f"{name} is not a date of rule {rule.id} ({rule.citation})"
    return None


def _adds_period(rule: Rule, call: ast.Call) -> str | None:
    """Say why ``add_days(start, n)`` does not fit the rule, or None when it does."""
    if rule.period is None:
        return f"add_days under rule {rule.id}, which sets no period in the table"
    if len(call.args) != 2 or not isinstance(call.args[1], ast.Constant):
        return "add_days needs a start date and a number of days"
    start, days = ast.unparse(call.args[0]), call.args[1].value
    if days != rule.period:
        return f"{days!r} days, but {rule.citation} sets {rule.period} {rule.unit}"
    if start not in {_normal(s) for s in rule.starts}:
        starts = ", ".join(rule.starts)
        runs = f"the {rule.citation} period runs from when {rule.counted_from}"
        return f"counts from {start}, but {runs} ({starts})"
    return None


def problem(deadline: Deadline) -> str | None:
    """Say what the table cannot explain about a deadline expression, or None when it can."""
    try:
        node = ast.parse(deadline.expression.strip(), mode="eval").body
    except SyntaxError as exc:
        return f"{deadline.where}: not Python ({exc.msg})"
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in WRAPPERS:
        node = node.args[0]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "add_days":
        why = _adds_period(deadline.rule, node)
    else:
        name = _date_name(node)
        why = _names_date(deadline.rule, name) if name else "the deadline table cannot explain it"
    return None if why is None else f"{deadline.where}: {deadline.expression}: {why}"


def _strings(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """Yield (key, text) for every string of a JSON document."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)


def _line(text: str, needle: str) -> int:
    return text[: max(text.find(needle), 0)].count("\n") + 1


def _bound_problem(rule: Rule, keyword: str, path: str) -> str | None:
    """Say why a form bound does not fit the rule of its task, or None when it does."""
    head, *keys = path.split(".")
    name, start = path.split(".")[-1], _normal(head + "".join(f"[{k!r}]" for k in keys))
    if name in ALL_DATES:
        return _names_date(rule, name)
    starts = {_normal(s): r for r in RULES for s in r.starts}
    if start in starts and rule.period is not None and starts[start] is not rule:
        return f"{path} is the start of rule {starts[start].id}, not of {rule.id}"
    if start in starts or keyword in LOWER:
        return None  # the period's start, or "not before" an event of the case: neither sets a deadline
    return f"{path} is an upper bound the deadline table cannot explain"


def form_problems(path: Path, tree: etree._ElementTree) -> Iterator[str]:
    """Yield what the table cannot explain in the date bounds of the forms a diagram's tasks use."""
    for prop in tree.getroot().iterfind(".//spiffworkflow:property[@name='formJsonSchemaFilename']", NS):
        task = _element(prop)
        rule = _rule(task, _property(task, "dueCitation"))
        form = PROCESSES / "forms" / prop.get("value", "")
        text = form.read_text()
        for keyword, bound in _strings(json.loads(text)):
            if keyword not in BOUNDS:
                continue
            found = PLACEHOLDER.match(bound)
            why = _bound_problem(rule, keyword, found.group(1)) if found else "not a {{path}} of the case"
            if why:
                yield f"{form.name}:{_line(text, bound)} ({task.get('id')}) {keyword} {bound}: {why}"


def forms_of(path: Path, tree: etree._ElementTree) -> list[Path]:
    """Return the start form and every task form a diagram uses."""
    names = {
        p.get("value", "")
        for p in tree.getroot().iterfind(".//spiffworkflow:property", NS)
        if p.get("name", "").startswith("form")
    }
    start = PROCESSES / f"{path.stem}.start.schema.json"
    return sorted(
        {PROCESSES / "forms" / n for n in names if n.endswith(".json")}
        | ({start} if start.exists() else set())
    )


def form_text_problems(form: Path) -> Iterator[str]:
    """Yield every number of days a form's text states (forms say a period through a placeholder)."""
    text = form.read_text()
    for _, value in _strings(json.loads(text)):
        for found in PERIOD_WORDS.finditer(value):
            said = found.group(0)
            yield f"{form.name}:{_line(text, value)}: '{said}' in form text; the table holds the period"


def _periods_cited(words: str) -> set[int | None]:
    """Return the periods of every rule a text cites."""
    cited = {f"§{c.lower()}" for c in CITATIONS.findall(words)}
    return {r.period for r in RULES if r.citation and any(c.startswith(r.citation) for c in cited)}


def text_problems(path: Path, tree: etree._ElementTree) -> Iterator[str]:
    """Yield every "N days" in a diagram's names and texts that no rule they cite sets."""
    for elem in tree.getroot().iter():
        if not isinstance(elem.tag, str) or not elem.tag.startswith(BPMN) or not elem.get("id"):
            continue
        texts = [elem.get("name") or "", *(d.text or "" for d in elem.iterfind("bpmn:documentation", NS))]
        texts += [
            i.text or ""
            for i in elem.iterfind("bpmn:extensionElements/spiffworkflow:instructionsForEndUser", NS)
        ]
        words = " ".join(texts)
        periods = {_rule(elem, _property(elem, "dueCitation")).period} | _periods_cited(words)
        for found in PERIOD_WORDS.finditer(words):
            if int(found.group(1)) not in periods:
                said = found.group(0)
                yield f"{path.name}:{elem.sourceline} {elem.get('id')}: '{said}' is no period of a cited rule"
