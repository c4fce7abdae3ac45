"""Read what a diagram asks of the service straight from its XML (with ids and lines).

The deploy check needs every script, expression, timer, operation and form reference together
with the element and line it sits on, so it reads them here rather than from parsed specs.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from lxml import etree

from service.engine.xml import NSMAP, nearest_id

SCRIPT_PATHS = (
    ".//bpmn:scriptTask/bpmn:script",
    ".//spiffworkflow:preScript",
    ".//spiffworkflow:postScript",
)
EXPRESSION_PATHS = (
    ".//bpmn:sequenceFlow/bpmn:conditionExpression",
    ".//spiffworkflow:messagePayload",
    ".//spiffworkflow:processVariableCorrelation/spiffworkflow:expression",
    ".//bpmn:correlationPropertyRetrievalExpression/bpmn:formalExpression",
    ".//bpmn:correlationPropertyRetrievalExpression/bpmn:messagePath",
    ".//bpmn:loopCardinality",
    ".//bpmn:completionCondition",
    ".//bpmn:conditionalEventDefinition/bpmn:condition",
)
TIMER_PATHS = (
    ".//bpmn:timerEventDefinition/bpmn:timeDuration",
    ".//bpmn:timerEventDefinition/bpmn:timeDate",
    ".//bpmn:timerEventDefinition/bpmn:timeCycle",
)
# Properties on user tasks whose values are Python expressions evaluated by the service.
EXPRESSION_PROPERTIES = ("dueDate",)
FORM_PROPERTIES = ("formJsonSchemaFilename", "formUiSchemaFilename")

_ISO_LIKE = re.compile(r"^(R\d*/)?P[\dYMWDTHS.,]+$|^\d{4}-\d{2}-\d{2}", re.IGNORECASE)


@dataclass(frozen=True)
class Snippet:
    """One piece of diagram code and where it is."""

    kind: str  # "script" | "expression" | "timer"
    source: str
    element_id: str | None
    line: int | None


@dataclass(frozen=True)
class OperationUse:
    """A service task's operation and the parameter ids it passes."""

    operation: str
    params: tuple[str, ...]
    element_id: str | None
    line: int | None


@dataclass(frozen=True)
class FormUse:
    """A user task's reference to a form file."""

    filename: str
    element_id: str | None
    line: int | None


def _text(elem: etree._Element) -> str:
    return (elem.text or "").strip()


def snippets(tree: etree._ElementTree) -> list[Snippet]:
    """Return every script, expression and timer expression in the diagram."""
    root = tree.getroot()
    found: list[Snippet] = []
    for kind, paths in (("script", SCRIPT_PATHS), ("expression", EXPRESSION_PATHS), ("timer", TIMER_PATHS)):
        for path in paths:
            for elem in root.iterfind(path, NSMAP):
                if _text(elem):
                    found.append(Snippet(kind, _text(elem), nearest_id(elem), elem.sourceline))
    for elem in root.iterfind(".//spiffworkflow:parameter", NSMAP):
        if elem.get("value") is not None:
            found.append(Snippet("expression", elem.get("value", ""), nearest_id(elem), elem.sourceline))
    for prop in root.iterfind(".//spiffworkflow:property", NSMAP):
        if prop.get("name") in EXPRESSION_PROPERTIES and prop.get("value"):
            found.append(Snippet("expression", prop.get("value", ""), nearest_id(prop), prop.sourceline))
    return found


def operations(tree: etree._ElementTree) -> list[OperationUse]:
    """Return the operation every service task calls."""
    uses = []
    for op in tree.getroot().iterfind(".//spiffworkflow:serviceTaskOperator", NSMAP):
        params = tuple(
            p.get("id", "") for p in op.iterfind("spiffworkflow:parameters/spiffworkflow:parameter", NSMAP)
        )
        uses.append(OperationUse(op.get("id", ""), params, nearest_id(op), op.sourceline))
    return uses


def form_references(tree: etree._ElementTree) -> list[FormUse]:
    """Return every form file a user task names."""
    uses = []
    for prop in tree.getroot().iterfind(".//spiffworkflow:property", NSMAP):
        if prop.get("name") in FORM_PROPERTIES and prop.get("value"):
            uses.append(FormUse(prop.get("value", ""), nearest_id(prop), prop.sourceline))
    return uses


def executable_process_ids(tree: etree._ElementTree) -> list[str]:
    """Return the ids of the executable processes the file defines."""
    return [
        p.get("id", "")
        for p in tree.getroot().iterfind("bpmn:process", NSMAP)
        if p.get("isExecutable", "false").lower() == "true"
    ]


def timer_problem(expression: str) -> str | None:
    """Say what is wrong with a timer expression, or return None when it will evaluate."""
    from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

    if _ISO_LIKE.match(expression):
        return (
            f"timer expression {expression} must be quoted: timer expressions are Python, "
            f'so write "{expression}"'
        )
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as exc:
        return f"timer expression is not valid Python: {exc.msg}"
    try:
        literal = ast.literal_eval(tree)
    except ValueError:
        return None  # computed from task data when the timer starts; checked by the policy
    if not isinstance(literal, str):
        return f"timer expression must give an ISO 8601 string, not {type(literal).__name__}"
    try:
        if literal.upper().startswith("R"):
            TimerEventDefinition.parse_iso_recurring_interval(literal)
        else:
            TimerEventDefinition.parse_time_or_duration(literal)
    except Exception:
        return f"timer value {literal!r} is not an ISO 8601 duration, date-time or cycle"
    if not literal.upper().startswith(("P", "R")) and not re.search(r"(Z|[+-]\d\d:?\d\d)$", literal):
        return f"timer date {literal!r} has no time zone; write it with Z or an offset"
    return None
