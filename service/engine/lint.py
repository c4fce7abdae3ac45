"""The front-end's diagram checks, run under Node: bpmn-moddle import, bpmnlint recommended, DI.

These are the checks Camunda Modeler and bpmn.io apply (plus a layout check), so a diagram that
passes them opens cleanly in the analysts' desktop tools. ``service.actions.deployment.review``
runs them after the engine's own checks for every door (``rcp deploy``/``validate``/``run``, the
API and the modeler). Without Node.js or the front-end packages (an installed wheel carries no
``frontend/``) they cannot run: each diagram then gets one warning saying so, and nothing is refused
for it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from service.config import ROOT
from service.engine.values import DiagramSource
from service.errors import DiagramIssue

SCRIPT = ROOT / "frontend" / "scripts" / "check-diagrams.mjs"
CONFIG = ROOT / ".bpmnlintrc"
TIMEOUT_SECONDS = 30
STAGES = {"import": "moddle", "lint": "bpmnlint", "di": "di"}
UNAVAILABLE = "bpmnlint"  # the rule of the warning that the checks could not run


def check(
    xml: bytes, file_name: str, *, node: str | None = None, script: Path = SCRIPT
) -> list[DiagramIssue]:
    """Return the import, lint and layout problems of one diagram, each with element id and line."""
    return check_all([DiagramSource(file_name, xml)], node=node, script=script)


def check_all(
    sources: Sequence[DiagramSource], *, node: str | None = None, script: Path = SCRIPT
) -> list[DiagramIssue]:
    """Return the problems of every diagram, from one Node run (a warning each if it cannot run)."""
    if not sources:
        return []
    node = node or shutil.which("node")
    if node is None or not script.exists() or not (script.parent.parent / "node_modules").exists():
        return _unavailable(sources, "Node.js or the front-end packages are not installed")
    with tempfile.TemporaryDirectory(prefix="rcp-lint-") as tmp:
        paths = [Path(tmp) / f"{n}.bpmn" for n in range(len(sources))]  # names the files can't pick
        for path, source in zip(paths, sources, strict=True):
            path.write_bytes(source.xml)
        command = [node, str(script), "--json", *(["--config", str(CONFIG)] if CONFIG.exists() else [])]
        try:
            done = subprocess.run(  # noqa: S603  (fixed argv, no shell; the diagrams are file arguments)
                [*command, *map(str, paths)],
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                cwd=script.parent.parent,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return _unavailable(sources, f"the check took longer than {TIMEOUT_SECONDS} s")
        except OSError as exc:
            return _unavailable(sources, f"Node.js could not start: {exc.strerror or exc}")
    try:
        files = json.loads(done.stdout)["files"]
        return [_issue(s.name, p) for s, f in zip(sources, files, strict=True) for p in f["problems"]]
    except (ValueError, KeyError, IndexError, TypeError):
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        return _unavailable(sources, f"the checker failed: {detail[0][:300]}")


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


def _unavailable(sources: Sequence[DiagramSource], why: str) -> list[DiagramIssue]:
    message = f"bpmnlint and the modeling-tool import check did not run: {why}"
    return [DiagramIssue(s.name, message, severity="warning", rule=UNAVAILABLE) for s in sources]
