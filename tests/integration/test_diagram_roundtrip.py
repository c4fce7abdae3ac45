"""Every diagram survives a load/save by bpmn-moddle (the parser of bpmn-js) with its Spiff extensions.

The comparison is semantic: every ``spiffworkflow:`` element and attribute, with its path from the
nearest BPMN element that has an id, its attributes and its text, must come out as it went in.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from service.config import ROOT
from tests.support import FIXTURES

SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
PREFIXES = {SPIFF: "spiffworkflow", BPMN: "bpmn"}
FOLDERS = [
    ROOT / "processes",
    FIXTURES / "processes",
    FIXTURES / "modeler",
    ROOT / "frontend" / "test" / "fixtures",
]
DIAGRAMS = sorted(p for folder in FOLDERS if folder.is_dir() for p in folder.glob("*.bpmn"))
ROUNDTRIP = ROOT / "frontend" / "scripts" / "roundtrip.mjs"


def _name(tag: str) -> str:
    q = etree.QName(tag)
    return f"{PREFIXES.get(q.namespace or '', q.namespace)}:{q.localname}"


def _owner(elem: etree._Element) -> tuple[str, str]:
    """Return the id of the nearest BPMN element with an id, and the path from it to ``elem``."""
    path: list[str] = []
    node: etree._Element | None = elem
    while node is not None:
        q = etree.QName(node.tag)
        if q.namespace == BPMN and node.get("id") and node is not elem:
            return node.get("id", ""), "/".join(reversed(path))
        path.append(_name(node.tag))
        node = node.getparent()
    return "", "/".join(reversed(path))


def spiff_signature(xml: bytes) -> Counter[str]:
    """Return every Spiff element and attribute of a diagram, each with its BPMN owner, as a multiset."""
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    found: Counter[str] = Counter()
    for elem in root.iter():
        if not isinstance(elem.tag, str):
            continue
        owner, path = _owner(elem)
        if etree.QName(elem.tag).namespace == SPIFF:
            attrs = ",".join(f"{_name(k) if '}' in k else k}={v}" for k, v in sorted(elem.attrib.items()))
            found[f"{owner}|{path}[{attrs}] {(elem.text or '').strip()}"] += 1
        for key, value in elem.attrib.items():
            if etree.QName(key).namespace == SPIFF:
                found[f"{owner}|{path}@{_name(key)}={value}"] += 1
    return found


def _roundtrip(source: Path, tmp: Path) -> bytes:
    node = shutil.which("node")
    if node is None or not (ROOT / "frontend" / "node_modules").is_dir():
        pytest.fail("Node.js and frontend/node_modules are needed: run ./scripts/setup.sh")
    out = tmp / f"{source.stem}.out.bpmn"
    done = subprocess.run(
        [node, str(ROUNDTRIP), str(source), str(out)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


def test_there_are_diagrams_to_round_trip() -> None:
    assert len(DIAGRAMS) >= 4
    assert all(
        spiff_signature(p.read_bytes()) for p in DIAGRAMS if p.parent.name != "fixtures" or p.stem != "flaky"
    )


@pytest.mark.parametrize("diagram", DIAGRAMS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_load_and_save_by_bpmn_moddle_keeps_every_spiff_extension(diagram: Path, tmp_path: Path) -> None:
    before = spiff_signature(diagram.read_bytes())

    after = spiff_signature(_roundtrip(diagram, tmp_path))

    assert before - after == Counter(), "extensions lost in the round trip"
    assert after - before == Counter(), "extensions invented by the round trip"


def test_the_comparison_notices_a_dropped_attribute_or_a_moved_element() -> None:
    xml = (FIXTURES / "modeler" / "application_review.bpmn").read_bytes()
    dropped = xml.replace(b' resultVariable="acknowledged"', b"")
    moved = xml.replace(b'<bpmn:userTask id="review"', b'<bpmn:userTask id="review_elsewhere"')

    assert spiff_signature(dropped) != spiff_signature(xml)
    assert spiff_signature(moved) != spiff_signature(xml)
