"""Read DMN 1.3 decision tables into plain values: safe XML, one table per decision, lines kept."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from service.engine.xml import parse_safely

DMN_NS = "https://www.omg.org/spec/DMN/20191111/MODEL/"
DMNNS = {"dmn": DMN_NS, "dmndi": "https://www.omg.org/spec/DMN/20191111/DMNDI/"}
ANY = ("", "-")  # an empty cell or '-' matches any input


@dataclass(frozen=True)
class Input:
    id: str
    label: str
    expression: str
    type_ref: str
    line: int | None


@dataclass(frozen=True)
class Output:
    id: str
    name: str
    label: str
    type_ref: str
    line: int | None


@dataclass(frozen=True)
class Rule:
    id: str
    index: int  # 1-based
    annotation: str
    inputs: tuple[str, ...]  # cell texts ('' or '-' for any)
    outputs: tuple[str, ...]
    line: int | None


@dataclass(frozen=True)
class Table:
    decision_id: str
    decision_name: str
    hit_policy: str
    inputs: tuple[Input, ...]
    outputs: tuple[Output, ...]
    rules: tuple[Rule, ...]
    line: int | None


def parse_dmn(name: str, xml: bytes | str) -> etree._ElementTree:
    """Parse DMN bytes safely; raise ``DiagramUnreadable`` naming the file and line."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    return parse_safely(name, data, f"{{{DMN_NS}}}definitions", f"DMN 1.3 definitions ({DMN_NS})")


def _text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    found = element.find("dmn:text", DMNNS)
    return (found.text or "").strip() if found is not None else ""


def _type_ref(column: etree._Element) -> str:
    expression = column.find("dmn:inputExpression", DMNNS)
    return (expression if expression is not None else column).get("typeRef", "")


def _annotation(rule: etree._Element) -> str:
    """Return the rule's annotation: its description, or its annotation entries (DMN 1.3)."""
    parts = [(d.text or "").strip() for d in rule.iterfind("dmn:description", DMNNS)]
    parts += [_text(e) for e in rule.iterfind("dmn:annotationEntry", DMNNS)]
    return " ".join(p for p in parts if p)


def tables(tree: etree._ElementTree) -> list[Table]:
    """Return every decision table of the document, in document order."""
    found = []
    for decision in tree.getroot().iterfind("dmn:decision", DMNNS):
        table = decision.find("dmn:decisionTable", DMNNS)
        if table is not None:
            found.append(_table(decision, table))
    return found


def _table(decision: etree._Element, table: etree._Element) -> Table:
    inputs = tuple(
        Input(
            i.get("id", ""),
            i.get("label", ""),
            _text(i.find("dmn:inputExpression", DMNNS)),
            _type_ref(i),
            i.sourceline,
        )
        for i in table.iterfind("dmn:input", DMNNS)
    )
    outputs = tuple(
        Output(o.get("id", ""), o.get("name", ""), o.get("label", ""), o.get("typeRef", ""), o.sourceline)
        for o in table.iterfind("dmn:output", DMNNS)
    )
    rules = tuple(
        Rule(
            r.get("id", ""),
            n,
            _annotation(r),
            tuple(_text(e) for e in r.iterfind("dmn:inputEntry", DMNNS)),
            tuple(_text(e) for e in r.iterfind("dmn:outputEntry", DMNNS)),
            r.sourceline,
        )
        for n, r in enumerate(table.iterfind("dmn:rule", DMNNS), start=1)
    )
    policy = table.get("hitPolicy", "UNIQUE").upper()
    name = decision.get("name", "")
    return Table(decision.get("id", ""), name, policy, inputs, outputs, rules, table.sourceline)


def output_key(output: Output) -> str:
    """Return the task-data name an output is written to (its name, else its label)."""
    return output.name or output.label
