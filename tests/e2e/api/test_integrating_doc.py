"""The README's Integrating curl examples work, pasted as they are, against the program's processes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from service.actions.deployment import deploy, read_directory
from service.bootstrap import bootstrap
from service.config import ROOT, Settings
from tests.apikit import app_for, serving, token
from tests.conftest import service_missing
from tests.support import INTEGRATOR

DOC = ROOT / "README.md"  # its Integrating section


def _commands(section: str) -> list[str]:
    """Return the curl commands of a section's shell blocks (a command runs to the next one)."""
    text = DOC.read_text(encoding="utf-8")
    body = text.split(f"### {section}", 1)[1].split("\n### ", 1)[0]
    commands: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", body, re.S):
        for line in block.splitlines():
            if line.startswith("curl"):
                commands.append(re.sub(r"\s+#.*$", "", line))
            elif line.startswith(" ") and commands:
                commands[-1] += "\n" + line
    return commands


def _run(command: str, env: dict[str, str]) -> tuple[int, str]:
    completed = subprocess.run(
        ["/bin/bash", "-c", command + " -w '\\n%{http_code}'"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    body, _, status = completed.stdout.rpartition("\n")
    return int(status), body


def test_the_start_message_and_status_examples_work_against_the_program(tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        service_missing("curl", "the README's examples are curl commands")  # a failure under CI=true
    env_settings = {"DATABASE_URL": f"sqlite:///{tmp_path / 'rcp.db'}", "RCP_INSTANCE_DIR": str(tmp_path)}
    settings = Settings.from_env(env_settings, secret_key="doc-test", runner="off", testing=True)
    services = bootstrap(settings)
    try:
        deploy(services, read_directory(settings.processes_dir), INTEGRATOR)
        auth = token(services, "trade-portal", "start", "message", "read")["Authorization"]
        with serving(app_for(services)) as base:
            env = {**os.environ, "API": f"{base}/api/v1", "TOKEN": auth.removeprefix("Bearer ")}
            statuses = [_run(c, env)[0] for c in _commands("Start a case")]
            assert statuses == [200, 201]
            started = _run(_commands("Start a case")[1].replace(" -i ", " "), env)
            assert started[0] == 201  # the same key and body again: the first answer, replayed
            env["ID"] = json.loads(started[1])["id"]
            assert [_run(c, env)[0] for c in _commands("Deliver a message")] == [200]
            follow = [_run(c, env) for c in _commands("Follow a case")]
    finally:
        services.close()
    assert [status for status, _ in follow] == [200, 200, 200, 200]
    assert json.loads(follow[1][1])["status"] == "completed"
    notices = json.loads(follow[3][1])
    assert [n["kind"] for n in notices] == ["acknowledgement"]
