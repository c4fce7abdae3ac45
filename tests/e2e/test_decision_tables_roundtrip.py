"""Every decision table of processes/ survives the modeler: opened in dmn-js, exported, unchanged.

The bundled editor (service/static/dist/dmn.js) opens each ``.dmn`` file on each of its tables
in Chromium and exports it; the export must mean the same as the file: the same elements,
attributes and texts (namespace prefixes, attribute order and indentation aside).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import Browser

from service.config import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DIST = ROOT / "service" / "static" / "dist"
TABLES = sorted((ROOT / "processes").glob("*.dmn"))
DMN = "{https://www.omg.org/spec/DMN/20191111/MODEL/}"
# Attributes whose DMN 1.3 default dmn-js leaves out on export (the file may spell them out).
DEFAULTS = {f"{DMN}decisionTable": {"hitPolicy": "UNIQUE"}}
Node = tuple[str, tuple[tuple[str, str], ...], str, tuple["Node", ...]]


def meaning(xml: str | bytes) -> Node:
    """Reduce XML to what it says: qualified names, attributes, non-blank texts, children in order."""
    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
    root = etree.fromstring(xml.encode() if isinstance(xml, str) else xml, parser)
    return _node(root)


def _node(element: etree._Element) -> Node:
    spelled = {str(k): str(v) for k, v in element.attrib.items()}
    attributes = tuple(sorted({**DEFAULTS.get(str(element.tag), {}), **spelled}.items()))
    text = (element.text or "").strip()
    children = tuple(_node(c) for c in element if isinstance(c.tag, str))
    return (str(element.tag), attributes, text, children)


def test_the_program_has_decision_tables() -> None:
    assert {p.name for p in TABLES} >= {
        "who_may_apply.dmn",
        "notice_or_penalty.dmn",
        "penalty_ceiling.dmn",
        "removal_effect.dmn",
    }


def test_meaning_notices_a_changed_cell() -> None:
    original = (ROOT / "processes" / "penalty_ceiling.dmn").read_bytes()
    assert meaning(original) != meaning(original.replace(b"<text>100000</text>", b"<text>100001</text>"))
    assert meaning(original) == meaning(original.replace(b"\n", b"\n  "))  # indentation is not meaning
    assert meaning(original) == meaning(original.replace(b' hitPolicy="UNIQUE"', b""))  # the default
    assert meaning(original) != meaning(original.replace(b'hitPolicy="UNIQUE"', b'hitPolicy="FIRST"'))


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_each_table_round_trips_through_dmn_js(browser: Browser, path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_content('<div id="editor" style="height: 600px"></div>')
    page.add_style_tag(path=str(DIST / "dmn.css"))
    page.add_script_tag(path=str(DIST / "dmn.js"))
    exported = page.evaluate(
        """async (xml) => {
            const handle = await window.RcpDmn.create('#editor', xml);
            const out = [];
            for (const table of handle.tables()) {
                await handle.open(table.id);  // each table drawn in the decision table view
                const drawn = document.querySelector('#editor .tjs-table');
                if (!drawn) throw new Error('no table for ' + table.id);
                out.push(await handle.saveXML());
            }
            return {warnings: handle.warnings.map(w => w.message), out};
        }""",
        path.read_text(encoding="utf-8"),
    )
    page.close()
    assert errors == []
    assert exported["warnings"] == []
    assert exported["out"], f"{path.name} has no decision table"
    for xml in exported["out"]:
        assert meaning(xml) == meaning(path.read_bytes())
