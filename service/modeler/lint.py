"""The front-end's diagram checks, run under Node: bpmn-moddle import, bpmnlint recommended, DI.

These are the checks Camunda Modeler and bpmn.io apply (plus a layout check), so a diagram that
passes them opens cleanly in the analysts' desktop tools. The engine's own checks are in
``service.deployment.check``; this adds the modeling-tool view of the same file.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from service.config import ROOT
from service.errors import DiagramIssue

SCRIPT = ROOT / "frontend" / "scripts" / "check-diagrams.mjs"
CONFIG = ROOT / ".bpmnlintrc"
TIMEOUT_SECONDS = 30
STAGES = {"import": "moddle", "lint": "bpmnlint", "di": "di"}


def check(
    xml: bytes, file_name: str, *, node: str | None = None, script: Path = SCRIPT
) -> list[DiagramIssue]:
    """Return the import, lint and layout problems of one diagram, each with element id and line."""
    node = node or shutil.which("node")
    if node is None or not script.exists() or not (script.parent.parent / "node_modules").exists():
        return [_unavailable(file_name, "Node.js or the front-end packages are not installed")]
    with tempfile.TemporaryDirectory(prefix="rcp-lint-") as tmp:
        path = Path(tmp) / "diagram.bpmn"
        path.write_bytes(xml)
        command = [node, str(script), "--json"]
        if CONFIG.exists():
            command += ["--config", str(CONFIG)]
        try:
            done = subprocess.run(  # noqa: S603  (fixed argv, no shell; the diagram is a file argument)
                [*command, str(path)],
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                cwd=script.parent.parent,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return [_unavailable(file_name, f"the check took longer than {TIMEOUT_SECONDS} s")]
        except OSError as exc:
            return [_unavailable(file_name, f"Node.js could not start: {exc.strerror or exc}")]
    try:
        report = json.loads(done.stdout)
        problems = report["files"][0]["problems"]
    except (ValueError, KeyError, IndexError, TypeError):
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        return [_unavailable(file_name, f"the checker failed: {detail[0][:300]}")]
    return [_issue(file_name, p) for p in problems]


def _issue(file_name: str, problem: dict[str, Any]) -> DiagramIssue:
    stage = STAGES.get(str(problem.get("stage")), str(problem.get("stage")))
    rule = f"{stage}/{problem['rule']}" if problem.get("rule") else stage
    line = problem.get("line")
    return DiagramIssue(
        file_name,
        str(problem.get("message", "")),
        element_id=problem.get("elementId") or None,
        line=line if isinstance(line, int) else None,
        severity="error" if problem.get("severity") == "error" else "warning",
        rule=rule,
    )


def _unavailable(file_name: str, why: str) -> DiagramIssue:
    return DiagramIssue(
        file_name,
        f"bpmnlint and the modeling-tool import check did not run: {why}",
        severity="warning",
        rule="bpmnlint",
    )
