"""As an operator: build the wheel, install it (no extras) in a fresh venv outside the checkout,
``rcp init``, ``rcp run``, create a token and start a case through the API.

It proves the wheel carries what a checkout has beside its code (processes, forms, program,
templates, migrations, the built bundles) and that the installation keeps its database and takes
its processes from the instance folder, never from site-packages.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.installed_support import clean_env, install, run

pytestmark = pytest.mark.slow

AGENCY_NAME = "Application for certification (Port of Example)"
START_BODY = {
    "businessKey": "APP-2026-0001",
    "variables": {
        "application_number": "APP-2026-0001",
        "received_on": "2026-03-02",
        "applicant": {
            "importer_number": "IMP-4471",
            "name": "Acme Imports LLC",
            "email": "compliance@acme.example",
        },
        "recordkeeper_class": "importer",
        "showing": {"i": "Records manual rev. 4", "iv": "J. Rivera, compliance officer"},
        "business": {"size": "medium", "nature": "apparel", "annual_entries": 1200},
        "alternative_program": None,
    },
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _call(url: str, token: str | None = None, body: Any = None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            kind = response.headers.get("Content-Type", "")
            return response.status, json.loads(raw) if "json" in kind else raw.decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _wait_healthy(base: str, server: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, f"rcp run exited with {server.returncode}"
        try:
            if _call(f"{base}/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"rcp run did not answer /healthz within {seconds} s")


@contextmanager
def _serving(rcp: Path, work: Path, env: dict[str, str], log_path: Path) -> Iterator[str]:
    """Run ``rcp run`` until the block ends; print what it said when the block fails."""
    port = _free_port()
    with log_path.open("w+") as log:
        server = subprocess.Popen(
            [str(rcp), "run", "--port", str(port)], cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_healthy(f"http://127.0.0.1:{port}", server)
            yield f"http://127.0.0.1:{port}"
        except BaseException:
            log.seek(0)
            print("rcp run said:\n" + log.read())
            raise
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


def test_the_installed_wheel_runs_an_instance_folder_and_starts_a_case(tmp_path: Path) -> None:
    venv = install(tmp_path)
    rcp = venv / "bin" / "rcp"
    work = tmp_path / "operator"
    work.mkdir()
    env = clean_env()
    init = run([rcp, "init", "agency"], cwd=work, env=env)
    folder = work / "agency"
    assert "RCP_INSTANCE_DIR=" in init.stdout
    diagram = folder / "processes" / "application_review.bpmn"
    diagram.write_text(
        diagram.read_text().replace('name="Application for certification"', f'name="{AGENCY_NAME}"')
    )
    env["RCP_INSTANCE_DIR"] = str(folder)
    with _serving(rcp, work, env, tmp_path / "server.log") as base:
        made = run([rcp, "token", "create", "ci", "--scopes", "start,read"], cwd=work, env=env, timeout=120)
        token = made.stdout.strip().splitlines()[-1]
        status, started = _call(
            f"{base}/api/v1/process-definitions/application_review/start", token, START_BODY
        )
        assert status == 201, started
        assert started["businessKey"] == "APP-2026-0001"
        status, definition = _call(f"{base}/api/v1/process-definitions/application_review", token)
        assert (status, definition["name"]) == (200, AGENCY_NAME)  # deployed from the instance folder
        status, page = _call(f"{base}/login")
        assert status == 200 and "password" in page.lower()  # the templates came with the wheel
        assert _call(f"{base}/static/dist/viewer.js")[0] == 200  # and the built bundles
    assert (folder / "rcp.db").is_file()
    (site,) = venv.glob("lib/python*/site-packages")
    assert not (site / "instance").exists()
    assert sorted(p.name for p in site.rglob("*.db")) == []
    assert (site / "rcp_processes" / "application_review.bpmn").is_file()
    assert not (work / "instance").exists()
    # The base install has no Celery: scale-out says which extra to install instead of a traceback.
    worker = subprocess.run([rcp, "worker"], cwd=work, env=env, capture_output=True, text=True, timeout=120)
    assert (worker.returncode, worker.stdout) == (2, "")
    assert worker.stderr.startswith(
        "rcp: error: scale-out needs the [scale] extra: pip install 'rcp-orchestrator[scale]'"
    ), worker.stderr
