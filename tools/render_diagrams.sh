#!/usr/bin/env bash
# Render every processes/*.bpmn to docs/diagrams/<id>.svg with the front end's viewer (headless chromium),
# and every processes/*.dmn to docs/decisions/<id>.png.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f service/static/dist/viewer.js ] || (cd frontend && npm run --silent build)
(cd frontend && node scripts/render-svg.mjs ../docs/diagrams ../processes/*.bpmn)
# Decision tables (processes/*.dmn) as PNG pictures of the table, drawn by the modeler's dmn-js bundle.
(cd frontend && node scripts/render-dmn.mjs ../docs/decisions ../processes/*.dmn)
# bpmn-js names its arrow markers randomly; number them so an unchanged diagram renders the same file.
.venv/bin/python - <<'PY'
import re
from pathlib import Path

for svg in Path("docs/diagrams").glob("*.svg"):
    text = svg.read_text()
    names: dict[str, str] = {}
    for found in re.findall(r"marker-[a-z0-9]{16,}", text):
        names.setdefault(found, f"marker-{len(names) + 1}")
    svg.write_text(re.sub(r"marker-[a-z0-9]{16,}", lambda m: names[m.group(0)], text))
PY
