"""The README's Integrating curl examples work, pasted as they are and in order, as one story.

The intake system starts an application, the reviewer asks for more information (in the inbox,
here through the same action), the intake system delivers it, and the portal reads the case.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from service.actions import tasks
from service.actions.deployment import deploy, read_directory
from service.bootstrap import bootstrap
from service.config import ROOT, Settings
from service.services import Services
from service.store.rows import TaskFilter
from service.views import open_tasks
from tests.apikit import app_for, serving, token
from tests.conftest import service_missing
from tests.support import INTEGRATOR, REVIEWER

DOC = ROOT / "README.md"  # its Integrating section
# The reviewer's findings before the next step (processes/forms/application_review.schema.json).
REVIEW_FORM = {
    "review_showing": {k: "shown" for k in ("i", "ii", "iii", "iv", "v", "vi")},
    "review_in_compliance": "yes",
    "review_business": "Medium importer of apparel, about 1,200 entries a year.",
}


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


def _ask_for_information(services: Services, instance_id: str) -> None:
    """Do what the reviewer does in the inbox: ask the applicant for more information."""
    [task] = open_tasks.tasks(services, REVIEWER, TaskFilter(instance_id=instance_id))
    asked = {**REVIEW_FORM, "review_next_step": "request_information"}
    tasks.complete(
        services, task["id"], {**asked, "information_needed": "Your recordkeeping procedures."}, REVIEWER
    )


def test_the_examples_start_a_case_deliver_the_information_and_read_the_case(tmp_path: Path) -> None:
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
            _ask_for_information(services, env["ID"])
            delivered = [_run(c, env) for c in _commands("Deliver a message")]
            follow = [_run(c, env) for c in _commands("Follow a case")]
    finally:
        services.close()
    assert [status for status, _ in delivered] == [200], delivered
    assert [status for status, _ in follow] == [200, 200, 200, 200, 200]
    [listed] = json.loads(follow[0][1])["items"]
    case = json.loads(follow[1][1])
    assert (listed["id"], case["status"]) == (env["ID"], "waiting")
    assert [t["name"] for t in case["activeTasks"]] == ["review_application"]  # the review resumed
    assert [m["messageName"] for m in case["waitingMessages"]] == ["application_withdrawn"]
    history = json.loads(follow[2][1])["items"]
    assert [h["action"] for h in history if h["actorKind"] == "integrator"] == ["start", "message"]
    notices = json.loads(follow[3][1])["items"]
    assert [n["kind"] for n in notices] == ["acknowledgement", "information_request"]
    whole = json.loads(follow[4][1])
    [period] = whole["suspensions"]  # the round the reviewer asked for, ended by the delivery
    assert (period["citation"], period["end"] is not None) == ("§163.12(c)(1)", True)
    assert [m["messageName"] for m in whole["messages"]] == ["information_received"]
    assert [n["kind"] for n in whole["notices"]] == ["acknowledgement", "information_request"]
