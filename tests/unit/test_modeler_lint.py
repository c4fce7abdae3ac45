"""The Node diagram checks' report becomes issues with element ids, lines, severities and rules."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from service.engine import lint

REPORT = {
    "ok": False,
    "files": [
        {
            "file": "x",
            "ok": False,
            "problems": [
                {"stage": "import", "severity": "error", "elementId": "t1", "line": 4, "message": "unknown"},
                {
                    "stage": "lint",
                    "severity": "warn",
                    "rule": "label-required",
                    "elementId": "e",
                    "line": 9,
                    "message": "Element is missing label/name",
                },
                {
                    "stage": "di",
                    "severity": "error",
                    "rule": "overlap",
                    "elementId": "a",
                    "line": None,
                    "message": "overlaps b",
                },
            ],
        }
    ],
}


def _fake_checker(tmp: Path, stdout: str, exit_code: int = 1) -> Path:
    # Stands in for check-diagrams.mjs: same argv, same JSON on stdout (run by Python, not Node).
    (tmp / "node_modules").mkdir(exist_ok=True)
    script = tmp / "scripts" / "check.py"
    script.parent.mkdir(exist_ok=True)
    script.write_text(f"import sys\nsys.stdout.write({stdout!r})\nsys.exit({exit_code})\n")
    return script


def test_each_problem_becomes_an_issue_with_its_stage_and_rule(tmp_path: Path) -> None:
    script = _fake_checker(tmp_path, json.dumps(REPORT))

    issues = lint.check(b"<x/>", "review.bpmn", node=sys.executable, script=script)

    assert [(i.element_id, i.line, i.severity, i.rule) for i in issues] == [
        ("t1", 4, "error", "moddle"),
        ("e", 9, "warning", "bpmnlint/label-required"),
        ("a", None, "error", "di/overlap"),
    ]
    assert {i.file for i in issues} == {"review.bpmn"}


def test_a_checker_that_cannot_run_gives_one_warning_and_no_error(tmp_path: Path) -> None:
    broken = _fake_checker(tmp_path, "not json", exit_code=2)

    for issues in (
        lint.check(b"<x/>", "a.bpmn", node=sys.executable, script=broken),
        lint.check(b"<x/>", "a.bpmn", node=str(tmp_path / "no-node"), script=broken),
        lint.check(b"<x/>", "a.bpmn", node=sys.executable, script=tmp_path / "missing.mjs"),
    ):
        assert [(i.severity, i.rule) for i in issues] == [("warning", "bpmnlint")]
        assert "did not run" in issues[0].message
