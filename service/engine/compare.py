"""Compare two diagram versions element by element (by id): added, removed and changed.

Each element is flattened to ``property -> value`` (its attributes, documentation, event
definitions, scripts, conditions and every Spiff extension), so a change names what changed.
Layout (BPMN DI) and serialisation details are not changes; the page's visual diff shows layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from service.engine.xml import NSMAP, parse_diagram

BPMN = NSMAP["bpmn"]
SPIFF = NSMAP["spiffworkflow"]
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"

# Elements whose children are elements of their own (reported separately, not as properties).
CONTAINERS = frozenset(
    f"{{{BPMN}}}{t}"
    for t in (
        "definitions",
        "process",
        "subProcess",
        "transaction",
        "adHocSubProcess",
        "laneSet",
        "childLaneSet",
        "collaboration",
    )
)
NOT_REPORTED = frozenset({f"{{{BPMN}}}laneSet", f"{{{BPMN}}}childLaneSet"})
# Derived from the sequence flows, which are compared themselves.
SKIPPED = frozenset({f"{{{BPMN}}}incoming", f"{{{BPMN}}}outgoing"})
FLOW_NODE_REF = f"{{{BPMN}}}flowNodeRef"


@dataclass
class Element:
    id: str
    type: str
    name: str | None
    properties: dict[str, str] = field(default_factory=dict)


def elements(xml: bytes, name: str = "diagram.bpmn") -> dict[str, Element]:
    """Return the diagram's BPMN elements by id, each flattened to its properties."""
    tree = parse_diagram(name, xml)
    found: dict[str, Element] = {}
    for elem in tree.getroot().iter():
        if not isinstance(elem.tag, str) or elem.tag in NOT_REPORTED or not elem.get("id"):
            continue
        parent = elem.getparent()
        if not elem.tag.startswith(f"{{{BPMN}}}") or parent is None or parent.tag not in CONTAINERS:
            continue
        props: dict[str, str] = {}
        _flatten(elem, "", props, top=True)
        found[elem.get("id", "")] = Element(elem.get("id", ""), _type(elem.tag), elem.get("name"), props)
    return found


def compare(before: bytes, after: bytes) -> list[dict[str, Any]]:
    """List the elements added, removed and changed from ``before`` to ``after``."""
    old, new = elements(before, "before.bpmn"), elements(after, "after.bpmn")
    changes: list[dict[str, Any]] = []
    for ident in sorted(new.keys() - old.keys()):
        changes.append(_entry("added", new[ident], extensions=_spiff(new[ident].properties)))
    for ident in sorted(old.keys() - new.keys()):
        changes.append(_entry("removed", old[ident], extensions=_spiff(old[ident].properties)))
    for ident in sorted(old.keys() & new.keys()):
        diffs = _differences(old[ident], new[ident])
        if diffs:
            changes.append(_entry("changed", new[ident], changes=diffs))
    return changes


def _differences(a: Element, b: Element) -> list[dict[str, str | None]]:
    diffs: list[dict[str, str | None]] = []
    if a.type != b.type:
        diffs.append({"property": "type", "before": a.type, "after": b.type})
    for key in sorted(a.properties.keys() | b.properties.keys()):
        before, after = a.properties.get(key), b.properties.get(key)
        if before != after:
            diffs.append({"property": key, "before": before, "after": after})
    return diffs


def _entry(kind: str, element: Element, **extra: Any) -> dict[str, Any]:
    return {"id": element.id, "kind": kind, "type": element.type, "name": element.name, **extra}


def _spiff(properties: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in properties.items() if "spiffworkflow:" in k}


def _type(tag: str) -> str:
    local = etree.QName(tag).localname
    return f"bpmn:{local[:1].upper()}{local[1:]}"


def _qname(tag: str) -> str:
    q = etree.QName(tag)
    if q.namespace == BPMN:
        return q.localname
    if q.namespace == SPIFF:
        return f"spiffworkflow:{q.localname}"
    return f"{{{q.namespace}}}{q.localname}" if q.namespace else q.localname


def _flatten(elem: etree._Element, path: str, out: dict[str, str], *, top: bool = False) -> None:
    keyed_by = _key_attribute(elem)
    for attr, value in sorted(elem.attrib.items()):
        if attr in (XSI_TYPE, keyed_by) or (attr == "id" and (top or _is_bpmn(elem))):
            continue  # the element's own id is its key; nested BPMN ids are not meaningful
        out[f"{path}@{_qname(attr)}" if path else _qname(attr)] = value
    text = (elem.text or "").strip()
    if text and not top:
        out[path] = text
    refs = sorted((c.text or "").strip() for c in elem if c.tag == FLOW_NODE_REF)
    if refs:
        out[f"{path}/flowNodeRef" if path else "flowNodeRef"] = " ".join(refs)
    seen: dict[str, int] = {}
    for child in elem:
        if not isinstance(child.tag, str) or child.tag in SKIPPED or child.tag == FLOW_NODE_REF:
            continue
        if top and (child.tag in CONTAINERS or (elem.tag in CONTAINERS and child.get("id"))):
            continue  # an element of its own (a process's tasks, its lanes)
        if child.tag == f"{{{BPMN}}}extensionElements":
            _flatten(child, path, out)
            continue
        segment = _qname(child.tag)
        if "spiffworkflow:" in path:
            segment = segment.removeprefix("spiffworkflow:")
        key_attr = _key_attribute(child)
        key = child.get(key_attr) if key_attr else None
        if key is None:
            seen[segment] = seen.get(segment, 0) + 1
            key = str(seen[segment]) if seen[segment] > 1 else None
        segment += f"[{key}]" if key else ""
        _flatten(child, f"{path}/{segment}" if path else segment, out)


def _is_bpmn(elem: etree._Element) -> bool:
    return isinstance(elem.tag, str) and elem.tag.startswith(f"{{{BPMN}}}")


def _key_attribute(elem: etree._Element) -> str | None:
    # Spiff properties are told apart by name, parameters and operators by id.
    if _is_bpmn(elem):
        return None
    if elem.get("name") is not None:
        return "name"
    return "id" if elem.get("id") is not None else None
