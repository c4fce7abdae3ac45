#!/usr/bin/env bash
# Render every processes/*.bpmn to docs/diagrams/<id>.svg with the front end's viewer (headless chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f service/static/dist/viewer.js ] || (cd frontend && npm run --silent build)
cd frontend && node scripts/render-svg.mjs ../docs/diagrams ../processes/*.bpmn
