"""Safe XML loading and the Spiff/BPMN XSD check, reporting every problem with its line."""

from __future__ import annotations

from lxml import etree
from SpiffWorkflow.spiff.parser import VALIDATOR

from service.errors import DiagramIssue

MAX_DIAGRAM_BYTES = 2_000_000

NSMAP = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
}


class DiagramUnreadable(Exception):
    """The file is not a diagram we are willing to read."""

    def __init__(self, issue: DiagramIssue) -> None:
        super().__init__(str(issue))
        self.issue = issue


def _parser() -> etree.XMLParser:
    # No entity expansion, no DTD loading, no network, no gigantic trees: uploaded XML is hostile.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse_diagram(name: str, xml: bytes) -> etree._ElementTree:
    """Parse diagram bytes safely; raise ``DiagramUnreadable`` naming the file and line."""
    return parse_safely(name, xml, f"{{{NSMAP['bpmn']}}}definitions", "bpmn:definitions")


def parse_safely(name: str, xml: bytes, root_tag: str, root_name: str) -> etree._ElementTree:
    """Parse modeling XML (no DTD, entities or network; size-capped) whose root must be ``root_tag``."""
    if len(xml) > MAX_DIAGRAM_BYTES:
        raise DiagramUnreadable(
            DiagramIssue(name, f"file is {len(xml)} bytes; the limit is {MAX_DIAGRAM_BYTES}", rule="xml")
        )
    try:
        root = etree.fromstring(xml, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise DiagramUnreadable(
            DiagramIssue(name, f"malformed XML: {exc.msg}", line=line, rule="xml")
        ) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise DiagramUnreadable(
            DiagramIssue(
                name, "document type declarations (DTD/entities) are not allowed", line=1, rule="xml"
            )
        )
    if root.tag != root_tag:
        message = f"root element must be {root_name}, found {root.tag}"
        raise DiagramUnreadable(DiagramIssue(name, message, line=root.sourceline, rule="xml"))
    return tree


def schema_issues(name: str, tree: etree._ElementTree) -> list[DiagramIssue]:
    """Validate against the BPMN 2.0 + spiffworkflow XSD and return every error with its line."""
    schema = VALIDATOR.validator
    # Spiff rewrites a bpmn-js quirk (correlation formalExpression) before validating; so do we.
    VALIDATOR.preprocess(tree)
    if schema.validate(tree):
        return []
    issues = []
    for err in schema.error_log:
        element = _element_at_line(tree, err.line)
        issues.append(DiagramIssue(name, err.message, element_id=element, line=err.line, rule="xsd"))
    return issues


def _element_at_line(tree: etree._ElementTree, line: int) -> str | None:
    for elem in tree.iter():
        if elem.sourceline == line:
            found = nearest_id(elem)
            if found:
                return found
    return None


def nearest_id(elem: etree._Element) -> str | None:
    """Return the id of the closest drawn BPMN element at or above ``elem``.

    Extension ids are operation names, not element ids; event definitions are not drawn, so a
    problem in a timer expression is reported on its event, where an analyst can click it.
    """
    bpmn = "{" + NSMAP["bpmn"] + "}"
    node: etree._Element | None = elem
    while node is not None:
        ident = node.get("id")
        tag = node.tag if isinstance(node.tag, str) else ""
        if ident and tag.startswith(bpmn) and not tag.endswith("EventDefinition"):
            return ident
        node = node.getparent()
    return None


def line_of(tree: etree._ElementTree, element_id: str | None) -> int | None:
    """Return the source line of the element with ``element_id``."""
    if not element_id:
        return None
    found = tree.getroot().xpath("//*[@id=$ident]", ident=element_id)
    return found[0].sourceline if found else None
