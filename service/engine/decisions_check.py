"""Deploy-time checks of DMN decision tables: XSD, DRD shapes, types, policy, citations, hits.

Every issue names the file, the decision (table) and, where there is one, the rule: the rule's
id is the issue's element id, so the modeler marks the row.
"""

from __future__ import annotations

import ast
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import SpiffWorkflow.dmn.parser as spiff_dmn
from lxml import etree

from service.engine import policy
from service.engine.decisions_eval import HIT_POLICIES, TYPE_REFS, cell_expression, type_problem
from service.engine.decisions_model import ANY, DMNNS, Rule, Table, output_key, parse_dmn, tables
from service.engine.decisions_overlap import overlapping
from service.engine.values import DiagramSource
from service.engine.xml import DiagramUnreadable
from service.errors import DiagramIssue

CITATION = re.compile(r"§\s?\d+\.\d+")  # e.g. §163.6(b)(1)


@dataclass
class DecisionCandidate:
    """A decision table found valid, ready to be stored as a decision version."""

    key: str  # the decision's id, which business rule tasks name
    name: str | None
    source_name: str
    xml: bytes

    def content_hash(self) -> str:
        """Hash the DMN file."""
        return hashlib.sha256(self.xml).hexdigest()


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(Path(spiff_dmn.__file__).parent / "schema" / "DMN13.xsd")))


def check_dmn(file_name: str, xml: bytes | str) -> list[DiagramIssue]:
    """Return every problem of one DMN file (empty when it may be deployed)."""
    try:
        tree = parse_dmn(file_name, xml)
    except DiagramUnreadable as exc:
        return [exc.issue]
    schema = _schema()
    if not schema.validate(tree):
        return [DiagramIssue(file_name, e.message, line=e.line, rule="xsd") for e in schema.error_log]
    found = tables(tree)
    issues = _document_issues(file_name, tree, found)
    for table in found:
        issues.extend(table_issues(file_name, table))
    return issues


def _document_issues(file_name: str, tree: etree._ElementTree, found: list[Table]) -> list[DiagramIssue]:
    root = tree.getroot()
    decisions = root.findall("dmn:decision", DMNNS)
    issues = []
    if len(decisions) != 1:
        message = f"a file holds exactly one decision (SpiffWorkflow reads one); found {len(decisions)}"
        issues.append(DiagramIssue(file_name, message, line=root.sourceline, rule="dmn"))
    shapes = {s.get("dmnElementRef") for s in root.iterfind(".//dmndi:DMNShape", DMNNS)}
    for decision in decisions:
        ident = decision.get("id", "")
        if decision.find("dmn:decisionTable", DMNNS) is None:
            issues.append(
                DiagramIssue(
                    file_name,
                    f"decision '{ident}' has no decision table",
                    ident,
                    decision.sourceline,
                    rule="dmn",
                )
            )
        if ident not in shapes:
            message = f"decision '{ident}' has no shape in the decision requirements diagram (DMNDI)"
            issues.append(DiagramIssue(file_name, message, ident, decision.sourceline, rule="layout"))
    return issues


def table_issues(file_name: str, table: Table) -> list[DiagramIssue]:
    """Return the problems of one table: columns, hit policy, then each rule."""
    where = f"decision '{table.decision_id}'"
    issues = []
    if table.hit_policy not in HIT_POLICIES:
        message = f"{where}: hit policy {table.hit_policy} is not supported; use {' or '.join(HIT_POLICIES)}"
        issues.append(DiagramIssue(file_name, message, table.decision_id, table.line, rule="hit-policy"))
    for column in table.inputs:
        problem = _column_problem(column.type_ref) or _expression_problem(
            column.expression, "input expression"
        )
        if problem:
            message = f"{where}, input '{column.label or column.id}': {problem}"
            issues.append(DiagramIssue(file_name, message, column.id, column.line, rule="dmn"))
    for output in table.outputs:
        problem = _column_problem(output.type_ref) or (None if output.name else "an output needs a name")
        if problem:
            message = f"{where}, output '{output_key(output) or output.id}': {problem}"
            issues.append(DiagramIssue(file_name, message, output.id, output.line, rule="dmn"))
    for rule in table.rules:
        issues.extend(_rule_issues(file_name, table, rule))
    if table.hit_policy == "UNIQUE":
        for first, second in overlapping(table):
            message = (
                f"{where}, rule '{second.id}' (row {second.index}) overlaps rule '{first.id}'"
                f" (row {first.index}) under hit policy UNIQUE"
            )
            issues.append(DiagramIssue(file_name, message, second.id, second.line, rule="hit-policy"))
    return issues


def _column_problem(type_ref: str) -> str | None:
    if not type_ref:
        return f"needs a typeRef (one of {', '.join(TYPE_REFS)})"
    if type_ref not in TYPE_REFS:
        return f"typeRef '{type_ref}' is not one of {', '.join(TYPE_REFS)}"
    return None


def _expression_problem(source: str, what: str) -> str | None:
    if not source:
        return f"the {what} is empty"
    try:
        policy.check_expression(source)
    except policy.PolicyViolation as exc:
        return f"{what} refused by the script policy: {exc}"
    return None


def _rule_issues(file_name: str, table: Table, rule: Rule) -> list[DiagramIssue]:
    where = f"decision '{table.decision_id}', rule '{rule.id}' (row {rule.index})"
    problems = []
    if not CITATION.search(rule.annotation):
        problems.append("its annotation must cite the paragraph it applies (e.g. §163.6(b)(1))")
    if len(rule.inputs) != len(table.inputs) or len(rule.outputs) != len(table.outputs):
        problems.append("it needs one cell per input and per output column")
    for cell in rule.inputs:
        if cell not in ANY:
            problem = _expression_problem(cell_expression(cell), f"cell '{cell}'")
            problems.extend([problem] if problem else [])
    for output, value in zip(table.outputs, rule.outputs, strict=False):
        problem = _expression_problem(value, "output cell") if value else None
        problem = problem or _literal_type_problem(value, output.type_ref)
        problems.extend([f"output '{output_key(output)}': {problem}"] if problem else [])
    return [DiagramIssue(file_name, f"{where}: {p}", rule.id, rule.line, rule="dmn") for p in problems]


def _literal_type_problem(cell: str, type_ref: str) -> str | None:
    """Check a constant output cell against its column's type (expressions are checked when run)."""
    if not cell or type_ref not in TYPE_REFS:
        return None
    try:
        value = ast.literal_eval(cell)
    except (ValueError, SyntaxError):
        return None
    return type_problem(value, type_ref)


def check_decisions(sources: list[DiagramSource]) -> tuple[list[DiagramIssue], list[DecisionCandidate]]:
    """Check each DMN file; return the issues and the decisions of the files without errors."""
    issues: list[DiagramIssue] = []
    found: list[DecisionCandidate] = []
    seen: dict[str, str] = {}
    for source in sources:
        problems = check_dmn(source.name, source.xml)
        issues.extend(problems)
        if any(p.severity == "error" for p in problems):
            continue
        for table in tables(parse_dmn(source.name, source.xml)):
            if table.decision_id in seen:
                message = f"decision '{table.decision_id}' is also in {seen[table.decision_id]}"
                issues.append(DiagramIssue(source.name, message, table.decision_id, table.line, rule="dmn"))
                continue
            seen[table.decision_id] = source.name
            found.append(
                DecisionCandidate(table.decision_id, table.decision_name or None, source.name, source.xml)
            )
    return issues, found
