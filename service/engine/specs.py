"""Turn stored diagram XML into SpiffWorkflow specs, and describe human tasks from them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser import SpiffBpmnParser

from service.engine.decisions_model import parse_dmn
from service.engine.decisions_runtime import DecisionParser
from service.engine.values import DiagramSource
from service.engine.xml import DiagramUnreadable, line_of, parse_diagram
from service.errors import DiagramIssue


@dataclass
class SpecBundle:
    """What ``BpmnWorkflow`` needs for one top-level process, parsed once and cached."""

    process_key: str
    spec: Any
    subprocess_specs: dict[str, Any]


class SpecError(Exception):
    """The engine refused the diagrams; carries the issue with file, element and line."""

    def __init__(self, issue: DiagramIssue) -> None:
        super().__init__(str(issue))
        self.issue = issue


def new_parser(decision_versions: Mapping[str, int] | None = None) -> SpiffBpmnParser:
    """Return a Spiff parser; we validate XSD ourselves (all errors, with lines) before it runs.

    ``decision_versions`` are the deployed versions of the decisions added to it (the case record
    names them); business rule tasks evaluate through ``decisions_runtime``.
    """
    return DecisionParser(decision_versions)


def add_sources(parser: SpiffBpmnParser, sources: Iterable[DiagramSource]) -> dict[str, etree._ElementTree]:
    """Add each source (a ``.dmn`` file as a decision) to the parser; return the trees by file name."""
    trees: dict[str, etree._ElementTree] = {}
    for source in sources:
        try:
            if source.name.endswith(".dmn"):
                parser.add_dmn_xml(parse_dmn(source.name, source.xml).getroot(), filename=source.name)
                continue
            tree = parse_diagram(source.name, source.xml)
            trees[source.name] = tree
            parser.add_bpmn_xml(tree, filename=source.name)
        except DiagramUnreadable as exc:
            raise SpecError(exc.issue) from None
        except ValidationException as exc:
            raise SpecError(_issue_from(exc, trees)) from None
    return trees


def build_bundle(
    parser: SpiffBpmnParser, process_key: str, trees: dict[str, etree._ElementTree]
) -> SpecBundle:
    """Ask the parser for a process spec and every spec it calls, recursively."""
    try:
        spec = parser.get_spec(process_key)
        subprocess_specs = parser.get_subprocess_specs(process_key)
    except ValidationException as exc:
        raise SpecError(_issue_from(exc, trees)) from None
    return SpecBundle(process_key, spec, subprocess_specs)


def load_bundle(
    process_key: str, sources: Iterable[DiagramSource], decision_versions: Mapping[str, int] | None = None
) -> SpecBundle:
    """Parse the sources of a stored definition (its callees and pinned decisions) into a bundle."""
    parser = new_parser(decision_versions)
    trees = add_sources(parser, sources)
    return build_bundle(parser, process_key, trees)


def _issue_from(exc: ValidationException, trees: dict[str, etree._ElementTree]) -> DiagramIssue:
    file_name = exc.file_name or ""
    element_id = getattr(exc, "id", "") or None
    line = exc.line_number if isinstance(exc.line_number, int) and exc.line_number else None
    if line is None and file_name in trees:
        line = line_of(trees[file_name], element_id)
    message = str(exc.args[0]) if exc.args else str(exc)
    return DiagramIssue(file_name, message, element_id=element_id, line=line, rule="engine")
