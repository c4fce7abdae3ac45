"""Deploy-time checks of diagrams: XSD, script policy, timers, operations, forms, engine parse.

A deployment is all or nothing: every problem is collected with its file, element id and line,
and any error means nothing is stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from lxml import etree

from service.engine import inspect, policy
from service.engine.decisions_check import DecisionCandidate, check_decisions
from service.engine.specs import DiagramSource, SpecError, add_sources, build_bundle, new_parser
from service.engine.values import CONTEXT_PROPERTY, parse_context
from service.engine.xml import NSMAP, DiagramUnreadable, nearest_id, parse_diagram, schema_issues
from service.errors import DiagramIssue


class OperationCatalog(Protocol):
    """What validation needs from the handler registry."""

    def names(self) -> set[str]: ...

    def parameter_problems(self, name: str, given: Iterable[str]) -> list[str]: ...


@dataclass
class ProcessCandidate:
    """An executable process found valid, ready to be stored as a definition version."""

    key: str
    name: str | None
    source_name: str
    xml: bytes
    called_keys: list[str]
    start_messages: list[str]
    forms: dict[str, dict[str, object]] = field(default_factory=dict)
    start_schema: dict[str, object] | None = None
    decision_keys: list[str] = field(default_factory=list)  # calledDecisionId of its rule tasks

    def content_hash(self, decision_hashes: Mapping[str, str] | None = None) -> str:
        """Hash what a version is made of: diagram, forms, start schema, pinned decisions' hashes."""
        digest = hashlib.sha256(self.xml)
        for name in sorted(self.forms):
            digest.update(name.encode() + b"\0" + json.dumps(self.forms[name], sort_keys=True).encode())
        digest.update(json.dumps(self.start_schema, sort_keys=True).encode())
        for key, content in sorted((decision_hashes or {}).items()):
            digest.update(b"\0decision\0" + key.encode() + b"\0" + content.encode())
        return digest.hexdigest()


@dataclass
class ValidationReport:
    candidates: list[ProcessCandidate]
    issues: list[DiagramIssue]
    decisions: list[DecisionCandidate] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)


def validate(
    sources: list[DiagramSource],
    forms: Mapping[str, bytes],
    operations: OperationCatalog,
    start_schemas: Mapping[str, bytes] | None = None,
    context_sources: Iterable[DiagramSource] = (),
) -> ValidationReport:
    """Check diagrams and ``.dmn`` decisions; ``context_sources``: deployed ones they may call."""
    issues, decisions = check_decisions([s for s in sources if s.name.endswith(".dmn")])
    sources = [s for s in sources if not s.name.endswith(".dmn")]
    trees: dict[str, etree._ElementTree] = {}
    for source in sources:
        try:
            tree = parse_diagram(source.name, source.xml)
        except DiagramUnreadable as exc:
            issues.append(exc.issue)
            continue
        trees[source.name] = tree
        issues.extend(schema_issues(source.name, tree))
    if issues:
        return ValidationReport([], issues)
    parsed_forms, form_issues = _load_forms(forms)
    issues.extend(form_issues)
    for name, tree in trees.items():
        issues.extend(_policy_issues(name, tree))
        issues.extend(_operation_issues(name, tree, operations))
        issues.extend(_form_issues(name, tree, parsed_forms))
        issues.extend(_context_issues(name, tree))
        issues.extend(_lane_warnings(name, tree))
    if any(i.severity == "error" for i in issues):
        return ValidationReport([], issues)
    own_decisions = [DiagramSource(d.source_name, d.xml) for d in decisions]
    candidates, engine_issues = _engine_parse(
        sources + own_decisions, trees, parsed_forms, start_schemas or {}, context_sources
    )
    return ValidationReport(candidates, issues + engine_issues, decisions)


def _policy_issues(name: str, tree: etree._ElementTree) -> list[DiagramIssue]:
    issues = []
    for snip in inspect.snippets(tree):
        try:
            if snip.kind == "script":
                policy.check_script(snip.source)
            else:
                policy.check_expression(snip.source)
        except policy.PolicyViolation as exc:
            problem = inspect.timer_problem(snip.source) if snip.kind == "timer" else None
            issues.append(
                DiagramIssue(
                    name,
                    problem or f"{snip.kind} refused by the script policy: {exc}",
                    snip.element_id,
                    snip.line,
                    rule="timer" if problem else "policy",
                )
            )
            continue
        if snip.kind == "timer":
            problem = inspect.timer_problem(snip.source)
            if problem:
                issues.append(DiagramIssue(name, problem, snip.element_id, snip.line, rule="timer"))
    return issues


def _operation_issues(
    name: str, tree: etree._ElementTree, operations: OperationCatalog
) -> list[DiagramIssue]:
    issues = []
    bpmn_prefix = "{" + NSMAP["bpmn"] + "}"
    element_ids = {
        e.get("id") for e in tree.getroot().iter() if isinstance(e.tag, str) and e.tag.startswith(bpmn_prefix)
    }
    known = operations.names()
    for use in inspect.operations(tree):
        if use.operation not in known:
            issues.append(
                DiagramIssue(
                    name,
                    f"no handler is registered for operation '{use.operation}'",
                    use.element_id,
                    use.line,
                    rule="registry",
                )
            )
            continue
        if use.operation in element_ids:
            issues.append(
                DiagramIssue(
                    name,
                    f"operation id '{use.operation}' is also a BPMN element id; the engine confuses them",
                    use.element_id,
                    use.line,
                    rule="registry",
                )
            )
        for problem in operations.parameter_problems(use.operation, use.params):
            issues.append(DiagramIssue(name, problem, use.element_id, use.line, rule="registry"))
    return issues


def _load_forms(forms: Mapping[str, bytes]) -> tuple[dict[str, dict[str, object]], list[DiagramIssue]]:
    parsed: dict[str, dict[str, object]] = {}
    issues = []
    for fname, content in forms.items():
        try:
            doc = json.loads(content)
        except ValueError as exc:
            issues.append(DiagramIssue(fname, f"form is not valid JSON: {exc}", rule="form"))
            continue
        if not isinstance(doc, dict):
            issues.append(DiagramIssue(fname, "form must be a JSON object", rule="form"))
            continue
        if not fname.endswith(".uischema.json"):
            try:
                Draft202012Validator.check_schema(doc)
            except SchemaError as exc:
                issues.append(
                    DiagramIssue(fname, f"form is not a valid JSON Schema: {exc.message}", rule="form")
                )
                continue
        parsed[fname] = doc
    return parsed, issues


def _form_issues(name: str, tree: etree._ElementTree, forms: Mapping[str, object]) -> list[DiagramIssue]:
    return [
        DiagramIssue(
            name,
            f"form file '{use.filename}' is missing from processes/forms",
            use.element_id,
            use.line,
            rule="form",
        )
        for use in inspect.form_references(tree)
        if use.filename not in forms
    ]


def _context_issues(name: str, tree: etree._ElementTree) -> list[DiagramIssue]:
    issues = []
    for prop in tree.getroot().iterfind(".//spiffworkflow:property", NSMAP):
        if prop.get("name") != CONTEXT_PROPERTY:
            continue
        try:
            parse_context(prop.get("value"))
        except ValueError as exc:
            issues.append(DiagramIssue(name, str(exc), nearest_id(prop), prop.sourceline, rule="context"))
    return issues


def _lane_warnings(name: str, tree: etree._ElementTree) -> list[DiagramIssue]:
    in_lanes = {ref.text for ref in tree.getroot().iterfind(".//bpmn:flowNodeRef", NSMAP)}
    return [
        DiagramIssue(
            name,
            "user task is in no lane, so only supervisors will see it in the inbox",
            task.get("id"),
            task.sourceline,
            severity="warning",
            rule="lanes",
        )
        for task in tree.getroot().iterfind(".//bpmn:userTask", NSMAP)
        if task.get("id") not in in_lanes
    ]


def _engine_parse(
    sources: list[DiagramSource],
    trees: dict[str, etree._ElementTree],
    forms: Mapping[str, dict[str, object]],
    start_schemas: Mapping[str, bytes],
    context_sources: Iterable[DiagramSource],
) -> tuple[list[ProcessCandidate], list[DiagramIssue]]:
    parser = new_parser()
    own = {s.name for s in sources}
    try:
        add_sources(parser, list(sources) + [c for c in context_sources if c.name not in own])
    except SpecError as exc:
        return [], [exc.issue]
    candidates: list[ProcessCandidate] = []
    issues: list[DiagramIssue] = []
    for source in sources:
        if source.name not in trees:
            continue  # a decision: checked on its own
        tree = trees[source.name]
        for key in inspect.executable_process_ids(tree):
            try:
                build_bundle(parser, key, trees)
            except SpecError as exc:
                issues.append(exc.issue)
                continue
            candidates.append(_candidate(key, source, tree, parser, forms, start_schemas, issues))
    return candidates, issues


def _candidate(
    key: str,
    source: DiagramSource,
    tree: etree._ElementTree,
    parser: object,
    forms: Mapping[str, dict[str, object]],
    start_schemas: Mapping[str, bytes],
    issues: list[DiagramIssue],
) -> ProcessCandidate:
    process = tree.getroot().find(f"bpmn:process[@id='{key}']", NSMAP)
    assert process is not None
    called = sorted({c.get("calledElement", "") for c in process.iterfind(".//bpmn:callActivity", NSMAP)})
    decided = sorted({d.text or "" for d in process.iterfind(".//spiffworkflow:calledDecisionId", NSMAP)})
    used_forms = {u.filename for u in inspect.form_references(etree.ElementTree(process))}
    start_schema = None
    if key in start_schemas:
        try:
            start_schema = json.loads(start_schemas[key])
            Draft202012Validator.check_schema(start_schema)
        except (ValueError, SchemaError) as exc:
            issues.append(
                DiagramIssue(f"{key}.start.schema.json", f"start schema is invalid: {exc}", rule="form")
            )
    return ProcessCandidate(
        key=key,
        name=process.get("name"),
        source_name=source.name,
        xml=source.xml,
        called_keys=[c for c in called if c],
        start_messages=list(parser.get_process_parser(key).start_messages()),  # type: ignore[attr-defined]
        forms={f: forms[f] for f in sorted(used_forms) if f in forms},
        start_schema=start_schema,
        decision_keys=[d.strip() for d in decided if d.strip()],
    )
